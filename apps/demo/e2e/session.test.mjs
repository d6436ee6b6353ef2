// Life of a connection after consent: it survives a reload; disconnect kills the credential.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  approve,
  disconnectWidget,
  expectConnected,
  launchBrowser,
  openDemo,
  popupFrom,
  readHandle,
  widget,
} from "./support/browser.mjs";
import { URLS } from "./support/stack.mjs";

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function connect(page, username) {
  const popup = await popupFrom(page, page.getByRole("button", { name: "Connect Instagram" }));
  await Promise.all([popup.waitForEvent("close"), approve(popup, username)]);
  await expectConnected(page, username);
}

const fetchMe = (handle) =>
  fetch(`${URLS.relay}/v1/connections/me`, {
    headers: { Authorization: `Bearer ${handle.credential}` },
    signal: AbortSignal.timeout(10_000),
  });

test("a reload keeps the connection", async () => {
  const { context, page } = await openDemo(browser);
  try {
    await connect(page, "max.creator");
    await page.reload();
    await expectConnected(page, "max.creator");
    await page.getByTestId("profile-username").getByText("@max.creator").waitFor();
  } finally {
    await context.close();
  }
});

test("disconnect returns to idle and the relay refuses the old credential with 401", async () => {
  const { context, page } = await openDemo(browser);
  try {
    await connect(page, "jane.doe");
    const handle = await readHandle(page);
    assert.ok(handle?.credential);
    const before = await fetchMe(handle);
    assert.equal(before.status, 200, "the credential works while connected");
    assert.equal((await before.json()).connection.profile.username, "jane.doe");

    await disconnectWidget(page);
    await page.getByRole("button", { name: "Connect Instagram" }).first().waitFor();
    assert.equal(await widget(page).getAttribute("data-state"), "idle");
    assert.equal(await readHandle(page), null, "the handle is forgotten");
    await page.getByText("Connect an account to see its profile here.").waitFor();

    const afterwards = await fetchMe(handle);
    assert.equal(afterwards.status, 401);
    assert.equal((await afterwards.json()).error.code, "unauthorized");
  } finally {
    await context.close();
  }
});

test("the media grid shows the account's posts and Load more adds the next page", async () => {
  const { context, page } = await openDemo(browser);
  try {
    await connect(page, "jane.doe");
    const links = page.getByTestId("media-item").locator("a");
    const permalinks = () => links.evaluateAll((anchors) => anchors.map((a) => a.href));
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="media-item"]').length === 9);
    const firstPage = await permalinks();
    assert.equal(new Set(firstPage).size, 9, "nine different posts");

    await page.getByRole("button", { name: "Load more" }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="media-item"]').length === 18);
    const both = await permalinks();
    assert.equal(new Set(both).size, 18, "the next page brings nine other posts");
    assert.deepEqual(both.slice(0, 9), firstPage, "below the first page");
    const sources = await page
      .getByTestId("media-item")
      .locator("img")
      .evaluateAll((imgs) => imgs.map((img) => img.src));
    assert.ok(
      sources.length >= 17 && sources.every((src) => src.startsWith(URLS.fake)),
      "images from the fake's CDN",
    );
  } finally {
    await context.close();
  }
});
