import { describe, expect, it } from "vitest";
import { apiFetch, newApiKey } from "../api/api-support.ts";
import { connect, freshUser, getMedia } from "../cache/connected.ts";
import { useFakeInstagram } from "../support/fake.ts";
import { relayFetch } from "../support/relay.ts";

const ctx = useFakeInstagram();

describe("error classes", () => {
  it("a well-formed but unknown paging cursor is 400 invalid_request (Graph code 100), not 502", async () => {
    const { fake } = ctx;
    const handle = await connect(fake, freshUser(fake));
    const widget = await getMedia(handle, "?limit=2&after=bm90LWEtcmVhbC1pZA");
    expect(widget.status).toBe(400);
    expect(widget.json()).toMatchObject({ error: { code: "invalid_request" } });
    const api = await apiFetch(
      `/v1/api/connections/${handle.connectionId}/media?after=bm90LWEtcmVhbC1pZA`,
      await newApiKey(),
    );
    expect(api.status).toBe(400);
  });

  it.each([
    ["POST", "/v1/connections/me", "DELETE, GET, HEAD"],
    ["PUT", "/v1/api/connections", "GET, HEAD"],
    ["POST", "/v1/api/connections/conn_AAAAAAAAAAAAAAAAAAAAAA", "DELETE, GET, HEAD, PATCH"],
    ["GET", "/v1/meta/deauthorize", "POST"],
    ["DELETE", "/v1/oauth/start", "GET, HEAD, POST"],
    ["POST", "/openapi.json", "GET, HEAD"],
  ])("%s %s is 405 method_not_allowed with Allow: %s", async (method, path, allow) => {
    const answer = await relayFetch(path, { method, headers: { "CF-Connecting-IP": "192.0.2.1" } });
    expect(answer.status).toBe(405);
    expect(answer.headers.get("Allow")).toBe(allow);
    expect(answer.json()).toMatchObject({ error: { code: "method_not_allowed" } });
  });

  it("an unknown path is still 404 not_found", async () => {
    const answer = await relayFetch("/v1/nothing-here", { method: "POST" });
    expect(answer.status).toBe(404);
    expect(answer.json()).toMatchObject({ error: { code: "not_found" } });
  });
});
