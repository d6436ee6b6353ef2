// The demo's time machine moves the fake Instagram's clock: past the 60-day token life the relay's next
// Instagram read fails as reauth_required and the widget asks for a reconnect, which works again.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { approve, expectConnected, launchBrowser, openDemo, popupFrom, widget } from "./support/browser.mjs";
import { URLS } from "./support/stack.mjs";

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const fakeNow = async () => (await (await fetch(`${URLS.fake}/__fake/clock`)).json()).now;

test("time machine: the fake's clock moves, a token expiry leads to a reconnect, the sweep runs", async () => {
  const { context, page } = await openDemo(browser);
  try {
    const machine = page.getByTestId("time-machine");
    await machine.getByTestId("fake-clock").filter({ hasNotText: "…" }).waitFor();

    const popup = await popupFrom(page, page.getByRole("button", { name: "Connect Instagram" }));
    await Promise.all([popup.waitForEvent("close"), approve(popup, "jane.doe")]);
    await expectConnected(page, "jane.doe");

    const before = await fakeNow();
    await machine.getByRole("button", { name: "+1 day" }).click();
    await machine
      .getByTestId("time-machine-status")
      .getByText(/Moved on/)
      .waitFor();
    const moved = (await fakeNow()) - before;
    assert.ok(moved >= 86_400_000 && moved < 86_400_000 + 60_000, `moved ${moved} ms`);

    await machine.getByRole("button", { name: "Run refresh sweep" }).click();
    await machine
      .getByTestId("time-machine-status")
      .getByText(/Refresh sweep ran/)
      .waitFor();

    await machine.getByRole("button", { name: "+61 days" }).click();
    await machine
      .getByTestId("time-machine-status")
      .getByText(/token has expired/)
      .waitFor();
    // Once the relay's read cache (5 s in the e2e stack) has run out, the next read reaches Instagram
    // with the expired token: the relay marks the connection and the widget offers a reconnect.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    await machine.getByRole("button", { name: "+1 hour" }).click();
    await widget(page)
      .getByRole("button", { name: /reconnect/i })
      .waitFor();

    const again = await popupFrom(page, widget(page).getByRole("button", { name: /reconnect/i }));
    await Promise.all([again.waitForEvent("close"), approve(again, "jane.doe")]);
    await expectConnected(page, "jane.doe");
  } finally {
    await context.close();
  }
});
