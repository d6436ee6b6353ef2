import { env, exports } from "cloudflare:workers";
import { verifyWebhook } from "@instagram-connect/client";
import type { WebhookEvent } from "@instagram-connect/types";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { useFakeInstagram } from "../support/fake.ts";
import { RELAY } from "../support/relay.ts";
import { webhookReceiver } from "../support/webhook-receiver.ts";
import { connectWithScopes } from "./action-support.ts";

const CALLBACK = `${RELAY}/v1/instagram/webhooks`;
const VERIFY_TOKEN = String(Reflect.get(env, "INSTAGRAM_WEBHOOK_VERIFY_TOKEN"));
// The fake sends its webhooks straight into the relay's real default export.
const ctx = useFakeInstagram({
  webhookCallbackUrl: CALLBACK,
  outboundFetch: (request: Request) => exports.default.fetch(request),
});

/** A fresh account (so comment ids and connections differ from other tests'), connected with every scope. */
async function connectNewAccount() {
  const user = ctx.fake.addUser();
  return { user, connectionId: await connectWithScopes(ctx.fake, undefined, user.id) };
}

/** A visitor's (or `username`'s) comment on the account's first commented media. */
function visitorComment(user: { media: { id: string; commentsCount: number }[] }, username = "visitor") {
  const media = user.media.find((item) => item.commentsCount > 0);
  if (!media) throw new Error("no media");
  return ctx.fake.addComment({ mediaId: media.id, text: "Love it", username });
}

/** instagram.comment events delivered so far about one of `commentIds`. */
function eventsAbout(...commentIds: string[]): WebhookEvent[] {
  return webhookReceiver.deliveries
    .map((delivery) => JSON.parse(delivery.body) as WebhookEvent)
    .filter((event) => event.type === "instagram.comment")
    .filter((event) => commentIds.includes(String(event.data.instagram?.value.id)));
}

/** Waits until the genuine comment's event arrived (the outbox delivers in order per connection). */
async function arrived(commentId: string): Promise<void> {
  await vi.waitFor(() => expect(eventsAbout(commentId)).toHaveLength(1), { timeout: 10_000 });
}

describe("Instagram webhooks: GET /v1/instagram/webhooks (verification)", () => {
  it("echoes hub.challenge for the configured verify token, 403 otherwise", async () => {
    const good = await ctx.fake.verifyWebhook({ verifyToken: VERIFY_TOKEN });
    expect(good.ok).toBe(true);
    const wrong = await ctx.fake.verifyWebhook({ verifyToken: "not-the-token" });
    expect(wrong.status).toBe(403);
    const mode = await ctx.fake.verifyWebhook({
      verifyToken: VERIFY_TOKEN,
      mode: "unsubscribe",
    });
    expect(mode.status).toBe(403);
    const markup = await exports.default.fetch(
      `${CALLBACK}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=%3Cscript%3E`,
    );
    expect(markup.status).toBe(403);
  });
});

describe("Instagram webhooks: POST /v1/instagram/webhooks (deliveries)", () => {
  // Each test's fresh fake hands out the same ids again: forget what earlier tests forwarded.
  beforeEach(async () => {
    const seen = await env.CONNECTIONS.list({ prefix: "igseen:" });
    await Promise.all(seen.keys.map((key) => env.CONNECTIONS.delete(key.name)));
    webhookReceiver.reset();
  });

  it("a signed comment webhook reaches the app as our signed instagram.comment webhook", async () => {
    const { user, connectionId } = await connectNewAccount();
    // An end user recorded on the connection (connect sessions) travels with the event.
    const key = `conn:${connectionId}`;
    const stored = await env.CONNECTIONS.get<Record<string, unknown>>(key, "json");
    await env.CONNECTIONS.put(key, JSON.stringify({ ...stored, endUserId: "user_42" }));
    const comment = visitorComment(user);
    const sent = await ctx.fake.sendWebhook({ commentId: comment.id });
    expect(sent.status).toBe(200);
    await arrived(comment.id);
    const [event] = eventsAbout(comment.id);
    expect(event?.data).toMatchObject({
      connectionId,
      instagramUserId: user.userId,
      owner: { endUserId: "user_42" },
      instagram: {
        field: "comments",
        value: { id: comment.id, text: "Love it", from: { username: "visitor" } },
      },
    });
    const delivery = webhookReceiver.deliveries.find((item) => item.body.includes(comment.id));
    const verified = await verifyWebhook({
      secret: String(Reflect.get(env, "WEBHOOK_SECRET")),
      body: delivery?.body ?? "",
      headers: delivery?.headers ?? new Headers(),
    });
    expect(verified.ok).toBe(true);
    // Meta retries: the same comment is not forwarded twice.
    expect((await ctx.fake.sendWebhook({ commentId: comment.id })).status).toBe(200);
    const later = visitorComment(user);
    await ctx.fake.sendWebhook({ commentId: later.id });
    await arrived(later.id);
    expect(eventsAbout(comment.id)).toHaveLength(1);
  });

  it("a forged or unsigned delivery is 401 and nothing is fanned out", async () => {
    const { user, connectionId } = await connectNewAccount();
    const forged = visitorComment(user);
    expect((await ctx.fake.sendWebhook({ commentId: forged.id, signature: "invalid" })).status).toBe(401);
    expect((await ctx.fake.sendWebhook({ commentId: forged.id, signature: "missing" })).status).toBe(401);
    expect((await ctx.fake.sendWebhook({ commentId: forged.id, secret: "another-app-secret" })).status).toBe(
      401,
    );
    // A genuine delivery afterwards is the only one that arrives.
    const genuine = visitorComment(user);
    expect((await ctx.fake.sendWebhook({ commentId: genuine.id })).status).toBe(200);
    await arrived(genuine.id);
    expect(eventsAbout(forged.id)).toHaveLength(0);
    expect(eventsAbout(genuine.id)[0]?.data.connectionId).toBe(connectionId);
  });

  it("acknowledges unknown accounts and the account's own comments with 200 and forwards nothing", async () => {
    const { user, connectionId } = await connectNewAccount();
    const stranger = ctx.fake.addUser();
    const strangerComment = visitorComment(stranger);
    expect((await ctx.fake.sendWebhook({ commentId: strangerComment.id })).status).toBe(200);
    const ownValue = {
      id: "17999999999999001",
      text: "thanks",
      from: { id: user.userId, username: user.username, self_ig_scoped_id: user.userId },
      media: { id: user.media[0]?.id, media_product_type: "FEED" },
    };
    const own = await ctx.fake.sendWebhook({ userId: user.userId, field: "comments", value: ownValue });
    expect(own.status).toBe(200);
    const genuine = visitorComment(user);
    await ctx.fake.sendWebhook({ commentId: genuine.id });
    await arrived(genuine.id);
    expect(eventsAbout(genuine.id)[0]?.data.connectionId).toBe(connectionId);
    expect(eventsAbout(strangerComment.id, ownValue.id)).toHaveLength(0);
  });
});
