/**
 * Registers `<instagram-feed>` (once, even if the script is loaded twice) and exports its class.
 *
 * @example
 * <script type="module" src="https://cdn.jsdelivr.net/npm/@instagram-connect/feed-element"></script>
 * <instagram-feed relay-url="https://relay.example.com" feed-id="feed_..."></instagram-feed>
 */
import { InstagramFeedElement } from "./instagram-feed-element.ts";

export { altText } from "@instagram-connect/types";
export { InstagramFeedElement } from "./instagram-feed-element.ts";

declare global {
  interface HTMLElementTagNameMap {
    "instagram-feed": InstagramFeedElement;
  }
}

// Server-side rendering or an old browser: nothing to register.
if (typeof customElements !== "undefined" && !customElements.get("instagram-feed")) {
  customElements.define("instagram-feed", InstagramFeedElement);
}
