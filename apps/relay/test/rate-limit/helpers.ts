import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { type RateLimitOptions, rateLimit } from "../../src/rate-limit/middleware.ts";

type TestEnv = { Bindings: Env };

/** A tiny app: one GET and one POST route behind `rateLimit(options)`. */
export function limitedApp(options: RateLimitOptions<TestEnv>) {
  const app = new Hono<TestEnv>();
  app.use("/limited/*", rateLimit(options));
  app.get("/limited/read", (c) => c.json({ ok: true }, 200, { "X-Handler": "ran" }));
  app.post("/limited/write", (c) => c.json({ ok: true }, 201, { "X-Handler": "ran" }));
  app.options("/limited/read", (c) => c.body(null, 204));
  return app;
}

/** The worker's real bindings with `RATE_LIMITS` replaced (the var's generated type is a literal). */
export function envWithLimits(rateLimits: unknown): Env {
  return { ...env, RATE_LIMITS: rateLimits } as unknown as Env;
}

/** A GET (or POST) to the tiny app from `ip`, optionally with a bearer credential. */
export function requestFrom(ip: string, init: { method?: string; credential?: string } = {}): Request {
  const path = init.method === "POST" ? "/limited/write" : "/limited/read";
  const headers: Record<string, string> = { "CF-Connecting-IP": ip };
  if (init.credential) headers.Authorization = `Bearer ${init.credential}`;
  return new Request(`https://relay.test${path}`, { method: init.method ?? "GET", headers });
}

/** A fresh random IPv4-looking key so tests never share a limiter object. */
export function freshIp(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return Array.from(bytes).join(".");
}

/** Deterministic PRNG (mulberry32) so property tests are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The largest number of accepted units inside any half-open window [t, t + windowMicros). */
export function maxInAnyWindow(accepted: { at: number; cost: number }[], windowMicros: number): number {
  let best = 0;
  let sum = 0;
  let start = 0;
  for (let end = 0; end < accepted.length; end++) {
    const current = accepted[end];
    if (!current) continue;
    sum += current.cost;
    for (
      let first = accepted[start];
      first && first.at <= current.at - windowMicros;
      first = accepted[start]
    ) {
      sum -= first.cost;
      start++;
    }
    best = Math.max(best, sum);
  }
  return best;
}
