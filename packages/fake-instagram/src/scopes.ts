/** Current Instagram Login scopes; the short `business_*` names were retired on 2025-01-27. */
export const INSTAGRAM_SCOPES: readonly string[] = [
  "instagram_business_basic",
  "instagram_business_content_publish",
  "instagram_business_manage_messages",
  "instagram_business_manage_comments",
  "instagram_business_manage_insights",
];

/** Required for everything, token refresh included. */
export const BASIC_SCOPE = "instagram_business_basic";
