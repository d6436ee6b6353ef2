/**
 * Fault injection for workerd tests: wraps the KV namespace and the Durable Object namespaces
 * that the worker, the cron and every Durable Object use (through `bindings()` in
 * src/runtime.ts), so a chosen call fails or reads a stale value. Real bindings underneath:
 * everything not faulted behaves exactly as in production.
 *
 * API (call `useFaults()` at the top of a test file; it resets before and after every test):
 *
 * ```ts
 * const faults = useFaults();
 * // KV: the 1st `put` of a key starting with "conn:" throws (an Error named "InjectedFault").
 * faults.kv({ method: "put", prefix: "conn:", effect: "fail" });
 * // KV: from the 2nd matching `get` on, three calls in a row read "stale" (or null) instead.
 * faults.kv({ method: "get", prefix: "conn:", nth: 2, times: 3, effect: { stale: "stale" } });
 * // KV: freeze what is stored now under a prefix; later `get`s of those keys by the worker keep
 * // answering the frozen value (another location's edge cache that has not seen the change)
 * // until `faults.thaw()`. Durable Objects keep reading the truth: KV shows a write at once in
 * // the location that made it, and every connection write comes from its coordinator.
 * await faults.freezeKv("conn:");
 * // Settings: replace vars for the worker and every Durable Object (e.g. TOKEN_ENCRYPTION_KEYS).
 * faults.setVars({ TOKEN_ENCRYPTION_KEYS: "k2:...,k1:..." });
 * // Durable Objects: the 1st `refresh(...)` call on any CONNECTION_COORDINATOR stub throws.
 * faults.durableObject({ binding: "CONNECTION_COORDINATOR", method: "refresh", effect: "fail" });
 * faults.calls; // every KV / DO call seen: { binding, method, key }
 * faults.injected; // how many faults fired
 * ```
 *
 * Matching: `method` exact; `prefix` against the key (KV get/put/delete/getWithMetadata), the
 * list prefix (KV list) or the object name (DO, `getByName(name)`); `nth` is 1-based among
 * the calls matching the rule (default 1); `times` is how many matching calls from `nth` on
 * are faulted (default 1, `Infinity` for all). Faults reach Durable Object *bindings* (the
 * stubs), not an object's own `ctx.storage`.
 */
import { afterEach, beforeEach } from "vitest";
import { setBindingsForTests } from "../../src/runtime.ts";

/** What a fault does: throw, or (KV reads only) answer this value instead of the stored one. */
export type FaultEffect = "fail" | { stale: string | null };

/** A fault on one KV method. */
export interface KvFault {
  method: "get" | "getWithMetadata" | "put" | "delete" | "list";
  prefix?: string;
  nth?: number;
  times?: number;
  effect: FaultEffect;
}

/** A fault on one RPC method of a Durable Object binding's stubs. */
export interface DurableObjectFault {
  binding:
    | "CONNECTION_COORDINATOR"
    | "WEBHOOK_OUTBOX"
    | "OAUTH_FLOWS"
    | "RATE_LIMITER"
    | "USAGE_COUNTERS"
    | "HEALTH_LEDGER";
  method: string;
  prefix?: string;
  nth?: number;
  times?: number;
  effect: "fail";
}

/** One call seen through the wrapped bindings. */
export interface SeenCall {
  binding: string;
  method: string;
  key: string;
}

/** The handle `useFaults()` returns. */
export interface Faults {
  kv(fault: KvFault): void;
  durableObject(fault: DurableObjectFault): void;
  freezeKv(prefix: string): Promise<void>;
  setVars(vars: Record<string, string>): void;
  thaw(): void;
  readonly calls: SeenCall[];
  readonly injected: number;
}

interface Rule {
  binding: string;
  method: string;
  prefix: string;
  from: number;
  until: number;
  seen: number;
  effect: FaultEffect;
}

/** Thrown by a faulted call. */
export class InjectedFault extends Error {
  constructor(what: string) {
    super(`injected fault: ${what}`);
    this.name = "InjectedFault";
  }
}

const KV_METHODS = new Set(["get", "getWithMetadata", "put", "delete", "list"]);

/** Installs the wrapper for each test of the file (see the module comment for the API). */
export function useFaults(): Faults {
  let rules: Rule[] = [];
  let frozen = new Map<string, string | null>();
  let calls: SeenCall[] = [];
  let injected = 0;
  let wrapped = new WeakMap<object, Map<string, object>>();
  let vars: Record<string, string> = {};

  const decide = (binding: string, method: string, key: string): FaultEffect | null => {
    calls.push({ binding, method, key });
    for (const rule of rules) {
      if (rule.binding !== binding || rule.method !== method || !key.startsWith(rule.prefix)) continue;
      rule.seen++;
      if (rule.seen >= rule.from && rule.seen < rule.until) {
        injected++;
        return rule.effect;
      }
    }
    return null;
  };

  const wrapKv = (kv: KVNamespace, scope: string): KVNamespace =>
    new Proxy(kv, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property);
        if (typeof value !== "function" || typeof property !== "string" || !KV_METHODS.has(property)) {
          return value;
        }
        const call = value as (...args: unknown[]) => Promise<unknown>;
        return async (...args: unknown[]) => {
          const first = args[0];
          const key =
            typeof first === "string"
              ? first
              : String((first as { prefix?: string } | undefined)?.prefix ?? "");
          const effect = decide("CONNECTIONS", property, key);
          if (effect === "fail") throw new InjectedFault(`KV ${property} ${key}`);
          const readsValue = property === "get" || property === "getWithMetadata";
          if (effect && readsValue) return staleAnswer(property, effect.stale, args[1]);
          if (readsValue && scope === "worker" && frozen.has(key))
            return staleAnswer(property, frozen.get(key) ?? null, args[1]);
          return call.apply(target, args);
        };
      },
    });

  // A stand-in object, not a Proxy over the stub: workerd's RPC stubs want their methods called
  // on themselves (`stub.method(...)`).
  const wrapStub = (binding: string, name: string, stub: object): object =>
    new Proxy(
      {},
      {
        get(_target, property) {
          if (typeof property !== "string" || property === "then") return undefined;
          return (...args: unknown[]) => {
            if (decide(binding, property, name) === "fail") {
              return Promise.reject(new InjectedFault(`${binding}.${property} ${name}`));
            }
            return (stub as Record<string, (...a: unknown[]) => unknown>)[property]?.(...args);
          };
        },
      },
    );

  const wrapNamespace = (binding: string, namespace: DurableObjectNamespace): DurableObjectNamespace =>
    new Proxy(namespace, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property);
        if (property !== "getByName" || typeof value !== "function") return value;
        return (name: string, ...rest: unknown[]) =>
          wrapStub(binding, name, target.getByName(name, ...(rest as [])));
      },
    });

  const wrapEnv = <E extends object>(env: E, scope: string): E => {
    const perScope = wrapped.get(env) ?? new Map<string, object>();
    wrapped.set(env, perScope);
    const cached = perScope.get(scope);
    if (cached) return cached as E;
    const source = env as Record<string, unknown>;
    const next: Record<string, unknown> = { ...source, ...vars };
    if (source.CONNECTIONS) next.CONNECTIONS = wrapKv(source.CONNECTIONS as KVNamespace, scope);
    for (const binding of [
      "CONNECTION_COORDINATOR",
      "WEBHOOK_OUTBOX",
      "OAUTH_FLOWS",
      "RATE_LIMITER",
      "USAGE_COUNTERS",
      "HEALTH_LEDGER",
    ]) {
      if (source[binding]) next[binding] = wrapNamespace(binding, source[binding] as DurableObjectNamespace);
    }
    perScope.set(scope, next);
    return next as E;
  };

  const reset = () => {
    wrapped = new WeakMap();
    vars = {};
    rules = [];
    frozen = new Map();
    calls = [];
    injected = 0;
  };
  beforeEach(() => {
    reset();
    setBindingsForTests(wrapEnv);
  });
  afterEach(() => {
    setBindingsForTests(null);
    reset();
  });

  const add = (binding: string, fault: Omit<KvFault, "method"> & { method: string }) => {
    const from = fault.nth ?? 1;
    rules.push({
      binding,
      method: fault.method,
      prefix: fault.prefix ?? "",
      from,
      until: from + (fault.times ?? 1),
      seen: 0,
      effect: fault.effect,
    });
  };

  return {
    kv: (fault) => add("CONNECTIONS", fault),
    durableObject: (fault) => add(fault.binding, fault),
    async freezeKv(prefix) {
      const { env } = await import("cloudflare:workers");
      let cursor: string | undefined;
      do {
        const page = await env.CONNECTIONS.list(cursor ? { prefix, cursor } : { prefix });
        for (const key of page.keys) frozen.set(key.name, await env.CONNECTIONS.get(key.name));
        cursor = page.list_complete ? undefined : page.cursor;
      } while (cursor);
    },
    setVars(next) {
      vars = { ...vars, ...next };
      // Fresh wrapped envs: settings are parsed once per env object.
      wrapped = new WeakMap();
    },
    thaw: () => {
      frozen = new Map();
    },
    get calls() {
      return calls;
    },
    get injected() {
      return injected;
    },
  };
}

function staleAnswer(method: string, value: string | null, options: unknown): unknown {
  const type = typeof options === "string" ? options : (options as { type?: string } | undefined)?.type;
  const parsed = value !== null && type === "json" ? JSON.parse(value) : value;
  return method === "getWithMetadata" ? { value: parsed, metadata: null, cacheStatus: null } : parsed;
}
