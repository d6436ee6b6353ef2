import { ATTEMPT_VERIFIER_HEADER } from "@instagram-connect/types";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { awaitPopupResult, isResultMessage, POLL_INTERVAL, pollAttempt } from "../src/popup-handshake.ts";
import {
  errorResult,
  fakePopup,
  json,
  mockRelay,
  okResult,
  post,
  RELAY,
  relayError,
  resultMessage,
} from "./helpers.tsx";

const attempt = { attemptId: "A".repeat(32), verifier: "v".repeat(43), challenge: "c".repeat(43) };
const attemptPath = `GET /v1/oauth/attempts/${attempt.attemptId}`;
const later = () => new Date(Date.now() + 600_000).toISOString();

/** Settles-or-not probe for a promise. */
function track<T>(promise: Promise<T>) {
  const state: { value?: T; error?: unknown; done: boolean } = { done: false };
  promise.then(
    (value) => Object.assign(state, { value, done: true }),
    (error) => Object.assign(state, { error, done: true }),
  );
  return state;
}

describe("isResultMessage", () => {
  it("S11: accepts only a well-formed message for this attempt; a missing attemptId is a mismatch", () => {
    expect(isResultMessage(resultMessage(attempt.attemptId, okResult()), attempt.attemptId)).toBe(true);
    expect(
      isResultMessage(resultMessage(attempt.attemptId, errorResult("access_denied")), attempt.attemptId),
    ).toBe(true);
    expect(isResultMessage(resultMessage(undefined, okResult()), attempt.attemptId)).toBe(false);
    expect(isResultMessage(resultMessage("B".repeat(32), okResult()), attempt.attemptId)).toBe(false);
    expect(
      isResultMessage({ ...resultMessage(attempt.attemptId, okResult()), version: 2 }, attempt.attemptId),
    ).toBe(false);
    expect(
      isResultMessage({ ...resultMessage(attempt.attemptId, okResult()), type: "other" }, attempt.attemptId),
    ).toBe(false);
    expect(isResultMessage(resultMessage(attempt.attemptId, { ok: true } as never), attempt.attemptId)).toBe(
      false,
    );
    expect(isResultMessage(null, attempt.attemptId)).toBe(false);
    expect(isResultMessage("instagram-connect:oauth-result", attempt.attemptId)).toBe(false);
  });
});

describe("awaitPopupResult", () => {
  let control: AbortController;
  beforeEach(() => {
    vi.useFakeTimers();
    control = new AbortController();
  });
  afterEach(() => control.abort());

  it("S11: resolves with the relay's message and ignores wrong origin, source or attempt", async () => {
    const fetchMock = mockRelay({});
    const popup = fakePopup();
    const result = track(awaitPopupResult(RELAY, attempt, popup as unknown as Window, control.signal));
    post(resultMessage(attempt.attemptId, okResult()), "https://relay.example.test.evil.test", popup);
    post(resultMessage(attempt.attemptId, okResult()), "http://relay.example.test", popup);
    post(resultMessage(attempt.attemptId, okResult()), RELAY, fakePopup());
    post(resultMessage(undefined, okResult()), RELAY, popup);
    post(resultMessage("B".repeat(32), okResult()), RELAY, popup);
    await vi.advanceTimersByTimeAsync(0);
    expect(result.done).toBe(false);
    post(resultMessage(attempt.attemptId, okResult()), RELAY, popup);
    await vi.advanceTimersByTimeAsync(0);
    expect(result.value).toEqual(okResult());
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("S13: polls the attempt with the verifier once the popup reads closed (COOP), until complete", async () => {
    let calls = 0;
    const fetchMock = mockRelay({
      [attemptPath]: ({ headers }) => {
        expect(headers.get(ATTEMPT_VERIFIER_HEADER)).toBe(attempt.verifier);
        calls += 1;
        return json(
          calls < 3 ? { status: "pending", expiresAt: later() } : { status: "complete", result: okResult() },
        );
      },
    });
    const popup = fakePopup();
    popup.closed = true; // COOP: the handle reads closed at once, and no message ever arrives.
    const result = track(awaitPopupResult(RELAY, attempt, popup as unknown as Window, control.signal));
    await vi.advanceTimersByTimeAsync(500);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL);
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(result.done).toBe(false);
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL);
    expect(result.value).toEqual(okResult());
  });

  it("does not poll while the popup is open", async () => {
    const fetchMock = mockRelay({});
    const popup = fakePopup();
    track(awaitPopupResult(RELAY, attempt, popup as unknown as Window, control.signal));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("stops listening and polling and closes the popup when aborted", async () => {
    const fetchMock = mockRelay({ [attemptPath]: () => json({ status: "pending", expiresAt: later() }) });
    const popup = fakePopup();
    const result = track(awaitPopupResult(RELAY, attempt, popup as unknown as Window, control.signal));
    control.abort();
    expect(popup.closed).toBe(true);
    post(resultMessage(attempt.attemptId, okResult()), RELAY, popup);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(result.done).toBe(false);
    expect(fetchMock).not.toHaveBeenCalled();
  });
});

describe("pollAttempt", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  it("rejects with attempt_not_found on 404", async () => {
    mockRelay({ [attemptPath]: () => relayError("attempt_not_found", 404) });
    await expect(pollAttempt(RELAY, attempt, new AbortController().signal)).rejects.toMatchObject({
      code: "attempt_not_found",
    });
  });

  it("gives up once the pending attempt has expired", async () => {
    const expiresAt = new Date(Date.now() + 2 * POLL_INTERVAL + 100).toISOString();
    const fetchMock = mockRelay({ [attemptPath]: () => json({ status: "pending", expiresAt }) });
    const result = track(pollAttempt(RELAY, attempt, new AbortController().signal));
    await vi.advanceTimersByTimeAsync(10 * POLL_INTERVAL);
    expect(result.error).toMatchObject({ code: "attempt_not_found" });
    // t = 0, 1.5 s, 3 s (still pending), 4.5 s (past expiresAt): then it stops.
    expect(fetchMock).toHaveBeenCalledTimes(4);
  });

  it("S18: waits out a 429's Retry-After, then goes on", async () => {
    let calls = 0;
    const fetchMock = mockRelay({
      [attemptPath]: () => {
        calls += 1;
        return calls === 1
          ? relayError("rate_limited", 429, {}, { "Retry-After": "5" })
          : json({ status: "complete", result: okResult() });
      },
    });
    const result = track(pollAttempt(RELAY, attempt, new AbortController().signal));
    await vi.advanceTimersByTimeAsync(4_900);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(result.value).toEqual(okResult());
  });

  it("reports an unreachable relay as network_error", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(() => Promise.reject(new TypeError("Failed to fetch"))),
    );
    await expect(pollAttempt(RELAY, attempt, new AbortController().signal)).rejects.toMatchObject({
      code: "network_error",
    });
  });
});
