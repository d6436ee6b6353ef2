"use client";
// Everything that runs in the browser: one module carrying the directive, so that index.ts (and
// the labels) stay importable from server components.
export type { ConnectError, ConnectErrorCode } from "./connect-error.ts";
export type { IdleNote } from "./connect-machine.ts";
export type { StorageMode } from "./credential-store.ts";
export type {
  InstagramConnectProps,
  InstagramConnectTheme,
  InstagramConnectViewProps,
} from "./instagram-connect.tsx";
export { InstagramConnect, InstagramConnectView } from "./instagram-connect.tsx";
export type { InstagramRelayOptions } from "./relay-context.ts";
export { useDisconnect } from "./use-disconnect.ts";
export type {
  ConnectState,
  InstagramConnectController,
  StartConsent,
  UseInstagramConnectOptions,
} from "./use-instagram-connect.ts";
export { useInstagramConnect } from "./use-instagram-connect.ts";
export { useInstagramConnection } from "./use-instagram-connection.ts";
export type { UseInstagramMediaOptions } from "./use-instagram-media.ts";
export { useInstagramMedia } from "./use-instagram-media.ts";
export { useInstagramProfile } from "./use-instagram-profile.ts";
