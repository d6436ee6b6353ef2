import { fireEvent, screen, waitFor } from "@testing-library/react";
import { StrictMode } from "react";
import { describe, expect, it, vi } from "vitest";
import { InstagramConnect } from "../src/index.ts";
import {
  connectionView,
  errorResult,
  HANDLE_KEY,
  json,
  mockRelay,
  okResult,
  PENDING_KEY,
  RELAY,
  relayError,
  renderWithClient,
  stubOpen,
} from "./helpers.tsx";

const stubAssign = () => vi.spyOn(window.location, "assign").mockImplementation(() => {});

describe("redirect mode", () => {
  it("popup blocked: says so and continues in this tab by redirect (mode=redirect&returnTo)", async () => {
    mockRelay({});
    history.replaceState(null, "", "/account/settings?tab=social");
    const assign = stubAssign();
    const open = stubOpen(null);
    renderWithClient(<InstagramConnect relayUrl={RELAY} />);
    fireEvent.click(screen.getByRole("button", { name: "Connect Instagram" }));
    expect(open).toHaveBeenCalledOnce();
    expect(screen.getByRole("status").textContent).toBe("Popup blocked, continuing here…");
    expect(
      screen.getByRole("button", { name: "Connecting…" }).closest(".ic")?.getAttribute("aria-busy"),
    ).toBe("true");
    await waitFor(() => expect(assign).toHaveBeenCalledOnce());
    const url = new URL(String(assign.mock.calls[0]?.[0]));
    expect(url.origin + url.pathname).toBe(`${RELAY}/v1/oauth/start`);
    expect(url.searchParams.get("mode")).toBe("redirect");
    expect(url.searchParams.get("returnTo")).toBe(`${location.origin}/account/settings`);
    const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? "null");
    expect(pending.attemptId).toBe(url.searchParams.get("attemptId"));
    expect(pending.verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(url.search).not.toContain(pending.verifier);
  });

  it("mode='redirect' navigates without opening a popup and honours returnTo", async () => {
    mockRelay({});
    const assign = stubAssign();
    const open = stubOpen(null);
    renderWithClient(<InstagramConnect relayUrl={RELAY} mode="redirect" returnTo="https://site.test/back" />);
    fireEvent.click(screen.getByRole("button", { name: "Connect Instagram" }));
    await waitFor(() => expect(assign).toHaveBeenCalledOnce());
    expect(open).not.toHaveBeenCalled();
    expect(new URL(String(assign.mock.calls[0]?.[0])).searchParams.get("returnTo")).toBe(
      "https://site.test/back",
    );
    expect(screen.getByRole("button", { name: "Connecting…" })).toBeTruthy();
  });

  it("back from the relay (?ic_attempt=): fetches the result with the verifier, connects, removes the param", async () => {
    const attempt = { attemptId: "A".repeat(32), verifier: "v".repeat(43), challenge: "c".repeat(43) };
    sessionStorage.setItem(PENDING_KEY, JSON.stringify(attempt));
    history.replaceState(null, "", `/page?keep=1&ic_attempt=${attempt.attemptId}#top`);
    const fetchMock = mockRelay({
      [`GET /v1/oauth/attempts/${attempt.attemptId}`]: ({ headers }) =>
        headers.get("X-Attempt-Verifier") === attempt.verifier
          ? json({ status: "complete", result: okResult() })
          : relayError("attempt_not_found", 404),
    });
    const onConnect = vi.fn();
    // StrictMode mounts twice: the single-read result must still be fetched once.
    renderWithClient(
      <StrictMode>
        <InstagramConnect relayUrl={RELAY} onConnect={onConnect} />
      </StrictMode>,
    );
    expect(await screen.findByRole("button", { name: "Disconnect" })).toBeTruthy();
    expect(onConnect).toHaveBeenCalledExactlyOnceWith(connectionView(), undefined); // no receipt: this relay signs none
    expect(fetchMock).toHaveBeenCalledOnce();
    expect(location.pathname + location.search + location.hash).toBe("/page?keep=1#top");
    expect(sessionStorage.getItem(PENDING_KEY)).toBeNull();
    expect(localStorage.getItem(HANDLE_KEY)).not.toBeNull();
  });

  it("back from the relay with a denial shows the denied state", async () => {
    const attempt = { attemptId: "A".repeat(32), verifier: "v".repeat(43), challenge: "c".repeat(43) };
    sessionStorage.setItem(PENDING_KEY, JSON.stringify(attempt));
    history.replaceState(null, "", `/?ic_attempt=${attempt.attemptId}`);
    mockRelay({
      [`GET /v1/oauth/attempts/${attempt.attemptId}`]: () =>
        json({ status: "complete", result: errorResult("access_denied") }),
    });
    renderWithClient(<InstagramConnect relayUrl={RELAY} />);
    expect(await screen.findByRole("button", { name: "Try again" })).toBeTruthy();
    expect(screen.getByRole("status").textContent).toBe("Declined on Instagram.");
    expect(location.search).toBe("");
  });

  it("ignores an ic_attempt that does not match the stored pending attempt", async () => {
    sessionStorage.setItem(
      PENDING_KEY,
      JSON.stringify({ attemptId: "A".repeat(32), verifier: "v", challenge: "c" }),
    );
    history.replaceState(null, "", `/?ic_attempt=${"B".repeat(32)}`);
    const fetchMock = mockRelay({});
    renderWithClient(<InstagramConnect relayUrl={RELAY} />);
    await waitFor(() => {});
    expect(screen.getByRole("button", { name: "Connect Instagram" })).toBeTruthy();
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
