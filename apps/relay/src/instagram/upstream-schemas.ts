import * as z from "zod/mini";

const tokenGrant = z.object({
  access_token: z.string().check(z.minLength(1)),
  // Already a string: raw-json quotes bare 17-digit ids before parsing.
  user_id: z.optional(z.union([z.string(), z.number()])),
  permissions: z.optional(z.union([z.string(), z.array(z.string())])),
});

/** Code exchange answer: the flat shape seen in practice or the documented `{ data: [...] }`. */
export const codeExchangeSchema = z.union([
  tokenGrant,
  z.object({ data: z.tuple([tokenGrant], tokenGrant) }),
]);

/** Long-lived token answer (upgrade and refresh share it). */
export const longLivedTokenSchema = z.object({
  access_token: z.string().check(z.minLength(1)),
  token_type: z.optional(z.string()),
  expires_in: z.number().check(z.positive()),
});

const profileFields = z.object({
  id: z.string().check(z.minLength(1)),
  user_id: z.optional(z.string()),
  username: z.string().check(z.minLength(1)),
  name: z.optional(z.nullable(z.string())),
  account_type: z.optional(z.string()),
  profile_picture_url: z.optional(z.nullable(z.string())),
  followers_count: z.optional(z.number()),
  follows_count: z.optional(z.number()),
  media_count: z.optional(z.number()),
});

/** `/me` answer, bare or wrapped in `{ data: [...] }`. */
export const igProfileSchema = z.union([
  profileFields,
  z.object({ data: z.tuple([profileFields], profileFields) }),
]);

/** The fields the relay asks `/me` for. */
export const PROFILE_FIELDS =
  "user_id,username,name,account_type,profile_picture_url,followers_count,follows_count,media_count";
