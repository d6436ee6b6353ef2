// The default flow: the widget's popup, the fake consent page, and back with a connection.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  approve,
  expectConnected,
  launchBrowser,
  openDemo,
  popupFrom,
  widget,
  widgetButton,
} from "./support/browser.mjs";
import { resultsDir, URLS } from "./support/stack.mjs";

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test("connects via the popup: consent page, Allow, popup closes, @username and avatar shown", async () => {
  const { context, page } = await openDemo(browser);
  try {
    const button = page.getByRole("button", { name: "Connect Instagram" });
    const popup = await popupFrom(page, button);
    await popup.locator("#allow").waitFor();
    assert.equal(new URL(popup.url()).origin, URLS.fake, "the popup shows the fake Instagram's consent page");
    assert.match(await popup.locator("#scopes").textContent(), /instagram_business_basic/);

    await Promise.all([popup.waitForEvent("close"), approve(popup, "jane.doe")]);
    await expectConnected(page, "jane.doe");
    await widget(page).getByRole("button", { name: "Disconnect" }).waitFor();
    await page.getByTestId("profile-username").getByText("@jane.doe").waitFor();
    // The media grid settles (items, or its error state while the relay has no media route).
    await page.getByTestId("media").locator('[data-testid="media-item"], [role="alert"]').first().waitFor();
    await page.screenshot({ path: join(resultsDir, "connected.png"), fullPage: true });
  } finally {
    await context.close();
  }
});

test("deny shows the denied state with a retry that connects", async () => {
  const { context, page } = await openDemo(browser);
  try {
    const denied = await popupFrom(page, page.getByRole("button", { name: "Connect Instagram" }));
    await denied.locator("#deny").waitFor();
    await Promise.all([denied.waitForEvent("close"), denied.locator("#deny").click()]);

    const retry = widget(page).getByRole("button", { name: "Try again" });
    await retry.waitFor();
    assert.equal(await widget(page).getAttribute("data-state"), "denied");
    assert.equal(await widget(page).getByRole("status").textContent(), "Declined on Instagram.");
    assert.ok(
      await widget(page).getByRole("status").isVisible(),
      "the status is on screen, not only for screen readers",
    );

    const again = await popupFrom(page, retry);
    await Promise.all([again.waitForEvent("close"), approve(again, "max.creator")]);
    await expectConnected(page, "max.creator");
  } finally {
    await context.close();
  }
});

test("keyboard only: Tab reaches the button, Enter connects, focus lands on the status line, not on Disconnect", async () => {
  const { context, page } = await openDemo(browser);
  try {
    await page.getByRole("button", { name: "Connect Instagram" }).waitFor();
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Connect Instagram");

    const [popup] = await Promise.all([page.waitForEvent("popup"), page.keyboard.press("Enter")]);
    await popup.locator("#allow").waitFor();
    await Promise.all([popup.waitForEvent("close"), popup.locator("#allow").press("Enter")]);

    await expectConnected(page, "jane.doe");
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Connected as @jane.doe");
  } finally {
    await context.close();
  }
});

test("the headless-hook button connects too, and the widget shows the same connection", async () => {
  const { context, page } = await openDemo(browser);
  try {
    const custom = page.getByTestId("headless-button");
    await page.getByTestId("headless-state").getByText("state: idle").waitFor();
    const popup = await popupFrom(page, custom);
    await Promise.all([popup.waitForEvent("close"), approve(popup, "max.creator")]);

    await custom.getByText("Unlink @max.creator").waitFor();
    await page.getByTestId("headless-state").getByText("state: connected").waitFor();
    await expectConnected(page, "max.creator");
    assert.equal(await widgetButton(page).textContent(), "Disconnect");
  } finally {
    await context.close();
  }
});
