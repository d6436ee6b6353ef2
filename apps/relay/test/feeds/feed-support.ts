import { env } from "cloudflare:workers";
import type { FakeInstagram, FakeUser } from "@instagram-connect/fake-instagram";
import type { CreateFeedRequest, FeedResponse, PublicFeed } from "@instagram-connect/types";
import { apiFetch, connectUser, newApiKey } from "../api/api-support.ts";
import { freshUser } from "../cache/connected.ts";
import { RELAY, type RelayResponse, relayFetch, SITE } from "../support/relay.ts";

/** A feed of a freshly connected fake account (30 posts), published through the app API. */
export interface PublishedFeed {
  apiKey: string;
  user: FakeUser;
  connectionId: string;
  feedId: string;
  created: RelayResponse;
}

/** Connects a fresh account and publishes a feed of it (allowed origin: `SITE`). */
export async function publishFeed(
  fake: FakeInstagram,
  body: Partial<CreateFeedRequest> = {},
): Promise<PublishedFeed> {
  const apiKey = await newApiKey(["feeds:write", "connections:delete"]);
  const user = freshUser(fake);
  const { connectionId } = await connectUser(fake, user.id);
  const created = await apiFetch("/v1/api/feeds", apiKey, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ connectionId, allowedOrigins: [SITE], ...body }),
  });
  if (created.status !== 201) throw new Error(`create feed: ${created.status} ${created.text}`);
  return { apiKey, user, connectionId, feedId: created.json<FeedResponse>().feed.feedId, created };
}

/** The public feed as a visitor's browser on `origin` reads it. */
export function readFeed(feedId: string, origin: string = SITE, headers: Record<string, string> = {}) {
  return relayFetch(`/v1/feeds/${feedId}`, { headers: { Origin: origin, ...headers } });
}

/** The public feed's JSON (asserting a 200). */
export async function feedJson(feedId: string): Promise<PublicFeed> {
  const response = await readFeed(feedId);
  if (response.status !== 200) throw new Error(`read feed: ${response.status} ${response.text}`);
  return response.json<PublicFeed>();
}

/** Every R2 key under the feed's prefix, sorted. */
export async function bucketKeys(feedId: string): Promise<string[]> {
  const listed = await env.MEDIA.list({ prefix: `feeds/${feedId}/` });
  return listed.objects.map((object) => object.key).sort();
}

/** Fetches an image URL from a feed item through the relay (the path only: the test relay host). */
export async function fetchImage(imageUrl: string): Promise<Response> {
  const { exports } = await import("cloudflare:workers");
  return exports.default.fetch(new Request(imageUrl));
}

/** Drops this location's edge-cached answer (the Cache API keeps real time, not the fake clock). */
export async function purgeEdgeCache(feedId: string): Promise<void> {
  await caches.default.delete(new Request(`${RELAY}/v1/feeds/${feedId}`));
}
