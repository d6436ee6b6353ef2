// A server component that uses the client and the types on the server only (no widget).
import { createRelayClient } from "@instagram-connect/client";
import { ERROR_CODES, ERROR_STATUS, ROUTES } from "@instagram-connect/types";

export const dynamic = "force-dynamic";

export default async function ServerOnly() {
  const relay = createRelayClient({
    baseUrl: process.env.RELAY_URL ?? "https://relay.example.com",
    apiKey: process.env.RELAY_API_KEY ?? "unset",
  });
  return (
    <main>
      <p>
        {typeof relay.listConnections} {ROUTES.connectionMe}
      </p>
      <ul>
        {ERROR_CODES.map((code) => (
          <li key={code}>
            {code}: {ERROR_STATUS[code]}
          </li>
        ))}
      </ul>
    </main>
  );
}
