"use client";
import { altText, type PublicFeed, type PublicFeedItem } from "@instagram-connect/types";
import { type ReactElement, useEffect, useRef, useState } from "react";
import { DEFAULT_FEED_LABELS, type InstagramFeedLabels } from "./feed-labels.ts";
import { FeedError, type FeedErrorCode, requestFeed } from "./feed-request.ts";

/** Props of `<InstagramFeed>`. */
export interface InstagramFeedProps {
  /** Base URL of the instagram-connect relay. */
  relayUrl: string;
  /** The feed's id (`POST /v1/api/feeds` returned it). */
  feedId: string;
  /** `grid` (default, responsive squares) or `list` (image beside its caption). */
  layout?: "grid" | "list";
  /** A feed read on the server (`getInstagramFeed`): rendered at once, no skeleton, no layout shift. */
  initialFeed?: PublicFeed;
  /** Intrinsic size given to every image (they are square tiles), default 320. */
  imageSize?: number;
  /** Placeholder tiles while loading (default 6). */
  skeletonCount?: number;
  labels?: Partial<InstagramFeedLabels>;
  className?: string;
  /** Called when the feed cannot be shown. */
  onError?: (code: FeedErrorCode) => void;
}

type State =
  | { kind: "loading" }
  | { kind: "ready"; feed: PublicFeed }
  | { kind: "error"; code: FeedErrorCode };

/**
 * A site owner's public Instagram feed (README "Public feeds"): images come from the relay and
 * never expire. Styles are class names only (import `@instagram-connect/react/feed.css`), so it
 * works under a strict CSP; restyle with the `--ic-feed-*` variables or your own classes.
 * @example
 * import { InstagramFeed } from "@instagram-connect/react/feed";
 * import "@instagram-connect/react/feed.css";
 * <InstagramFeed relayUrl="https://relay.example.com" feedId="feed_..." />;
 */
export function InstagramFeed(props: InstagramFeedProps): ReactElement {
  const { relayUrl, feedId, layout = "grid", initialFeed, imageSize = 320, skeletonCount = 6 } = props;
  const labels = { ...DEFAULT_FEED_LABELS, ...props.labels };
  const [state, setState] = useState<State>(
    initialFeed ? { kind: "ready", feed: initialFeed } : { kind: "loading" },
  );
  // In a ref so an inline callback does not refetch on every render.
  const onError = useRef(props.onError);
  onError.current = props.onError;

  useEffect(() => {
    if (initialFeed && initialFeed.feedId === feedId) return;
    const controller = new AbortController();
    setState({ kind: "loading" });
    requestFeed(relayUrl, feedId, controller.signal).then(
      (feed) => setState({ kind: "ready", feed }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const code = error instanceof FeedError ? error.code : "network";
        setState({ kind: "error", code });
        onError.current?.(code);
      },
    );
    return () => controller.abort();
  }, [relayUrl, feedId, initialFeed]);

  const username = state.kind === "ready" ? state.feed.username : "";
  const fill = (text: string) => text.replaceAll("{username}", username);
  const classes = ["ic-feed", `ic-feed--${layout}`, props.className].filter(Boolean).join(" ");

  return (
    <section className={classes} aria-label={fill(labels.region)} aria-busy={state.kind === "loading"}>
      {state.kind === "loading" && (
        <>
          <ul className="ic-feed__list" aria-hidden="true">
            {Array.from({ length: skeletonCount }, (_, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
              <li key={i} className="ic-feed__item ic-feed__skeleton" />
            ))}
          </ul>
          <p className="ic-feed__sr" role="status">
            {labels.loading}
          </p>
        </>
      )}
      {state.kind === "error" && (
        <p className="ic-feed__message" role="alert" data-error-code={state.code}>
          {labels.error}
        </p>
      )}
      {state.kind === "ready" && state.feed.items.length === 0 && (
        <p className="ic-feed__message">{labels.empty}</p>
      )}
      {state.kind === "ready" && state.feed.items.length > 0 && (
        <ul className="ic-feed__list">
          {state.feed.items.map((item) => (
            <FeedItem
              key={item.id}
              item={item}
              size={imageSize}
              alt={altText(item.caption, fill(labels.untitled))}
              labels={labels}
              layout={layout}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function FeedItem(props: {
  item: PublicFeedItem;
  size: number;
  alt: string;
  labels: InstagramFeedLabels;
  layout: "grid" | "list";
}): ReactElement {
  const { item, size, alt, labels } = props;
  const mark =
    item.mediaType === "VIDEO" ? labels.video : item.mediaType === "CAROUSEL_ALBUM" ? labels.carousel : null;
  const image = (
    <img
      className="ic-feed__image"
      src={item.imageUrl}
      alt={alt}
      width={size}
      height={size}
      loading="lazy"
      decoding="async"
    />
  );
  const content = (
    <>
      {image}
      {mark && (
        <span className={`ic-feed__mark ic-feed__mark--${item.mediaType === "VIDEO" ? "video" : "carousel"}`}>
          <span className="ic-feed__sr">{mark}</span>
        </span>
      )}
      {props.layout === "list" && item.caption && <span className="ic-feed__caption">{item.caption}</span>}
    </>
  );
  return (
    <li className="ic-feed__item">
      {item.permalink ? (
        <a className="ic-feed__link" href={item.permalink} target="_blank" rel="noopener noreferrer">
          {content}
        </a>
      ) : (
        <div className="ic-feed__link">{content}</div>
      )}
    </li>
  );
}
