import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { InstagramConnect } from "../src/index.ts";
import { POLL_INTERVAL } from "../src/popup-handshake.ts";
import {
  connectionView,
  errorResult,
  fakePopup,
  HANDLE_KEY,
  json,
  mockRelay,
  okResult,
  popupStartUrl,
  post,
  RELAY,
  relayError,
  renderWithClient,
  resultMessage,
  stubOpen,
} from "./helpers.tsx";

const attemptIdOf = (open: ReturnType<typeof stubOpen>, popup: ReturnType<typeof fakePopup>) =>
  popupStartUrl(open, popup).searchParams.get("attemptId") ?? "";

/** Clicks Connect and waits until the popup has been sent to the relay's start URL. */
async function startConnecting() {
  const popup = fakePopup();
  const open = stubOpen(popup);
  fireEvent.click(screen.getByRole("button", { name: "Connect Instagram" }));
  expect(open).toHaveBeenCalledTimes(1); // synchronously, inside the click handler
  // The challenge is hashed by WebCrypto on the real event loop, which fake timers do not drive:
  // vi.waitFor waits in real time, so a loaded CI machine cannot exhaust the wait early.
  await vi.waitFor(() => expect(attemptIdOf(open, popup)).toMatch(/^[A-Za-z0-9_-]{50}$/), {
    timeout: 10_000,
    interval: 20,
  });
  return { popup, open, attemptId: attemptIdOf(open, popup) };
}

describe("<InstagramConnect> popup flow", () => {
  it("idle -> connecting -> connected via the relay's message", async () => {
    mockRelay({});
    const onConnect = vi.fn();
    renderWithClient(<InstagramConnect relayUrl={RELAY} onConnect={onConnect} />);
    const button = screen.getByRole("button", { name: "Connect Instagram" });
    expect(button.closest(".ic")?.getAttribute("aria-busy")).toBe("false");

    const { popup, open, attemptId } = await startConnecting();
    const start = popupStartUrl(open, popup);
    expect(start.origin + start.pathname).toBe(`${RELAY}/v1/oauth/start`);
    expect(start.searchParams.get("mode")).toBe("popup");
    expect(start.searchParams.get("scopes")).toBe("instagram_business_basic");
    expect(
      screen.getByRole("button", { name: "Connecting…" }).closest(".ic")?.getAttribute("aria-busy"),
    ).toBe("true");
    expect(screen.getByRole("status").textContent).toBe("Waiting for Instagram…");

    post(resultMessage(attemptId, okResult()), RELAY, popup);
    expect(await screen.findByRole("button", { name: "Disconnect" })).toBeTruthy();
    expect(document.querySelector(".ic-avatar")?.getAttribute("src")).toBe(
      "https://cdn.example.test/jane.jpg",
    );
    expect(screen.getByRole("status").textContent).toBe("Connected as @jane.doe");
    expect(onConnect).toHaveBeenCalledExactlyOnceWith(connectionView(), undefined); // no receipt: this relay signs none
    expect(JSON.parse(localStorage.getItem(HANDLE_KEY) ?? "null")).toEqual({
      connectionId: "conn_1",
      credential: "cred_secret_1",
    });
    expect(popup.closed).toBe(true);
  });

  it("opens a blank popup inside the click (popup blockers), then sends it to the relay's start URL", async () => {
    mockRelay({});
    renderWithClient(<InstagramConnect relayUrl={RELAY} />);
    const popup = fakePopup();
    const open = stubOpen(popup);
    fireEvent.click(screen.getByRole("button", { name: "Connect Instagram" }));
    expect(open).toHaveBeenCalledExactlyOnceWith("about:blank", "ig", "width=480,height=720");
    await vi.waitFor(
      () => expect(popup.location.href).toMatch(/^https:\/\/relay\.example\.test\/v1\/oauth\/start\?/),
      {
        timeout: 10_000,
        interval: 20,
      },
    );
  });

  it("S11: ignores messages from another origin, another window, or without/with another attemptId", async () => {
    mockRelay({});
    const onConnect = vi.fn();
    renderWithClient(<InstagramConnect relayUrl={RELAY} onConnect={onConnect} />);
    const { popup, attemptId } = await startConnecting();
    post(resultMessage(attemptId, okResult()), "https://evil.test", popup);
    post(resultMessage(attemptId, okResult()), `${RELAY}.evil.test`, popup);
    post(resultMessage(attemptId, okResult()), RELAY, null);
    post(resultMessage(undefined, okResult()), RELAY, popup);
    post(resultMessage("x".repeat(32), okResult()), RELAY, popup);
    await waitFor(() => {});
    expect(screen.getByRole("button", { name: "Connecting…" })).toBeTruthy();
    expect(onConnect).not.toHaveBeenCalled();
    expect(localStorage.getItem(HANDLE_KEY)).toBeNull();
  });

  it("S13: finishes by polling the attempt when the popup reads closed without a message", async () => {
    vi.useFakeTimers();
    let polls = 0;
    const fetchMock = mockRelay({});
    const onConnect = vi.fn();
    renderWithClient(<InstagramConnect relayUrl={RELAY} onConnect={onConnect} />);
    const { popup, attemptId } = await startConnecting();
    fetchMock.mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
      expect(String(input)).toBe(`${RELAY}/v1/oauth/attempts/${attemptId}`);
      expect(new Headers(init?.headers).get("X-Attempt-Verifier")).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
      polls += 1;
      return polls < 2
        ? json({ status: "pending", expiresAt: new Date(Date.now() + 60_000).toISOString() })
        : json({ status: "complete", result: okResult() });
    });
    popup.closed = true;
    await act(() => vi.advanceTimersByTimeAsync(500)); // the closed popup is noticed: first poll
    expect(polls).toBe(1);
    await act(() => vi.advanceTimersByTimeAsync(POLL_INTERVAL));
    expect(screen.getByRole("button", { name: "Disconnect" })).toBeTruthy();
    expect(polls).toBe(2);
    expect(onConnect).toHaveBeenCalledOnce();
  });

  it("denied by the user: says so, and retry starts a new attempt", async () => {
    mockRelay({});
    const onError = vi.fn();
    renderWithClient(<InstagramConnect relayUrl={RELAY} onError={onError} />);
    const { popup, attemptId } = await startConnecting();
    post(resultMessage(attemptId, errorResult("access_denied")), RELAY, popup);
    const retry = await screen.findByRole("button", { name: "Try again" });
    expect(screen.getByRole("status").textContent).toBe("Declined on Instagram.");
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: "access_denied" }));

    const next = fakePopup();
    const open = stubOpen(next);
    fireEvent.click(retry);
    expect(open).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(attemptIdOf(open, next)).not.toBe(attemptId), {
      timeout: 10_000,
      interval: 20,
    });
    expect(screen.getByRole("button", { name: "Connecting…" })).toBeTruthy();
  });

  it("S18: rate limited: counts down, then enables retry", async () => {
    vi.useFakeTimers();
    mockRelay({});
    renderWithClient(<InstagramConnect relayUrl={RELAY} />);
    const { popup, attemptId } = await startConnecting();
    post(resultMessage(attemptId, errorResult("rate_limited", 3)), RELAY, popup);
    const button = await screen.findByRole("button", { name: "Try again in 3 s" });
    expect(button.getAttribute("aria-disabled")).toBe("true");
    expect(screen.getByRole("status").textContent).toBe("Too many attempts.");
    const open = stubOpen(fakePopup());
    fireEvent.click(button);
    expect(open).not.toHaveBeenCalled();
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(screen.getByRole("button", { name: "Try again in 2 s" })).toBeTruthy();
    await act(() => vi.advanceTimersByTimeAsync(2000));
    const retry = screen.getByRole("button", { name: "Try again" });
    expect(retry.getAttribute("aria-disabled")).toBe("false");
    fireEvent.click(retry);
    expect(open).toHaveBeenCalledOnce();
  });

  it("the relay refusing to issue the attempt closes the blank popup and shows its typed error", async () => {
    const onError = vi.fn();
    mockRelay({ "POST /v1/oauth/attempts": () => relayError("rate_limited", 429, { retryAfter: 5 }) });
    renderWithClient(<InstagramConnect relayUrl={RELAY} onError={onError} />);
    const popup = fakePopup();
    const open = stubOpen(popup);
    fireEvent.click(screen.getByRole("button", { name: "Connect Instagram" }));
    expect(open).toHaveBeenCalledWith("about:blank", "ig", "width=480,height=720"); // still synchronous
    await vi.waitFor(() => expect(popup.closed).toBe(true), { timeout: 10_000, interval: 20 });
    expect(popup.location.href).toBe("");
    await waitFor(() =>
      expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: "rate_limited" })),
    );
  });

  it("network error while polling: shows the failure, and retry starts again", async () => {
    vi.useFakeTimers();
    const fetchMock = mockRelay({});
    const onError = vi.fn();
    renderWithClient(<InstagramConnect relayUrl={RELAY} onError={onError} />);
    const { popup } = await startConnecting();
    fetchMock.mockRejectedValue(new TypeError("Failed to fetch"));
    popup.closed = true;
    await act(() => vi.advanceTimersByTimeAsync(500));
    const retry = screen.getByRole("button", { name: "Try again" });
    expect(screen.getByRole("status").textContent).toBe("Instagram unreachable.");
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: "network_error" }));
    const open = stubOpen(fakePopup());
    fireEvent.click(retry);
    expect(open).toHaveBeenCalledOnce();
  });

  it("cancel: back to idle, closes the popup, and a late message is ignored", async () => {
    mockRelay({});
    const onConnect = vi.fn();
    renderWithClient(<InstagramConnect relayUrl={RELAY} onConnect={onConnect} />);
    const { popup, attemptId } = await startConnecting();
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.getByRole("button", { name: "Connect Instagram" })).toBeTruthy();
    expect(screen.getByRole("status").textContent).toBe("Cancelled.");
    expect(popup.closed).toBe(true);
    post(resultMessage(attemptId, okResult()), RELAY, popup);
    await waitFor(() => {});
    expect(screen.getByRole("button", { name: "Connect Instagram" })).toBeTruthy();
    expect(onConnect).not.toHaveBeenCalled();
  });

  it("asks for the scopes given, comma-separated", async () => {
    mockRelay({});
    renderWithClient(
      <InstagramConnect
        relayUrl={RELAY}
        scopes={["instagram_business_basic", "instagram_business_manage_insights"]}
      />,
    );
    const { popup, open } = await startConnecting();
    expect(popupStartUrl(open, popup).searchParams.get("scopes")).toBe(
      "instagram_business_basic,instagram_business_manage_insights",
    );
  });
});
