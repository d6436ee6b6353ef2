// Steps on the demo's site with users (site.html): sign in as demo user A or B, connect through the
// widget with a connect session, and wait for the server's verdict on the receipt.
import { approve, expectConnected, openDemo, popupFrom, widget } from "./browser.mjs";

/** The demo users of apps/demo/server/demo-users.ts. */
export const USERS = {
  a: { id: "demo-user-a", name: "Alice (user A)" },
  b: { id: "demo-user-b", name: "Bob (user B)" },
};

/** A fresh context (own cookies, storage: a fresh browser profile) with the site open. */
export const openSite = (browser) => openDemo(browser, { path: "/site.html" });

/** Signs in as `key` ("a" or "b") with the page's button. */
export async function signIn(page, key) {
  await page.getByRole("button", { name: `Sign in as ${key.toUpperCase()}` }).click();
  await page.getByTestId("signed-in-user").getByText(`Signed in as ${USERS[key].name}`).waitFor();
}

/** Connects `username` with the session widget; resolves once the server verified the receipt. */
export async function connectWithSession(page, username) {
  const popup = await popupFrom(page, widget(page).getByRole("button", { name: "Connect Instagram" }));
  await Promise.all([popup.waitForEvent("close"), approve(popup, username)]);
  await expectConnected(page, username);
  await page.getByTestId("receipt").getByText(`Receipt verified by the server: @${username}`).waitFor();
}

/** The usernames the site's server lists for the signed-in user. */
export const serverConnections = (page) =>
  page.getByTestId("server-connection").evaluateAll((items) => items.map((li) => li.dataset.username));

/** Calls the site's backend from the page (its cookie), answering the parsed JSON. */
export const demoApi = (page, path, init) =>
  page.evaluate(
    async ([p, i]) => {
      const response = await fetch(`/demo-api${p}`, i);
      return { status: response.status, body: await response.json() };
    },
    [path, init],
  );
