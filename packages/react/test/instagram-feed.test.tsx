import type { PublicFeed } from "@instagram-connect/types";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { renderToString } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { InstagramFeed } from "../src/feed/index.ts";

const RELAY = "https://relay.example.test";
const FEED_ID = "feed_AAAAAAAAAAAAAAAAAAAAAA";

function feed(overrides: Partial<PublicFeed> = {}): PublicFeed {
  return {
    feedId: FEED_ID,
    username: "jane.doe",
    refreshedAt: "2026-12-01T00:00:00.000Z",
    stale: false,
    status: "ok",
    items: [
      {
        id: "1",
        mediaType: "IMAGE",
        caption: "Morning light\n#sunrise",
        permalink: "https://www.instagram.com/p/A/",
        timestamp: "2026-11-30T08:00:00+0000",
        imageUrl: `${RELAY}/v1/feeds/${FEED_ID}/media/1`,
      },
      {
        id: "2",
        mediaType: "VIDEO",
        caption: null,
        permalink: "https://www.instagram.com/p/B/",
        timestamp: "2026-11-29T08:00:00+0000",
        imageUrl: `${RELAY}/v1/feeds/${FEED_ID}/media/2`,
      },
      {
        id: "3",
        mediaType: "CAROUSEL_ALBUM",
        caption: "x".repeat(300),
        permalink: null,
        timestamp: "2026-11-28T08:00:00+0000",
        imageUrl: `${RELAY}/v1/feeds/${FEED_ID}/media/3`,
      },
    ],
    ...overrides,
  };
}

function stubFetch(status: number, body: unknown) {
  const fetch = vi.fn(async () => Response.json(body, { status }));
  vi.stubGlobal("fetch", fetch);
  return fetch;
}

describe("<InstagramFeed>", () => {
  it("shows a skeleton, then every post as a lazy image with explicit size and alt text from its caption", async () => {
    const fetch = stubFetch(200, feed());
    const { container } = render(<InstagramFeed relayUrl={`${RELAY}/`} feedId={FEED_ID} />);
    expect(screen.getByRole("status").textContent).toBe("Loading Instagram posts…");
    expect(container.querySelectorAll(".ic-feed__skeleton")).toHaveLength(6);
    const first = await screen.findByRole("img", { name: "Morning light" });
    expect(fetch).toHaveBeenCalledWith(
      `${RELAY}/v1/feeds/${FEED_ID}`,
      expect.objectContaining({ credentials: "omit" }),
    );
    expect(first.getAttribute("loading")).toBe("lazy");
    expect(first.getAttribute("width")).toBe("320");
    expect(first.getAttribute("height")).toBe("320");
    expect(first.getAttribute("src")).toBe(`${RELAY}/v1/feeds/${FEED_ID}/media/1`);
    expect(screen.getByRole("img", { name: "Instagram post by @jane.doe" })).toBeTruthy();
    const long = screen.getAllByRole("img")[2]?.getAttribute("alt") ?? "";
    expect(long.length).toBeLessThanOrEqual(120);
    expect(screen.getByRole("region", { name: "Instagram posts by @jane.doe" })).toBeTruthy();
    // Video and carousel marks are announced, not only drawn.
    expect(screen.getByRole("link", { name: /Instagram post by @jane.doe Video/ })).toBeTruthy();
    expect(container.querySelector(".ic-feed__mark--carousel")?.textContent).toBe("Several photos");
    // Strict CSP: no inline style anywhere.
    expect(container.querySelector("[style]")).toBeNull();
  });

  it("is reachable by keyboard: each post is a link opening Instagram in a new tab", async () => {
    stubFetch(200, feed());
    render(<InstagramFeed relayUrl={RELAY} feedId={FEED_ID} />);
    await screen.findAllByRole("img");
    await userEvent.tab();
    const focused = document.activeElement as HTMLAnchorElement;
    expect(focused.href).toBe("https://www.instagram.com/p/A/");
    expect(focused.rel).toBe("noopener noreferrer");
  });

  it("says when there is nothing to show, and when the feed cannot be read", async () => {
    stubFetch(200, feed({ items: [] }));
    const { unmount } = render(<InstagramFeed relayUrl={RELAY} feedId={FEED_ID} />);
    expect(await screen.findByText("No posts to show yet.")).toBeTruthy();
    unmount();
    stubFetch(404, { error: { code: "feed_not_found", message: "x" } });
    const onError = vi.fn();
    render(<InstagramFeed relayUrl={RELAY} feedId={FEED_ID} onError={onError} />);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe("Instagram posts could not be loaded.");
    expect(alert.dataset.errorCode).toBe("feed_not_found");
    expect(onError).toHaveBeenCalledWith("feed_not_found");
  });

  it("renders a server-read feed at once (no skeleton, no request) and in a list layout with captions", () => {
    const fetch = stubFetch(200, feed());
    const html = renderToString(
      <InstagramFeed relayUrl={RELAY} feedId={FEED_ID} initialFeed={feed()} layout="list" />,
    );
    expect(html).toContain('class="ic-feed ic-feed--list"');
    expect(html).toContain("Morning light");
    expect(html).not.toContain("ic-feed__skeleton");
    render(<InstagramFeed relayUrl={RELAY} feedId={FEED_ID} initialFeed={feed()} />);
    expect(screen.getAllByRole("img")).toHaveLength(3);
    expect(fetch).not.toHaveBeenCalled();
  });
});
