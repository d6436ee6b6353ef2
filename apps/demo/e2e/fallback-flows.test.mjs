// When the popup cannot do its job: blocked (redirect mode) or cut from its opener (polling, S13).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { approve, expectConnected, launchBrowser, openDemo, readHandle } from "./support/browser.mjs";
import { URLS } from "./support/stack.mjs";

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test("popup blocked: the widget continues by redirect in the same tab and connects", async () => {
  const { context, page } = await openDemo(browser, {
    // What a popup blocker does to window.open: returns null.
    initScript: () => {
      window.open = () => null;
    },
  });
  try {
    let popups = 0;
    context.on("page", () => popups++);
    await page.getByRole("button", { name: "Connect Instagram" }).click();
    await page.waitForURL((url) => url.origin === URLS.fake);
    await approve(page, "jane.doe");

    await page.waitForURL((url) => url.origin === URLS.demo);
    await expectConnected(page, "jane.doe");
    assert.equal(new URL(page.url()).search, "", "the attempt parameter is removed from the address bar");
    assert.equal(new URL(page.url()).hash, "", "Instagram's `#_` is removed too");
    assert.ok(!page.url().includes("#"), `clean URL, got ${page.url()}`);
    assert.equal(popups, 0);
    assert.ok((await readHandle(page))?.credential, "the handle is stored");
  } finally {
    await context.close();
  }
});

test("S13: with Cross-Origin-Opener-Policy on the page the opener is cut, and the widget connects by polling", async () => {
  const { context, page, response } = await openDemo(browser, { path: "/?coop" });
  try {
    assert.equal(response?.headers()["cross-origin-opener-policy"], "same-origin");
    const [popup] = await Promise.all([
      context.waitForEvent("page"),
      page.getByRole("button", { name: "Connect Instagram" }).click(),
    ]);
    await approve(popup, "jane.doe");

    // Without an opener the callback page cannot post back: it stays open and says so.
    await popup.getByText("You can close this window.").waitFor();
    await expectConnected(page, "jane.doe");
    assert.equal(popup.isClosed(), false);
  } finally {
    await context.close();
  }
});
