import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { newApiKey } from "../api/api-support.ts";
import { useFakeInstagram } from "../support/fake.ts";
import { approve, callback, postedMessage, startFlow } from "../support/flow.ts";
import { relayFetch } from "../support/relay.ts";
import { createSession, startWithSession } from "./session-support.ts";

const ctx = useFakeInstagram();

async function keys(prefix: string): Promise<string[]> {
  return (await env.CONNECTIONS.list({ prefix })).keys.map((key) => key.name);
}

function connectionIdOf(html: string): string {
  const { message } = postedMessage(html);
  if (!message.result.ok) throw new Error(`connect failed: ${message.result.error.code}`);
  return message.result.handle.connectionId;
}

describe("one live connection per (Instagram account, owner) (issue 12 invariant 1)", () => {
  it("two consents of one account racing without a session (two states) yield one record and a consistent index", async () => {
    const [one, two] = await Promise.all([startFlow(), startFlow()]);
    const [first, second] = await Promise.all([
      callback(approve(ctx.fake, one), one.cookie),
      callback(approve(ctx.fake, two), two.cookie),
    ]);
    const ids = [connectionIdOf(first.text), connectionIdOf(second.text)];
    expect(ids[0]).toBe(ids[1]);
    expect(await keys("conn:")).toEqual([`conn:${ids[0]}`]);
    const user = ctx.fake.users[0];
    expect(await env.CONNECTIONS.get(`igid:${user?.id}`)).toBe(ids[0]);
    expect(await env.CONNECTIONS.get(`iguser:${user?.userId}`)).toBe(ids[0]);
    expect(await keys(`acct:${user?.userId}:`)).toHaveLength(1);
    expect(await keys("due:")).toHaveLength(1);
  });

  it("two tabs of one end user connecting the same account at once give one connection", async () => {
    const apiKey = await newApiKey();
    const [s1, s2] = await Promise.all([createSession(apiKey), createSession(apiKey)]);
    const [one, two] = await Promise.all([startWithSession(s1.token), startWithSession(s2.token)]);
    const [first, second] = await Promise.all([
      callback(approve(ctx.fake, one), one.cookie),
      callback(approve(ctx.fake, two), two.cookie),
    ]);
    const id = connectionIdOf(first.text);
    expect(connectionIdOf(second.text)).toBe(id);
    const user = ctx.fake.users[0];
    const owned = await keys(`acct:${user?.userId}:u.`);
    expect(owned).toHaveLength(1);
    expect(await env.CONNECTIONS.get(owned[0] ?? "")).toBe(id);
    expect((await keys("enduser:")).filter((key) => key.endsWith(`:${id}`))).toHaveLength(1);
  });

  it.each([
    ["professional user_id", "userId"],
    ["app-scoped id", "id"],
  ] as const)(
    "the same account connected by two end users gives two independent connections; Meta's deletion naming the %s removes both",
    async (_, field) => {
      const apiKey = await newApiKey();
      const a = await startWithSession((await createSession(apiKey, { endUser: { id: "user-a" } })).token);
      const b = await startWithSession((await createSession(apiKey, { endUser: { id: "user-b" } })).token);
      const idA = connectionIdOf((await callback(approve(ctx.fake, a), a.cookie)).text);
      const idB = connectionIdOf((await callback(approve(ctx.fake, b), b.cookie)).text);
      expect(idA).not.toBe(idB);
      expect(await keys("conn:")).toEqual(expect.arrayContaining([`conn:${idA}`, `conn:${idB}`]));

      const user = ctx.fake.users[0];
      if (!user) throw new Error("no seeded user");
      const body = new URLSearchParams({
        signed_request: await ctx.fake.signedRequest({ userId: user[field] }),
      });
      const response = await relayFetch("/v1/meta/data-deletion", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: body.toString(),
      });
      expect(response.status).toBe(200);
      expect(await keys("conn:")).toEqual([]);
      expect(await keys("acct:")).toEqual([]);
      expect(await keys("enduser:")).toEqual([]);
    },
  );
});
