/** Everything a user or operator could see during a test file, and the secrets it must not contain. */
const secrets = new Set<string>();
const seen: { where: string; text: string }[] = [];

/** Marks a value that must never appear in a response body or a log line. */
export function registerSecret(secret: string): void {
  if (secret.length >= 8) secrets.add(secret);
}

/** Records one console line. */
export function recordLog(line: string): void {
  seen.push({ where: "log", text: line });
}

/** Records one response body (or a header value a browser would see). */
export function recordResponse(where: string, text: string): void {
  seen.push({ where, text });
}

/**
 * Records one URL the relay fetched upstream. The only query parameter allowed to hold a secret
 * is `client_secret` on the long-lived exchange (Meta documents it as a query parameter only,
 * see instagram-client.ts `upgradeToken`): it is cut out here, everything else must be clean.
 */
export function recordOutgoingUrl(href: string): void {
  const url = new URL(href);
  if (/\/access_token$/.test(url.pathname) && url.searchParams.get("grant_type") === "ig_exchange_token") {
    url.searchParams.delete("client_secret");
  }
  seen.push({ where: `outgoing URL ${url.pathname}`, text: url.href });
}

/** How many log lines were captured (for tests that prove capture works). */
export function capturedLogs(): string[] {
  return seen.filter((entry) => entry.where === "log").map((entry) => entry.text);
}

/** Every captured text that contains a registered secret, with where it was seen. */
export function findLeaks(): string[] {
  const leaks: string[] = [];
  for (const entry of seen) {
    for (const secret of secrets) {
      if (entry.text.includes(secret))
        leaks.push(`${entry.where} contains a secret (${secret.slice(0, 4)}...)`);
    }
  }
  return leaks;
}

/** Registered secrets count (tests assert the fake's tokens were registered). */
export function registeredSecretCount(): number {
  return secrets.size;
}
