/**
 * Server-side client for the instagram-connect relay: typed API calls with an API key, and
 * the webhook signature verifier.
 *
 * @example
 * import { createRelayClient, verifyWebhook } from "@instagram-connect/client";
 */

export { type GetInstagramFeedOptions, getInstagramFeed } from "./get-instagram-feed.ts";
export {
  createRelayClient,
  type FetchLike,
  type PageOptions,
  type RelayClient,
  type RelayClientOptions,
  type RelayResult,
} from "./relay-client.ts";
export { signWebhook } from "./sign-webhook.ts";
export {
  type VerifyWebhookInput,
  type VerifyWebhookResult,
  verifyWebhook,
  type WebhookFailure,
} from "./verify-webhook.ts";
