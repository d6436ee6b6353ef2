import type { PublishJob as PublishJobView, PublishRequest } from "@instagram-connect/types";
import { sha256Base64Url } from "../crypto/base64url.ts";
import { fail, ok, type Result } from "../result.ts";
import { now } from "../runtime.ts";

/**
 * Starts (or finds) the job of `idempotencyKey` on a connection. The job id is derived from
 * both, so it needs no index and the same key always reaches the same object.
 */
export async function startPublishJob(
  env: Pick<Env, "PUBLISH_JOBS">,
  connectionId: string,
  idempotencyKey: string,
  request: PublishRequest,
): Promise<Result<{ created: boolean; job: PublishJobView }>> {
  const jobId = await publishJobId(connectionId, idempotencyKey);
  const at = new Date(now()).toISOString();
  const job: PublishJobView = {
    id: jobId,
    connectionId,
    type: request.type,
    status: "queued",
    containerStatus: null,
    mediaId: null,
    permalink: null,
    error: null,
    createdAt: at,
    updatedAt: at,
  };
  const outcome = await env.PUBLISH_JOBS.getByName(jobId).start({
    job,
    bodyHash: await sha256Base64Url(JSON.stringify(request)),
    request,
  });
  if (outcome.kind === "conflict")
    return fail({ code: "idempotency_conflict", reason: "publish:body_differs" });
  return ok({ created: outcome.kind === "created", job: outcome.job });
}

/** A connection's job, or `publish_job_not_found` (also for another connection's job id). */
export async function readPublishJob(
  env: Pick<Env, "PUBLISH_JOBS">,
  connectionId: string,
  jobId: string,
): Promise<Result<PublishJobView>> {
  const job = await env.PUBLISH_JOBS.getByName(jobId).view();
  if (!job || job.connectionId !== connectionId)
    return fail({ code: "publish_job_not_found", reason: "publish:no_job" });
  return ok(job);
}

/** `job_` + 22 base64url characters of SHA-256(connection id, key). */
export async function publishJobId(connectionId: string, idempotencyKey: string): Promise<string> {
  return `job_${(await sha256Base64Url(`${connectionId}\n${idempotencyKey}`)).slice(0, 22)}`;
}
