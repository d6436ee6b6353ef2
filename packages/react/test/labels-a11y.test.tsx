import { act, fireEvent, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { DEFAULT_LABELS, InstagramConnect } from "../src/index.ts";
import {
  errorResult,
  fakePopup,
  mockRelay,
  okResult,
  popupStartUrl,
  post,
  RELAY,
  renderWithClient,
  resultMessage,
  stubOpen,
} from "./helpers.tsx";

describe("labels", () => {
  it("every label can be overridden, including the seconds and @username formatters", async () => {
    vi.useFakeTimers();
    mockRelay({});
    renderWithClient(
      <InstagramConnect
        relayUrl={RELAY}
        labels={{
          connect: "Instagram verbinden",
          connecting: "Verbinde…",
          cancel: "Abbrechen",
          retryIn: (s) => `Noch ${s} Sekunden`,
          rateLimited: "Zu viele Versuche.",
          connected: (u) => `Verbunden: ${u}`,
          disconnect: "Trennen",
        }}
      />,
    );
    const popup = fakePopup();
    const open = stubOpen(popup);
    fireEvent.click(screen.getByRole("button", { name: "Instagram verbinden" }));
    expect(screen.getByRole("button", { name: "Abbrechen" })).toBeTruthy();
    await vi.waitFor(() => expect(popupStartUrl(open, popup).searchParams.get("attemptId")).toBeTruthy(), {
      timeout: 10_000,
      interval: 20,
    });
    const attemptId = popupStartUrl(open, popup).searchParams.get("attemptId") ?? "";
    post(resultMessage(attemptId, errorResult("rate_limited", 2)), RELAY, popup);
    expect(await screen.findByRole("button", { name: "Noch 2 Sekunden" })).toBeTruthy();
    expect(screen.getByRole("status").textContent).toBe("Zu viele Versuche.");
    await act(() => vi.advanceTimersByTimeAsync(2000));

    const next = fakePopup();
    const reopen = stubOpen(next);
    fireEvent.click(screen.getByRole("button", { name: DEFAULT_LABELS.retry }));
    // The new attempt's challenge is hashed by WebCrypto in real time, which fake timers do not drive.
    await vi.waitFor(() => expect(popupStartUrl(reopen, next).searchParams.get("attemptId")).toBeTruthy(), {
      timeout: 10_000,
      interval: 20,
    });
    post(
      resultMessage(popupStartUrl(reopen, next).searchParams.get("attemptId") ?? "", okResult()),
      RELAY,
      next,
    );
    expect(await screen.findByRole("button", { name: "Trennen" })).toBeTruthy();
    expect(screen.getByRole("status").textContent).toBe("Verbunden: jane.doe");
  });

  it("adds className to the root and uses no inline styles at all (strict CSP: style-src 'self')", () => {
    mockRelay({});
    const { container } = renderWithClient(
      <InstagramConnect relayUrl={RELAY} className="my-ig" theme="dark" />,
    );
    const root = container.firstElementChild as HTMLElement;
    expect(root.className).toBe("ic my-ig");
    expect(root.getAttribute("data-theme")).toBe("dark");
    expect(document.querySelectorAll("style, link").length).toBe(0);
    expect(container.querySelectorAll("[style]").length).toBe(0);
  });
});

describe("accessibility", () => {
  it("keyboard only: Tab to the button, Enter connects, focus stays on the primary button, Tab to Cancel", async () => {
    mockRelay({});
    const user = userEvent.setup();
    renderWithClient(<InstagramConnect relayUrl={RELAY} />);
    const popup = fakePopup();
    const open = stubOpen(popup);
    await user.tab();
    const button = screen.getByRole("button", { name: "Connect Instagram" });
    expect(document.activeElement).toBe(button);
    await user.keyboard("{Enter}");
    expect(open).toHaveBeenCalledOnce();
    expect(document.activeElement).toBe(button);
    expect(button.closest(".ic")?.getAttribute("aria-busy")).toBe("true");
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Cancel" }));
    await user.keyboard(" ");
    expect(screen.getByRole("button", { name: "Connect Instagram" })).toBe(button);
    expect(document.activeElement).toBe(button);
  });

  it("announces each state in a visible status line; once connected, focus is on that line, not on Disconnect", async () => {
    mockRelay({});
    const user = userEvent.setup();
    renderWithClient(<InstagramConnect relayUrl={RELAY} />);
    const status = screen.getByRole("status");
    expect(status.textContent).toBe("");
    const popup = fakePopup();
    const open = stubOpen(popup);
    await user.tab();
    await user.keyboard("{Enter}");
    expect(status.textContent).toBe("Waiting for Instagram…");
    await vi.waitFor(() => expect(popupStartUrl(open, popup).searchParams.get("attemptId")).toBeTruthy(), {
      timeout: 10_000,
      interval: 20,
    });
    post(
      resultMessage(popupStartUrl(open, popup).searchParams.get("attemptId") ?? "", okResult()),
      RELAY,
      popup,
    );
    const disconnect = await screen.findByRole("button", { name: "Disconnect" });
    expect(status.textContent).toBe("Connected as @jane.doe");
    expect(document.activeElement).toBe(status);
    // A second Enter does nothing harmful: still connected, no confirmation opened.
    await user.keyboard("{Enter}");
    expect(screen.getByRole("button", { name: "Disconnect" })).toBe(disconnect);
    expect(status.textContent).toBe("Connected as @jane.doe");
  });

  it("does not start a second attempt while one is running", async () => {
    mockRelay({});
    renderWithClient(<InstagramConnect relayUrl={RELAY} />);
    const open = stubOpen(fakePopup());
    const button = screen.getByRole("button", { name: "Connect Instagram" });
    fireEvent.click(button);
    fireEvent.click(button);
    expect(open).toHaveBeenCalledOnce();
    expect(button.getAttribute("aria-disabled")).toBe("true");
  });
});
