"use client";
/**
 * Connect sessions in the widget: `<InstagramConnect>` and `useInstagramConnect` bound to your
 * end user (`sessionToken` or `getSessionToken`), and `<InstagramAccounts>` /
 * `useInstagramAccounts`: the end user's connections from the relay on any device, connect
 * another, switch account, reconnect. Its own entry, so the plain button does not pay for it.
 *
 * @example
 * import { InstagramAccounts } from "@instagram-connect/react/session";
 * import "@instagram-connect/react/styles.css";
 * <InstagramAccounts relayUrl="https://relay.example.com" getSessionToken={() => fetch("/api/ig-session").then((r) => r.text())} />;
 */
export type {
  InstagramAccountsProps,
  InstagramAccountsViewProps,
} from "./instagram-accounts.tsx";
export { InstagramAccounts, InstagramAccountsView } from "./instagram-accounts.tsx";
export type { SessionConnectProps, UseSessionConnectOptions } from "./session-connect.tsx";
export { InstagramConnect, useInstagramConnect } from "./session-connect.tsx";
export type { InstagramAccountsLabels } from "./session-labels.ts";
export { DEFAULT_ACCOUNTS_LABELS, SESSION_LABELS } from "./session-labels.ts";
export type { SessionConnectOptions, SessionOptions, SessionTokenRequest } from "./session-start.ts";
export type {
  InstagramAccountsController,
  UseInstagramAccountsOptions,
} from "./use-instagram-accounts.ts";
export { useInstagramAccounts } from "./use-instagram-accounts.ts";
