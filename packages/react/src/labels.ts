// No "use client" here: server components read DEFAULT_LABELS (e.g. to translate a few of them).

/**
 * Every text the widget shows; pass any subset as the `labels` prop to translate or reword.
 * Button labels name the way forward; the visible status line (announced once per change) says
 * what happened.
 */
export interface InstagramConnectLabels {
  connect: string;
  /** The neutral first render, while the stored connection is being looked up. */
  checking: string;
  /** The button while consent is in progress. */
  connecting: string;
  /** Status while consent is in progress. */
  waiting: string;
  cancel: string;
  /** Status after Cancel. */
  cancelled: string;
  disconnect: string;
  /** Confirmation question before disconnecting. */
  confirmDisconnect: (username: string) => string;
  /** Keeps the connection (declines the confirmation). */
  keep: string;
  /** Status after disconnecting. */
  disconnected: string;
  /** The token expired or was revoked: status, then the `reconnect` button. */
  expired: (username: string) => string;
  reconnect: string;
  /** The visitor declined on Instagram. */
  denied: string;
  /** The popup was blocked: the flow continues in this tab. */
  blocked: string;
  /** The popup closed without a result. */
  unfinished: string;
  /** `@instagram-connect/react/session` only (it brings the default): the session token is unknown, expired or used. */
  session?: string;
  /** Instagram or the relay could not be reached. */
  error: string;
  /** Rate limited: status, with the countdown on the button, then `retry`. */
  rateLimited: string;
  retryIn: (seconds: number) => string;
  retry: string;
  /** Status once connected. */
  connected: (username: string) => string;
}

/** The default English labels. */
export const DEFAULT_LABELS: InstagramConnectLabels = {
  connect: "Connect Instagram",
  checking: "Checking…",
  connecting: "Connecting…",
  waiting: "Waiting for Instagram…",
  cancel: "Cancel",
  cancelled: "Cancelled.",
  disconnect: "Disconnect",
  confirmDisconnect: (u) => `Disconnect @${u}?`,
  keep: "Keep",
  disconnected: "Disconnected.",
  expired: (u) => (u ? `Access for @${u} expired.` : "Access expired."),
  reconnect: "Reconnect",
  denied: "Declined on Instagram.",
  blocked: "Popup blocked, continuing here…",
  unfinished: "Not finished.",
  error: "Instagram unreachable.",
  rateLimited: "Too many attempts.",
  retryIn: (s) => `Try again in ${s} s`,
  retry: "Try again",
  connected: (u) => `Connected as @${u}`,
};
