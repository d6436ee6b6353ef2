import { DurableObject } from "cloudflare:workers";
import {
  ERROR_MESSAGES,
  type ErrorCode,
  type PublishJob as PublishJobView,
  type PublishRequest,
} from "@instagram-connect/types";
import { relayConfig } from "../config/relay-config.ts";
import { coordinatedStore } from "../lifecycle/connection-coordinator.ts";
import { logEvent } from "../log.ts";
import type { Failure } from "../result.ts";
import { now } from "../runtime.ts";
import { emitWebhook } from "../webhooks/emit-webhook.ts";
import { type AccountAccess, accessAccount } from "./account-access.ts";
import {
  checkPublishingLimit,
  containerStatus,
  createContainer,
  publishContainer,
  readPermalink,
} from "./publish-steps.ts";
import { deleteUploads, mediaOf, mediaUrl } from "./uploads.ts";

/** Where a job is in its run; stored with the job in the object's storage. */
type Phase = "limit" | "create" | "wait" | "publish" | "done";

/** Everything a job keeps (`job` in the object's storage). Never a token. */
export interface JobState {
  job: PublishJobView;
  /** SHA-256 of the canonical request: the same Idempotency-Key with another body is a conflict. */
  bodyHash: string;
  request: PublishRequest;
  phase: Phase;
  containerId: string | null;
  /** Status reads so far (bounded by MAX_POLLS). */
  polls: number;
  /** Consecutive transient failures (bounded by MAX_RETRIES). */
  retries: number;
}

/** What `start` answers: the job (new or existing), or a conflict with another body. */
export type StartOutcome = { kind: "created" | "existing"; job: PublishJobView } | { kind: "conflict" };

// Instagram: poll "once per minute, for no more than 5 minutes"; images are usually ready at
// once, videos can take longer, so start fast and back off to a minute, about 15 min in all.
const POLL_DELAYS_MS = [2_000, 5_000, 10_000, 30_000];
const MAX_POLL_DELAY_MS = 60_000;
const MAX_POLLS = 20;
const MAX_RETRIES = 5;
const TRANSIENT = new Set<ErrorCode>(["rate_limited", "upstream_error", "upstream_timeout"]);
const STATE_KEY = "job";

/**
 * One publishing job, one object per (connection, Idempotency-Key) (`jobId` is derived from
 * both), so the same publish sent twice at once reaches one object and becomes one post.
 * `start` only stores the job and arms an alarm: no request is held open while Instagram
 * processes. Each alarm runs one step: the publishing limit, the container(s), a status read
 * (re-armed with backoff while IN_PROGRESS), `media_publish` once FINISHED, then the
 * `media.published` / `media.failed` webhook. Transient failures are retried from later alarms.
 * An ambiguous publish failure is never retried blindly: the container is read again and
 * PUBLISHED counts as published (no double post).
 */
export class PublishJob extends DurableObject<Env> {
  /** Creates the job once; the same body again returns it, another body is a conflict. */
  async start(input: {
    job: PublishJobView;
    bodyHash: string;
    request: PublishRequest;
  }): Promise<StartOutcome> {
    const existing = this.ctx.storage.kv.get<JobState>(STATE_KEY);
    if (existing) {
      return existing.bodyHash === input.bodyHash
        ? { kind: "existing", job: existing.job }
        : { kind: "conflict" };
    }
    const state: JobState = { ...input, phase: "limit", containerId: null, polls: 0, retries: 0 };
    this.ctx.storage.kv.put(STATE_KEY, state);
    await this.ctx.storage.setAlarm(Date.now());
    return { kind: "created", job: state.job };
  }

  /** The job's public view (null when no job has this id). */
  async view(): Promise<PublishJobView | null> {
    return this.ctx.storage.kv.get<JobState>(STATE_KEY)?.job ?? null;
  }

  override async alarm(): Promise<void> {
    const state = this.ctx.storage.kv.get<JobState>(STATE_KEY);
    if (!state || state.phase === "done") return;
    await this.#step(state);
  }

  async #step(state: JobState): Promise<void> {
    const config = relayConfig(this.env);
    const record = await coordinatedStore(this.env, config).get(state.job.connectionId);
    if (!record)
      return this.#finish(state, { code: "connection_not_found", reason: "publish:connection_gone" });
    const access = await accessAccount({ env: this.env, config, record }, "publishing");
    if (!access.ok) return this.#retryOrFail(state, access.failure);
    switch (state.phase) {
      case "limit":
        return this.#limit(state, access.value);
      case "create":
        return this.#create(state, access.value);
      case "wait":
        return this.#wait(state, access.value);
      case "publish":
        return this.#publish(state, access.value);
    }
  }

  async #limit(state: JobState, access: AccountAccess): Promise<void> {
    const allowed = await checkPublishingLimit(access);
    if (!allowed.ok) return this.#retryOrFail(state, allowed.failure);
    return this.#create({ ...state, phase: "create", retries: 0 }, access);
  }

  async #create(state: JobState, access: AccountAccess): Promise<void> {
    // Uploaded bytes are fetched by Instagram from the relay's own public URL.
    const relayOrigin = new URL(relayConfig(this.env).oauth.redirectUri).origin;
    const container = await createContainer(access, state.request, (media) => mediaUrl(media, relayOrigin));
    if (!container.ok) return this.#retryOrFail(state, container.failure);
    const next = this.#update(
      state,
      { phase: "wait", containerId: container.value, retries: 0 },
      {
        status: "in_progress",
        containerStatus: "IN_PROGRESS",
      },
    );
    await this.#schedule(next);
  }

  async #wait(state: JobState, access: AccountAccess): Promise<void> {
    const status = await containerStatus(access, state.containerId ?? "");
    if (!status.ok) return this.#retryOrFail(state, status.failure);
    const seen = { containerStatus: status.value.code };
    switch (status.value.code) {
      case "FINISHED":
        // Published from the next alarm, so FINISHED is visible to GET between the two.
        return this.#schedule(this.#update(state, { phase: "publish", retries: 0 }, seen));
      case "PUBLISHED":
        // An earlier media_publish went through although its answer was lost.
        return this.#finish(this.#update(state, {}, seen), null);
      case "ERROR":
        return this.#finish(this.#update(state, {}, seen), {
          code: "media_invalid",
          reason: `publish:container_error:${/\d{6,}/.exec(status.value.text)?.[0] ?? "none"}`,
        });
      case "EXPIRED":
        return this.#finish(this.#update(state, {}, seen), {
          code: "upstream_error",
          reason: "publish:container_expired",
        });
      default: {
        if (state.polls + 1 >= MAX_POLLS) {
          return this.#finish(this.#update(state, {}, seen), {
            code: "upstream_timeout",
            reason: "publish:still_in_progress",
          });
        }
        await this.#schedule(this.#update(state, { polls: state.polls + 1, retries: 0 }, seen));
      }
    }
  }

  async #publish(state: JobState, access: AccountAccess): Promise<void> {
    const published = await publishContainer(access, state.containerId ?? "");
    if (published.ok) {
      const permalink = await readPermalink(access, published.value);
      const done = this.#update(
        state,
        {},
        { containerStatus: "PUBLISHED", mediaId: published.value, permalink },
      );
      return this.#finish(done, null);
    }
    // Lost answer or "not ready yet" (9007): read the container again rather than publish twice.
    if (TRANSIENT.has(published.failure.code) || published.failure.reason?.includes("code_9007")) {
      if (state.retries + 1 >= MAX_RETRIES) return this.#finish(state, published.failure);
      return this.#schedule(this.#update(state, { phase: "wait", retries: state.retries + 1 }, {}));
    }
    return this.#finish(state, published.failure);
  }

  async #retryOrFail(state: JobState, failure: Failure): Promise<void> {
    if (!TRANSIENT.has(failure.code) || state.retries + 1 >= MAX_RETRIES) return this.#finish(state, failure);
    logEvent("warn", "publish.retry_scheduled", { jobId: state.job.id, reason: failure.reason });
    await this.#schedule(this.#update(state, { retries: state.retries + 1 }, {}));
  }

  /** Ends the job (published when `failure` is null), stores it and announces it by webhook. */
  async #finish(state: JobState, failure: Failure | null): Promise<void> {
    const done = this.#update(
      state,
      { phase: "done" },
      failure
        ? { status: "failed", error: { code: failure.code, message: ERROR_MESSAGES[failure.code] } }
        : { status: "published" },
    );
    await this.ctx.storage.deleteAlarm();
    await deleteUploads(this.env.MEDIA, mediaOf(done.request)).catch((error: unknown) =>
      logEvent("error", "publish.upload_delete_failed", {
        jobId: done.job.id,
        error: error instanceof Error ? error.name : "unknown",
      }),
    );
    logEvent(failure ? "warn" : "info", failure ? "publish.failed" : "publish.published", {
      jobId: done.job.id,
      connectionId: done.job.connectionId,
      reason: failure?.reason,
    });
    await emitWebhook(this.env, failure ? "media.failed" : "media.published", {
      connectionId: done.job.connectionId,
      job: done.job,
    });
  }

  #update(state: JobState, changes: Partial<JobState>, job: Partial<PublishJobView>): JobState {
    const next: JobState = {
      ...state,
      ...changes,
      job: { ...state.job, ...job, updatedAt: new Date(now()).toISOString() },
    };
    this.ctx.storage.kv.put(STATE_KEY, next);
    return next;
  }

  async #schedule(state: JobState): Promise<void> {
    const step = state.phase === "wait" ? state.polls : state.phase === "publish" ? 0 : state.retries;
    await this.ctx.storage.setAlarm(Date.now() + (POLL_DELAYS_MS[step] ?? MAX_POLL_DELAY_MS));
  }
}
