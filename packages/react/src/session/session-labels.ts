import { DEFAULT_LABELS, type InstagramConnectLabels } from "../labels.ts";

/** Labels the session entry adds to the button's (`session`: the token is unknown, expired or used). */
export const SESSION_LABELS: Required<Pick<InstagramConnectLabels, "session">> = {
  session: "Session expired.",
};

/** Every text `<InstagramAccounts>` shows: the button's labels plus the account list's. */
export interface InstagramAccountsLabels extends Required<InstagramConnectLabels> {
  /** Status once the list is known. */
  accounts: (count: number) => string;
  /** Connects one more account (a fresh Instagram login). */
  connectAnother: string;
  /** Replaces this account with another one (a fresh Instagram login). */
  switchAccount: string;
  /** Next to an account whose access expired or was revoked. */
  needsReconnect: string;
}

/** The default English labels of `<InstagramAccounts>`. */
export const DEFAULT_ACCOUNTS_LABELS: InstagramAccountsLabels = {
  ...DEFAULT_LABELS,
  ...SESSION_LABELS,
  accounts: (n) =>
    n ? `${n} Instagram account${n === 1 ? "" : "s"} connected.` : "No Instagram account connected.",
  connectAnother: "Connect another account",
  switchAccount: "Switch account",
  needsReconnect: "Needs reconnecting",
};
