// Findings of issue 19 and the widget items of issue 18, as a visitor or site owner notices them.

import { QueryClientProvider } from "@tanstack/react-query";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { InstagramConnect, InstagramConnectView, useInstagramConnection } from "../src/index.ts";
import {
  connectionView,
  fakePopup,
  json,
  mockRelay,
  newClient,
  okResult,
  popupStartUrl,
  post,
  RELAY,
  renderWithClient,
  resultMessage,
  stubOpen,
} from "./helpers.tsx";

function Profile() {
  return <p>{useInstagramConnection({ relayUrl: RELAY }).data?.profile.username ?? "nobody"}</p>;
}

const pending = () => json({ status: "pending", expiresAt: new Date(Date.now() + 600_000).toISOString() });

async function startConnecting() {
  const popup = fakePopup();
  const open = stubOpen(popup);
  fireEvent.click(screen.getByRole("button", { name: "Connect Instagram" }));
  await vi.waitFor(() => expect(popupStartUrl(open, popup).searchParams.get("attemptId")).toBeTruthy(), {
    timeout: 10_000,
    interval: 20,
  });
  return { popup, attemptId: popupStartUrl(open, popup).searchParams.get("attemptId") ?? "" };
}

describe("stuck popup", () => {
  it("a popup closed without a result says 'Not finished' with Try again, not 'Connecting…' for 10 minutes", async () => {
    vi.useFakeTimers();
    const fetchMock = mockRelay({});
    fetchMock.mockImplementation(async () => pending());
    renderWithClient(<InstagramConnect relayUrl={RELAY} />);
    const { popup } = await startConnecting();
    popup.closed = true; // closed by the visitor: the focus is back on this page
    await act(() => vi.advanceTimersByTimeAsync(2_000));
    expect(screen.getByRole("status").textContent).toBe("Not finished.");
    const retry = screen.getByRole("button", { name: "Try again" });
    const next = fakePopup();
    const open = stubOpen(next);
    fireEvent.click(retry);
    expect(open).toHaveBeenCalledOnce();
    expect(screen.getByRole("button", { name: "Connecting…" })).toBeTruthy();
  });

  it("when COOP cuts the link at once, coming back to the page without a result says 'Not finished'; a late result still connects", async () => {
    vi.useFakeTimers();
    const fetchMock = mockRelay({});
    let complete = false;
    fetchMock.mockImplementation(async () =>
      complete ? json({ status: "complete", result: okResult() }) : pending(),
    );
    renderWithClient(<InstagramConnect relayUrl={RELAY} />);
    const { popup } = await startConnecting();
    const focus = vi.spyOn(document, "hasFocus").mockReturnValue(false); // the popup has the focus
    popup.closed = true; // reads closed right away: the link was cut, the popup lives on
    await act(() => vi.advanceTimersByTimeAsync(3_000));
    expect(screen.getByRole("status").textContent).toBe("Waiting for Instagram…");
    focus.mockReturnValue(true); // the visitor is back on this page
    await act(() => vi.advanceTimersByTimeAsync(2_000));
    expect(screen.getByRole("status").textContent).toBe("Not finished.");
    complete = true; // ...but had finished in the popup after all
    await act(() => vi.advanceTimersByTimeAsync(2_000));
    expect(screen.getByRole("status").textContent).toBe("Connected as @jane.doe");
  });
});

describe("keyboard and safety", () => {
  it("Escape cancels while connecting, says so, and keeps focus on the main button", async () => {
    mockRelay({});
    const user = userEvent.setup();
    renderWithClient(<InstagramConnect relayUrl={RELAY} />);
    const popup = fakePopup();
    stubOpen(popup);
    await user.tab();
    await user.keyboard("{Enter}");
    expect(screen.getByRole("button", { name: "Connecting…" })).toBeTruthy();
    await user.keyboard("{Escape}");
    expect(popup.closed).toBe(true);
    const connect = screen.getByRole("button", { name: "Connect Instagram" });
    expect(screen.getByRole("status").textContent).toBe("Cancelled.");
    expect(document.activeElement).toBe(connect);
  });

  it("Disconnect asks first: focus on Keep, Escape or Keep keeps the connection; confirming disconnects", async () => {
    localStorage.setItem(
      `instagram-connect:handle:${RELAY}`,
      JSON.stringify({ connectionId: "conn_1", credential: "c" }),
    );
    const fetchMock = mockRelay({
      "GET /v1/connections/me": () => json({ connection: connectionView() }),
      "DELETE /v1/connections/me": () => json({ disconnected: true, connectionId: "conn_1" }),
    });
    const user = userEvent.setup();
    renderWithClient(<InstagramConnect relayUrl={RELAY} />);
    const disconnect = await screen.findByRole("button", { name: "Disconnect" });
    expect(disconnect.className).toContain("ic-secondary");
    await user.click(disconnect);
    expect(screen.getByRole("status").textContent).toBe("Disconnect @jane.doe?");
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Keep" }));
    await user.keyboard("{Escape}");
    expect(screen.getByRole("status").textContent).toBe("Connected as @jane.doe");
    await user.click(screen.getByRole("button", { name: "Disconnect" }));
    await user.click(screen.getByRole("button", { name: "Keep" }));
    expect(fetchMock.mock.calls.some(([, init]) => init?.method === "DELETE")).toBe(false);
    await user.click(screen.getByRole("button", { name: "Disconnect" }));
    await user.click(screen.getByRole("button", { name: "Disconnect" }));
    expect(await screen.findByRole("button", { name: "Connect Instagram" })).toBeTruthy();
    expect(screen.getByRole("status").textContent).toBe("Disconnected.");
  });

  it("a long username is cut with an ellipsis class and kept whole in the tooltip", async () => {
    const username = "a_very_long_username_29_chars";
    localStorage.setItem(
      `instagram-connect:handle:${RELAY}`,
      JSON.stringify({ connectionId: "conn_1", credential: "c" }),
    );
    mockRelay({
      "GET /v1/connections/me": () =>
        json({ connection: connectionView({ profile: { ...connectionView().profile, username } }) }),
    });
    renderWithClient(<InstagramConnect relayUrl={RELAY} />);
    await screen.findByRole("button", { name: "Disconnect" });
    const status = screen.getByRole("status");
    expect(status.className).toBe("ic-status");
    expect(status.getAttribute("title")).toBe(`Connected as @${username}`);
  });
});

describe("relayUrl", () => {
  it("with a trailing slash, the widget and hooks given it without one share the connection", async () => {
    mockRelay({ "GET /v1/connections/me": () => json({ connection: connectionView() }) });
    const client = newClient();
    render(
      <QueryClientProvider client={client}>
        <InstagramConnect relayUrl={`${RELAY}/`} />
        <Profile />
      </QueryClientProvider>,
    );
    const popup = fakePopup();
    const open = stubOpen(popup);
    fireEvent.click(screen.getByRole("button", { name: "Connect Instagram" }));
    await vi.waitFor(() => expect(popupStartUrl(open, popup).searchParams.get("attemptId")).toBeTruthy(), {
      timeout: 10_000,
      interval: 20,
    });
    const attemptId = popupStartUrl(open, popup).searchParams.get("attemptId") ?? "";
    expect(popupStartUrl(open, popup).pathname).toBe("/v1/oauth/start");
    post(resultMessage(attemptId, okResult()), RELAY, popup);
    expect(await screen.findByText("jane.doe")).toBeTruthy();
    expect(localStorage.getItem(`instagram-connect:handle:${RELAY}`)).not.toBeNull();
    expect(localStorage.getItem(`instagram-connect:handle:${RELAY}/`)).toBeNull();
  });

  it.each(["", "relay.example.test", "/relay"])("%j fails loudly in development", (relayUrl) => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    expect(() => renderWithClient(<InstagramConnect relayUrl={relayUrl} />)).toThrow(
      /relayUrl must be an absolute/,
    );
  });
});

describe("redirect fallback", () => {
  it("leaves the address bar clean: no ic_attempt and no '#_'", async () => {
    const attempt = { attemptId: "A".repeat(32), verifier: "v".repeat(43), challenge: "c".repeat(43) };
    sessionStorage.setItem(`instagram-connect:pending:${RELAY}`, JSON.stringify(attempt));
    history.replaceState(null, "", `/page?x=1&ic_attempt=${attempt.attemptId}#_`);
    mockRelay({
      [`GET /v1/oauth/attempts/${attempt.attemptId}`]: () => json({ status: "complete", result: okResult() }),
    });
    renderWithClient(<InstagramConnect relayUrl={RELAY} />);
    await screen.findByRole("button", { name: "Disconnect" });
    await waitFor(() => expect(location.href).toBe(`${location.origin}/page?x=1`));
  });
});

describe("view", () => {
  it("the view renders any state without a relay (the demo's states page uses it)", () => {
    render(
      <InstagramConnectView
        controller={{
          state: "rate_limited",
          connection: null,
          retryAt: Date.now() + 5_000,
          note: null,
          connect() {},
          cancel() {},
          disconnect() {},
          retry() {},
        }}
      />,
    );
    expect(screen.getByRole("status").textContent).toBe("Too many attempts.");
    expect(screen.getByRole("button", { name: "Try again in 5 s" }).getAttribute("aria-disabled")).toBe(
      "true",
    );
  });
});
