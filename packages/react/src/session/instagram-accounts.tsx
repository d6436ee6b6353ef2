"use client";
import type { ConnectionView } from "@instagram-connect/types";
import { type ReactElement, useState } from "react";
import type { InstagramConnectTheme } from "../instagram-connect.tsx";
import { useSecondsLeft } from "../use-seconds-left.ts";
import { DEFAULT_ACCOUNTS_LABELS, type InstagramAccountsLabels } from "./session-labels.ts";
import {
  type InstagramAccountsController,
  type UseInstagramAccountsOptions,
  useInstagramAccounts,
} from "./use-instagram-accounts.ts";

/** Props of `<InstagramAccounts>`. */
export interface InstagramAccountsProps extends UseInstagramAccountsOptions {
  /** Overrides for any label (i18n). */
  labels?: Partial<InstagramAccountsLabels>;
  /** Class added to the root element (`.ic.ic-accounts`). */
  className?: string;
  theme?: InstagramConnectTheme;
}

/** Props of `<InstagramAccountsView>`: what to show, without any data fetching. */
export interface InstagramAccountsViewProps
  extends Omit<InstagramAccountsProps, keyof UseInstagramAccountsOptions> {
  controller: InstagramAccountsController;
}

const FLOW_BUSY = ["connecting", "blocked"];
const FLOW_OUTCOMES = ["denied", "unfinished", "rate_limited", "session", "error"];

function Account({
  account,
  labels: l,
  controller: ig,
  busy,
}: {
  account: ConnectionView;
  labels: InstagramAccountsLabels;
  controller: InstagramAccountsController;
  /** A consent is running: the row's consent buttons wait (aria-disabled). */
  busy: boolean;
}): ReactElement {
  const [confirming, setConfirming] = useState(false);
  const { id, profile } = account;
  const expired = account.status === "reauth_required";
  return (
    <li className="ic-account" data-status={account.status}>
      {profile.profilePictureUrl && <img className="ic-avatar" src={profile.profilePictureUrl} alt="" />}
      <span className="ic-name" title={`@${profile.username}`}>
        @{profile.username}
      </span>
      {expired && <span className="ic-note">{l.needsReconnect}</span>}
      {confirming ? (
        <>
          <button
            type="button"
            className="ic-btn ic-primary"
            onClick={() => ig.disconnect(id).catch(() => {})}
          >
            {l.confirmDisconnect(profile.username)}
          </button>
          <button type="button" className="ic-btn ic-secondary" onClick={() => setConfirming(false)}>
            {l.keep}
          </button>
        </>
      ) : (
        <>
          {expired && (
            <button
              type="button"
              className="ic-btn ic-brand"
              aria-disabled={busy}
              onClick={busy ? undefined : () => ig.reconnect(id)}
            >
              {l.reconnect}
            </button>
          )}
          <button
            type="button"
            className="ic-btn ic-secondary"
            aria-disabled={busy}
            onClick={busy ? undefined : () => ig.switchAccount(id)}
          >
            {l.switchAccount}
          </button>
          <button type="button" className="ic-btn ic-secondary" onClick={() => setConfirming(true)}>
            {l.disconnect}
          </button>
        </>
      )}
    </li>
  );
}

/**
 * The account list's markup for a controller: a status line (announced on change), one row per
 * connection (Reconnect when it needs it, Switch account, Disconnect with confirmation), and
 * Connect / Connect another account. Styled by `@instagram-connect/react/styles.css`.
 */
export function InstagramAccountsView({
  controller: ig,
  labels,
  className,
  theme,
}: InstagramAccountsViewProps): ReactElement {
  const l = { ...DEFAULT_ACCOUNTS_LABELS, ...labels };
  const { flow, accounts } = ig;
  const seconds = useSecondsLeft(flow.state === "rate_limited" ? flow.retryAt : null);
  const busy = FLOW_BUSY.includes(flow.state);
  const outcome = FLOW_OUTCOMES.includes(flow.state) ? flow.state : null;
  const listError = ig.status === "error" && ig.error;
  const state =
    busy || outcome
      ? flow.state
      : listError
        ? listError.code === "invalid_session"
          ? "session"
          : "error"
        : ig.status;
  const status = busy
    ? flow.state === "blocked"
      ? l.blocked
      : l.waiting
    : outcome
      ? outcome === "rate_limited"
        ? l.rateLimited
        : l[outcome as "denied"]
      : listError
        ? state === "session"
          ? l.session
          : l.error
        : ig.status === "loading"
          ? l.checking
          : flow.note
            ? l[flow.note]
            : l.accounts(accounts.length);
  return (
    <div
      className={`ic ic-accounts${className ? ` ${className}` : ""}`}
      data-state={state}
      data-theme={theme}
      aria-busy={busy || ig.status === "loading"}
    >
      <span className="ic-status" role="status" tabIndex={-1}>
        {status}
      </span>
      {accounts.length > 0 && (
        <ul className="ic-list">
          {accounts.map((account) => (
            <Account key={account.id} account={account} labels={l} controller={ig} busy={busy} />
          ))}
        </ul>
      )}
      {busy ? (
        <>
          <button type="button" className="ic-btn ic-primary" aria-disabled>
            <span className="ic-spin" aria-hidden />
            {l.connecting}
          </button>
          {flow.state === "connecting" && (
            <button type="button" className="ic-btn ic-secondary" onClick={flow.cancel}>
              {l.cancel}
            </button>
          )}
        </>
      ) : outcome ? (
        <button
          type="button"
          className="ic-btn ic-primary"
          aria-disabled={!!seconds}
          onClick={seconds ? undefined : flow.retry}
        >
          {seconds ? l.retryIn(seconds) : l.retry}
        </button>
      ) : listError ? (
        <button type="button" className="ic-btn ic-primary" onClick={ig.refresh}>
          {l.retry}
        </button>
      ) : (
        <button
          type="button"
          className="ic-btn ic-brand"
          aria-disabled={ig.status === "loading"}
          onClick={ig.status === "loading" ? undefined : ig.connectAnother}
        >
          {accounts.length ? l.connectAnother : l.connect}
        </button>
      )}
    </div>
  );
}

/**
 * Your signed-in end user's Instagram accounts, from the relay (so on any device): connect one,
 * connect another, switch an account for another one, reconnect one that needs it, disconnect.
 * Needs a connect session (`sessionToken` or `getSessionToken`).
 *
 * @example
 * <InstagramAccounts relayUrl={relayUrl} getSessionToken={() => fetch("/api/ig-session").then((r) => r.text())} />
 */
export function InstagramAccounts(props: InstagramAccountsProps): ReactElement {
  return <InstagramAccountsView {...props} controller={useInstagramAccounts(props)} />;
}
