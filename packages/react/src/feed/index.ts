/**
 * `<InstagramFeed>`: a site owner's public Instagram feed from an instagram-connect relay. Its
 * own entry, so importing the connect button does not pay for it (budget: 5 KB gzip).
 *
 * @example
 * import { InstagramFeed } from "@instagram-connect/react/feed";
 * import "@instagram-connect/react/feed.css";
 * <InstagramFeed relayUrl="https://relay.example.com" feedId="feed_..." />;
 */
export type { InstagramFeedLabels } from "./feed-labels.ts";
export { DEFAULT_FEED_LABELS } from "./feed-labels.ts";
export { FeedError, type FeedErrorCode } from "./feed-request.ts";
export type { InstagramFeedProps } from "./instagram-feed.tsx";
export { InstagramFeed } from "./instagram-feed.tsx";
