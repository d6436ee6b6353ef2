import type { FakeInstagram, FakeUser } from "@instagram-connect/fake-instagram";
import type { ConnectionHandle } from "@instagram-connect/types";
import { connectPopup } from "../support/flow.ts";
import { type RelayResponse, relayFetch, SITE } from "../support/relay.ts";

/** A fake account of its own (fresh 17-digit ids, so no budget or cache is shared across tests). */
export function freshUser(fake: FakeInstagram, mediaCount = 30): FakeUser {
  const digits = () => `9${Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b % 10).join("")}`;
  const id = digits();
  return fake.addUser({ id, userId: digits(), username: `user.${id.slice(-6)}`, mediaCount });
}

/** Connects `user` through the real popup flow and returns the widget's handle. */
export async function connect(fake: FakeInstagram, user: FakeUser): Promise<ConnectionHandle> {
  const message = await connectPopup(fake, user.id);
  if (!message.result.ok) throw new Error(`connect failed: ${JSON.stringify(message.result)}`);
  return message.result.handle;
}

/** `GET /v1/connections/me/media` like the widget calls it (query as given). */
export function getMedia(handle: ConnectionHandle | null, query = "", headers: Record<string, string> = {}) {
  return relayFetch(`/v1/connections/me/media${query}`, {
    headers: {
      Origin: SITE,
      ...(handle ? { Authorization: `Bearer ${handle.credential}` } : {}),
      ...headers,
    },
  });
}

/** `GET /v1/connections/me` like the widget calls it. */
export function getMe(handle: ConnectionHandle): Promise<RelayResponse> {
  return relayFetch("/v1/connections/me", {
    headers: { Origin: SITE, Authorization: `Bearer ${handle.credential}` },
  });
}

/** How many upstream Graph reads (`/me`, `/me/media`) the fake saw since `since` calls. */
export function graphReads(fake: FakeInstagram, endpoint: "me" | "media", since = 0): number {
  return fake.calls.slice(since).filter((call) => call.endpoint === endpoint).length;
}
