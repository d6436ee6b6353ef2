import type { MediaItem, PublishJob } from "@instagram-connect/types";
import { useQuery } from "@tanstack/react-query";
import { type ReactElement, useEffect, useState } from "react";
import { demoApi } from "./demo-api.ts";
import { useMyConnections } from "./use-my-connections.ts";

/** How often the page asks the backend for the job (the relay follows Instagram with alarms). */
const POLL_MS = 1_000;

/** A JPEG drawn here (Instagram publishes JPEG only): a gradient and the time, so each post differs. */
async function drawPicture(): Promise<Blob> {
  const canvas = document.createElement("canvas");
  canvas.width = 640;
  canvas.height = 640;
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("no 2D canvas");
  const gradient = ctx.createLinearGradient(0, 0, 640, 640);
  gradient.addColorStop(0, "#f58529");
  gradient.addColorStop(0.5, "#dd2a7b");
  gradient.addColorStop(1, "#515bd4");
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, 640, 640);
  ctx.fillStyle = "#fff";
  ctx.font = "bold 44px system-ui, sans-serif";
  ctx.textAlign = "center";
  ctx.fillText("instagram-connect", 320, 300);
  ctx.font = "28px system-ui, sans-serif";
  ctx.fillText(new Date().toLocaleString("en"), 320, 360);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("no JPEG"))), "image/jpeg", 0.9),
  );
}

const STATUS_TEXT: Record<PublishJob["status"], string> = {
  queued: "Queued",
  in_progress: "Instagram is processing the picture…",
  published: "Published",
  failed: "Failed",
};

/**
 * "Publish": the site's backend uploads a picture to the relay and starts a publishing job; the
 * page follows the job until it is published, then shows the account's media with the new post.
 */
export function PublishCard(): ReactElement {
  const connections = useMyConnections();
  const [chosen, setChosen] = useState("");
  const connectionId = chosen || connections.data?.[0]?.id || "";
  const [job, setJob] = useState<PublishJob | null>(null);
  const [error, setError] = useState("");

  // Follow the job until it ends.
  useEffect(() => {
    if (!job || job.status === "published" || job.status === "failed") return;
    const timer = setTimeout(() => {
      demoApi.job(job.connectionId, job.id).then(
        (answer) => setJob(answer.job),
        (reason: Error) => setError(reason.message),
      );
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [job]);

  const published = job?.status === "published" ? job.mediaId : null;
  const media = useQuery({
    queryKey: ["media", connectionId, published],
    queryFn: () => demoApi.media(connectionId),
    enabled: !!connectionId,
    // The relay caches media lists for a few seconds: until the new post is listed, ask again.
    refetchInterval: (query) =>
      published && !query.state.data?.items.some((item) => item.id === published) ? 2_000 : false,
  });

  async function publish() {
    setError("");
    setJob(null);
    try {
      setJob((await demoApi.publishPicture(connectionId, await drawPicture())).job);
    } catch (reason) {
      setError((reason as Error).message);
    }
  }

  const busy = !!job && job.status !== "published" && job.status !== "failed";
  return (
    <section className="demo-card" aria-labelledby="publish-title">
      <h2 id="publish-title">Publish</h2>
      <p className="demo-muted">
        Post a picture to the connected account: the backend uploads the bytes to the relay, which hands
        Instagram a short-lived URL, follows the container until it is ready and publishes it.
      </p>
      {connections.data?.length === 0 ? (
        <p className="demo-muted">Connect an account first.</p>
      ) : (
        <div className="demo-site-actions">
          {(connections.data?.length ?? 0) > 1 && (
            <label>
              Account{" "}
              <select value={connectionId} onChange={(event) => setChosen(event.target.value)}>
                {connections.data?.map((c) => (
                  <option key={c.id} value={c.id}>
                    @{c.profile.username}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button
            type="button"
            className="demo-secondary-button"
            disabled={!connectionId || busy}
            onClick={() => void publish()}
          >
            Publish a picture
          </button>
        </div>
      )}
      <p role="status" data-testid="publish-status" data-job-status={job?.status ?? ""}>
        {job ? `${STATUS_TEXT[job.status]}${job.error ? `: ${job.error.message}` : ""}` : ""}
      </p>
      {error && (
        <p className="demo-error" role="alert">
          {error}
        </p>
      )}
      {media.data && (
        <ul className="demo-grid" aria-label="Media of the account">
          {media.data.items.map((item) => (
            <MediaTile key={item.id} item={item} isNew={item.id === published} />
          ))}
        </ul>
      )}
    </section>
  );
}

function MediaTile({ item, isNew }: { item: MediaItem; isNew: boolean }): ReactElement {
  const src = item.mediaType === "VIDEO" ? (item.thumbnailUrl ?? item.mediaUrl) : item.mediaUrl;
  return (
    <li
      className="demo-tile"
      data-testid="published-media"
      data-media-id={item.id}
      data-new={isNew || undefined}
    >
      {src ? (
        <img src={src} alt={item.caption ?? "Instagram post"} loading="lazy" />
      ) : (
        <span className="demo-tile-missing">Not available</span>
      )}
      {isNew && <span className="demo-tile-badge">New</span>}
    </li>
  );
}
