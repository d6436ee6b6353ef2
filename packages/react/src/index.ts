/**
 * React widget and hooks to connect a visitor's Instagram account through an instagram-connect relay.
 *
 * @example
 * import { InstagramConnect } from "@instagram-connect/react";
 * <InstagramConnect relayUrl="https://relay.example.com" />;
 */
// No "use client" here: the client code is in client.ts (which has it), the labels are plain data.
export * from "./client.ts";
export type { InstagramConnectLabels } from "./labels.ts";
export { DEFAULT_LABELS } from "./labels.ts";
