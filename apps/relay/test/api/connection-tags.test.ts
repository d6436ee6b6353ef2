import type { ConnectionListResponse, ConnectionMetadata, ConnectionView } from "@instagram-connect/types";
import { describe, expect, it } from "vitest";
import { connectWithSession, createSession } from "../sessions/session-support.ts";
import { useFakeInstagram } from "../support/fake.ts";
import { apiFetch, newApiKey } from "./api-support.ts";

const ctx = useFakeInstagram();

async function connectTagged(
  apiKey: string,
  endUserId: string,
  userId: string,
  metadata: ConnectionMetadata,
) {
  const session = await createSession(apiKey, { endUser: { id: endUserId }, metadata });
  const message = await connectWithSession(ctx.fake, session.token, userId);
  if (!message.result.ok) throw new Error(message.result.error.code);
  return message.result.connection.id;
}

async function list(apiKey: string, query: string): Promise<ConnectionView[]> {
  const response = await apiFetch(`/v1/api/connections?${query}`, apiKey);
  if (response.status !== 200) throw new Error(`list answered ${response.status}: ${response.text}`);
  return response.json<ConnectionListResponse>().items;
}

describe("metadata tag filters on GET /v1/api/connections", () => {
  it("filters by tag=key:value: all tags must match, strings exactly, numbers and booleans as JSON text", async () => {
    const apiKey = await newApiKey();
    const jane = await connectTagged(apiKey, "tags-u", "jane.doe", { plan: "pro", seats: 3, beta: true });
    const max = await connectTagged(apiKey, "tags-u", "max.creator", {
      plan: "free",
      nested: { plan: "pro" },
    });
    const ids = async (query: string) => (await list(apiKey, `endUserId=tags-u&${query}`)).map((v) => v.id);

    expect((await ids("")).sort()).toEqual([jane, max].sort());
    expect(await ids("tag=plan:pro")).toEqual([jane]);
    expect(await ids("tag=plan:pro&tag=seats:3&tag=beta:true")).toEqual([jane]);
    expect(await ids("tag=plan:pro&tag=seats:4")).toEqual([]);
    expect(await ids("tag=plan:Pro")).toEqual([]);
    expect(await ids("tag=plan:")).toEqual([]);
    // Only top-level fields, only own properties: no match by shape or through the prototype.
    expect(await ids("tag=nested:pro")).toEqual([]);
    expect(await ids("tag=constructor:function%20Object()%20%7B%20%5Bnative%20code%5D%20%7D")).toEqual([]);
    expect(await ids("tag=__proto__:null")).toEqual([]);
    expect(await ids(`tag=${encodeURIComponent("plan:free")}`)).toEqual([max]);

    // The paged listing of every connection filters each page the same way.
    const everyFree = await list(apiKey, "tag=plan:free&limit=100");
    expect(everyFree.map((view) => view.id)).toContain(max);
    expect(everyFree.every((view) => view.metadata?.plan === "free")).toBe(true);

    // A PATCH of the metadata is what the next filter sees.
    const patched = await apiFetch(`/v1/api/connections/${jane}`, apiKey, {
      method: "PATCH",
      body: JSON.stringify({ metadata: { plan: "free", note: "a:b" } }),
    });
    expect(patched.status).toBe(200);
    expect((await ids("tag=plan:free")).sort()).toEqual([jane, max].sort());
    // The value is everything after the first colon.
    expect(await ids("tag=note:a:b")).toEqual([jane]);
  });

  it("a malformed tag filter is a typed 400 invalid_request, with or without endUserId", async () => {
    const apiKey = await newApiKey(["connections:read"]);
    const malformed = [
      "tag=plan",
      "tag=:pro",
      "tag=pl%20an:pro",
      "tag=plan:a%01b",
      `tag=${"k".repeat(65)}:v`,
      `tag=k:${"v".repeat(257)}`,
      Array.from({ length: 11 }, (_, index) => `tag=k${index}:v`).join("&"),
    ];
    for (const query of malformed) {
      for (const scope of ["", "endUserId=tags-u&"]) {
        const response = await apiFetch(`/v1/api/connections?${scope}${query}`, apiKey);
        expect([response.status, response.json<{ error: { code: string } }>().error.code]).toEqual([
          400,
          "invalid_request",
        ]);
      }
    }
  });
});
