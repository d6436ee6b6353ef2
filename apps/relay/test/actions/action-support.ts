import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { FakeInstagram } from "@instagram-connect/fake-instagram";
import type { PublishJob, WebhookEvent } from "@instagram-connect/types";
import { expect, vi } from "vitest";
import { approve, callback, postedMessage, startFlow } from "../support/flow.ts";
import { webhookReceiver } from "../support/webhook-receiver.ts";

/** Every scope an enabled feature uses (the test relay allows them all). */
export const ALL_SCOPES = [
  "instagram_business_basic",
  "instagram_business_content_publish",
  "instagram_business_manage_comments",
  "instagram_business_manage_insights",
].join(",");

/** Connects a fake user through the real consent flow, granting `scopes`; returns the connection id. */
export async function connectWithScopes(
  fake: FakeInstagram,
  scopes = ALL_SCOPES,
  userId?: string,
): Promise<string> {
  const flow = await startFlow({ scopes });
  const page = await callback(approve(fake, flow, userId), flow.cookie);
  const { message } = postedMessage(page.text);
  if (!message.result.ok) throw new Error(`connect failed: ${message.result.error.code}`);
  return message.result.handle.connectionId;
}

/** Runs the job's pending alarm now (instead of waiting for it) and returns the job afterwards. */
export async function stepJob(jobId: string): Promise<PublishJob> {
  const stub = env.PUBLISH_JOBS.getByName(jobId);
  await runDurableObjectAlarm(stub);
  const job = await stub.view();
  if (!job) throw new Error(`no job ${jobId}`);
  return job;
}

/** Steps a job until it ends (advancing the fake clock past container processing). */
export async function runJob(fake: FakeInstagram, jobId: string): Promise<PublishJob> {
  for (let i = 0; i < 12; i++) {
    const job = await stepJob(jobId);
    if (job.status === "published" || job.status === "failed") return job;
    fake.clock.advance(15_000);
  }
  throw new Error(`job ${jobId} did not end`);
}

/** Waits for `count` webhook events of a type for a connection (delivered by the outbox). */
export async function webhookEvents(
  connectionId: string,
  type: WebhookEvent["type"],
  count = 1,
): Promise<WebhookEvent[]> {
  let found: WebhookEvent[] = [];
  await vi.waitFor(
    () => {
      found = webhookReceiver.deliveries
        .map((delivery) => JSON.parse(delivery.body) as WebhookEvent)
        .filter((event) => event.type === type && event.data.connectionId === connectionId);
      expect(found).toHaveLength(count);
    },
    { timeout: 10_000 },
  );
  return found;
}
