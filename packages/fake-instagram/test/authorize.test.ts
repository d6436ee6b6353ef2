import { describe, expect, it } from "vitest";
import { createFakeInstagram } from "../src/index.ts";
import { BASE, BASIC, REDIRECT_URI } from "./helpers.ts";

function authorizeUrl(params: Record<string, string>) {
  const query = new URLSearchParams({
    client_id: "fake-client-id",
    redirect_uri: REDIRECT_URI,
    response_type: "code",
    scope: `${BASIC},instagram_business_content_publish`,
    state: "st-123",
    ...params,
  });
  return `${BASE}/oauth/authorize?${query}`;
}

function decisionBody(decision: string, extra: Record<string, string> = {}) {
  return new URLSearchParams({
    client_id: "fake-client-id",
    redirect_uri: REDIRECT_URI,
    response_type: "code",
    scope: BASIC,
    state: "st-123",
    decision,
    ...extra,
  });
}

describe("GET /oauth/authorize", () => {
  it("renders a consent page with the app, an account picker, the scopes and Allow/Deny buttons", async () => {
    const fake = createFakeInstagram();
    const res = await fake.fetch(authorizeUrl({}));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain("fake-client-id");
    expect(html).toContain('<form method="post" action="/oauth/authorize">');
    expect(html).toMatch(/<button type="submit" id="allow"[^>]*>Allow<\/button>/);
    expect(html).toMatch(/<button type="submit" id="deny"[^>]*>Deny<\/button>/);
    expect(html).toContain("@jane.doe");
    expect(html).toContain("@max.creator");
    expect(html).toContain("<code>instagram_business_content_publish</code>");
    expect(html).toContain('name="state" value="st-123"');
  });

  it("an unregistered redirect_uri shows an error page and never redirects", async () => {
    const fake = createFakeInstagram();
    const res = await fake.fetch(authorizeUrl({ redirect_uri: "https://evil.example/cb" }));
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(await res.text()).toContain("Invalid redirect_uri");
  });

  it("refuses a redirect_uri that only differs by a trailing slash (exact match)", async () => {
    const fake = createFakeInstagram();
    const res = await fake.fetch(authorizeUrl({ redirect_uri: `${REDIRECT_URI}/` }));
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
  });

  it.each([
    ["an unknown client_id", { client_id: "facebook-app-id" }, "Invalid app ID"],
    ["response_type other than code", { response_type: "token" }, "Invalid response_type"],
    ["space-separated scopes", { scope: `${BASIC} instagram_business_content_publish` }, "Invalid Scopes"],
    ["deprecated short scope names", { scope: "business_basic" }, "Invalid Scopes: business_basic"],
    [
      "scopes without instagram_business_basic",
      { scope: "instagram_business_content_publish" },
      "is required",
    ],
  ])("shows an error page for %s", async (_label, params, message) => {
    const fake = createFakeInstagram();
    const res = await fake.fetch(authorizeUrl(params));
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(await res.text()).toContain(message);
  });

  it("escapes the state it renders", async () => {
    const fake = createFakeInstagram();
    const html = await (await fake.fetch(authorizeUrl({ state: '"><script>x</script>' }))).text();
    expect(html).not.toContain("<script>x</script>");
    expect(html).toContain("&quot;&gt;&lt;script&gt;");
  });
});

describe("POST /oauth/authorize", () => {
  it("Allow redirects to redirect_uri with code, state and the #_ quirk", async () => {
    const fake = createFakeInstagram();
    const res = await fake.fetch(`${BASE}/oauth/authorize`, {
      method: "POST",
      body: decisionBody("allow", { user_id: "28978671838402975" }),
    });
    expect(res.status).toBe(302);
    const location = res.headers.get("location") ?? "";
    expect(location.startsWith(`${REDIRECT_URI}?code=AQB`)).toBe(true);
    expect(location.endsWith("#_")).toBe(true);
    expect(new URL(location).searchParams.get("state")).toBe("st-123");
  });

  it("Deny redirects with the documented denial parameters and echoes state by default", async () => {
    const fake = createFakeInstagram();
    const res = await fake.fetch(`${BASE}/oauth/authorize`, { method: "POST", body: decisionBody("deny") });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location") ?? "");
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      error: "access_denied",
      error_reason: "user_denied",
      error_description: "The user denied your request",
      state: "st-123",
    });
  });

  it("Deny omits state when the fake is configured not to echo it", async () => {
    const fake = createFakeInstagram({ denialEchoesState: false });
    const res = await fake.fetch(`${BASE}/oauth/authorize`, { method: "POST", body: decisionBody("deny") });
    expect(new URL(res.headers.get("location") ?? "").searchParams.has("state")).toBe(false);
  });

  it("re-validates the posted fields: a tampered redirect_uri gets the error page", async () => {
    const fake = createFakeInstagram();
    const res = await fake.fetch(`${BASE}/oauth/authorize`, {
      method: "POST",
      body: decisionBody("allow", { redirect_uri: "https://evil.example/cb" }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
  });
});

describe("fake.approve / fake.deny", () => {
  it("approve returns the success URL; deny encodes the description with +", () => {
    const fake = createFakeInstagram();
    const ok = fake.approve({ redirectUri: REDIRECT_URI, scope: [BASIC], state: "abc" });
    expect(ok).toMatch(/^http:\/\/localhost:8787\/v1\/oauth\/callback\?code=AQB[A-Za-z0-9]+&state=abc#_$/);
    const denied = fake.deny({ redirectUri: REDIRECT_URI, state: "abc", echoState: false });
    expect(denied).toBe(
      `${REDIRECT_URI}?error=access_denied&error_reason=user_denied&error_description=The+user+denied+your+request#_`,
    );
  });

  it("approve throws for an unregistered redirect URI or an unknown user", () => {
    const fake = createFakeInstagram();
    expect(() => fake.approve({ redirectUri: "https://evil.example/cb", scope: BASIC })).toThrow(
      /redirect_uri/,
    );
    expect(() => fake.approve({ redirectUri: REDIRECT_URI, scope: BASIC, userId: "nobody" })).toThrow(
      /unknown user/,
    );
  });
});
