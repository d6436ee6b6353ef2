"use client";
// Client component: the user's accounts from the relay (on any device), connect another, switch,
// reconnect. The server's token lists them and starts the first consent; later consents get a
// fresh token from the route handler. Each new connection's receipt goes to the server to verify.
import { InstagramAccounts } from "@instagram-connect/react/session";
import "@instagram-connect/react/styles.css";

const getSessionToken = async (): Promise<string> => {
  const response = await fetch("/api/instagram/session", { method: "POST" });
  if (!response.ok) throw new Error(`session: ${response.status}`);
  return response.text();
};

const report = (receipt?: string) =>
  receipt &&
  fetch("/api/instagram/connected", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ receipt }),
  });

export function AccountsPanel({ relayUrl, sessionToken }: { relayUrl: string; sessionToken: string | null }) {
  return (
    <InstagramAccounts
      relayUrl={relayUrl}
      sessionToken={sessionToken}
      getSessionToken={getSessionToken}
      onConnect={(_, receipt) => void report(receipt)}
    />
  );
}
