import type { FakeInstagram } from "@instagram-connect/fake-instagram";
import type { InstagramComment, PublishJobResponse } from "@instagram-connect/types";
import { apiFetch, newApiKey } from "../api/api-support.ts";
import type { RelayResponse } from "../support/relay.ts";
import { relayFetch } from "../support/relay.ts";
import { connectWithScopes, runJob } from "./action-support.ts";

type Check = (method: string, template: string, response: RelayResponse) => void;

/**
 * Real answers of the publishing, comment, insights and Instagram webhook routes, success and
 * error, for the OpenAPI test's "every route documented and exercised" check.
 */
export async function checkActionRoutes(fake: FakeInstagram, check: Check): Promise<void> {
  const api = await newApiKey();
  const connectionId = await connectWithScopes(fake, undefined, fake.addUser().id);
  const byId = `/v1/api/connections/${connectionId}`;
  const t = (suffix: string) => `/v1/api/connections/{connectionId}${suffix}`;
  const post = (body: unknown, headers: Record<string, string> = {}) => ({
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const picture = { type: "image", media: { url: "https://media.app.example.com/a.jpg" } };

  const started = await apiFetch(`${byId}/publish`, api, post(picture, { "Idempotency-Key": "doc-1" }));
  check("POST", t("/publish"), started);
  check(
    "POST",
    t("/publish"),
    await apiFetch(`${byId}/publish`, api, post(picture, { "Idempotency-Key": "doc-1" })),
  );
  check(
    "POST",
    t("/publish"),
    await apiFetch(`${byId}/publish`, api, post({ type: "gif" }, { "Idempotency-Key": "x" })),
  );
  const job = started.json<PublishJobResponse>().job;
  await runJob(fake, job.id);
  check("GET", t("/publish/{jobId}"), await apiFetch(`${byId}/publish/${job.id}`, api));
  check("GET", t("/publish/{jobId}"), await apiFetch(`${byId}/publish/job_AAAAAAAAAAAAAAAAAAAAAA`, api));

  const user = fake.users.at(-1);
  const mediaId = user?.media.find((item) => item.commentsCount >= 3)?.id ?? "";
  const comments = await apiFetch(`${byId}/media/${mediaId}/comments?limit=2`, api);
  check("GET", t("/media/{mediaId}/comments"), comments);
  check(
    "GET",
    t("/media/{mediaId}/comments"),
    await apiFetch(`${byId}/media/${mediaId}/comments?limit=99`, api),
  );
  const commentId = comments.json<{ items: InstagramComment[] }>().items[0]?.id ?? "";
  const replies = `${byId}/comments/${commentId}/replies`;
  check("GET", t("/comments/{commentId}/replies"), await apiFetch(replies, api));
  check(
    "POST",
    t("/comments/{commentId}/replies"),
    await apiFetch(replies, api, post({ message: "Thanks" })),
  );
  check("POST", t("/comments/{commentId}/replies"), await apiFetch(replies, api, post({ message: "" })));
  const patch = (body: unknown) => ({ ...post(body), method: "PATCH" });
  check(
    "PATCH",
    t("/comments/{commentId}"),
    await apiFetch(`${byId}/comments/${commentId}`, api, patch({ hidden: true })),
  );
  check(
    "PATCH",
    t("/comments/{commentId}"),
    await apiFetch(`${byId}/comments/1/`, api, patch({ hidden: true })),
  );
  check(
    "DELETE",
    t("/comments/{commentId}"),
    await apiFetch(`${byId}/comments/${commentId}`, api, { method: "DELETE" }),
  );
  check(
    "PATCH",
    t("/media/{mediaId}"),
    await apiFetch(`${byId}/media/${mediaId}`, api, patch({ commentsEnabled: false })),
  );
  check("GET", t("/insights"), await apiFetch(`${byId}/insights?metrics=reach&period=day`, api));
  check("GET", t("/insights"), await apiFetch(`${byId}/insights?metrics=impressions`, api));
  check(
    "GET",
    t("/media/{mediaId}/insights"),
    await apiFetch(`${byId}/media/${mediaId}/insights?metrics=reach`, api),
  );

  const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0]);
  const upload = await apiFetch(`${byId}/uploads`, api, {
    method: "POST",
    headers: { "Content-Type": "image/jpeg", "Content-Length": "4" },
    body: jpeg,
  });
  check("POST", t("/uploads"), upload);
  check(
    "POST",
    t("/uploads"),
    await apiFetch(`${byId}/uploads`, api, {
      method: "POST",
      headers: { "Content-Type": "image/gif" },
      body: jpeg,
    }),
  );
  const { uploadId } = upload.json<{ uploadId: string }>();
  check("GET", "/v1/uploads/{uploadId}", await relayFetch(`/v1/uploads/${uploadId}`));
  check("GET", "/v1/uploads/{uploadId}", await relayFetch("/v1/uploads/upl_nope"));
  const hooks = "/v1/instagram/webhooks";
  check("GET", hooks, await relayFetch(`${hooks}?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`));
  check("POST", hooks, await relayFetch(hooks, { method: "POST", body: "{}" }));
}
