// S30 in Chromium: a consent started by the allowed site goes straight to Instagram; one started by
// another site's page stops at the relay's confirmation page, and the attacker's verifier learns
// nothing until the victim clicks. Also records which headers Chromium really sends on the start.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { after, before, test } from "node:test";
import { freePort } from "../../../scripts/port-taken.mjs";
import { approve, launchBrowser, openDemo, popupFrom } from "./support/browser.mjs";
import { URLS } from "./support/stack.mjs";

const b64url = (bytes) => Buffer.from(bytes).toString("base64url");

/**
 * An attempt as the attacker makes it: a verifier kept on the attacker's server and an id the
 * relay issues for it (a server can claim any Origin, so it gets one for the demo's origin).
 */
async function attackerAttempt() {
  const verifier = b64url(randomBytes(32));
  const response = await fetch(`${URLS.relay}/v1/oauth/attempts`, {
    method: "POST",
    headers: { Origin: URLS.demo },
    body: new URLSearchParams({ verifier }),
  });
  assert.equal(response.status, 201);
  const { attemptId, challenge } = await response.json();
  assert.equal(challenge, b64url(createHash("sha256").update(verifier).digest()));
  return { attemptId, verifier, challenge };
}

/** What the attacker's server learns by polling its attempt. */
async function poll(attempt) {
  const response = await fetch(`${URLS.relay}/v1/oauth/attempts/${attempt.attemptId}`, {
    headers: { "X-Attempt-Verifier": attempt.verifier },
  });
  return { status: response.status, body: await response.json() };
}

let browser;
let attacker;
let attackerOrigin;
let attempt;

before(async () => {
  browser = await launchBrowser();
  attempt = await attackerAttempt();
  const start = new URL("/v1/oauth/start", URLS.relay);
  for (const [name, value] of Object.entries({
    origin: URLS.demo,
    mode: "popup",
    attemptId: attempt.attemptId,
    challenge: attempt.challenge,
  })) {
    start.searchParams.set(name, value);
  }
  // The attacker's page: a button opening the relay's start with the demo's origin and its own attempt.
  attacker = createServer((_request, response) => {
    response.writeHead(200, { "Content-Type": "text/html" });
    response.end(
      `<!doctype html><button id="go" onclick='window.open(${JSON.stringify(start.href)}, "ig", "width=480,height=720")'>Win a prize</button>`,
    );
  });
  const port = await freePort();
  await new Promise((resolve) => attacker.listen(port, "127.0.0.1", resolve));
  attackerOrigin = `http://127.0.0.1:${port}`;
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => attacker?.close(resolve));
});

test("S30: the demo's popup start carries the demo as Referer and goes straight to consent", async () => {
  const { context, page } = await openDemo(browser);
  try {
    const starts = [];
    context.on("request", (request) => {
      if (request.url().startsWith(`${URLS.relay}/v1/oauth/start?`)) starts.push(request);
    });
    const popup = await popupFrom(page, page.getByRole("button", { name: "Connect Instagram" }));
    await popup.locator("#allow").waitFor();
    assert.equal(starts.length, 1);
    const headers = await starts[0].allHeaders();
    // What Chromium sends for the widget's popup (window.open, then the opener sets its location).
    assert.equal(new URL(headers.referer).origin, URLS.demo);
    assert.equal(headers["sec-fetch-dest"], "document");
    assert.equal(headers["sec-fetch-mode"], "navigate");
    assert.notEqual(headers["sec-fetch-site"], "none");
  } finally {
    await context.close();
  }
});

test("S30: a start opened by another site's page stops at the confirmation page; polling yields nothing until the victim confirms", async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  try {
    const page = await context.newPage();
    await page.goto(attackerOrigin);
    const popup = await popupFrom(page, page.locator("#go"));
    await popup.getByText(`${URLS.demo} wants to connect your Instagram account`).waitFor();
    assert.equal(new URL(popup.url()).origin, URLS.relay, "the popup stays on the relay");
    // The attacker's verifier learns nothing: no flow exists until the victim clicks (the
    // attempt reads exactly as one never used: pending, no result).
    const early = await poll(attempt);
    assert.equal(early.body.status, "pending");
    assert.equal(early.body.result, undefined);

    // Only the victim's explicit click continues; then the flow is an ordinary consent.
    await popup.getByRole("button", { name: "Continue to Instagram" }).click();
    await popup.locator("#allow").waitFor();
    const during = await poll(attempt);
    assert.equal(during.body.status, "pending");
    assert.equal(during.body.result, undefined);
    // The callback page posts only to the demo's origin (S10), so the attacker's page gets no
    // message; the popup then closes. The result now exists because the victim chose to continue.
    await Promise.all([popup.waitForEvent("close"), approve(popup, "jane.doe")]);
    assert.equal((await poll(attempt)).body.status, "complete");
  } finally {
    await context.close();
  }
});
