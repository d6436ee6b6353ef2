// The widget's state machine, without React: transitions and the state shown for each input.
import { describe, expect, it } from "vitest";
import { derive, INITIAL, type Machine, reduce, type StoredView } from "../src/connect-machine.ts";
import { connectionView } from "./helpers.tsx";

const none: StoredView = { ready: true, hasHandle: false, connection: null, error: null, errorAt: 0 };
const run = (...events: Parameters<typeof reduce>[1][]): Machine => events.reduce(reduce, INITIAL);
const deriveState = (machine: Machine, stored: StoredView) => derive(machine, stored).state;
const retryAtOf = (machine: Machine, stored: StoredView) => derive(machine, stored).retryAt;

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
      deriveState(run("connecting", { error: { code, message: "" } as never, at: 0 }), none);
    expect(fail("access_denied")).toBe("denied");
    expect(fail("rate_limited")).toBe("rate_limited");
    expect(fail("reauth_required")).toBe("reauth");
    expect(fail("attempt_not_found")).toBe("unfinished");
    expect(fail("network_error")).toBe("error");
    expect(fail("upstream_error")).toBe("error");
  });

  it("a popup left without a result is unfinished only while an attempt runs", () => {
    expect(deriveState(run("connecting", "unfinished"), none)).toBe("unfinished");
    expect(run("unfinished")).toBe(INITIAL);
    const settled = run("connecting", "settled");
    expect(reduce(settled, "unfinished")).toBe(settled);
  });

  it("cancel and disconnect leave a one-time note; starting again clears it", () => {
    expect(run("connecting", "cancel").note).toBe("cancelled");
    expect(run("cancel").note).toBeFalsy();
    expect(run("disconnect").note).toBe("disconnected");
    expect(run("disconnect", "connecting").note).toBeFalsy();
  });

  it("retryAt counts from the failure by its retryAfter", () => {
    const limited = run("connecting", {
      error: { code: "rate_limited", message: "", retryAfter: 3 },
      at: 1000,
    });
    expect(retryAtOf(limited, none)).toBe(4000);
    expect(
      retryAtOf(INITIAL, {
        ...none,
        hasHandle: true,
        error: { code: "rate_limited", message: "", retryAfter: 2 },
        errorAt: 10,
      }),
    ).toBe(2010);
    expect(retryAtOf(run("connecting"), none)).toBeNull();
  });
});
