// Real headless Chromium (Debian's, or CHROMIUM_PATH) driven by playwright-core, plus the few
// steps every test repeats: open the demo, approve or deny on the fake consent page, read the handle.
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";
import { URLS } from "./stack.mjs";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-quic",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
];

/** Where the widget keeps its handle for the demo's relay (see packages/react credential-store.ts). */
export const HANDLE_KEY = `instagram-connect:handle:${URLS.relay}`;

/** Launches Chromium; fails with a hint when it is not installed. */
export async function launchBrowser() {
  const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}: apt-get install chromium, or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({ executablePath, args: ARGS, timeout: 30_000 });
}

/**
 * A fresh context (own storage, cookies) with the demo open at `path`. `initScript` runs in
 * every page of the context before the page's own scripts, popups included.
 */
export async function openDemo(browser, { path = "/", initScript } = {}) {
  const context = await browser.newContext({ viewport: { width: 900, height: 1000 } });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(15_000);
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  const response = await page.goto(URLS.demo + path);
  return { context, page, response };
}

/** The drop-in widget's root (`<InstagramConnect className="demo-widget">`). */
export const widget = (page) => page.locator(".demo-widget");

/** The widget's primary button, whatever its label. */
export const widgetButton = (page) => widget(page).locator("button").first();

/** On the fake consent page: picks `username`'s account (default: the first) and presses Allow. */
export async function approve(consentPage, username) {
  await consentPage.locator("#allow").waitFor();
  if (username) {
    const option = consentPage.locator("#user_id option", { hasText: `@${username} (` });
    await consentPage.locator("#user_id").selectOption(await option.getAttribute("value"));
  }
  await consentPage.locator("#allow").click();
}

/** Clicks `trigger` and returns the popup it opens. */
export async function popupFrom(page, trigger) {
  const [popup] = await Promise.all([page.waitForEvent("popup"), trigger.click()]);
  return popup;
}

/** Waits until the widget's visible status says it is connected as `@username` and its avatar has loaded. */
export async function expectConnected(page, username) {
  await widget(page).getByRole("status").getByText(`Connected as @${username}`, { exact: true }).waitFor();
  const avatar = widget(page).locator("img.ic-avatar");
  await avatar.waitFor();
  await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await avatar.elementHandle());
}

/** Disconnects through the widget: Disconnect, then the confirmation's Disconnect. */
export async function disconnectWidget(page) {
  await widget(page).getByRole("button", { name: "Disconnect" }).click();
  await widget(page)
    .getByRole("status")
    .getByText(/^Disconnect @.+\?$/)
    .waitFor();
  await widget(page).getByRole("button", { name: "Disconnect" }).click();
}

/** The connection handle the widget stored, or null. */
export const readHandle = (page) =>
  page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? "null"), HANDLE_KEY);
