import { altText, type PublicFeed, type PublicFeedItem } from "@instagram-connect/types";
import { adoptFeedStyles } from "./feed-element-styles.ts";

const TEXT = {
  region: "Instagram posts by @",
  loading: "Loading Instagram posts…",
  empty: "No posts to show yet.",
  error: "Instagram posts could not be loaded.",
  untitled: "Instagram post by @",
  video: "Video",
  carousel: "Several photos",
};

/**
 * `<instagram-feed relay-url="https://relay.example.com" feed-id="feed_...">`: a site owner's public
 * feed (README "Public feeds") for any page, no framework. Images come from the relay and never
 * expire. Attributes: `relay-url`, `feed-id` (required), `layout` (`grid` | `list`), `image-size`
 * (default 320). Events: `instagram-feed:load` (detail: the feed), `instagram-feed:error` (detail:
 * `{ code }`). Built with the DOM (never innerHTML with feed data), in a shadow root.
 * @example
 * <script type="module" src="https://cdn.jsdelivr.net/npm/@instagram-connect/feed-element"></script>
 * <instagram-feed relay-url="https://relay.example.com" feed-id="feed_..."></instagram-feed>
 */
export class InstagramFeedElement extends HTMLElement {
  static observedAttributes: string[] = ["relay-url", "feed-id", "image-size"];

  #root: ShadowRoot;
  #controller: AbortController | null = null;
  #feed: PublicFeed | null = null;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: "open" });
    adoptFeedStyles(this.#root);
  }

  /** The feed last shown, or null. */
  get feed(): PublicFeed | null {
    return this.#feed;
  }

  connectedCallback(): void {
    this.#load();
  }

  disconnectedCallback(): void {
    this.#controller?.abort();
  }

  attributeChangedCallback(_name: string, previous: string | null, next: string | null): void {
    if (previous !== next && this.isConnected) this.#load();
  }

  async #load(): Promise<void> {
    const relayUrl = this.getAttribute("relay-url");
    const feedId = this.getAttribute("feed-id");
    this.#controller?.abort();
    if (!relayUrl || !feedId) return;
    const controller = new AbortController();
    this.#controller = controller;
    this.#renderLoading();
    try {
      const response = await fetch(`${relayUrl.replace(/\/+$/, "")}/v1/feeds/${encodeURIComponent(feedId)}`, {
        signal: controller.signal,
        credentials: "omit",
      });
      const body = (await response.json().catch(() => null)) as
        | (PublicFeed & { error?: { code?: string } })
        | null;
      if (controller.signal.aborted) return;
      if (!response.ok || !body) {
        this.#fail(body?.error?.code ?? "upstream_error");
        return;
      }
      this.#feed = body;
      this.#renderFeed(body);
      this.dispatchEvent(new CustomEvent("instagram-feed:load", { detail: body }));
    } catch {
      if (!controller.signal.aborted) this.#fail("network");
    }
  }

  #fail(code: string): void {
    const message = el("p", { role: "alert", "data-error-code": code, part: "message" }, TEXT.error);
    this.#replace(message);
    this.#setBusy(false, "");
    this.dispatchEvent(new CustomEvent("instagram-feed:error", { detail: { code } }));
  }

  #renderLoading(): void {
    const list = el("ul", { "aria-hidden": "true" });
    for (let i = 0; i < 6; i++) list.append(el("li", { class: "skeleton" }));
    this.#replace(list, el("p", { class: "sr", role: "status" }, TEXT.loading));
    this.#setBusy(true, "");
  }

  #renderFeed(feed: PublicFeed): void {
    this.#setBusy(false, feed.username);
    if (feed.items.length === 0) {
      this.#replace(el("p", { part: "message" }, TEXT.empty));
      return;
    }
    const size = String(Number(this.getAttribute("image-size")) || 320);
    const list = el("ul", { part: "list" });
    for (const item of feed.items) list.append(this.#item(item, feed.username, size));
    this.#replace(list);
  }

  #item(item: PublicFeedItem, username: string, size: string): HTMLElement {
    const alt = altText(item.caption, `${TEXT.untitled}${username}`);
    const image = el("img", {
      src: item.imageUrl,
      alt,
      width: size,
      height: size,
      loading: "lazy",
      decoding: "async",
      part: "image",
    });
    const tile = item.permalink
      ? el("a", { href: item.permalink, target: "_blank", rel: "noopener noreferrer", part: "link" })
      : el("div", { class: "tile" });
    tile.append(image);
    const kind =
      item.mediaType === "VIDEO" ? "video" : item.mediaType === "CAROUSEL_ALBUM" ? "carousel" : null;
    if (kind)
      tile.append(el("span", { class: `mark ${kind}` }, null, el("span", { class: "sr" }, TEXT[kind])));
    if (item.caption) tile.append(el("span", { class: "caption", "aria-hidden": "true" }, item.caption));
    const li = el("li", { part: "item" });
    li.append(tile);
    return li;
  }

  #replace(...nodes: Node[]): void {
    for (const child of [...this.#root.childNodes]) if (child.nodeName !== "STYLE") child.remove();
    this.#root.append(...nodes);
  }

  #setBusy(busy: boolean, username: string): void {
    this.setAttribute("role", "region");
    this.setAttribute("aria-busy", String(busy));
    this.setAttribute(
      "aria-label",
      username ? `${TEXT.region}${username}` : TEXT.region.replace(/ by @$/, ""),
    );
  }
}

function el(
  tag: string,
  attributes: Record<string, string>,
  text?: string | null,
  ...children: Node[]
): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  node.append(...children);
  return node;
}
