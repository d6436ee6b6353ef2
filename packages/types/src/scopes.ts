/**
 * Instagram API with Instagram Login scopes (business login). The short names
 * (`business_basic`, ...) were deprecated on 2025-01-27 and the Basic Display
 * scopes no longer exist, so only these are accepted anywhere in the contract.
 */
export const INSTAGRAM_SCOPES = [
  "instagram_business_basic",
  "instagram_business_content_publish",
  "instagram_business_manage_messages",
  "instagram_business_manage_comments",
  "instagram_business_manage_insights",
] as const;

/** One Instagram Login scope name. */
export type InstagramScope = (typeof INSTAGRAM_SCOPES)[number];

/** The scope every connection needs (profile reads and token refresh depend on it). */
export const BASIC_SCOPE: InstagramScope = "instagram_business_basic";

/** True when `value` is a current Instagram Login scope name. */
export function isInstagramScope(value: string): value is InstagramScope {
  return (INSTAGRAM_SCOPES as readonly string[]).includes(value);
}
