import { useInstagramMedia } from "@instagram-connect/react";
import type { MediaItem } from "@instagram-connect/types";
import type { ReactElement } from "react";
import { RELAY_URL } from "./relay-url.ts";

const BADGE: Record<MediaItem["mediaType"], string> = { IMAGE: "", VIDEO: "Video", CAROUSEL_ALBUM: "Album" };

function Tile({ item }: { item: MediaItem }): ReactElement {
  // Videos show their thumbnail; Instagram omits media_url for copyrighted material.
  const src = item.mediaType === "VIDEO" ? (item.thumbnailUrl ?? item.mediaUrl) : item.mediaUrl;
  const image = src ? (
    <img src={src} alt={item.caption ?? "Instagram post"} loading="lazy" />
  ) : (
    <span className="demo-tile-missing">Not available</span>
  );
  return (
    <li className="demo-tile" data-testid="media-item">
      {item.permalink ? (
        <a href={item.permalink} target="_blank" rel="noreferrer">
          {image}
        </a>
      ) : (
        image
      )}
      {BADGE[item.mediaType] && <span className="demo-tile-badge">{BADGE[item.mediaType]}</span>}
    </li>
  );
}

/** The connected account's media, a page at a time, with `useInstagramMedia`. */
export function MediaGrid(): ReactElement {
  const media = useInstagramMedia({ relayUrl: RELAY_URL, limit: 9 });
  const items = media.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section className="demo-card" aria-labelledby="media-title" data-testid="media">
      <h2 id="media-title">Media</h2>
      {media.error ? (
        <p className="demo-error" role="alert">
          Media could not be loaded ({media.error.code}).{" "}
          <button type="button" className="demo-link-button" onClick={() => void media.refetch()}>
            Try again
          </button>
        </p>
      ) : items.length > 0 ? (
        <>
          <ul className="demo-grid">
            {items.map((item) => (
              <Tile key={item.id} item={item} />
            ))}
          </ul>
          {media.hasNextPage && (
            <button
              type="button"
              className="demo-secondary-button"
              disabled={media.isFetchingNextPage}
              onClick={() => void media.fetchNextPage()}
            >
              {media.isFetchingNextPage ? "Loading…" : "Load more"}
            </button>
          )}
        </>
      ) : (
        <p className="demo-muted">
          {media.isFetching
            ? "Loading…"
            : media.data
              ? "No posts yet."
              : "Connect an account to see its latest posts here."}
        </p>
      )}
    </section>
  );
}
