import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { useFakeInstagram } from "./support/fake.ts";
import { approve, callback, pollAttempt, postedMessage, startFlow } from "./support/flow.ts";
import { capturedLogs, findLeaks, registeredSecretCount } from "./support/leak-collector.ts";
import { relayFetch } from "./support/relay.ts";

const ctx = useFakeInstagram();

describe("S6: secrets stay out of responses and logs", () => {
  it("S6: no response body, Location or log line carries the client secret or an issued token", async () => {
    const { fake } = ctx;
    // Popup success, redirect success, reconnect, denial, upstream failure, disconnect.
    const popup = await startFlow();
    const page = await callback(approve(fake, popup), popup.cookie);
    const { message } = postedMessage(page.text);
    await pollAttempt(popup.attempt);
    const redirect = await startFlow({ mode: "redirect" });
    await callback(approve(fake, redirect, "max.creator"), redirect.cookie);
    await pollAttempt(redirect.attempt);
    const denied = await startFlow();
    await callback(
      fake.deny({ redirectUri: env.INSTAGRAM_REDIRECT_URI, state: denied.state }),
      denied.cookie,
    );
    fake.faults.inject({ endpoint: "me", kind: "token_revoked" });
    const failing = await startFlow();
    await callback(approve(fake, failing), failing.cookie);
    if (message.result.ok) {
      const headers = { Authorization: `Bearer ${message.result.handle.credential}` };
      await relayFetch("/v1/connections/me", { headers });
      await relayFetch("/v1/connections/me", { method: "DELETE", headers });
    }

    // The client secret plus the short- and long-lived tokens of three successful exchanges.
    expect(registeredSecretCount()).toBeGreaterThanOrEqual(7);
    expect(capturedLogs().length).toBeGreaterThan(0);
    expect(capturedLogs().some((line) => line.includes('"event":"oauth_completed"'))).toBe(true);
    expect(findLeaks()).toEqual([]);
  }, 30_000);

  it("S6: tokens go to Instagram in the Authorization header; only the long-lived exchange has the secret in its URL", async () => {
    const { fake } = ctx;
    const popup = await startFlow();
    const { message } = postedMessage((await callback(approve(fake, popup), popup.cookie)).text);
    expect(message.result.ok).toBe(true);
    if (message.result.ok) {
      const headers = { Authorization: `Bearer ${message.result.handle.credential}` };
      expect((await relayFetch("/v1/connections/me/media", { headers })).status).toBe(200);
    }
    const requests = fake.requests();
    const graph = requests.filter((request) => !request.url.includes("/oauth/access_token"));
    expect(graph.map((request) => new URL(request.url).pathname)).toEqual(
      expect.arrayContaining([
        "/access_token",
        expect.stringMatching(/\/me$/),
        expect.stringMatching(/\/me\/media$/),
      ]),
    );
    for (const request of requests) {
      const url = new URL(request.url);
      expect(url.searchParams.has("access_token"), request.url).toBe(false);
      const exchange = url.pathname === "/access_token";
      expect(url.searchParams.has("client_secret"), request.url).toBe(exchange);
    }
    for (const request of graph) expect(request.authorizationHeader, request.url).toBe(true);
  }, 30_000);
});
