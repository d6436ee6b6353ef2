import {
  ATTEMPT_VERIFIER_HEADER,
  type AttemptIssuedResponse,
  type AttemptResponse,
  ROUTES,
} from "@instagram-connect/types";
import { Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../app-env.ts";
import { sha256Base64Url } from "../crypto/base64url.ts";
import { errorJson } from "../http/errors.ts";
import { NO_STORE } from "../http/security-headers.ts";
import { clientIpKey, rateLimit } from "../rate-limit/index.ts";
import { now } from "../runtime.ts";
import { type IssuedAttempt, issueAttemptId, verifyAttemptId } from "./attempt-id.ts";
import { attemptStub } from "./oauth-flow.ts";
import { isAllowedOrigin } from "./origin-policy.ts";

const VERIFIER = /^[A-Za-z0-9_-]{43,128}$/;
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** Variables of the attempt routes: the attempt a poll proved (set before the rate limit). */
type AttemptEnv = { Bindings: Env; Variables: AppEnv["Variables"] & { attempt: IssuedAttempt } };

// Polling has its own per-IP budget (a widget polls for minutes) that fails closed: a poll can
// release a credential (S32). Leased like `oauth` (rate-limit/lease.ts): a polling widget keeps
// its IP's key warm, so most polls skip the limiter's round trip; refusals stay exact, overshoot
// at most ceil(limit * LEASE_TTL_MS / window) = 2 per window at the default 60 / 60 s.
const attemptLimit = rateLimit<AttemptEnv>({ family: "attempt", key: clientIpKey, lease: true });

/**
 * A poll must name an attempt this relay issued for the challenge of the verifier it presents
 * (S35): checked by MAC alone, so an unknown, forged or expired id, or a wrong verifier, is a
 * 404 before any Durable Object (the limiter's or the attempt's) is touched. Such a request costs
 * what `/health` costs; only proven polls spend the per-IP budget.
 */
const provenAttempt: MiddlewareHandler<AttemptEnv> = async (c, next) => {
  const verifier = c.req.header(ATTEMPT_VERIFIER_HEADER) ?? "";
  const challenge = VERIFIER.test(verifier) ? await sha256Base64Url(verifier) : "";
  const proven = await verifyAttemptId(
    c.get("config").vault.keys,
    c.req.param("attemptId") ?? "",
    challenge,
    now(),
  );
  if (!proven.ok) return errorJson({ code: "attempt_not_found", reason: "unknown_or_unverified" });
  c.set("attempt", proven.value);
  await next();
};

/**
 * The challenge of an issue form: exactly one well-formed `verifier` (the relay hashes it and
 * forgets it; the widget sends this, which spares it a SHA-256 and base64url in its bundle) or
 * exactly one well-formed `challenge`; null otherwise.
 */
async function challengeOf(form: URLSearchParams): Promise<string | null> {
  const verifiers = form.getAll("verifier");
  const challenges = form.getAll("challenge");
  if (verifiers.length + challenges.length !== 1) return null;
  if (verifiers[0] !== undefined) return VERIFIER.test(verifiers[0]) ? sha256Base64Url(verifiers[0]) : null;
  return CHALLENGE.test(challenges[0] ?? "") ? (challenges[0] ?? null) : null;
}

/**
 * `POST /v1/oauth/attempts` issues an attempt id for the widget's challenge (form body
 * `verifier=` or `challenge=`, a CORS-simple request: no preflight); only a page of an allowed origin may ask.
 * `GET /v1/oauth/attempts/:attemptId` is the widget's fallback when postMessage cannot arrive
 * (S13): only the holder of the verifier behind the attempt's challenge learns anything; a wrong
 * verifier looks exactly like an unknown attempt.
 */
export const attemptRoute = new Hono<AttemptEnv>()
  .post(
    ROUTES.oauthAttempts,
    bodyLimit({
      maxSize: 1024,
      onError: () => errorJson({ code: "payload_too_large", reason: "attempt_form" }),
    }),
    // Not rate-limited: issuing is one HMAC and stores nothing, cheaper than the limiter's own
    // round trip (like /health). Every use of an id that reaches storage is limited: the poll
    // (`attempt`, below), the start and the callback (`oauth`).
    async (c) => {
      const config = c.get("config");
      const origin = c.req.header("Origin") ?? "";
      if (!isAllowedOrigin(config, origin)) {
        return errorJson({ code: "origin_not_allowed", reason: "attempt_origin_not_listed" });
      }
      const challenge = await challengeOf(new URLSearchParams(await c.req.text()));
      if (!challenge) return errorJson({ code: "invalid_request", reason: "bad_verifier_or_challenge" });
      const issued = await issueAttemptId(config.vault.keys, challenge, now());
      const body: AttemptIssuedResponse = {
        attemptId: issued.attemptId,
        challenge,
        expiresAt: new Date(issued.expiresAt).toISOString(),
      };
      return c.json(body, 201, NO_STORE);
    },
  )
  .get(ROUTES.oauthAttempt, provenAttempt, attemptLimit, async (c) => {
    const { attemptId, expiresAt } = c.get("attempt");
    const poll = await attemptStub(c.env.OAUTH_FLOWS, attemptId).poll(expiresAt, now());
    if (poll.status === "missing") {
      return errorJson({ code: "attempt_not_found", reason: "unknown_or_unverified" });
    }
    const body: AttemptResponse =
      poll.status === "pending"
        ? { status: "pending", expiresAt: new Date(poll.expiresAt).toISOString() }
        : { status: "complete", result: poll.result };
    return c.json(body, 200, NO_STORE);
  });
