// Every public entry of the three packages, used the way a site and its server would.
import {
  createRelayClient,
  type RelayClient,
  type RelayResult,
  signWebhook,
  type VerifyWebhookResult,
  verifyWebhook,
} from "@instagram-connect/client";
import {
  type ConnectError,
  DEFAULT_LABELS,
  InstagramConnect,
  type InstagramConnectLabels,
  type InstagramConnectProps,
  useDisconnect,
  useInstagramConnect,
  useInstagramConnection,
  useInstagramMedia,
  useInstagramProfile,
} from "@instagram-connect/react";
import {
  InstagramAccounts,
  type InstagramAccountsController,
  InstagramConnect as SessionConnect,
  type SessionTokenRequest,
  useInstagramAccounts,
} from "@instagram-connect/react/session";
import {
  type ConnectionListResponse,
  type ConnectionView,
  ERROR_CODES,
  ERROR_STATUS,
  type ErrorCode,
  isRelayError,
  ROUTES,
  WEBHOOK_HEADERS,
} from "@instagram-connect/types";
import type { ReactElement } from "react";

export const statuses: Record<string, number> = Object.fromEntries(
  ERROR_CODES.map((code: ErrorCode) => [code, ERROR_STATUS[code]]),
);
export const connectionRoute: string = ROUTES.connectionMe;
export const signatureHeader: string = WEBHOOK_HEADERS.signature;
export const labels: InstagramConnectLabels = DEFAULT_LABELS;

export function Widget(props: Partial<InstagramConnectProps>): ReactElement {
  return (
    <InstagramConnect
      relayUrl="https://relay.example.com"
      onConnect={(connection: ConnectionView) => console.log(connection.profile.username)}
      onError={(error: ConnectError) => console.warn(error.code)}
      {...props}
    />
  );
}

export function Hooks(): ReactElement {
  const options = { relayUrl: "https://relay.example.com" };
  const connect = useInstagramConnect(options);
  const connection = useInstagramConnection(options);
  const profile = useInstagramProfile(options);
  const media = useInstagramMedia({ ...options, limit: 6 });
  const disconnect = useDisconnect(options);
  return (
    <pre>
      {JSON.stringify([connect.state, connection.status, profile.status, media.status, disconnect.status])}
    </pre>
  );
}

/** The session entry: a button bound to the end user, and the end user's accounts. */
export function Sessions({ token }: { token: string | null }): ReactElement {
  const getSessionToken = async (request: SessionTokenRequest): Promise<string> =>
    (await fetch(`/api/session?reconnect=${request.reconnectConnectionId ?? ""}`)).text();
  const accounts: InstagramAccountsController = useInstagramAccounts({
    relayUrl: "https://relay.example.com",
    getSessionToken,
  });
  return (
    <>
      <SessionConnect
        relayUrl="https://relay.example.com"
        sessionToken={token}
        forceLogin
        onConnect={(connection: ConnectionView, receipt?: string) => console.log(connection.id, receipt)}
      />
      <InstagramAccounts relayUrl="https://relay.example.com" sessionToken={token} />
      <p>{accounts.accounts.length}</p>
    </>
  );
}

export async function listUsernames(relay: RelayClient): Promise<string[]> {
  const page: RelayResult<ConnectionListResponse> = await relay.listConnections({ limit: 10 });
  if (!page.ok) throw new Error(`${page.error.code}: ${page.error.message}`);
  return page.data.items.map((item) => item.profile.username);
}

export async function handleWebhook(request: Request, secret: string): Promise<Response> {
  const result: VerifyWebhookResult = await verifyWebhook({
    body: await request.text(),
    headers: request.headers,
    secret,
  });
  return new Response(result.ok ? result.event.type : result.reason, { status: result.ok ? 200 : 400 });
}

export const client: RelayClient = createRelayClient({ baseUrl: "https://relay.example.com", apiKey: "key" });
export const signature: Promise<string> = signWebhook("secret", 1, "{}");
export const isError: (value: unknown) => boolean = isRelayError;
