// The widget's state machine, without React: transitions and the state shown for each input.
import { describe, expect, it } from "vitest";
import {
  deriveState,
  INITIAL,
  type MachineState,
  reduce,
  retryAtOf,
  type StoredView,
} from "../src/connect-machine.ts";
import { connectionView } from "./helpers.tsx";

const none: StoredView = { ready: true, hasHandle: false, connection: null, error: null, errorAt: 0 };
const run = (...events: Parameters<typeof reduce>[1][]): MachineState => events.reduce(reduce, INITIAL);

describe("connect machine", () => {
  it("is neutral until storage is read, then idle or connected", () => {
    expect(deriveState(INITIAL, { ...none, ready: false })).toBe("loading");
    expect(deriveState(INITIAL, none)).toBe("idle");
    expect(deriveState(INITIAL, { ...none, hasHandle: true })).toBe("loading");
    expect(deriveState(INITIAL, { ...none, hasHandle: true, connection: connectionView() })).toBe(
      "connected",
    );
    expect(
      deriveState(INITIAL, {
        ...none,
        hasHandle: true,
        connection: connectionView({ status: "reauth_required" }),
      }),
    ).toBe("reauth");
  });

  it("maps each failure to its own state", () => {
    const fail = (code: string) =>
      deriveState(
        run({ type: "start" }, { type: "fail", error: { code, message: "" } as never, at: 0 }),
        none,
      );
    expect(fail("access_denied")).toBe("denied");
    expect(fail("rate_limited")).toBe("rate_limited");
    expect(fail("reauth_required")).toBe("reauth");
    expect(fail("attempt_not_found")).toBe("unfinished");
    expect(fail("network_error")).toBe("error");
    expect(fail("upstream_error")).toBe("error");
  });

  it("a popup left without a result is unfinished only while an attempt runs", () => {
    expect(deriveState(run({ type: "start" }, { type: "unfinished" }), none)).toBe("unfinished");
    expect(run({ type: "unfinished" })).toBe(INITIAL);
    const settled = run({ type: "start" }, { type: "settled" });
    expect(reduce(settled, { type: "unfinished" })).toBe(settled);
  });

  it("cancel and disconnect leave a one-time note; starting again clears it", () => {
    expect(run({ type: "start" }, { type: "cancel" }).note).toBe("cancelled");
    expect(run({ type: "cancel" }).note).toBeNull();
    expect(run({ type: "disconnect" }).note).toBe("disconnected");
    expect(run({ type: "disconnect" }, { type: "start" }).note).toBeNull();
  });

  it("retryAt counts from the failure by its retryAfter", () => {
    const limited = run(
      { type: "start" },
      { type: "fail", error: { code: "rate_limited", message: "", retryAfter: 3 }, at: 1000 },
    );
    expect(retryAtOf(limited, none)).toBe(4000);
    expect(
      retryAtOf(INITIAL, {
        ...none,
        hasHandle: true,
        error: { code: "rate_limited", message: "", retryAfter: 2 },
        errorAt: 10,
      }),
    ).toBe(2010);
    expect(retryAtOf(run({ type: "start" }), none)).toBeNull();
  });
});
