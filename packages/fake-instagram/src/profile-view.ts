import type { FakeUser } from "./types.ts";

/** Fields the fake knows on the IG user node (`/me`). */
export const PROFILE_FIELDS = new Set([
  "id",
  "user_id",
  "username",
  "name",
  "account_type",
  "profile_picture_url",
  "followers_count",
  "follows_count",
  "media_count",
  "biography",
]);

/** `/me` as Graph returns it: `id` always, then only the requested fields; ids are strings. */
export function profileView(user: FakeUser, fields: string[], origin: string): Record<string, unknown> {
  const all: Record<string, unknown> = {
    id: user.id,
    user_id: user.userId,
    username: user.username,
    name: user.name,
    account_type: user.accountType,
    profile_picture_url: `${origin}/cdn/avatar/${user.id}.svg`,
    followers_count: user.followersCount,
    follows_count: user.followsCount,
    media_count: user.media.length,
    biography: user.biography,
  };
  const out: Record<string, unknown> = { id: user.id };
  for (const name of fields) out[name] = all[name];
  return out;
}
