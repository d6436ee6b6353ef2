import { ATTEMPT_VERIFIER_HEADER, type AttemptResponse, ROUTES } from "@instagram-connect/types";
import { Hono } from "hono";
import type { AppEnv } from "../app-env.ts";
import { sha256Base64Url } from "../crypto/base64url.ts";
import { errorJson } from "../http/errors.ts";
import { now } from "../runtime.ts";
import { attemptStub } from "./oauth-flow.ts";

const ATTEMPT_ID = /^[A-Za-z0-9_-]{22,64}$/;
const VERIFIER = /^[A-Za-z0-9_-]{43,128}$/;

/**
 * `GET /v1/oauth/attempts/:attemptId`: the widget's fallback when postMessage cannot arrive
 * (S13). Only the holder of the verifier behind the start's challenge learns anything; a wrong
 * verifier looks exactly like an unknown attempt.
 */
export const attemptRoute = new Hono<AppEnv>().get(ROUTES.oauthAttempt, async (c) => {
  const attemptId = c.req.param("attemptId");
  const verifier = c.req.header(ATTEMPT_VERIFIER_HEADER) ?? "";
  const notFound = errorJson({ code: "attempt_not_found", reason: "unknown_or_unverified" });
  if (!ATTEMPT_ID.test(attemptId) || !VERIFIER.test(verifier)) return notFound;
  const poll = await attemptStub(c.env.OAUTH_FLOWS, attemptId).poll(await sha256Base64Url(verifier), now());
  if (poll.status === "missing") return notFound;
  const body: AttemptResponse =
    poll.status === "pending"
      ? { status: "pending", expiresAt: new Date(poll.expiresAt).toISOString() }
      : { status: "complete", result: poll.result };
  return c.json(body, 200, { "Cache-Control": "no-store" });
});
