import { env } from "cloudflare:workers";
import {
  base64UrlEncode,
  corruptSignedRequestSignature,
  signedRequestWithAlgorithm,
  tamperSignedRequest,
} from "@instagram-connect/fake-instagram";
import type { DataDeletionResponse, DeletionStatusResponse } from "@instagram-connect/types";
import { describe, expect, it } from "vitest";
import { verifySignedRequest } from "../../src/meta/signed-request.ts";
import {
  auditNames,
  connectUser,
  keysMentioning,
  T0,
  useEmptyKv,
  widgetStatus,
} from "../refresh/lifecycle-helpers.ts";
import { useFakeInstagram } from "../support/fake.ts";
import { relayFetch } from "../support/relay.ts";

const ctx = useFakeInstagram({ now: () => T0 });
useEmptyKv();

const JANE = { id: "27640875392278831", userId: "17841477965412211" };
const NOW_S = Math.floor(T0 / 1000);

function postForm(
  path: string,
  form: Record<string, string>,
  contentType = "application/x-www-form-urlencoded",
) {
  return relayFetch(path, {
    method: "POST",
    headers: { "Content-Type": contentType },
    body: new URLSearchParams(form).toString(),
  });
}

function deauthorize(signedRequest: string) {
  return postForm("/v1/meta/deauthorize", { signed_request: signedRequest });
}

function requestDeletion(signedRequest: string) {
  return postForm("/v1/meta/data-deletion", { signed_request: signedRequest });
}

/** Everything stored for Jane apart from the audit trail (kept without personal data). */
async function janeData(connectionId: string): Promise<string[]> {
  return (await keysMentioning(connectionId, JANE.id, JANE.userId)).filter(
    (name) => !name.startsWith("audit:"),
  );
}

/** Signs raw JSON text as Meta does (for payloads JSON.stringify cannot produce). */
async function signRaw(json: string, secret: string): Promise<string> {
  const payload = base64UrlEncode(json);
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const signature = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(payload));
  return `${base64UrlEncode(new Uint8Array(signature))}.${payload}`;
}

describe("POST /v1/meta/deauthorize", () => {
  it.each([
    ["professional user_id", JANE.userId],
    ["app-scoped id", JANE.id],
  ])("deletes the token, credential and every index when Meta names the %s", async (_, userId) => {
    const { fake } = ctx;
    const handle = await connectUser(fake);
    expect((await janeData(handle.connectionId)).length).toBeGreaterThan(0);
    const response = await deauthorize(await fake.signedRequest({ userId }));
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ received: true });
    expect(await janeData(handle.connectionId)).toEqual([]);
    expect(await widgetStatus(handle)).toBe("http_401");
    expect(await auditNames(handle.connectionId)).toEqual(["connected", "deauthorized"]);
  });

  it("answers 200 for an account it never stored, and deletes nobody else", async () => {
    const { fake } = ctx;
    const handle = await connectUser(fake);
    const response = await deauthorize(await fake.signedRequest({ userId: "17841499999999999" }));
    expect(response.status).toBe(200);
    expect(await widgetStatus(handle)).toBe("active");
  });

  it("reads a 17-digit user_id sent as a bare JSON number exactly", async () => {
    const { fake } = ctx;
    const handle = await connectUser(fake);
    const raw = `{"algorithm":"HMAC-SHA256","issued_at":${NOW_S},"user_id":${JANE.userId}}`;
    expect(String((JSON.parse(raw) as { user_id: number }).user_id)).not.toBe(JANE.userId);
    expect((await deauthorize(await signRaw(raw, env.INSTAGRAM_CLIENT_SECRET))).status).toBe(200);
    expect(await janeData(handle.connectionId)).toEqual([]);
  });
});

describe("refused signed requests delete nothing", () => {
  const cases: [string, () => Promise<string>][] = [
    [
      "a forged payload (user_id swapped, old signature)",
      async () =>
        tamperSignedRequest(await ctx.fake.signedRequest({ userId: "17841400000000037" }), {
          user_id: JANE.userId,
        }),
    ],
    [
      "a corrupted signature",
      async () => corruptSignedRequestSignature(await ctx.fake.signedRequest({ userId: JANE.userId })),
    ],
    [
      "another app's secret",
      () => ctx.fake.signedRequest({ userId: JANE.userId, secret: "another-app-secret-123" }),
    ],
    [
      "a correctly signed HMAC-SHA1 algorithm claim",
      () =>
        signedRequestWithAlgorithm(
          { issued_at: NOW_S, user_id: JANE.userId },
          "HMAC-SHA1",
          env.INSTAGRAM_CLIENT_SECRET,
        ),
    ],
    [
      "a lower-case algorithm name",
      () =>
        signedRequestWithAlgorithm(
          { issued_at: NOW_S, user_id: JANE.userId },
          "hmac-sha256",
          env.INSTAGRAM_CLIENT_SECRET,
        ),
    ],
    [
      "a stale issued_at (2 hours old)",
      () => ctx.fake.signedRequest({ userId: JANE.userId, issuedAt: NOW_S - 7200 }),
    ],
    [
      "an issued_at an hour in the future",
      () => ctx.fake.signedRequest({ userId: JANE.userId, issuedAt: NOW_S + 3600 }),
    ],
    [
      "a passed expires",
      () => ctx.fake.signedRequest({ userId: JANE.userId, extra: { expires: NOW_S - 10 } }),
    ],
    ["three segments", async () => `${await ctx.fake.signedRequest({ userId: JANE.userId })}.x`],
    ["no payload", async () => (await ctx.fake.signedRequest({ userId: JANE.userId })).split(".")[0] ?? ""],
    ["non-base64url text", async () => "!!!.???"],
  ];

  it.each(cases)("deauthorize: %s -> 400 invalid_signed_request", async (_, build) => {
    const handle = await connectUser(ctx.fake);
    const response = await deauthorize(await build());
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: "invalid_signed_request" } });
    expect(await widgetStatus(handle)).toBe("active");
    expect(await auditNames(handle.connectionId)).toEqual(["connected"]);
  });

  it.each(cases)("data deletion: %s -> 400, no deletion record", async (_, build) => {
    const handle = await connectUser(ctx.fake);
    const response = await requestDeletion(await build());
    expect(response.status).toBe(400);
    expect(await widgetStatus(handle)).toBe("active");
    expect((await env.CONNECTIONS.list({ prefix: "deletion:" })).keys).toEqual([]);
  });

  it("refuses a missing, empty or repeated field and a non-form body", async () => {
    const valid = await ctx.fake.signedRequest({ userId: JANE.userId });
    const handle = await connectUser(ctx.fake);
    const answers = [
      await postForm("/v1/meta/deauthorize", {}),
      await postForm("/v1/meta/deauthorize", { signed_request: "" }),
      await relayFetch("/v1/meta/deauthorize", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: `signed_request=${valid}&signed_request=${valid}`,
      }),
      await postForm("/v1/meta/deauthorize", { signed_request: valid }, "application/json"),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400, 400]);
    expect(await widgetStatus(handle)).toBe("active");
  });

  it("accepts an issued_at within the small clock skew", async () => {
    const payload = await verifySignedRequest(
      await ctx.fake.signedRequest({ userId: JANE.userId, issuedAt: NOW_S + 60 }),
      env.INSTAGRAM_CLIENT_SECRET,
      { nowMs: T0, maxAgeMs: 3_600_000 },
    );
    expect(payload).toEqual({ ok: true, value: { userId: JANE.userId, issuedAt: NOW_S + 60 } });
  });
});

describe("POST /v1/meta/data-deletion and the status page", () => {
  it("S8: deletes the account's data and answers a status URL whose page shows the state", async () => {
    const { fake } = ctx;
    const handle = await connectUser(fake);
    const response = await requestDeletion(await fake.signedRequest({ userId: JANE.userId }));
    expect(response.status).toBe(200);
    const body = response.json<DataDeletionResponse>();
    expect(body.confirmation_code).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(body.url).toBe(`https://relay.test/v1/meta/deletion-status/${body.confirmation_code}`);
    expect(await janeData(handle.connectionId)).toEqual([]);
    expect(await auditNames(handle.connectionId)).toEqual(["connected", "deleted"]);

    const page = await relayFetch(new URL(body.url).pathname);
    expect(page.status).toBe(200);
    expect(page.headers.get("Content-Type")).toContain("text/html");
    const csp = page.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get("X-Frame-Options")).toBe("DENY");
    expect(page.headers.get("Cache-Control")).toBe("no-store");
    expect(page.text).not.toContain("<script");
    expect(page.text).toContain('data-deletion-status="completed"');
    expect(page.text).toContain(body.confirmation_code);
    expect(page.text).toContain("has been deleted");
    expect(page.text).not.toContain("jane.doe");

    const json = await relayFetch(new URL(body.url).pathname, { headers: { Accept: "application/json" } });
    expect(json.json<DeletionStatusResponse>()).toEqual({
      confirmationCode: body.confirmation_code,
      status: "completed",
      dataFound: true,
      requestedAt: new Date(T0).toISOString(),
      completedAt: new Date(T0).toISOString(),
    });
  });

  it("issues a code for an account it never stored: completed, nothing stored", async () => {
    const { fake } = ctx;
    const response = await requestDeletion(await fake.signedRequest({ userId: "17841499999999999" }));
    expect(response.status).toBe(200);
    const { url } = response.json<DataDeletionResponse>();
    const page = await relayFetch(new URL(url).pathname);
    expect(page.text).toContain("nothing to delete");
    const json = await relayFetch(new URL(url).pathname, { headers: { Accept: "application/json" } });
    expect(json.json<DeletionStatusResponse>().dataFound).toBe(false);
  });

  it("an unknown or malformed code is a 404 page, or deletion_not_found as JSON", async () => {
    for (const code of ["AAAAAAAAAAAAAAAAAAAAAA", "not-a-code", "%3Cscript%3E"]) {
      const page = await relayFetch(`/v1/meta/deletion-status/${code}`);
      expect(page.status).toBe(404);
      expect(page.text).toContain('data-error-code="deletion_not_found"');
      expect(page.text).not.toContain("<script");
      const json = await relayFetch(`/v1/meta/deletion-status/${code}`, {
        headers: { Accept: "application/json" },
      });
      expect(json.status).toBe(404);
      expect(json.json()).toMatchObject({ error: { code: "deletion_not_found" } });
    }
  });
});
