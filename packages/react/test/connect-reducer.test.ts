import type { ConnectionView } from "@instagram-connect/types";
import { describe, expect, it } from "vitest";
import {
  deriveView,
  flowReducer,
  retryPlan,
  type StoredConnection,
  stateOf,
  toConnectError,
} from "../src/connect-reducer.ts";

const connection = { id: "conn_x", status: "active" } as unknown as ConnectionView;
const none: StoredConnection = { hasHandle: false, data: undefined, error: null, errorUpdatedAt: 0 };
const stored = (over: Partial<StoredConnection>): StoredConnection => ({ ...none, hasHandle: true, ...over });

describe("flowReducer", () => {
  it("moves through connecting, blocked, failed and back to no flow", () => {
    expect(flowReducer(null, { type: "started" })).toEqual({ state: "connecting" });
    expect(flowReducer({ state: "connecting" }, { type: "blocked" })).toEqual({ state: "blocked" });
    const error = { code: "access_denied", message: "no" } as const;
    expect(flowReducer({ state: "connecting" }, { type: "failed", error, at: 5 })).toEqual({
      state: "denied",
      error,
      at: 5,
    });
    expect(flowReducer({ state: "connecting" }, { type: "finished" })).toBeNull();
  });

  it("maps error codes to states; unknown codes are a generic error", () => {
    expect(stateOf("rate_limited")).toBe("rate_limited");
    expect(stateOf("reauth_required")).toBe("reauth");
    expect(stateOf("popup_closed")).toBe("error");
  });

  it("reports anything thrown without a code as network_error", () => {
    expect(toConnectError(new TypeError("crypto.subtle is undefined"))).toEqual({
      code: "network_error",
      message: "TypeError: crypto.subtle is undefined",
    });
    const coded = { code: "invalid_state", message: "x" } as const;
    expect(toConnectError(coded)).toBe(coded);
  });
});

describe("deriveView", () => {
  it("is idle without a flow or a stored handle, and shows a running flow first", () => {
    expect(deriveView(null, none)).toEqual({ state: "idle", connection: null, error: null, retryAt: null });
    expect(deriveView({ state: "connecting" }, stored({ data: connection })).state).toBe("connecting");
  });

  it("follows the stored connection's query: loading, connected, reauth, error", () => {
    expect(deriveView(null, stored({})).state).toBe("loading");
    expect(deriveView(null, stored({ data: connection }))).toMatchObject({ state: "connected", connection });
    const expired = { ...connection, status: "reauth_required" } as ConnectionView;
    expect(deriveView(null, stored({ data: expired })).state).toBe("reauth");
    const failed = stored({ error: { code: "network_error", message: "offline" } });
    expect(deriveView(null, failed).state).toBe("error");
  });

  it("ignores query data without a stored handle", () => {
    expect(deriveView(null, { ...none, data: connection }).connection).toBeNull();
  });

  it("computes retryAt from the flow's failure time, else the query's error time", () => {
    const limited = { code: "rate_limited", message: "slow down", retryAfter: 30 } as const;
    expect(deriveView({ state: "rate_limited", error: limited, at: 1_000 }, none).retryAt).toBe(31_000);
    expect(deriveView(null, stored({ error: limited, errorUpdatedAt: 2_000 })).retryAt).toBe(32_000);
  });
});

describe("retryPlan", () => {
  const limited = { code: "rate_limited", message: "slow down", retryAfter: 30 } as const;

  it("waits until retryAt, then re-checks a stored connection or connects again", () => {
    const flow = { state: "rate_limited" as const, error: limited, at: 0 };
    const view = deriveView(flow, none);
    expect(retryPlan(flow, view, null, 29_999)).toBe("wait");
    expect(retryPlan(flow, view, null, 30_000)).toBe("connect");
    const failed = stored({ error: limited, errorUpdatedAt: 0 });
    expect(retryPlan(null, deriveView(null, failed), limited, 30_000)).toBe("refetch");
  });

  it("connects again (not refetch) when the stored connection needs reauth", () => {
    const reauth = { code: "reauth_required", message: "expired" } as const;
    const view = deriveView(null, stored({ error: reauth }));
    expect(view.state).toBe("reauth");
    expect(retryPlan(null, view, reauth, 0)).toBe("connect");
  });
});
