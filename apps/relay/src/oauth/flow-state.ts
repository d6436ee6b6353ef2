import { randomToken, sha256Base64Url } from "../crypto/base64url.ts";
import type { KeyRing } from "../crypto/keys.ts";
import { macWith, verifyMacAnyKey } from "../crypto/mac.ts";
import { FLOW_TTL_MS } from "./flow-types.ts";

const STATE_FORMAT = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;
const COOKIE_PREFIX = "__Host-ic_flow_";

/** A new flow: its id, the `state` sent to Instagram and the browser-binding cookie value. */
export interface NewFlowSecrets {
  flowId: string;
  state: string;
  binding: string;
  bindingHash: string;
}

/**
 * Makes `state = <flowId>.<HMAC(state key, flowId)>` (128 random bits of flow id, S1) and a
 * separate 256-bit binding value for the browser's cookie (only its hash is stored).
 */
export async function newFlowSecrets(ring: KeyRing): Promise<NewFlowSecrets> {
  const flowId = randomToken(16);
  const binding = randomToken(32);
  const mac = await macWith(ring, ring.currentKid, "state-mac", stateMessage(flowId));
  return { flowId, state: `${flowId}.${mac}`, binding, bindingHash: await sha256Base64Url(binding) };
}

/** The flow id of an authentic state (made by this relay), else null. */
export async function verifyState(ring: KeyRing, state: string): Promise<string | null> {
  const match = STATE_FORMAT.exec(state);
  if (!match?.[1] || !match[2]) return null;
  return (await verifyMacAnyKey(ring, "state-mac", stateMessage(match[1]), match[2])) ? match[1] : null;
}

/** Name of the binding cookie of one flow (one per flow, so two tabs do not clash). */
export function bindingCookieName(flowId: string): string {
  return `${COOKIE_PREFIX}${flowId}`;
}

/** `Set-Cookie` for the binding: `__Host-`, HttpOnly, Secure, SameSite=Lax, 10 minutes. */
export function bindingCookie(flowId: string, binding: string): string {
  return `${bindingCookieName(flowId)}=${binding}; Path=/; Max-Age=${FLOW_TTL_MS / 1000}; HttpOnly; Secure; SameSite=Lax`;
}

/** `Set-Cookie` that removes a flow's binding cookie once the flow is used. */
export function clearBindingCookie(flowId: string): string {
  return `${bindingCookieName(flowId)}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax`;
}

function stateMessage(flowId: string): string {
  return `instagram-connect/state/v1|${flowId}`;
}
