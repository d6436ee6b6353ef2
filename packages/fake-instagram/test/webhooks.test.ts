import { describe, expect, it } from "vitest";
import { buildWebhookPayload, createControlApi, createFakeInstagram, signWebhookBody } from "../src/index.ts";

const CALLBACK = "https://relay.example.test/v1/instagram/webhooks";

async function hmacHex(body: string, secret: string) {
  return (await signWebhookBody(body, secret)).slice("sha256=".length);
}

/** A receiver that records what it got and checks the signature the way the relay will. */
function receiver(secret: string) {
  const got: { body: string; signature: string | null; valid: boolean; url: string; method: string }[] = [];
  const fetch = async (request: Request) => {
    const url = new URL(request.url);
    if (request.method === "GET") {
      const ok =
        url.searchParams.get("hub.mode") === "subscribe" && url.searchParams.get("hub.verify_token") === "vt";
      return ok ? new Response(url.searchParams.get("hub.challenge")) : new Response("no", { status: 403 });
    }
    const body = await request.text();
    const signature = request.headers.get("x-hub-signature-256");
    const valid = signature === `sha256=${await hmacHex(body, secret)}`;
    got.push({ body, signature, valid, url: request.url, method: request.method });
    return new Response(valid ? "ok" : "bad signature", { status: valid ? 200 : 401 });
  };
  return { fetch, got };
}

describe("webhooks", () => {
  it("buildWebhookPayload / signWebhookBody produce Meta's shape and a sha256 HMAC of the raw body", async () => {
    const payload = buildWebhookPayload({
      igUserId: "17841400000000037",
      field: "mentions",
      value: { media_id: "1", comment_id: "2" },
      time: 1_700_000_000,
    });
    expect(payload).toEqual({
      object: "instagram",
      entry: [
        {
          id: "17841400000000037",
          time: 1_700_000_000,
          changes: [{ field: "mentions", value: { media_id: "1", comment_id: "2" } }],
        },
      ],
    });
    // RFC 4231 test case 2: HMAC-SHA256("Jefe", "what do ya want for nothing?").
    expect(await signWebhookBody("what do ya want for nothing?", "Jefe")).toBe(
      "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
  });

  it("sendWebhook delivers a signed comments change built from the fake's own comment", async () => {
    const r = receiver("app-secret");
    const fake = createFakeInstagram({
      clientSecret: "app-secret",
      outboundFetch: r.fetch,
      webhookCallbackUrl: CALLBACK,
      now: () => 1_800_000_000_000,
    });
    const media = fake.users[0]?.media[0];
    const comment = fake.addComment({ mediaId: media?.id ?? "", text: "Hi @jane.doe", username: "fan" });
    const result = await fake.sendWebhook({ commentId: comment.id });
    expect(result).toEqual({ status: 200, body: "ok" });
    expect(r.got).toHaveLength(1);
    const delivered = JSON.parse(r.got[0]?.body ?? "{}");
    expect(delivered).toEqual({
      object: "instagram",
      entry: [
        {
          id: fake.users[0]?.userId,
          time: Math.floor(fake.clock.now() / 1000),
          changes: [
            {
              field: "comments",
              value: {
                id: comment.id,
                text: "Hi @jane.doe",
                from: { id: comment.from.id, username: "fan" },
                media: { id: media?.id, media_product_type: "FEED" },
              },
            },
          ],
        },
      ],
    });
    expect(r.got[0]?.signature).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it("can forge: a wrong key or no signature header, for the receiver's refusal tests", async () => {
    const r = receiver("app-secret");
    const fake = createFakeInstagram({ clientSecret: "app-secret", outboundFetch: r.fetch });
    const invalid = await fake.sendWebhook({
      callbackUrl: CALLBACK,
      field: "comments",
      value: { id: "1" },
      signature: "invalid",
    });
    const missing = await fake.sendWebhook({
      callbackUrl: CALLBACK,
      field: "comments",
      value: { id: "1" },
      signature: "missing",
    });
    expect([invalid.status, missing.status]).toEqual([401, 401]);
    expect(r.got.map((g) => g.signature === null)).toEqual([false, true]);
    const built = await fake.webhook({ userId: "max.creator", field: "mentions", value: { media_id: "5" } });
    expect(JSON.parse(built.body).entry[0].id).toBe(fake.users[1]?.userId);
    expect(built.headers["x-hub-signature-256"]).toBe(await signWebhookBody(built.body, "app-secret"));
  });

  it("verifyWebhook calls hub.mode/hub.challenge/hub.verify_token and checks the echo", async () => {
    const r = receiver("s");
    const fake = createFakeInstagram({ outboundFetch: r.fetch });
    expect(
      await fake.verifyWebhook({ callbackUrl: CALLBACK, verifyToken: "vt", challenge: "1158201444" }),
    ).toEqual({
      status: 200,
      body: "1158201444",
      ok: true,
    });
    const wrong = await fake.verifyWebhook({ callbackUrl: CALLBACK, verifyToken: "nope" });
    expect(wrong).toMatchObject({ status: 403, ok: false });
  });

  it("the control API sends and verifies webhooks, adds comments and tunes publishing", async () => {
    const r = receiver("fake-client-secret");
    const fake = createFakeInstagram({ outboundFetch: r.fetch });
    const control = createControlApi(fake);
    const post = (path: string, body: unknown) =>
      control.request(path, {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "content-type": "application/json" },
      });
    const mediaId = fake.users[0]?.media[0]?.id;
    const added = (await (await post("/comments", { mediaId, text: "Nice", username: "fan" })).json()) as {
      id: string;
    };
    const sent = await post("/webhooks/send", { callbackUrl: CALLBACK, commentId: added.id });
    expect(await sent.json()).toEqual({ status: 200, body: "ok" });
    expect(r.got[0]?.valid).toBe(true);
    const verified = await post("/webhooks/verify", {
      callbackUrl: CALLBACK,
      verifyToken: "vt",
      challenge: "42",
    });
    expect(await verified.json()).toEqual({ status: 200, body: "42", ok: true });
    expect((await post("/webhooks/send", { field: "comments" })).status).toBe(400);
    expect((await post("/publishing", { delayMs: 0, limit: 3, failNext: { subcode: 2207053 } })).status).toBe(
      200,
    );
    expect(await (await control.request("/containers")).json()).toEqual([]);
    expect((await post("/faults", { endpoint: "cdn", kind: "oversized", bytes: 10 })).status).toBe(200);
    expect(fake.faults.pending).toBe(1);
    expect(await (await control.request("/requests")).json()).toEqual([]);
  });
});
