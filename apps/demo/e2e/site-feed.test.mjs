// "Your feed" (issue 15): the owner publishes a feed of @jane.doe; a visitor page shows its 12 images
// from the relay's R2 copies, still after Instagram's signed URLs expire; a page on another origin
// cannot read it; disconnecting the account removes its objects from the bucket.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, openDemo } from "./support/browser.mjs";
import { listR2Keys } from "./support/r2-bucket.mjs";
import { connectWithSession, demoApi, openSite, signIn } from "./support/site.mjs";
import { URLS } from "./support/stack.mjs";

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** The fake's CDN signs media URLs for 3 days (`oe`): move a little past that. */
const PAST_EXPIRY_MS = 4 * 24 * 3_600_000;

/** Scrolls to every image of the feed (they are lazy) and waits until each has decoded pixels. */
async function expectEveryImageShown(page, count) {
  const images = page.locator(".ic-feed__image");
  await page.waitForFunction((n) => document.querySelectorAll(".ic-feed__image").length === n, count);
  for (const image of await images.all()) {
    await image.scrollIntoViewIfNeeded();
    await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await image.elementHandle());
  }
  return images.evaluateAll((imgs) => imgs.map((img) => img.src));
}

/** Opens the visitor page in a fresh context (no cookie, empty HTTP cache). */
const visit = (path) => openDemo(browser, { path });

test("a visitor sees 12 images from R2, also after Instagram's URLs expire; other origins cannot read the feed; disconnect empties R2", async () => {
  const { context, page } = await openSite(browser);
  try {
    await signIn(page, "a");
    await connectWithSession(page, "jane.doe");
    await page.getByRole("button", { name: "Publish a feed of @jane.doe" }).click();
    const href = await page.getByTestId("feed-link").first().getAttribute("href");
    const feedId = new URL(href, URLS.demo).searchParams.get("feed");
    assert.match(feedId ?? "", /^feed_/);

    const first = await visit(href);
    let sources;
    try {
      sources = await expectEveryImageShown(first.page, 12);
    } finally {
      await first.context.close();
    }
    const mediaPrefix = `${URLS.relay}/v1/feeds/${feedId}/media/`;
    assert.ok(
      sources.every((src) => src.startsWith(mediaPrefix)),
      `every image from the relay's R2 route:\n${sources.join("\n")}`,
    );
    assert.equal(listR2Keys(`feeds/${feedId}/`).length, 12, "the bucket holds the 12 copies");

    // Instagram's own URL of a post, as the app API reads it, stops working once the clock passes `oe`.
    const media = await demoApi(
      page,
      `/connections/${(await demoApi(page, "/connections")).body.items[0].id}/media`,
    );
    const instagramUrl = media.body.items.find((item) => item.mediaUrl)?.mediaUrl;
    assert.ok(instagramUrl?.startsWith(URLS.fake), "an Instagram CDN URL");
    assert.equal((await fetch(instagramUrl)).status, 200);
    const moved = await fetch(`${URLS.fake}/__fake/clock/advance`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ms: PAST_EXPIRY_MS }),
    });
    assert.equal(moved.status, 200);
    assert.equal((await fetch(instagramUrl)).status, 403, "Instagram's signed URL has expired");

    const later = await visit(href);
    try {
      const again = await expectEveryImageShown(later.page, 12);
      assert.deepEqual(again, sources, "the same R2 images, every one still shown");
    } finally {
      await later.context.close();
    }

    // A page on an origin the feed does not allow: the browser refuses it the answer (no CORS).
    const feedUrl = `${URLS.relay}/v1/feeds/${feedId}`;
    const elsewhere = await browser.newContext();
    try {
      await elsewhere.route("http://elsewhere.test/**", (route) =>
        route.fulfill({ contentType: "text/html", body: "<!doctype html><title>another site</title>" }),
      );
      const other = await elsewhere.newPage();
      await other.goto("http://elsewhere.test/");
      const outcome = await other.evaluate(async (url) => {
        try {
          const response = await fetch(url);
          return `read ${response.status}`;
        } catch (error) {
          return `refused: ${error.name}`;
        }
      }, feedUrl);
      assert.equal(outcome, "refused: TypeError");
    } finally {
      await elsewhere.close();
    }
    const allowed = await fetch(feedUrl, { headers: { origin: URLS.demo } });
    assert.equal(allowed.headers.get("access-control-allow-origin"), URLS.demo);
    const refused = await fetch(feedUrl, { headers: { origin: "http://elsewhere.test" } });
    assert.equal(refused.headers.get("access-control-allow-origin"), null);

    // Disconnecting the account deletes the feed and every copy it made.
    await page.getByRole("button", { name: "Disconnect @jane.doe" }).click();
    await page.getByTestId("server-connection").first().waitFor({ state: "detached" });
    assert.deepEqual(listR2Keys(`feeds/${feedId}/`), [], "no object of the feed is left");
    const gone = await fetch(sources[0]);
    assert.equal(gone.status, 404);
  } finally {
    await context.close();
  }
});
