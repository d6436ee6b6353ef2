// One real popup-mode connection through the relay and the fake Instagram, the way a browser and
// the widget drive it: start -> consent (fake authorize POST) -> callback with the cookie ->
// attempt poll with the verifier -> the connection credential.
import { createHash, randomBytes } from "node:crypto";
import http from "node:http";

const base64url = (bytes) => Buffer.from(bytes).toString("base64url");

const agent = new http.Agent({ keepAlive: true });

/**
 * GET through node:http: Node's fetch (undici) always sends `Sec-Fetch-Mode: cors`, which is not
 * the navigation a browser makes for the popup's start (S30), so the start would get the
 * confirmation page. Answers with the slice of a fetch Response the bench reads.
 */
export function navigate(url, init = {}) {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers: init.headers ?? {} }, (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () => {
        const body = Buffer.concat(chunks);
        const headers = new Headers();
        for (const [name, value] of Object.entries(response.headers)) {
          for (const one of [value].flat()) if (one !== undefined) headers.append(name, one);
        }
        resolve({
          status: response.statusCode ?? 0,
          headers,
          text: async () => body.toString("utf8"),
          arrayBuffer: async () => body,
        });
      });
    });
    request.on("error", reject);
  });
}

/** The headers of the popup navigation a browser makes when `site` opens the start (S30). */
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
 * Returns the widget's handle and the wall time of each relay step in ms.
 */
export async function connectThroughRelay({ relayUrl, site }) {
  const verifier = base64url(randomBytes(32));
  const attemptId = base64url(randomBytes(16));
  const challenge = createHash("sha256").update(verifier).digest("base64url");
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
    timings: { start: start.ms, callback: callback.ms, poll: polled.ms },
  };
}
