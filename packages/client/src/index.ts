/**
 * Server-side client for the instagram-connect relay: typed API calls with an API key, API key
 * management with the admin secret, and the webhook signature verifier.
 *
 * @example
 * import { createRelayClient, verifyWebhook } from "@instagram-connect/client";
 */
export { type AdminClient, type AdminClientOptions, createAdminClient } from "./admin-client.ts";

export { type GetInstagramFeedOptions, getInstagramFeed } from "./get-instagram-feed.ts";
export {
  type AccountInsightsQuery,
  type CommentPageOptions,
  createRelayClient,
  type FetchLike,
  type ListConnectionsOptions,
  type PageOptions,
  type RelayClient,
  type RelayClientOptions,
  type RelayResult,
} from "./relay-client.ts";
export { signWebhook } from "./sign-webhook.ts";
export {
  type ReceiptFailure,
  type VerifyReceiptOptions,
  type VerifyReceiptResult,
  verifyConnectReceipt,
} from "./verify-receipt.ts";
export {
  type VerifyWebhookInput,
  type VerifyWebhookResult,
  verifyWebhook,
  type WebhookFailure,
} from "./verify-webhook.ts";
