import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { useFakeInstagram } from "./support/fake.ts";
import { newAttempt, pollAttempt, postedMessage, startPath } from "./support/flow.ts";
import { RELAY, relayFetch, SITE, siteNavigation } from "./support/relay.ts";

const ctx = useFakeInstagram();

/** The confirmation page's form fields, as the browser would post them. */
function formOf(html: string): URLSearchParams {
  const form = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(match[1] ?? "", (match[2] ?? "").replaceAll("&amp;", "&"));
  }
  return form;
}

const relayPagePost = { "Content-Type": "application/x-www-form-urlencoded", Origin: RELAY };

// Generous timeouts: the first start in a file boots Durable Objects on a shared, loaded machine.
describe("S30: a start belongs to the site that started it", { timeout: 30_000 }, () => {
  it("S30: a navigation from the claimed site's page goes straight to Instagram", async () => {
    const response = await relayFetch(startPath(await newAttempt()), { headers: siteNavigation(SITE) });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^https:\/\/fake\.instagram\.test\/oauth\/authorize\?/);
  });

  it.each([
    ["another site's page", siteNavigation("https://evil.example")],
    ["no Referer (no-referrer policy)", { ...siteNavigation(SITE), Referer: "" }],
    ["a typed URL", { ...siteNavigation(SITE), "Sec-Fetch-Site": "none" }],
    ["a frame on the site", { ...siteNavigation(SITE), "Sec-Fetch-Dest": "iframe" }],
    [
      "a fetch from the site",
      { ...siteNavigation(SITE), "Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty" },
    ],
    ["a lookalike Referer", { ...siteNavigation(SITE), Referer: "https://app.example.com.evil.com/" }],
  ])("S30: %s gets the confirmation page naming the site; nothing is opened", async (_name, headers) => {
    const attempt = await newAttempt();
    const response = await relayFetch(startPath(attempt), { headers });
    expect(response.status).toBe(200);
    expect(response.text).toContain(`<strong>${SITE}</strong> wants to connect your Instagram account`);
    const csp = response.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self' https://fake.instagram.test");
    expect(response.headers.get("X-Frame-Options")).toBe("DENY");
    expect(response.headers.get("Set-Cookie")).toBeNull();
    // The starter's verifier learns nothing: no flow exists (no cookie, no state) until the user
    // clicks, and the attempt reads exactly as one never used.
    expect((await pollAttempt(attempt)).json()).toEqual({ status: "pending", expiresAt: expect.any(String) });
  });

  it("S30: the user's click (a POST from the relay's own page) continues; the result reaches only the claimed site", async () => {
    const { fake } = ctx;
    const attempt = await newAttempt();
    const page = await relayFetch(startPath(attempt), { headers: siteNavigation("https://evil.example") });
    const confirmed = await relayFetch("/v1/oauth/start", {
      method: "POST",
      headers: relayPagePost,
      body: formOf(page.text),
    });
    expect(confirmed.status).toBe(302);
    expect((await pollAttempt(attempt)).json()).toMatchObject({ status: "pending" });
    const authorize = new URL(confirmed.headers.get("Location") ?? "");
    const cookie = (confirmed.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
    const callbackUrl = fake.approve({
      redirectUri: env.INSTAGRAM_REDIRECT_URI,
      scope: authorize.searchParams.get("scope") ?? "",
      state: authorize.searchParams.get("state") ?? "",
    });
    const done = await relayFetch(callbackUrl.replace(/^https:\/\/[^/]+/, ""), {
      headers: { Cookie: cookie },
    });
    expect(postedMessage(done.text).targetOrigin).toBe(SITE);
  });

  it.each([
    [
      "another site's form",
      { ...relayPagePost, Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" },
    ],
    ["no Origin and no Sec-Fetch-Site", { "Content-Type": "application/x-www-form-urlencoded" }],
  ])("S30: a confirmation POST from %s is refused and opens nothing", async (_name, headers) => {
    const attempt = await newAttempt();
    const page = await relayFetch(startPath(attempt), { headers: siteNavigation("https://evil.example") });
    const response = await relayFetch("/v1/oauth/start", {
      method: "POST",
      headers,
      body: formOf(page.text),
    });
    expect(response.status).toBe(400);
    expect(response.text).toContain('data-error-code="invalid_request"');
    expect(response.headers.get("Set-Cookie")).toBeNull();
    expect((await pollAttempt(attempt)).json()).toEqual({ status: "pending", expiresAt: expect.any(String) });
  });

  it("S30: a confirmation POST is validated like a start (a foreign origin is refused)", async () => {
    const form = new URLSearchParams(new URL(startPath(await newAttempt()), RELAY).search);
    form.set("origin", "https://evil.example");
    const response = await relayFetch("/v1/oauth/start", {
      method: "POST",
      headers: relayPagePost,
      body: form,
    });
    expect(response.status).toBe(400);
    expect(response.text).toContain('data-error-code="origin_not_allowed"');
  });
});
