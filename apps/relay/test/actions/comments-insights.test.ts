import { exports } from "cloudflare:workers";
import { createRelayClient } from "@instagram-connect/client";
import { ACCOUNT_METRICS } from "@instagram-connect/fake-instagram";
import type { ErrorBody } from "@instagram-connect/types";
import { describe, expect, it } from "vitest";
import { ACCOUNT_METRIC_RULES, allowedMetrics } from "../../src/actions/insight-metrics.ts";
import { apiFetch, newApiKey } from "../api/api-support.ts";
import { useFakeInstagram } from "../support/fake.ts";
import { RELAY } from "../support/relay.ts";
import { connectWithScopes } from "./action-support.ts";

const ctx = useFakeInstagram();

/** A media of `user` with seeded comments (and replies on its newest comment). */
function commentedMedia(user: { media: { id: string; commentsCount: number }[] } | undefined): string {
  const media = user?.media.find((item) => item.commentsCount >= 3);
  if (!media) throw new Error("no commented media");
  return media.id;
}

/** The typed client, talking to the relay's real default export. */
async function client(operations = ["comments:read", "comments:write", "insights:read"] as const) {
  return createRelayClient({
    baseUrl: RELAY,
    apiKey: await newApiKey([...operations]),
    fetch: (input, init) => exports.default.fetch(new Request(input, init)),
  });
}

describe("comments through the client", () => {
  it("lists comments and replies, replies, hides, unhides, deletes and turns comments off", async () => {
    const { fake } = ctx;
    const connectionId = await connectWithScopes(fake);
    const mediaId = commentedMedia(fake.users[0]);
    const relay = await client();
    const page = await relay.listComments(connectionId, mediaId, { limit: 2 });
    if (!page.ok) throw new Error(page.error.code);
    expect(page.data.items).toHaveLength(2);
    expect(page.data.nextCursor).not.toBeNull();
    const comment = page.data.items[0];
    if (!comment) throw new Error("no comment");
    expect(comment).toMatchObject({ id: expect.stringMatching(/^\d+$/), text: expect.any(String) });

    const reply = await relay.replyToComment(connectionId, comment.id, "Thanks!");
    expect(reply.ok && reply.status).toBe(201);
    const replies = await relay.listReplies(connectionId, comment.id, { limit: 50 });
    expect(replies.ok && replies.data.items.map((item) => item.text)).toContain("Thanks!");
    expect(fake.comments(mediaId).find((item) => item.text === "Thanks!")?.parentId).toBe(comment.id);

    expect((await relay.setCommentHidden(connectionId, comment.id, true)).ok).toBe(true);
    expect(fake.comments(mediaId).find((item) => item.id === comment.id)?.hidden).toBe(true);
    expect((await relay.setCommentHidden(connectionId, comment.id, false)).ok).toBe(true);
    expect(fake.comments(mediaId).find((item) => item.id === comment.id)?.hidden).toBe(false);
    expect((await relay.deleteComment(connectionId, comment.id)).ok).toBe(true);
    expect(fake.comments(mediaId).some((item) => item.id === comment.id)).toBe(false);
    expect((await relay.setCommentsEnabled(connectionId, mediaId, false)).ok).toBe(true);
    expect(fake.users[0]?.media.find((item) => item.id === mediaId)?.commentEnabled).toBe(false);
  });

  it("another account's comment or media is 404 instagram_object_not_found; nothing changes", async () => {
    const { fake } = ctx;
    const connectionId = await connectWithScopes(fake);
    const foreignMedia = commentedMedia(fake.users[1]);
    const foreignComment = fake.comments(foreignMedia)[0];
    if (!foreignComment) throw new Error("no foreign comment");
    const relay = await client();
    for (const result of [
      await relay.replyToComment(connectionId, foreignComment.id, "spam"),
      await relay.setCommentHidden(connectionId, foreignComment.id, true),
      await relay.deleteComment(connectionId, foreignComment.id),
      await relay.listReplies(connectionId, foreignComment.id),
      await relay.listComments(connectionId, foreignMedia),
    ]) {
      expect(result.status).toBe(404);
      expect(result.error?.code).toBe("instagram_object_not_found");
    }
    expect(fake.comments(foreignMedia).find((item) => item.id === foreignComment.id)?.hidden).toBe(false);
  });

  it("refuses a malformed comment id (400) and an account without the comments scope (403 permission_missing)", async () => {
    const apiKey = await newApiKey(["comments:read"]);
    const connectionId = await connectWithScopes(ctx.fake, "instagram_business_basic");
    const malformed = await apiFetch(`/v1/api/connections/${connectionId}/comments/abc/replies`, apiKey);
    expect(malformed.status).toBe(400);
    const mediaId = ctx.fake.users[0]?.media[0]?.id ?? "";
    const missing = await apiFetch(`/v1/api/connections/${connectionId}/media/${mediaId}/comments`, apiKey);
    expect(missing.status).toBe(403);
    expect(missing.json<ErrorBody>().error.code).toBe("permission_missing");
  });
});

describe("insights through the client", () => {
  it("reads account and media insights, cached per account", async () => {
    const { fake } = ctx;
    const connectionId = await connectWithScopes(fake);
    const relay = await client();
    const account = await relay.getInsights(connectionId, {
      metrics: ["reach", "views"],
      period: "day",
      metricType: "total_value",
    });
    if (!account.ok) throw new Error(account.error.code);
    expect(account.data.metrics.map((metric) => metric.name)).toEqual(["reach", "views"]);
    expect(account.data.metrics[0]?.totalValue?.value).toEqual(expect.any(Number));
    const calls = fake.calls.filter((call) => call.endpoint === "insights").length;
    const again = await relay.getInsights(connectionId, {
      metrics: ["reach", "views"],
      period: "day",
      metricType: "total_value",
    });
    expect(again.ok && again.data).toEqual(account.data);
    expect(fake.calls.filter((call) => call.endpoint === "insights")).toHaveLength(calls);

    const mediaId = fake.users[0]?.media[0]?.id ?? "";
    const media = await relay.getMediaInsights(connectionId, mediaId, { metrics: ["reach", "likes"] });
    if (!media.ok) throw new Error(media.error.code);
    expect(media.data.metrics.map((metric) => metric.name)).toEqual(["reach", "likes"]);
  });

  it("takes metric names only from the configured version's allowlist (impressions is gone in v22+)", async () => {
    const connectionId = await connectWithScopes(ctx.fake);
    const relay = await client();
    const calls = ctx.fake.calls.length;
    for (const metrics of [["impressions"], ["reach", "not_a_metric"]]) {
      const refused = await relay.getInsights(connectionId, { metrics, period: "day" });
      expect(refused.status, metrics.join()).toBe(400);
      expect(refused.error?.code).toBe("invalid_request");
    }
    expect(ctx.fake.calls.length).toBe(calls);
    // The relay's v25 list is exactly what Instagram (the fake) accepts today.
    expect(allowedMetrics(ACCOUNT_METRIC_RULES, "v25.0", Date.now()).sort()).toEqual(
      Object.keys(ACCOUNT_METRICS).sort(),
    );
    expect(allowedMetrics(ACCOUNT_METRIC_RULES, "v21.0", Date.UTC(2025, 0, 1))).toContain("impressions");
  });

  it("answers 403 permission_missing without the insights scope", async () => {
    const connectionId = await connectWithScopes(
      ctx.fake,
      "instagram_business_basic,instagram_business_manage_comments",
    );
    const result = await (await client()).getInsights(connectionId, { metrics: ["reach"] });
    expect(result.status).toBe(403);
    expect(result.error?.code).toBe("permission_missing");
  });
});
