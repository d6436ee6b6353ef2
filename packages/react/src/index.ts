/**
 * React widget and hooks to connect a visitor's Instagram account through an instagram-connect relay.
 *
 * @example
 * import { InstagramConnect } from "@instagram-connect/react";
 * <InstagramConnect relayUrl="https://relay.example.com" />;
 */
export type { ConnectError, ConnectErrorCode } from "./connect-error.ts";
export type { StorageMode } from "./credential-store.ts";
export type { InstagramConnectProps } from "./instagram-connect.tsx";
export { InstagramConnect } from "./instagram-connect.tsx";
export type { InstagramConnectLabels } from "./labels.ts";
export { DEFAULT_LABELS } from "./labels.ts";
export type { InstagramRelayOptions } from "./relay-context.ts";
export { useDisconnect } from "./use-disconnect.ts";
export type {
  ConnectState,
  InstagramConnectController,
  UseInstagramConnectOptions,
} from "./use-instagram-connect.ts";
export { useInstagramConnect } from "./use-instagram-connect.ts";
export { useInstagramConnection } from "./use-instagram-connection.ts";
export type { UseInstagramMediaOptions } from "./use-instagram-media.ts";
export { useInstagramMedia } from "./use-instagram-media.ts";
export { useInstagramProfile } from "./use-instagram-profile.ts";
