/**
 * Every text the widget shows; pass any subset as the `labels` prop to translate or reword.
 * Each button label names the state and the way forward; the status region (read by screen
 * readers) repeats it, except where noted.
 */
export interface InstagramConnectLabels {
  connect: string;
  /** While consent is in progress, and while a stored connection is being checked. */
  connecting: string;
  cancel: string;
  disconnect: string;
  /** The token expired or was revoked. */
  reconnect: string;
  /** The user said no at Instagram. */
  denied: string;
  /** The popup was blocked: the flow continues in this tab. */
  blocked: string;
  /** Network or relay failure. */
  error: string;
  /** Rate limited: countdown on the button, then `retry`; `rateLimited` is announced. */
  retryIn: (seconds: number) => string;
  retry: string;
  rateLimited: string;
  /** Announced once connected. */
  connected: (username: string) => string;
  /** How a username is shown next to the avatar (also the avatar's alt text). */
  username: (username: string) => string;
}

/** The default English labels. */
export const DEFAULT_LABELS: InstagramConnectLabels = {
  connect: "Connect Instagram",
  connecting: "Connecting…",
  cancel: "Cancel",
  disconnect: "Disconnect",
  reconnect: "Reconnect Instagram",
  denied: "Not allowed. Try again",
  blocked: "Popup blocked, continuing here…",
  error: "Connection failed. Try again",
  retryIn: (seconds) => `Try again in ${seconds} s`,
  retry: "Try again",
  rateLimited: "Too many attempts.",
  connected: (username) => `Connected as @${username}`,
  username: (username) => `@${username}`,
};
