// One real popup-mode connection through the relay and the fake Instagram, the way a browser and
// the widget drive it: attempt issue -> start -> consent (fake authorize POST) -> callback with
// the cookie -> attempt poll with the verifier -> the connection credential.
import { randomBytes } from "node:crypto";
import { Agent, request } from "node:http";

const keepAlive = new Agent({ keepAlive: true });

/**
 * A GET the way a browser navigates, over node:http: Node's fetch (undici) always sends
 * `Sec-Fetch-Mode: cors`, which the relay rightly does not accept as a navigation from the site
 * (S30). Answers a fetch-like response (status, headers, arrayBuffer), never following redirects.
 */
export function navigate(url, { headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "GET", headers, agent: keepAlive }, (res) => {
      const chunks = [];
      res.on("data", (chunk) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const out = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const one of [value].flat()) if (one !== undefined) out.append(name, one);
        }
        const body = Buffer.concat(chunks);
        resolve({
          status: res.statusCode,
          headers: out,
          arrayBuffer: async () => body,
          text: async () => body.toString("utf8"),
        });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

const base64url = (bytes) => Buffer.from(bytes).toString("base64url");

/** The headers Chromium sends on the popup navigation the site's widget opens (S30). */
export function siteNavigation(site) {
  return {
    Referer: `${site}/`,
    "Sec-Fetch-Dest": "document",
    "Sec-Fetch-Mode": "navigate",
    "Sec-Fetch-Site": "cross-site",
  };
}

async function timed(fn) {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

async function expectStatus(response, status, step) {
  if (response.status !== status) {
    const text = await response.text();
    throw new Error(`${step} answered ${response.status} (expected ${status}): ${text.slice(0, 300)}`);
  }
}

/**
 * Connects one fake account. `relayUrl` is where to reach the relay, `site` an allowed origin.
 * Returns the widget's handle and the wall time of each relay step in ms (the consent at the
 * fake is not a relay step).
 */
export async function connectThroughRelay({ relayUrl, site }) {
  const verifier = base64url(randomBytes(32));
  const issue = await timed(async () => {
    const response = await fetch(`${relayUrl}/v1/oauth/attempts`, {
      method: "POST",
      headers: { Origin: site },
      body: new URLSearchParams({ verifier }),
    });
    await expectStatus(response, 201, "attempt issue");
    return response.json();
  });
  const { attemptId, challenge } = issue.value;
  const startQuery = new URLSearchParams({ origin: site, mode: "popup", attemptId, challenge });

  const start = await timed(() =>
    navigate(`${relayUrl}/v1/oauth/start?${startQuery}`, { headers: siteNavigation(site) }),
  );
  await expectStatus(start.value, 302, "start");
  const authorize = new URL(start.value.headers.get("Location") ?? "");
  const cookie = (start.value.headers.get("Set-Cookie") ?? "").split(";")[0];

  // The fake's consent form posts back the authorize parameters plus the user's decision.
  const form = new URLSearchParams({
    client_id: authorize.searchParams.get("client_id") ?? "",
    redirect_uri: authorize.searchParams.get("redirect_uri") ?? "",
    response_type: "code",
    scope: authorize.searchParams.get("scope") ?? "",
    state: authorize.searchParams.get("state") ?? "",
    decision: "allow",
  });
  const consent = await fetch(`${authorize.origin}${authorize.pathname}`, {
    method: "POST",
    body: form,
    redirect: "manual",
  });
  await expectStatus(consent, 302, "fake authorize");
  const back = new URL(consent.headers.get("Location") ?? "");

  // The registered redirect URI names the relay by its public URL; reach it where it listens.
  const callback = await timed(() =>
    fetch(`${relayUrl}${back.pathname}${back.search}`, { headers: { Cookie: cookie } }),
  );
  await expectStatus(callback.value, 200, "callback");
  await callback.value.body?.cancel();

  const polled = await timed(async () => {
    const response = await fetch(`${relayUrl}/v1/oauth/attempts/${attemptId}`, {
      headers: { "X-Attempt-Verifier": verifier, Origin: site },
    });
    await expectStatus(response, 200, "attempt poll");
    return response.json();
  });
  const attempt = polled.value;
  if (attempt.status !== "complete" || !attempt.result.ok) {
    throw new Error(`attempt did not complete with a connection: ${JSON.stringify(attempt).slice(0, 300)}`);
  }
  return {
    handle: attempt.result.handle,
    timings: { issue: issue.ms, start: start.ms, callback: callback.ms, poll: polled.ms },
  };
}

/** `n` attempt ids issued by the relay for `site` (fresh verifiers), for start-only load. */
export async function issueAttempts(relayUrl, n, site = "http://localhost:5173") {
  const out = [];
  for (let i = 0; i < n; i++) {
    const response = await fetch(`${relayUrl}/v1/oauth/attempts`, {
      method: "POST",
      headers: { Origin: site },
      body: new URLSearchParams({ verifier: base64url(randomBytes(32)) }),
    });
    await expectStatus(response, 201, "attempt issue");
    out.push(await response.json());
  }
  return out;
}
