import type { PublicFeed } from "@instagram-connect/types";
import { afterEach, describe, expect, it, vi } from "vitest";
import "../src/index.ts";

const RELAY = "https://relay.example.test";
const FEED_ID = "feed_AAAAAAAAAAAAAAAAAAAAAA";

const FEED: PublicFeed = {
  feedId: FEED_ID,
  username: "jane.doe",
  refreshedAt: "2026-12-01T00:00:00.000Z",
  stale: false,
  status: "ok",
  items: [
    {
      id: "1",
      mediaType: "IMAGE",
      caption: '<img src=x onerror="alert(1)"> Morning light',
      permalink: "https://www.instagram.com/p/A/",
      timestamp: "2026-11-30T08:00:00+0000",
      imageUrl: `${RELAY}/v1/feeds/${FEED_ID}/media/1`,
    },
    {
      id: "2",
      mediaType: "VIDEO",
      caption: null,
      permalink: null,
      timestamp: "2026-11-29T08:00:00+0000",
      imageUrl: `${RELAY}/v1/feeds/${FEED_ID}/media/2`,
    },
  ],
};

function mount(): HTMLElement {
  const element = document.createElement("instagram-feed");
  element.setAttribute("relay-url", `${RELAY}/`);
  element.setAttribute("feed-id", FEED_ID);
  document.body.append(element);
  return element;
}

function nextEvent(element: HTMLElement, name: string): Promise<CustomEvent> {
  return new Promise((resolve) =>
    element.addEventListener(name, (event) => resolve(event as CustomEvent), { once: true }),
  );
}

afterEach(() => {
  document.body.replaceChildren();
  vi.unstubAllGlobals();
});

describe("<instagram-feed>", () => {
  it("shows a skeleton, then the posts as lazy images with sizes, alt text and marks, built without innerHTML", async () => {
    const fetch = vi.fn(async () => Response.json(FEED));
    vi.stubGlobal("fetch", fetch);
    const element = document.createElement("instagram-feed");
    element.setAttribute("relay-url", `${RELAY}/`);
    element.setAttribute("feed-id", FEED_ID);
    const loaded = nextEvent(element, "instagram-feed:load");
    document.body.append(element);
    const root = element.shadowRoot as ShadowRoot;
    expect(root.querySelectorAll(".skeleton")).toHaveLength(6);
    expect(element.getAttribute("aria-busy")).toBe("true");
    await loaded;
    expect(fetch).toHaveBeenCalledWith(
      `${RELAY}/v1/feeds/${FEED_ID}`,
      expect.objectContaining({ credentials: "omit" }),
    );
    const images = [...root.querySelectorAll("img")];
    expect(images.map((image) => image.getAttribute("alt"))).toEqual([
      '<img src=x onerror="alert(1)"> Morning light',
      "Instagram post by @jane.doe",
    ]);
    expect(root.querySelectorAll("img")).toHaveLength(2);
    expect(images[0]?.getAttribute("loading")).toBe("lazy");
    expect(images[0]?.getAttribute("width")).toBe("320");
    expect(images[0]?.getAttribute("height")).toBe("320");
    expect(root.querySelector("a")?.getAttribute("rel")).toBe("noopener noreferrer");
    expect(root.querySelector(".mark.video")?.textContent).toBe("Video");
    expect(element.getAttribute("aria-label")).toBe("Instagram posts by @jane.doe");
    expect(element.getAttribute("aria-busy")).toBe("false");
    expect(root.querySelector("[style]")).toBeNull();
  });

  it("says when the feed cannot be read, with the relay's code", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => Response.json({ error: { code: "feed_not_found", message: "x" } }, { status: 404 })),
    );
    const element = document.createElement("instagram-feed");
    const failed = nextEvent(element, "instagram-feed:error");
    element.setAttribute("relay-url", RELAY);
    element.setAttribute("feed-id", FEED_ID);
    document.body.append(element);
    expect((await failed).detail).toEqual({ code: "feed_not_found" });
    const alert = element.shadowRoot?.querySelector("[role=alert]");
    expect(alert?.textContent).toBe("Instagram posts could not be loaded.");
    expect(alert?.getAttribute("data-error-code")).toBe("feed_not_found");
  });

  it("registers once and reloads when feed-id changes", async () => {
    await import("../src/index.ts");
    expect(customElements.get("instagram-feed")).toBeDefined();
    const fetch = vi.fn(async () => Response.json({ ...FEED, items: [] }));
    vi.stubGlobal("fetch", fetch);
    const element = mount();
    await nextEvent(element, "instagram-feed:load");
    expect(element.shadowRoot?.querySelector("p")?.textContent).toBe("No posts to show yet.");
    element.setAttribute("feed-id", "feed_BBBBBBBBBBBBBBBBBBBBBB");
    await nextEvent(element, "instagram-feed:load");
    expect(fetch).toHaveBeenLastCalledWith(
      `${RELAY}/v1/feeds/feed_BBBBBBBBBBBBBBBBBBBBBB`,
      expect.anything(),
    );
  });
});
