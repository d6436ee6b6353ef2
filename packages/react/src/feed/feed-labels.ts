/** Every text the feed shows or announces (override any for another language). */
export interface InstagramFeedLabels {
  /** The region's name; `{username}` is replaced. */
  region: string;
  loading: string;
  empty: string;
  error: string;
  /** Alt text of a post without a caption (or when captions are off); `{username}` is replaced. */
  untitled: string;
  video: string;
  carousel: string;
}

/** The default (English) labels. */
export const DEFAULT_FEED_LABELS: InstagramFeedLabels = {
  region: "Instagram posts by @{username}",
  loading: "Loading Instagram posts…",
  empty: "No posts to show yet.",
  error: "Instagram posts could not be loaded.",
  untitled: "Instagram post by @{username}",
  video: "Video",
  carousel: "Several photos",
};
