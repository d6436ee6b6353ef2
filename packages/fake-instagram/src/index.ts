/**
 * A local, stateful fake of Instagram's OAuth and Graph endpoints (Instagram API with Instagram Login).
 *
 * @example
 * import { createFakeInstagram } from "@instagram-connect/fake-instagram";
 * const fake = createFakeInstagram({ clientSecret: "test-secret" });
 * // hand fake.fetch to the code under test, point its base URLs at any host, e.g. https://fake.instagram.test
 */

export type { FakeComment } from "./comments.ts";
export { createControlApi } from "./control-api.ts";
export type { FakeInstagram, FakeWebhookInput } from "./fake-instagram.ts";
export { createFakeInstagram } from "./fake-instagram.ts";
export { ACCOUNT_METRICS, MEDIA_METRICS } from "./insights.ts";
export type { ContainerStatus, ContainerType, FakeContainer } from "./publishing.ts";
export {
  base64UrlDecode,
  base64UrlEncode,
  buildSignedRequest,
  corruptSignedRequestSignature,
  signedRequestWithAlgorithm,
  tamperSignedRequest,
  verifySignedRequest,
} from "./signed-request.ts";
export type {
  ApproveInput,
  CodeExchangeShape,
  DenyInput,
  FakeCall,
  FakeCallEndpoint,
  FakeClock,
  FakeEndpoint,
  FakeFault,
  FakeFaultKind,
  FakeInstagramOptions,
  FakeMedia,
  FakeMediaChild,
  FakeMediaType,
  FakeRequest,
  FakeUsageInput,
  FakeUser,
  FakeUserInput,
  SignedRequestInput,
} from "./types.ts";
export type { FakeWebhookDelivery, InstagramWebhookPayload } from "./webhooks.ts";
export { buildWebhookDelivery, buildWebhookPayload, signWebhookBody } from "./webhooks.ts";
