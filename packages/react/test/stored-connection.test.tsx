import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { InstagramConnect } from "../src/index.ts";
import {
  connectionView,
  fakePopup,
  HANDLE_KEY,
  json,
  mockRelay,
  newClient,
  RELAY,
  relayError,
  renderWithClient,
  stubOpen,
} from "./helpers.tsx";

const handle = { connectionId: "conn_1", credential: "cred_secret_1" };
const storeHandle = (storage: Storage = localStorage) => storage.setItem(HANDLE_KEY, JSON.stringify(handle));
/** Disconnect, then confirm it (the widget asks first). */
async function disconnectAndConfirm() {
  fireEvent.click(await screen.findByRole("button", { name: "Disconnect" }));
  expect(screen.getByRole("status").textContent).toBe("Disconnect @jane.doe?");
  expect(screen.getByRole("button", { name: "Keep" })).toBeTruthy();
  fireEvent.click(screen.getByRole("button", { name: "Disconnect" }));
}

const bearerOf = (call: unknown[] | undefined) =>
  new Headers((call?.[1] as RequestInit | undefined)?.headers).get("Authorization");

describe("<InstagramConnect> with a stored connection", () => {
  it("reads /connections/me with the stored credential and shows the connected state", async () => {
    storeHandle();
    const fetchMock = mockRelay({ "GET /v1/connections/me": () => json({ connection: connectionView() }) });
    renderWithClient(<InstagramConnect relayUrl={RELAY} />);
    expect(await screen.findByRole("button", { name: "Disconnect" })).toBeTruthy();
    expect(screen.getByRole("status").textContent).toBe("Connected as @jane.doe");
    expect(bearerOf(fetchMock.mock.calls[0])).toBe("Bearer cred_secret_1");
  });

  it("shows a busy state while the stored connection is checked", async () => {
    storeHandle();
    mockRelay({ "GET /v1/connections/me": () => new Promise<Response>(() => {}) });
    const { container } = renderWithClient(<InstagramConnect relayUrl={RELAY} />);
    await waitFor(() => expect(container.firstElementChild?.getAttribute("data-state")).toBe("loading"));
    expect(container.firstElementChild?.getAttribute("aria-busy")).toBe("true");
    expect(screen.getByRole("button", { name: "Checking…" }).getAttribute("aria-disabled")).toBe("true");
  });

  it("disconnect: DELETE with the credential, back to idle, onDisconnect, handle forgotten", async () => {
    storeHandle();
    const fetchMock = mockRelay({
      "GET /v1/connections/me": () => json({ connection: connectionView() }),
      "DELETE /v1/connections/me": () => json({ disconnected: true, connectionId: "conn_1" }),
    });
    const onDisconnect = vi.fn();
    renderWithClient(<InstagramConnect relayUrl={RELAY} onDisconnect={onDisconnect} />);
    await disconnectAndConfirm();
    expect(await screen.findByRole("button", { name: "Connect Instagram" })).toBeTruthy();
    const call = fetchMock.mock.calls.find(([, init]) => init?.method === "DELETE");
    expect(bearerOf(call)).toBe("Bearer cred_secret_1");
    expect(onDisconnect).toHaveBeenCalledOnce();
    expect(localStorage.getItem(HANDLE_KEY)).toBeNull();
  });

  it("dead credential (401): forgets it and goes back to idle without an error", async () => {
    storeHandle();
    mockRelay({ "GET /v1/connections/me": () => relayError("unauthorized", 401) });
    const onError = vi.fn();
    renderWithClient(<InstagramConnect relayUrl={RELAY} onError={onError} />);
    await waitFor(() => expect(localStorage.getItem(HANDLE_KEY)).toBeNull());
    expect(screen.getByRole("button", { name: "Connect Instagram" })).toBeTruthy();
    expect(onError).not.toHaveBeenCalled();
  });

  it("dead credential (404 connection_not_found): forgets it too", async () => {
    storeHandle();
    mockRelay({ "GET /v1/connections/me": () => relayError("connection_not_found", 404) });
    renderWithClient(<InstagramConnect relayUrl={RELAY} />);
    await waitFor(() => expect(localStorage.getItem(HANDLE_KEY)).toBeNull());
    expect(screen.getByRole("button", { name: "Connect Instagram" })).toBeTruthy();
  });

  it("disconnecting a connection the relay already forgot still ends idle", async () => {
    storeHandle();
    mockRelay({
      "GET /v1/connections/me": () => json({ connection: connectionView() }),
      "DELETE /v1/connections/me": () => relayError("connection_not_found", 404),
    });
    const onDisconnect = vi.fn();
    renderWithClient(<InstagramConnect relayUrl={RELAY} onDisconnect={onDisconnect} />);
    await disconnectAndConfirm();
    expect(await screen.findByRole("button", { name: "Connect Instagram" })).toBeTruthy();
    expect(onDisconnect).toHaveBeenCalledOnce();
  });

  it("reauth required (409): offers Reconnect and Disconnect; Reconnect opens a popup", async () => {
    storeHandle();
    mockRelay({ "GET /v1/connections/me": () => relayError("reauth_required", 409) });
    renderWithClient(<InstagramConnect relayUrl={RELAY} />);
    const reconnect = await screen.findByRole("button", { name: "Reconnect" });
    expect(screen.getByRole("button", { name: "Disconnect" })).toBeTruthy();
    expect(screen.getByRole("status").textContent).toBe("Access expired.");
    const open = stubOpen(fakePopup());
    fireEvent.click(reconnect);
    expect(open).toHaveBeenCalledOnce();
  });

  it("reauth required (connection status): offers Reconnect", async () => {
    storeHandle();
    mockRelay({
      "GET /v1/connections/me": () => json({ connection: connectionView({ status: "reauth_required" }) }),
    });
    renderWithClient(<InstagramConnect relayUrl={RELAY} />);
    expect(await screen.findByRole("button", { name: "Reconnect" })).toBeTruthy();
  });

  it("network error reading the connection: retry reads again and connects", async () => {
    storeHandle();
    const fetchMock = mockRelay({ "GET /v1/connections/me": () => json({ connection: connectionView() }) });
    fetchMock.mockRejectedValueOnce(new TypeError("Failed to fetch"));
    const onError = vi.fn();
    renderWithClient(<InstagramConnect relayUrl={RELAY} onError={onError} />);
    const retry = await screen.findByRole("button", { name: "Try again" });
    expect(screen.getByRole("status").textContent).toBe("Instagram unreachable.");
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: "network_error" }));
    const open = stubOpen(fakePopup());
    fireEvent.click(retry);
    expect(await screen.findByRole("button", { name: "Disconnect" })).toBeTruthy();
    expect(open).not.toHaveBeenCalled();
    expect(localStorage.getItem(HANDLE_KEY)).not.toBeNull();
  });

  it("S18: rate limited reading the connection (429 + Retry-After): counts down", async () => {
    vi.useFakeTimers();
    storeHandle();
    mockRelay({
      "GET /v1/connections/me": () => relayError("rate_limited", 429, {}, { "Retry-After": "7" }),
    });
    renderWithClient(<InstagramConnect relayUrl={RELAY} />);
    expect(await screen.findByRole("button", { name: "Try again in 7 s" })).toBeTruthy();
  });
});

describe("storage modes", () => {
  it("storage='session' reads the handle from sessionStorage, not localStorage", async () => {
    storeHandle(sessionStorage);
    mockRelay({ "GET /v1/connections/me": () => json({ connection: connectionView() }) });
    renderWithClient(<InstagramConnect relayUrl={RELAY} storage="session" />);
    expect(await screen.findByRole("button", { name: "Disconnect" })).toBeTruthy();
  });

  it("storage='memory' ignores web storage", async () => {
    storeHandle();
    const fetchMock = mockRelay({});
    renderWithClient(<InstagramConnect relayUrl={RELAY} storage="memory" />);
    await waitFor(() => {});
    expect(screen.getByRole("button", { name: "Connect Instagram" })).toBeTruthy();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("a handle for another relay is not used", async () => {
    storeHandle();
    const fetchMock = mockRelay({});
    renderWithClient(<InstagramConnect relayUrl="https://another-relay.test" />);
    await waitFor(() => {});
    expect(screen.getByRole("button", { name: "Connect Instagram" })).toBeTruthy();
    expect(fetchMock).not.toHaveBeenCalled();
  });
});

describe("QueryClient", () => {
  it("works without a QueryClientProvider", async () => {
    storeHandle();
    mockRelay({ "GET /v1/connections/me": () => json({ connection: connectionView() }) });
    render(<InstagramConnect relayUrl={RELAY} storage="local" />);
    expect(await screen.findByRole("button", { name: "Disconnect" })).toBeTruthy();
  });

  it("uses the queryClient prop when given", async () => {
    storeHandle();
    mockRelay({ "GET /v1/connections/me": () => json({ connection: connectionView() }) });
    const client = newClient();
    render(<InstagramConnect relayUrl={RELAY} queryClient={client} />);
    await screen.findByRole("button", { name: "Disconnect" });
    expect(client.getQueryData(["instagram-connect", RELAY, "conn_1"])).toEqual(connectionView());
  });

  it("uses the host's QueryClientProvider", async () => {
    storeHandle();
    mockRelay({ "GET /v1/connections/me": () => json({ connection: connectionView() }) });
    const { client } = renderWithClient(<InstagramConnect relayUrl={RELAY} />);
    await screen.findByRole("button", { name: "Disconnect" });
    expect(client.getQueryData(["instagram-connect", RELAY, "conn_1"])).toEqual(connectionView());
  });
});
