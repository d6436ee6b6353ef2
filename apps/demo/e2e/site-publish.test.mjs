// "Publish" (issue 16): a signed-in user publishes a picture to the fake account; the job goes to
// published through Instagram's container states and the new post leads the media grid.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser } from "./support/browser.mjs";
import { listR2Keys } from "./support/r2-bucket.mjs";
import { connectWithSession, openSite, signIn } from "./support/site.mjs";
import { URLS } from "./support/stack.mjs";

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await setContainerDelay(10_000); // the fake's default, for the files after this one
});

/** How long the fake keeps a new container IN_PROGRESS (its control API). */
async function setContainerDelay(delayMs) {
  const response = await fetch(`${URLS.fake}/__fake/publishing`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ delayMs }),
  });
  assert.equal(response.status, 200);
}

test("publishing a picture: the job reaches published and the new post leads the media grid", async () => {
  // Ready before the relay's second status read (its alarms read at 2 s, then 5 s): one IN_PROGRESS read.
  await setContainerDelay(1_000);
  const { context, page } = await openSite(browser);
  try {
    await signIn(page, "b");
    await connectWithSession(page, "max.creator");
    const grid = page.getByTestId("published-media");
    await grid.first().waitFor();
    const before = await grid.evaluateAll((items) => items.map((li) => li.dataset.mediaId));

    const seen = [];
    const status = page.getByTestId("publish-status");
    await page.getByRole("button", { name: "Publish a picture" }).click();
    // Record each state the page shows until the job ends.
    for (;;) {
      await page.waitForFunction(
        ([el, last]) => el.dataset.jobStatus && el.dataset.jobStatus !== last,
        [await status.elementHandle(), seen.at(-1) ?? ""],
        { timeout: 30_000 },
      );
      seen.push(await status.getAttribute("data-job-status"));
      if (seen.at(-1) === "published" || seen.at(-1) === "failed") break;
      // While the job runs, the picture waits in R2 for Instagram to fetch it.
      if (seen.length === 1) assert.equal(listR2Keys("uploads/").length, 1, "the upload is in R2");
    }
    assert.equal(seen.at(-1), "published", `job states: ${seen.join(" -> ")}; ${await status.textContent()}`);

    // Instagram got the picture from the relay's upload URL, and the relay deleted it once done.
    const containers = await (await fetch(`${URLS.fake}/__fake/containers`)).json();
    const ours = containers.find((c) => c.imageUrl?.startsWith(`${URLS.relay}/v1/uploads/`));
    assert.ok(ours?.publishedMediaId, "a container made from the upload, published");
    assert.deepEqual(listR2Keys("uploads/"), [], "the upload is gone from R2");

    const fresh = grid.and(page.locator("[data-new]"));
    await fresh.waitFor({ timeout: 20_000 });
    assert.equal(await fresh.getAttribute("data-media-id"), ours.publishedMediaId);
    const after = await grid.evaluateAll((items) => items.map((li) => li.dataset.mediaId));
    assert.equal(after[0], ours.publishedMediaId, "the new post comes first");
    assert.ok(!before.includes(ours.publishedMediaId));
    await page.waitForFunction(
      (img) => img.complete && img.naturalWidth > 0,
      await fresh.locator("img").elementHandle(),
    );
  } finally {
    await context.close();
  }
});
