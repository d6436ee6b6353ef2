import { act, fireEvent, screen, waitFor } from "@testing-library/react";
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
          username: (u) => `${u} auf Instagram`,
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
    await waitFor(() => expect(popupStartUrl(reopen, next).searchParams.get("attemptId")).toBeTruthy());
    post(
      resultMessage(popupStartUrl(reopen, next).searchParams.get("attemptId") ?? "", okResult()),
      RELAY,
      next,
    );
    expect(await screen.findByRole("button", { name: "Trennen" })).toBeTruthy();
    expect(screen.getByText("jane.doe auf Instagram")).toBeTruthy();
    expect(screen.getByRole("img", { name: "jane.doe auf Instagram" })).toBeTruthy();
    expect(screen.getByRole("status").textContent).toBe("Verbunden: jane.doe");
  });

  it("passes className to the root and styles only through inline --ic-* variables", () => {
    mockRelay({});
    const { container } = renderWithClient(<InstagramConnect relayUrl={RELAY} className="my-ig" />);
    const root = container.firstElementChild as HTMLElement;
    expect(root.className).toBe("my-ig");
    expect(document.querySelectorAll("style, link").length).toBe(0);
    expect(screen.getByRole("button").getAttribute("style")).toContain("var(--ic-bg");
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
    expect(button.getAttribute("aria-busy")).toBe("true");
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Cancel" }));
    await user.keyboard(" ");
    expect(screen.getByRole("button", { name: "Connect Instagram" })).toBe(button);
    expect(document.activeElement).toBe(button);
  });

  it("announces each state in a polite status region, and the connected state keeps keyboard focus", async () => {
    mockRelay({});
    const user = userEvent.setup();
    renderWithClient(<InstagramConnect relayUrl={RELAY} />);
    const status = screen.getByRole("status");
    expect(status.textContent).toBe("");
    const popup = fakePopup();
    const open = stubOpen(popup);
    await user.tab();
    await user.keyboard("{Enter}");
    expect(status.textContent).toBe("Connecting…");
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
    expect(document.activeElement).toBe(disconnect);
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
