import { describe, expect, it } from "vitest";
import { createFakeInstagram } from "../src/index.ts";
import { ALL_SCOPES, graph, graphErrorOf, longLivedToken } from "./helpers.ts";

type Page = {
  data: Record<string, unknown>[];
  paging?: { cursors: { before: string; after: string }; next?: string; previous?: string };
};

async function setUp() {
  const fake = createFakeInstagram();
  const token = await longLivedToken(fake, { scope: ALL_SCOPES });
  // The seeded item with the most comments (commentsCount is seeded as (i * 11) % 40).
  const media = [...(fake.users[0]?.media ?? [])].sort((a, b) => b.commentsCount - a.commentsCount)[0];
  if (!media) throw new Error("no media");
  return { fake, token, media };
}

describe("comments", () => {
  it("lists top-level comments newest first, paged with cursors (max 50), replies via fields or /replies", async () => {
    const { fake, token, media } = await setUp();
    const total = media.commentsCount;
    expect(total).toBeGreaterThan(30);
    const first = (await graph(fake, "GET", `/v25.0/${media.id}/comments`, token, { limit: "10" }))
      .body as Page;
    expect(first.data).toHaveLength(10);
    expect(Object.keys(first.data[0] ?? {}).sort()).toEqual(["id", "text", "timestamp"]);
    const stamps = first.data.map((c) => String(c.timestamp));
    expect([...stamps].sort().reverse()).toEqual(stamps);
    expect(first.paging?.next).toMatch(/^https:\/\/fake\.instagram\.test\/v25\.0\/\d+\/comments\?/);
    expect(first.paging?.next).not.toContain("access_token");

    const ids: string[] = [];
    let next: string | undefined = first.paging?.next;
    for (const c of first.data) ids.push(String(c.id));
    while (next) {
      const res = await fake.fetch(next, { headers: { authorization: `Bearer ${token}` } });
      const page = (await res.json()) as Page;
      for (const c of page.data) ids.push(String(c.id));
      next = page.paging?.next;
    }
    expect(ids).toHaveLength(total - 2);
    const big = (await graph(fake, "GET", `/${media.id}/comments`, token, { limit: "500" })).body as Page;
    expect(big.data).toHaveLength(Math.min(50, total - 2));

    const withReplies = (
      await graph(fake, "GET", `/${media.id}/comments`, token, {
        fields: "id,text,username,from,hidden,like_count,replies{id,text,parent_id}",
        limit: "1",
      })
    ).body as Page;
    const top = withReplies.data[0] as {
      id: string;
      replies: { data: { parent_id: string }[] };
      from: { username: string };
    };
    expect(top.replies.data).toHaveLength(2);
    expect(top.replies.data[0]?.parent_id).toBe(top.id);
    expect(top.from.username).toMatch(/^visitor_/);
    const replies = (await graph(fake, "GET", `/${top.id}/replies`, token, { fields: "id,text,parent_id" }))
      .body as Page;
    expect(replies.data.map((r) => r.id)).toEqual(
      top.replies.data.map((r) => (r as unknown as { id: string }).id),
    );

    const badCursor = await graph(fake, "GET", `/${media.id}/comments`, token, {
      after: btoa("comment:17920000000000000"),
    });
    expect(graphErrorOf(badCursor.body).code).toBe(100);
  });

  it("comments, replies (to the top-level comment), hides, deletes and toggles comment_enabled", async () => {
    const { fake, token, media } = await setUp();
    const before = media.commentsCount;
    const posted = await graph(fake, "POST", `/${media.id}/comments`, token, { message: "Thanks all!" });
    expect(posted.body.id).toMatch(/^\d{17}$/);
    const id = String(posted.body.id);
    expect(media.commentsCount).toBe(before + 1);
    const node = await graph(fake, "GET", `/${id}`, token, { fields: "text,username,from,media" });
    expect(node.body).toMatchObject({
      id,
      text: "Thanks all!",
      username: "jane.doe",
      media: { id: media.id },
    });

    const reply = await graph(fake, "POST", `/${id}/replies`, token, { message: "Me again" });
    const replyToReply = await graph(fake, "POST", `/${String(reply.body.id)}/replies`, token, {
      message: "Nested",
    });
    const nested = await graph(fake, "GET", `/${String(replyToReply.body.id)}`, token, {
      fields: "parent_id",
    });
    expect(nested.body.parent_id).toBe(id);

    expect((await graph(fake, "POST", `/${id}`, token, { hide: "true" })).body).toEqual({ success: true });
    expect((await graph(fake, "GET", `/${id}`, token, { fields: "hidden" })).body.hidden).toBe(true);
    const onHidden = await graph(fake, "POST", `/${id}/replies`, token, { message: "x" });
    expect(graphErrorOf(onHidden.body).code).toBe(100);
    expect((await graph(fake, "POST", `/${id}?hide=false`, token)).body).toEqual({ success: true });

    expect((await graph(fake, "DELETE", `/${id}`, token)).body).toEqual({ success: true });
    expect(graphErrorOf((await graph(fake, "GET", `/${id}`, token)).body).code).toBe(100);
    expect(media.commentsCount).toBe(before);

    expect((await graph(fake, "POST", `/${media.id}`, token, { comment_enabled: "false" })).body).toEqual({
      success: true,
    });
    const read = await graph(fake, "GET", `/${media.id}`, token, { fields: "is_comment_enabled" });
    expect(read.body.is_comment_enabled).toBe(false);
    const closed = await graph(fake, "POST", `/${media.id}/comments`, token, { message: "hi" });
    expect(closed.status).toBe(400);
    await graph(fake, "POST", `/${media.id}?comment_enabled=true`, token);
    expect((await graph(fake, "POST", `/${media.id}/comments`, token, { message: "hi" })).status).toBe(200);
    expect(graphErrorOf((await graph(fake, "POST", `/${media.id}/comments`, token)).body).code).toBe(100);
  });

  it("another account's media or comment is Graph 100/33 (GraphMethodException); the scope is required", async () => {
    const { fake, token } = await setUp();
    const maxMedia = fake.users[1]?.media[3];
    if (!maxMedia) throw new Error("no media");
    const maxComment = fake.comments(maxMedia.id)[0];
    for (const [method, path] of [
      ["GET", `/${maxMedia.id}/comments`],
      ["POST", `/${maxMedia.id}/comments?message=hi`],
      ["GET", `/${String(maxComment?.id)}/replies`],
      ["POST", `/${String(maxComment?.id)}?hide=true`],
      ["DELETE", `/${String(maxComment?.id)}`],
      ["POST", `/${maxMedia.id}?comment_enabled=false`],
    ] as const) {
      const res = await graph(fake, method, path, token);
      expect(res.status).toBe(400);
      expect(graphErrorOf(res.body)).toMatchObject({
        code: 100,
        error_subcode: 33,
        type: "GraphMethodException",
      });
    }
    const basic = await longLivedToken(fake);
    const mine = fake.users[0]?.media[3]?.id;
    expect(graphErrorOf((await graph(fake, "GET", `/${mine}/comments`, basic)).body).code).toBe(10);
  });

  it("fake.addComment simulates a visitor; fake.comments reads the state", async () => {
    const { fake, media } = await setUp();
    const comment = fake.addComment({ mediaId: media.id, text: "Great @jane.doe", username: "fan" });
    expect(comment).toMatchObject({ mediaId: media.id, text: "Great @jane.doe", from: { username: "fan" } });
    expect(fake.comments(media.id)[0]?.id).toBe(comment.id);
    const reply = fake.addComment({ mediaId: media.id, text: "+1", parentId: comment.id });
    expect(reply.parentId).toBe(comment.id);
  });
});
