import { env, exports } from "cloudflare:workers";
import type { ErrorBody, PublishJobResponse, UploadResponse } from "@instagram-connect/types";
import { describe, expect, it } from "vitest";
import { apiFetch, newApiKey } from "../api/api-support.ts";
import { useFakeInstagram } from "../support/fake.ts";
import { RELAY, relayFetch } from "../support/relay.ts";
import { connectWithScopes, runJob, stepJob, webhookEvents } from "./action-support.ts";

/** An app's media host: JPEG bytes for *.jpg, 404 for anything else (what Instagram fetches). */
const MEDIA_HOST = "https://media.app.example.com";
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);
const ctx = useFakeInstagram({
  // Instagram fetches media itself: the relay's own uploads, or the app's media host.
  outboundFetch: async (request: Request) => {
    if (request.url.startsWith(RELAY)) return exports.default.fetch(request);
    return new URL(request.url).pathname.endsWith(".jpg")
      ? new Response(JPEG, { headers: { "Content-Type": "image/jpeg" } })
      : new Response("not found", { status: 404 });
  },
});

function publish(connectionId: string, apiKey: string, body: unknown, key = crypto.randomUUID()) {
  return apiFetch(`/v1/api/connections/${connectionId}/publish`, apiKey, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Idempotency-Key": key },
    body: JSON.stringify(body),
  });
}

const picture = (name = "a") => ({
  type: "image",
  media: { url: `${MEDIA_HOST}/${name}.jpg` },
  caption: "Hello #fake",
});

describe("POST /v1/api/connections/:id/publish", () => {
  it("runs a job IN_PROGRESS -> FINISHED -> published against the fake, then sends media.published", async () => {
    const { fake } = ctx;
    const connectionId = await connectWithScopes(fake);
    const apiKey = await newApiKey(["media:publish"]);
    const response = await publish(connectionId, apiKey, picture());
    expect(response.status).toBe(202);
    const { job } = response.json<PublishJobResponse>();
    expect(job).toMatchObject({ connectionId, status: "queued", type: "image", containerStatus: null });

    const created = await stepJob(job.id);
    expect(created).toMatchObject({ status: "in_progress", containerStatus: "IN_PROGRESS" });
    expect(fake.containers()).toHaveLength(1);
    expect((await stepJob(job.id)).containerStatus).toBe("IN_PROGRESS");
    fake.clock.advance(10_000);
    expect(await stepJob(job.id)).toMatchObject({ status: "in_progress", containerStatus: "FINISHED" });
    const done = await stepJob(job.id);
    expect(done).toMatchObject({ status: "published", containerStatus: "PUBLISHED", error: null });
    expect(done.mediaId).toMatch(/^\d+$/);
    expect(done.permalink).toMatch(/^https:\/\//);

    const read = await apiFetch(`/v1/api/connections/${connectionId}/publish/${job.id}`, apiKey);
    expect(read.status).toBe(200);
    expect(read.json<PublishJobResponse>().job).toEqual(done);
    const [event] = await webhookEvents(connectionId, "media.published");
    expect(event?.data.job).toMatchObject({ id: job.id, status: "published", mediaId: done.mediaId });
    // The new post is first in the account's media.
    const media = await apiFetch(
      `/v1/api/connections/${connectionId}/media?limit=1`,
      await newApiKey(["media:read"]),
    );
    expect(media.json<{ items: { id: string }[] }>().items[0]?.id).toBe(done.mediaId);
  });

  it("checks the publishing limit first (config.quota_total, not a constant): publishing_limit_reached, media.failed", async () => {
    const { fake } = ctx;
    fake.setPublishingLimit(1);
    fake.setContainerDelay(0);
    const connectionId = await connectWithScopes(fake);
    const apiKey = await newApiKey(["media:publish"]);
    const first = (await publish(connectionId, apiKey, picture())).json<PublishJobResponse>().job;
    expect((await runJob(fake, first.id)).status).toBe("published");
    const second = (await publish(connectionId, apiKey, picture("b"))).json<PublishJobResponse>().job;
    const failed = await runJob(fake, second.id);
    expect(failed).toMatchObject({ status: "failed", error: { code: "publishing_limit_reached" } });
    expect(fake.containers()).toHaveLength(1);
    const [event] = await webhookEvents(connectionId, "media.failed");
    expect(event?.data.job?.error?.code).toBe("publishing_limit_reached");
  });

  it("publishes a carousel (2 items + parent) and fails an unreachable media URL with media_invalid", async () => {
    const { fake } = ctx;
    fake.setContainerDelay(0);
    const connectionId = await connectWithScopes(fake);
    const apiKey = await newApiKey(["media:publish"]);
    const items = [{ url: `${MEDIA_HOST}/1.jpg` }, { url: `${MEDIA_HOST}/2.jpg` }];
    const carousel = (
      await publish(connectionId, apiKey, { type: "carousel", items })
    ).json<PublishJobResponse>().job;
    expect((await runJob(fake, carousel.id)).status).toBe("published");
    expect(fake.containers().filter((container) => container.isCarouselItem)).toHaveLength(2);

    const unreachable = { type: "image", media: { url: `${MEDIA_HOST}/missing.png` } };
    const job = (await publish(connectionId, apiKey, unreachable)).json<PublishJobResponse>().job;
    expect(await runJob(fake, job.id)).toMatchObject({ status: "failed", error: { code: "media_invalid" } });
  });

  it("refuses bad media input with 400 media_invalid before anything is created", async () => {
    const connectionId = await connectWithScopes(ctx.fake);
    const apiKey = await newApiKey(["media:publish"]);
    const url = `${MEDIA_HOST}/a.jpg`;
    const cases: [string, unknown][] = [
      ["non-https URL", { type: "image", media: { url: "http://media.app.example.com/a.jpg" } }],
      ["not a URL", { type: "image", media: { url: "a.jpg" } }],
      ["unsupported type", { type: "gif", media: { url } }],
      ["caption over 2,200", { type: "image", media: { url }, caption: "x".repeat(2201) }],
      [
        "31 hashtags",
        { type: "image", media: { url }, caption: Array.from({ length: 31 }, (_, i) => `#t${i}`).join(" ") },
      ],
      ["carousel of 1", { type: "carousel", items: [{ url }] }],
      ["carousel of 11", { type: "carousel", items: Array.from({ length: 11 }, () => ({ url })) }],
      ["image without media", { type: "image" }],
    ];
    for (const [name, body] of cases) {
      const response = await publish(connectionId, apiKey, body);
      expect(response.status, name).toBe(400);
      expect(response.json<ErrorBody>().error.code, name).toBe("media_invalid");
    }
    expect(ctx.fake.containers()).toHaveLength(0);
    const thirty = await publish(connectionId, apiKey, {
      type: "image",
      media: { url },
      caption: "#a ".repeat(30),
    });
    expect(thirty.status).toBe(202);
    await runJob(ctx.fake, thirty.json<PublishJobResponse>().job.id);
  });

  it("an Idempotency-Key is required; reused with another body it is 409 idempotency_conflict", async () => {
    const connectionId = await connectWithScopes(ctx.fake);
    const apiKey = await newApiKey(["media:publish"]);
    const missing = await apiFetch(`/v1/api/connections/${connectionId}/publish`, apiKey, {
      method: "POST",
      body: JSON.stringify(picture()),
    });
    expect(missing.status).toBe(400);
    expect(missing.json<ErrorBody>().error.code).toBe("invalid_request");
    const first = await publish(connectionId, apiKey, picture(), "key-1");
    expect(first.status).toBe(202);
    const again = await publish(connectionId, apiKey, picture(), "key-1");
    expect(again.status).toBe(200);
    expect(again.json<PublishJobResponse>().job.id).toBe(first.json<PublishJobResponse>().job.id);
    const other = await publish(connectionId, apiKey, picture("other"), "key-1");
    expect(other.status).toBe(409);
    expect(other.json<ErrorBody>().error.code).toBe("idempotency_conflict");
    await runJob(ctx.fake, first.json<PublishJobResponse>().job.id);
  });

  it("the same publish sent twice at once makes one job, one container and one post", async () => {
    const { fake } = ctx;
    fake.setContainerDelay(0);
    const connectionId = await connectWithScopes(fake);
    const apiKey = await newApiKey(["media:publish"]);
    const [a, b] = await Promise.all([
      publish(connectionId, apiKey, picture(), "same-key"),
      publish(connectionId, apiKey, picture(), "same-key"),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 202]);
    const jobId = a.json<PublishJobResponse>().job.id;
    expect(b.json<PublishJobResponse>().job.id).toBe(jobId);
    expect((await runJob(fake, jobId)).status).toBe("published");
    expect(fake.containers()).toHaveLength(1);
    expect(fake.containers().filter((container) => container.publishedMediaId)).toHaveLength(1);
  });

  it("answers 403 permission_missing when the account did not grant content publishing; 404 for another connection's job", async () => {
    const apiKey = await newApiKey(["media:publish"]);
    const basicOnly = await connectWithScopes(ctx.fake, "instagram_business_basic");
    const refused = await publish(basicOnly, apiKey, picture());
    expect(refused.status).toBe(403);
    expect(refused.json<ErrorBody>().error.code).toBe("permission_missing");

    const owner = await connectWithScopes(ctx.fake);
    const job = (await publish(owner, apiKey, picture())).json<PublishJobResponse>().job;
    const other = await connectWithScopes(ctx.fake, undefined, ctx.fake.addUser().id);
    const foreign = await apiFetch(`/v1/api/connections/${other}/publish/${job.id}`, apiKey);
    expect(foreign.status).toBe(404);
    expect(foreign.json<ErrorBody>().error.code).toBe("publish_job_not_found");
    expect(await env.PUBLISH_JOBS.getByName(job.id).view()).toMatchObject({ connectionId: owner });
    await runJob(ctx.fake, job.id);
  });

  it("publishes uploaded bytes: served to Instagram at an unguessable relay URL, deleted when the job ends", async () => {
    const { fake } = ctx;
    fake.setContainerDelay(0);
    const connectionId = await connectWithScopes(fake);
    const apiKey = await newApiKey(["media:publish"]);
    const upload = await apiFetch(`/v1/api/connections/${connectionId}/uploads`, apiKey, {
      method: "POST",
      headers: { "Content-Type": "image/jpeg", "Content-Length": String(JPEG.byteLength) },
      body: JPEG,
    });
    expect(upload.status).toBe(201);
    const { uploadId } = upload.json<UploadResponse>();
    expect(uploadId).toMatch(/^upl_[A-Za-z0-9_-]{22}$/);
    const served = await relayFetch(`/v1/uploads/${uploadId}`);
    expect(served.status).toBe(200);
    expect(served.headers.get("Content-Type")).toBe("image/jpeg");

    const job = (
      await publish(connectionId, apiKey, { type: "image", media: { uploadId } })
    ).json<PublishJobResponse>().job;
    expect((await runJob(fake, job.id)).status).toBe("published");
    expect(fake.containers()[0]?.imageUrl).toBe(`${RELAY}/v1/uploads/${uploadId}`);
    expect(await env.MEDIA.head(`uploads/${uploadId}`)).toBeNull();
    expect((await relayFetch(`/v1/uploads/${uploadId}`)).status).toBe(404);
  });

  it("refuses uploads of another type or size, and an unknown or foreign uploadId (media_invalid)", async () => {
    const connectionId = await connectWithScopes(ctx.fake);
    const apiKey = await newApiKey(["media:publish"]);
    const gif = await apiFetch(`/v1/api/connections/${connectionId}/uploads`, apiKey, {
      method: "POST",
      headers: { "Content-Type": "image/gif" },
      body: JPEG,
    });
    expect(gif.json<ErrorBody>().error.code).toBe("media_invalid");
    const huge = await apiFetch(`/v1/api/connections/${connectionId}/uploads`, apiKey, {
      method: "POST",
      headers: { "Content-Type": "image/jpeg", "Content-Length": String(9 * 1024 * 1024) },
      body: JPEG,
    });
    expect(huge.status).toBe(413);
    const unknown = await publish(connectionId, apiKey, {
      type: "image",
      media: { uploadId: "upl_AAAAAAAAAAAAAAAAAAAAAA" },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json<ErrorBody>().error.code).toBe("media_invalid");
    const other = await connectWithScopes(ctx.fake, undefined, ctx.fake.addUser().id);
    const upload = await apiFetch(`/v1/api/connections/${other}/uploads`, apiKey, {
      method: "POST",
      headers: { "Content-Type": "image/jpeg", "Content-Length": String(JPEG.byteLength) },
      body: JPEG,
    });
    const { uploadId } = upload.json<UploadResponse>();
    const foreign = await publish(connectionId, apiKey, { type: "image", media: { uploadId } });
    expect(foreign.json<ErrorBody>().error.code).toBe("media_invalid");
    expect(ctx.fake.containers()).toHaveLength(0);
  });
});
