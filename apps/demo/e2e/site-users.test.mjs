// Every connection belongs to someone (issue 14): on the demo's site with a backend, user A connects
// @jane.doe and user B @max.creator through connect sessions; the server verifies both receipts; on a
// fresh browser profile each sees only their own; the app API lists them by end user.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser } from "./support/browser.mjs";
import { connectWithSession, demoApi, openSite, serverConnections, signIn, USERS } from "./support/site.mjs";
import { URLS } from "./support/stack.mjs";

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** An API key of this test (the relay's admin route, with this run's ADMIN_SECRET). */
async function apiKey(operations) {
  const response = await fetch(`${URLS.relay}/v1/admin/api-keys`, {
    method: "POST",
    headers: { authorization: `Bearer ${URLS.adminSecret}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "e2e-site-users", operations }),
  });
  assert.equal(response.status, 201);
  return (await response.json()).apiKey;
}

/** Signs in as `key` on a fresh profile and runs `steps` on the site. */
async function asUser(key, steps) {
  const { context, page } = await openSite(browser);
  try {
    await signIn(page, key);
    return await steps(page);
  } finally {
    await context.close();
  }
}

test("users A and B each connect their account and see only their own; the app API lists them by end user", async () => {
  const connected = {};
  for (const [key, username] of [
    ["a", "jane.doe"],
    ["b", "max.creator"],
  ]) {
    connected[key] = await asUser(key, async (page) => {
      // connectWithSession waits for the server's verdict on the receipt: verified, for this end user.
      await connectWithSession(page, username);
      await page.getByTestId("receipt").getByText(`end user ${USERS[key].id}`).waitFor();
      assert.deepEqual(await serverConnections(page), [username]);
      return (await demoApi(page, "/connections")).body.items[0].id;
    });
  }

  // A fresh profile (no cookie, no stored handle): after signing in, each sees exactly their own.
  await asUser("a", async (page) => {
    await page.getByTestId("server-connection").first().waitFor();
    assert.deepEqual(await serverConnections(page), ["jane.doe"]);
    // B's connection does not exist for A, even by id.
    const foreign = await demoApi(page, `/connections/${connected.b}`, { method: "DELETE" });
    assert.equal(foreign.status, 404);
  });
  await asUser("b", async (page) => {
    await page.getByTestId("server-connection").first().waitFor();
    assert.deepEqual(await serverConnections(page), ["max.creator"]);
  });

  // The app API, as the site's server calls it: one end user's connections.
  const key = await apiKey(["connections:read"]);
  for (const [user, id, username] of [
    [USERS.a.id, connected.a, "jane.doe"],
    [USERS.b.id, connected.b, "max.creator"],
  ]) {
    const response = await fetch(`${URLS.relay}/v1/api/end-users/${user}/connections`, {
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(response.status, 200);
    const { items } = await response.json();
    assert.deepEqual(
      items.map((c) => [c.id, c.profile.username, c.endUserId, c.origin]),
      [[id, username, user, URLS.demo]],
    );
  }
});
