import { env } from "cloudflare:workers";
import type { FakeEndpoint, FakeFaultKind } from "@instagram-connect/fake-instagram";
import { describe, expect, it } from "vitest";
import { classifyUpstreamError } from "../src/instagram/graph-error.ts";
import { parseJsonKeepingIds } from "../src/instagram/raw-json.ts";
import { useFakeInstagram } from "./support/fake.ts";
import { approve, callback, pollAttempt, postedMessage, startFlow } from "./support/flow.ts";

const ctx = useFakeInstagram();

async function storedKeys(): Promise<string[]> {
  return (await env.CONNECTIONS.list()).keys.map((key) => key.name);
}

describe("upstream failures during the callback", () => {
  it.each<[FakeEndpoint, FakeFaultKind, number | undefined, string]>([
    ["code_exchange", "http_5xx", undefined, "upstream_error"],
    ["code_exchange", "rate_limit", 4, "rate_limited"],
    ["code_exchange", "malformed_json", undefined, "upstream_error"],
    ["code_exchange", "timeout", undefined, "upstream_timeout"],
    ["long_lived", "http_5xx", undefined, "upstream_error"],
    ["long_lived", "token_revoked", undefined, "reauth_required"],
    ["me", "rate_limit", 80002, "rate_limited"],
    ["me", "rate_limit", 613, "rate_limited"],
    ["me", "token_revoked", undefined, "reauth_required"],
    ["me", "token_revoked", 10, "permission_missing"],
    ["me", "malformed_json", undefined, "upstream_error"],
    ["me", "timeout", undefined, "upstream_timeout"],
  ])(
    "%s %s (code %s) -> %s, delivered as a result, nothing stored",
    async (endpoint, kind, code, expected) => {
      const { fake } = ctx;
      const before = await storedKeys();
      fake.faults.inject({ endpoint, kind, ...(code === undefined ? {} : { code }) });
      const flow = await startFlow();
      const page = await callback(approve(fake, flow), flow.cookie);
      expect(page.status).toBe(200);
      const { message } = postedMessage(page.text);
      expect(message.result).toMatchObject({ ok: false, error: { code: expected } });
      expect(JSON.stringify(message)).not.toMatch(/fbtrace|OAuthException|Instagram account\. Wait/);
      expect(await storedKeys()).toEqual(before);
      expect((await pollAttempt(flow.attempt)).json()).toEqual({
        status: "complete",
        result: message.result,
      });
    },
  );
});

describe("classifyUpstreamError", () => {
  it("classifies Graph errors by error.code, not by HTTP status", () => {
    const graph = (code: number) => ({ error: { code, type: "OAuthException", message: "x" } });
    expect(classifyUpstreamError("graph", 400, graph(190)).code).toBe("reauth_required");
    expect(classifyUpstreamError("graph", 400, graph(200)).code).toBe("permission_missing");
    expect(classifyUpstreamError("graph", 400, graph(299)).code).toBe("permission_missing");
    expect(classifyUpstreamError("graph", 400, graph(17)).code).toBe("rate_limited");
    expect(classifyUpstreamError("graph", 400, graph(32)).code).toBe("rate_limited");
    // Graph's invalid parameter on a data read is the caller's input (unknown cursor, field): 400.
    expect(classifyUpstreamError("graph", 400, graph(100)).code).toBe("invalid_request");
    expect(classifyUpstreamError("token_refresh", 400, graph(100)).code).toBe("upstream_error");
    expect(classifyUpstreamError("graph", 503, "<html>").code).toBe("upstream_error");
    const flat = { error_type: "OAuthException", code: 400, error_message: "Matching code was not found" };
    expect(classifyUpstreamError("code_exchange", 400, flat).code).toBe("code_exchange_failed");
    expect(classifyUpstreamError("token_upgrade", 400, flat).code).toBe("upstream_error");
  });
});

describe("parseJsonKeepingIds", () => {
  it("keeps 17-digit ids exact where JSON.parse would round them", () => {
    const text =
      '{"access_token":"IGAAx","user_id":27640875392278831,"permissions":["instagram_business_basic"]}';
    expect(String((JSON.parse(text) as { user_id: number }).user_id)).not.toBe("27640875392278831");
    expect(parseJsonKeepingIds(text)).toEqual({
      access_token: "IGAAx",
      user_id: "27640875392278831",
      permissions: ["instagram_business_basic"],
    });
    expect(parseJsonKeepingIds('{"data":[{"id":17841400000000037, "user_id" : 1}]}')).toEqual({
      data: [{ id: "17841400000000037", user_id: "1" }],
    });
    expect(parseJsonKeepingIds('{"note":"\\"user_id\\":12","count":5}')).toEqual({
      note: '"user_id":12',
      count: 5,
    });
    expect(parseJsonKeepingIds("{not json")).toBeUndefined();
  });
});
