import { fromBase64Url, randomToken, toBase64Url } from "../crypto/base64url.ts";
import type { KeyRing } from "../crypto/keys.ts";
import { macWith, verifyMacAnyKey } from "../crypto/mac.ts";
import { FLOW_TTL_MS, type FlowRecord } from "./flow-types.ts";

const STATE_FORMAT = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;
const SEALED_FORMAT = /^([A-Za-z0-9_-]{1,32})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{20,3800})$/;
const COOKIE_PREFIX = "__Host-ic_flow_";

/** A new flow id (128 random bits, S1). */
export function newFlowId(): string {
  return randomToken(16);
}

/** `state = <flowId>.<HMAC(state key, flowId)>`: what Instagram carries back to the callback. */
export async function flowState(ring: KeyRing, flowId: string): Promise<string> {
  return `${flowId}.${await macWith(ring, ring.currentKid, "state-mac", stateMessage(flowId))}`;
}

/** The flow id of an authentic state (made by this relay), else null. */
export async function verifyState(ring: KeyRing, state: string): Promise<string | null> {
  const match = STATE_FORMAT.exec(state);
  if (!match?.[1] || !match[2]) return null;
  return (await verifyMacAnyKey(ring, "state-mac", stateMessage(match[1]), match[2])) ? match[1] : null;
}

/**
 * Seals the flow into the value of its binding cookie: AES-256-GCM under the newest `flow-seal`
 * key, the flow id and key id bound in as additional data. The cookie is both the flow's record
 * (the relay stores nothing at the start) and the browser binding (S1): only the browser that
 * started holds it, and nobody without the relay's key can make, read or alter one, or move
 * one to another flow's state.
 */
export async function sealFlow(ring: KeyRing, flow: FlowRecord): Promise<string> {
  const { flowId, ...rest } = flow;
  const kid = ring.currentKid;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: sealContext(flowId, kid) },
    await ring.aesKey(kid, "flow-seal"),
    new TextEncoder().encode(JSON.stringify(rest)),
  );
  return `${kid}.${toBase64Url(iv)}.${toBase64Url(ciphertext)}`;
}

/** The flow sealed in `cookie` for the state's `flowId`, or null when forged, altered or moved. */
export async function openFlow(ring: KeyRing, flowId: string, cookie: string): Promise<FlowRecord | null> {
  const match = SEALED_FORMAT.exec(cookie);
  const iv = match?.[2] ? fromBase64Url(match[2]) : null;
  const ciphertext = match?.[3] ? fromBase64Url(match[3]) : null;
  const kid = match?.[1];
  if (!kid || !iv || !ciphertext || !ring.has(kid)) return null;
  try {
    const plaintext = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv, additionalData: sealContext(flowId, kid) },
      await ring.aesKey(kid, "flow-seal"),
      ciphertext,
    );
    // Authentic, so it is our own JSON: the shape needs no second validation.
    return { flowId, ...(JSON.parse(new TextDecoder().decode(plaintext)) as Omit<FlowRecord, "flowId">) };
  } catch {
    return null;
  }
}

/** Name of the binding cookie of one flow (one per flow, so two tabs do not clash). */
export function bindingCookieName(flowId: string): string {
  return `${COOKIE_PREFIX}${flowId}`;
}

/** `Set-Cookie` for the sealed flow: `__Host-`, HttpOnly, Secure, SameSite=Lax, 10 minutes. */
export function bindingCookie(flowId: string, sealed: string): string {
  return `${bindingCookieName(flowId)}=${sealed}; Path=/; Max-Age=${FLOW_TTL_MS / 1000}; HttpOnly; Secure; SameSite=Lax`;
}

/** `Set-Cookie` that removes a flow's binding cookie once the flow is used. */
export function clearBindingCookie(flowId: string): string {
  return `${bindingCookieName(flowId)}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax`;
}

function stateMessage(flowId: string): string {
  return `instagram-connect/state/v1|${flowId}`;
}

function sealContext(flowId: string, kid: string): Uint8Array {
  return new TextEncoder().encode(`instagram-connect/flow/v1|${flowId}|${kid}`);
}

/**
 * Sends the browser to Instagram's consent for `flow`: the authorize URL with the flow's state,
 * the sealed flow as its binding cookie, no caching and no Referer. One builder for the widget's
 * start and the hosted link, so both ask Instagram the same way. `forceLogin` asks for a fresh
 * login (switch account); a 303 after a form POST keeps the form out of the history.
 */
export async function redirectToConsent(
  ring: KeyRing,
  oauth: { authorizeUrl: string; clientId: string; redirectUri: string },
  flow: FlowRecord,
  options: { status: 302 | 303; forceLogin?: boolean },
): Promise<Response> {
  const [state, sealed] = await Promise.all([flowState(ring, flow.flowId), sealFlow(ring, flow)]);
  const authorize = new URL(oauth.authorizeUrl);
  authorize.searchParams.set("client_id", oauth.clientId);
  authorize.searchParams.set("redirect_uri", oauth.redirectUri);
  authorize.searchParams.set("response_type", "code");
  authorize.searchParams.set("scope", flow.scopes.join(","));
  authorize.searchParams.set("state", state);
  if (options.forceLogin) {
    authorize.searchParams.set("force_authentication", "1");
    authorize.searchParams.set("enable_fb_login", "0");
  }
  return new Response(null, {
    status: options.status,
    headers: {
      Location: authorize.href,
      "Set-Cookie": bindingCookie(flow.flowId, sealed),
      "Cache-Control": "no-store",
      "Referrer-Policy": "no-referrer",
    },
  });
}
