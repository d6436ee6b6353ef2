import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { randomToken, sha256Base64Url } from "../src/crypto/base64url.ts";
import { KeyRing } from "../src/crypto/keys.ts";
import { issueAttemptId } from "../src/oauth/attempt-id.ts";
import { sealFlow } from "../src/oauth/flow-state.ts";
import { setClockForTests } from "../src/runtime.ts";
import { newApiKey } from "./api/api-support.ts";
import { createSession, postStart } from "./sessions/session-support.ts";
import { testKey } from "./support/config.ts";
import { callCount, useFakeInstagram } from "./support/fake.ts";
import { useFaults } from "./support/faults.ts";
import {
  type Attempt,
  approve,
  callback,
  issueAttempt,
  newAttempt,
  pollAttempt,
  postedMessage,
  startFlow,
  startPath,
} from "./support/flow.ts";
import { relayFetch, SITE } from "./support/relay.ts";

const ctx = useFakeInstagram();
const faults = useFaults();

/** A key ring the relay does not have (same key id as the relay's, other bytes). */
const foreignRing = () =>
  new KeyRing([{ kid: "k1", bytes: crypto.getRandomValues(new Uint8Array(32)) as Uint8Array<ArrayBuffer> }]);

/** Durable Object calls the flow made: the attempt's object and the per-IP limiter. */
const objectCalls = () =>
  faults.calls.filter((call) => call.binding === "OAUTH_FLOWS" || call.binding === "RATE_LIMITER");

function flipAt(text: string, index: number): string {
  return `${text.slice(0, index)}${text[index] === "A" ? "B" : "A"}${text.slice(index + 1)}`;
}

const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** The same 37 bytes spelled with a spare bit of the last character set. */
function nonCanonical(id: string): string {
  return `${id.slice(0, -1)}${B64URL[B64URL.indexOf(id.at(-1) ?? "A") + 1]}`;
}

/** Attempt ids the relay did not issue (for the real challenge). */
const forgedIds: [string, (real: Attempt) => Promise<Attempt> | Attempt][] = [
  ["a random well-formed id", (real) => ({ ...real, attemptId: randomToken(37) })],
  ["the real id with its MAC altered", (real) => ({ ...real, attemptId: flipAt(real.attemptId, 45) })],
  // The last character has two spare bits: another spelling of the same bytes is another name.
  ["the real id spelled non-canonically", (real) => ({ ...real, attemptId: nonCanonical(real.attemptId) })],
  [
    "an id MAC'd under another key",
    async (real) => ({
      ...real,
      attemptId: (await issueAttemptId(foreignRing(), real.challenge, ctx.fake.clock.now())).attemptId,
    }),
  ],
  ["an old widget's own random id", (real) => ({ ...real, attemptId: randomToken(24) })],
];
/** What a poller might present: a forged id, or the real id with a verifier it was not issued for. */
const forgedPolls: typeof forgedIds = [
  ...forgedIds,
  ["the real id with another verifier", (real) => ({ ...real, verifier: randomToken(32) })],
];

describe("S35: attempt ids are issued and MAC'd by the relay", { timeout: 30_000 }, () => {
  it("issues an id only to an allowed page's origin, for one well-formed challenge", async () => {
    const challenge = await sha256Base64Url(randomToken(32));
    const issued = await issueAttempt(challenge);
    expect(issued.status).toBe(201);
    expect(issued.headers.get("Access-Control-Allow-Origin")).toBe(SITE);
    const body = issued.json<{ attemptId: string; expiresAt: string }>();
    expect(body.attemptId).toMatch(/^[A-Za-z0-9_-]{50}$/);
    expect(Date.parse(body.expiresAt) - ctx.fake.clock.now()).toBeLessThanOrEqual(10 * 60_000);
    expect((await issueAttempt(challenge, "https://evil.example")).json()).toMatchObject({
      error: { code: "origin_not_allowed" },
    });
    for (const bad of ["short", `${challenge}&challenge=${challenge}`]) {
      const refused = await relayFetch("/v1/oauth/attempts", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: SITE },
        body: `challenge=${bad}`,
      });
      expect(refused.status).toBe(400);
      expect(refused.json()).toMatchObject({ error: { code: "invalid_request" } });
    }
  });

  it.each(forgedPolls)(
    "a poll with %s is 404 before any Durable Object is touched",
    async (_label, forge) => {
      const forged = await forge(await newAttempt());
      faults.calls.length = 0;
      const response = await pollAttempt(forged);
      expect(response.status).toBe(404);
      expect(response.json()).toMatchObject({ error: { code: "attempt_not_found" } });
      expect(objectCalls()).toEqual([]);
    },
  );

  it("an expired id is 404 before any Durable Object is touched, at the start and at a poll", async () => {
    const attempt = await newAttempt();
    const at = ctx.fake.clock.now();
    setClockForTests(() => at + 10 * 60_000);
    try {
      faults.calls.length = 0;
      expect((await pollAttempt(attempt)).status).toBe(404);
      const start = await relayFetch(startPath(attempt));
      expect(start.text).toContain('data-error-code="attempt_not_found"');
      expect(start.headers.get("Set-Cookie")).toBeNull();
      expect(faults.calls.filter((call) => call.binding === "OAUTH_FLOWS")).toEqual([]);
    } finally {
      setClockForTests(() => ctx.fake.clock.now());
    }
  });

  it.each(forgedIds)(
    "a start with %s is refused with attempt_not_found and sets no cookie",
    async (_label, forge) => {
      const forged = await forge(await newAttempt());
      const response = await relayFetch(startPath(forged));
      expect(response.status).toBe(404);
      expect(response.text).toContain('data-error-code="attempt_not_found"');
      expect(response.headers.get("Set-Cookie")).toBeNull();
      expect(response.headers.get("Location")).toBeNull();
    },
  );

  it("a start touches no Durable Object of the flow (issue 17 goal 3); the callback touches the attempt's only", async () => {
    const { fake } = ctx;
    const attempt = await newAttempt();
    faults.calls.length = 0;
    const start = await relayFetch(startPath(attempt));
    expect(start.status).toBe(302);
    expect(faults.calls.filter((call) => call.binding === "OAUTH_FLOWS")).toEqual([]);
    const authorize = new URL(start.headers.get("Location") ?? "");
    const cookie = (start.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
    const url = fake.approve({
      redirectUri: env.INSTAGRAM_REDIRECT_URI,
      scope: authorize.searchParams.get("scope") ?? "",
      state: authorize.searchParams.get("state") ?? "",
    });
    expect(postedMessage((await callback(url, cookie)).text).message.result.ok).toBe(true);
    const names = new Set(
      faults.calls.filter((call) => call.binding === "OAUTH_FLOWS").map((call) => call.key),
    );
    expect([...names]).toEqual([`attempt:${attempt.attemptId}`]);
  });
});

describe("S1/S35: the flow sealed in its binding cookie", { timeout: 30_000 }, () => {
  it.each([
    [
      "a random value of the sealed shape",
      (_name: string, _value: string) => `k1.${randomToken(12)}.${randomToken(200)}`,
    ],
    [
      "the real value with one ciphertext byte altered",
      (_name: string, value: string) => flipAt(value, value.length - 10),
    ],
    ["the real value sealed again under a key the relay does not have", null],
  ] as const)(
    "a callback with %s is invalid_state, exchanges no code and does not burn the state",
    async (_label, forge) => {
      const { fake } = ctx;
      const flow = await startFlow();
      const url = approve(fake, flow);
      const [name = "", value = ""] = flow.cookie.split("=");
      const flowId = name.replace("__Host-ic_flow_", "");
      const forged = forge
        ? forge(name, value)
        : await sealFlow(foreignRing(), {
            flowId,
            origin: "https://evil.example",
            mode: "popup",
            attemptId: flow.attempt.attemptId,
            returnTo: null,
            scopes: ["instagram_business_basic"],
            createdAt: fake.clock.now(),
            expiresAt: fake.clock.now() + 60_000,
            sessionId: null,
          });
      faults.calls.length = 0;
      const refused = await callback(url, `${name}=${forged}`);
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('data-error-code="invalid_state"');
      expect(faults.calls.filter((call) => call.binding === "OAUTH_FLOWS")).toEqual([]);
      expect(callCount(fake, "code_exchange")).toBe(0);
      // The real browser still finishes.
      expect(postedMessage((await callback(url, flow.cookie)).text).message.result.ok).toBe(true);
    },
  );

  it("another flow's sealed value moved under this flow's cookie name is refused", async () => {
    const { fake } = ctx;
    const mine = await startFlow();
    const theirs = await startFlow();
    const url = approve(fake, mine);
    const name = mine.cookie.split("=")[0];
    const value = theirs.cookie.slice(theirs.cookie.indexOf("=") + 1);
    expect((await callback(url, `${name}=${value}`)).text).toContain('data-error-code="invalid_state"');
    expect(callCount(fake, "code_exchange")).toBe(0);
  });

  it("S2: two flows of one attempt (a reloaded popup): the first callback claims it, the second is refused without an exchange", async () => {
    const { fake } = ctx;
    const first = await startFlow();
    const again = await relayFetch(startPath(first.attempt));
    const second = new URL(again.headers.get("Location") ?? "");
    const secondCookie = (again.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
    const secondUrl = fake.approve({
      redirectUri: env.INSTAGRAM_REDIRECT_URI,
      scope: second.searchParams.get("scope") ?? "",
      state: second.searchParams.get("state") ?? "",
    });
    expect(postedMessage((await callback(secondUrl, secondCookie)).text).message.result.ok).toBe(true);
    const late = await callback(approve(fake, first), first.cookie);
    expect(late.text).toContain('data-error-code="invalid_state"');
    expect(callCount(fake, "code_exchange")).toBe(1);
  });

  it("an anonymous flow cannot claim an attempt a connect session was started with", async () => {
    const { fake } = ctx;
    const token = (await createSession(await newApiKey())).token;
    const attempt = await newAttempt();
    expect((await postStart(token, { attempt })).response.status).toBe(303);
    // Someone who saw the attempt id and challenge starts an anonymous flow with them.
    const start = await relayFetch(startPath(attempt));
    const authorize = new URL(start.headers.get("Location") ?? "");
    const url = fake.approve({
      redirectUri: env.INSTAGRAM_REDIRECT_URI,
      scope: authorize.searchParams.get("scope") ?? "",
      state: authorize.searchParams.get("state") ?? "",
    });
    const refused = await callback(url, (start.headers.get("Set-Cookie") ?? "").split(";")[0]);
    expect(refused.text).toContain('data-error-code="invalid_state"');
    expect(callCount(fake, "code_exchange")).toBe(0);
  });
});

describe("S35: key rotation keeps connects in flight", { timeout: 30_000 }, () => {
  it("an attempt id and a sealed flow made under k1 still finish after rotating to [k2, k1]; with k1 retired they are refused", async () => {
    const { fake } = ctx;
    const k1 = `k1:${testKey(1)}`;
    const k2 = `k2:${testKey(2)}`;
    faults.setVars({ TOKEN_ENCRYPTION_KEYS: k1 });
    const flow = await startFlow();
    const stale = await startFlow();
    faults.setVars({ TOKEN_ENCRYPTION_KEYS: `${k2},${k1}` });
    expect(postedMessage((await callback(approve(fake, flow), flow.cookie)).text).message.result.ok).toBe(
      true,
    );
    faults.setVars({ TOKEN_ENCRYPTION_KEYS: k2 });
    expect((await callback(approve(fake, stale), stale.cookie)).text).toContain(
      'data-error-code="invalid_state"',
    );
    expect((await pollAttempt(stale.attempt)).status).toBe(404);
  });
});
