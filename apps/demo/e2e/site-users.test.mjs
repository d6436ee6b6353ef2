// Every connection belongs to someone (issue 14): on the demo's site with a backend, user A connects
// @jane.doe and user B @max.creator through connect sessions; the server verifies both receipts; on a
// fresh browser profile each sees only their own; the app API lists them by end user; a hosted
// connect link reconnects a connection that needs reauth.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { approve, launchBrowser } from "./support/browser.mjs";
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

test("a hosted connect link reconnects a connection whose token Instagram revoked (reauth_required)", async () => {
  // Instagram withdraws @jane.doe's tokens (the fake's control API): the relay's next read of the
  // account answers reauth_required, and the relay marks the stored connection so (the site's
  // server sees it in the app API and would e-mail the reconnect link).
  const revoked = await fetch(`${URLS.fake}/__fake/revoke`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ userId: "jane.doe" }),
  });
  assert.equal(revoked.status, 200);
  await asUser("a", async (page) => {
    const [before] = (await demoApi(page, "/connections")).body.items;
    const media = (query = "") => demoApi(page, `/connections/${before.id}/media${query}`);
    // A page size no earlier test read: the relay has no cached copy and must ask Instagram.
    const dead = await media("?limit=5");
    assert.equal(dead.body.error?.code, "reauth_required", JSON.stringify(dead));
    const marked = (await demoApi(page, "/connections")).body.items;
    assert.deepEqual(
      marked.map((c) => [c.id, c.status]),
      [[before.id, "reauth_required"]],
      "the relay marked the stored connection",
    );

    // The link a site would e-mail: the relay's own page runs the consent, no widget involved.
    await page.getByRole("button", { name: "Get a reconnect link for @jane.doe" }).click();
    const link = page.getByTestId("reconnect-link");
    const href = await link.getAttribute("href");
    assert.ok(href.startsWith(`${URLS.relay}/v1/connect/`), href);
    await link.click();
    await page.locator('[data-connect-link="ready"]').getByText("@jane.doe").waitFor();
    await page.locator("#ic-continue").click();
    await approve(page, "jane.doe");
    await page.locator('[data-result="connected"]').waitFor();
    await page.locator("#ic-return").click();
    await page.getByTestId("server-connection").getByText("@jane.doe (active)").waitFor();
    const after = (await demoApi(page, "/connections")).body.items;
    assert.deepEqual(
      after.map((c) => [c.id, c.status]),
      [[before.id, "active"]],
      "the same connection, active again",
    );
    const alive = await media();
    assert.equal(alive.status, 200, "Instagram answers again with the new token");
    assert.ok(alive.body.items.length > 0);

    // The link worked once.
    await page.goto(href);
    await page.locator('[data-error-code="invalid_session"]').waitFor();
  });
});
