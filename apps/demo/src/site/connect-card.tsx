import { InstagramConnect } from "@instagram-connect/react/session";
import type { ConnectionView } from "@instagram-connect/types";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type ReactElement, useState } from "react";
import { RELAY_URL } from "../relay-url.ts";
import { type DemoUser, demoApi, type ReceiptCheck } from "./demo-api.ts";
import { CONNECTIONS_KEY, useMyConnections } from "./use-my-connections.ts";

/** What the page shows about the last consent's receipt. */
type ReceiptView =
  | { kind: "checking"; username: string }
  | { kind: "checked"; username: string; check: ReceiptCheck }
  | { kind: "missing"; username: string };

/** Publishing needs its scope granted at consent; the relay's dev config allows it. */
const SCOPES = ["instagram_business_basic", "instagram_business_content_publish"] as const;

/**
 * The widget bound to the signed-in user through a connect session (`getSessionToken`: the site's
 * server creates one per click), the receipt of each consent checked by that server, and the
 * connections the server lists for this user, whatever browser they were made in.
 */
export function ConnectCard({ user }: { user: DemoUser }): ReactElement {
  const queryClient = useQueryClient();
  const connections = useMyConnections();
  const [receipt, setReceipt] = useState<ReceiptView | null>(null);
  const reconnectLink = useMutation({
    mutationFn: (connection: ConnectionView) => demoApi.reconnectLink(connection.id),
  });
  const disconnect = useMutation({
    mutationFn: (connection: ConnectionView) => demoApi.disconnect(connection.id),
    onSuccess: () => queryClient.invalidateQueries(),
  });

  // The page is told who connected; only the receipt, checked by the server, makes it trustworthy.
  async function onConnect(connection: ConnectionView, jws?: string) {
    const username = connection.profile.username;
    void queryClient.invalidateQueries({ queryKey: CONNECTIONS_KEY });
    if (!jws) return setReceipt({ kind: "missing", username });
    setReceipt({ kind: "checking", username });
    try {
      setReceipt({ kind: "checked", username, check: await demoApi.verifyReceipt(jws) });
    } catch (error) {
      setReceipt({ kind: "checked", username, check: { verified: false, reason: (error as Error).message } });
    }
  }

  return (
    <section className="demo-card" aria-labelledby="connect-title">
      <h2 id="connect-title">Connect your Instagram</h2>
      <p className="demo-muted">
        <code>{"<InstagramConnect getSessionToken={…} />"}</code>: on click the server creates a connect
        session for {user.displayName} (end user <code>{user.id}</code>), so the new connection belongs to
        this user.
      </p>
      <div className="demo-widget-row">
        <InstagramConnect
          relayUrl={RELAY_URL}
          // The server's list below is what counts here; the widget keeps its handle for this tab only.
          storage="memory"
          scopes={SCOPES}
          getSessionToken={async () => (await demoApi.connectSession()).token}
          onConnect={(connection, jws) => void onConnect(connection, jws)}
          className="demo-widget"
        />
      </div>
      <p data-testid="receipt" role="status">
        {receipt && <ReceiptLine receipt={receipt} />}
      </p>

      <h3>Your connections</h3>
      <p className="demo-muted">Listed by the site's server with its API key, by end user id.</p>
      {connections.data?.length === 0 && <p className="demo-muted">None yet.</p>}
      <ul className="demo-site-list">
        {connections.data?.map((connection) => (
          <li key={connection.id} data-testid="server-connection" data-username={connection.profile.username}>
            @{connection.profile.username} ({connection.status}){" "}
            <button
              type="button"
              className="demo-link-button"
              aria-label={`Get a reconnect link for @${connection.profile.username}`}
              onClick={() => reconnectLink.mutate(connection)}
            >
              Reconnect link
            </button>{" "}
            <button
              type="button"
              className="demo-link-button"
              aria-label={`Disconnect @${connection.profile.username}`}
              disabled={disconnect.isPending}
              onClick={() => disconnect.mutate(connection)}
            >
              Disconnect
            </button>
          </li>
        ))}
      </ul>
      {reconnectLink.data && (
        <p>
          The link a site would e-mail (single use, expires with its session):{" "}
          <a href={reconnectLink.data.connectUrl} data-testid="reconnect-link">
            Reconnect @{reconnectLink.variables?.profile.username} on the relay's page
          </a>
        </p>
      )}
      {(connections.error || disconnect.error || reconnectLink.error) && (
        <p className="demo-error" role="alert">
          {(connections.error ?? disconnect.error ?? reconnectLink.error)?.message}
        </p>
      )}
    </section>
  );
}

function ReceiptLine({ receipt }: { receipt: ReceiptView }): ReactElement {
  if (receipt.kind === "checking") return <>Checking the receipt of @{receipt.username} on the server…</>;
  if (receipt.kind === "missing")
    return <>The relay sent no receipt for @{receipt.username} (it has no RECEIPT_SIGNING_KEYS).</>;
  const { check } = receipt;
  if (!check.verified)
    return (
      <span className="demo-error">
        The server refused the receipt of @{receipt.username}: {check.reason}
      </span>
    );
  return (
    <span className="demo-verified">
      Receipt verified by the server: @{receipt.username}, connection {check.claims.sub}, end user{" "}
      {check.claims.endUserId}
    </span>
  );
}
