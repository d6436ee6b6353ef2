import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("GET /health", () => {
  it("answers ok from the worker with its real bindings", async () => {
    const res = await exports.default.fetch("https://relay.test/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, service: "instagram-connect-relay" });
    await env.CONNECTIONS.put("probe", "1");
    expect(await env.CONNECTIONS.get("probe")).toBe("1");
  });
});
