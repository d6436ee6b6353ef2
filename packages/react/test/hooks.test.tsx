import type { QueryClient } from "@tanstack/react-query";
import { fireEvent, render, renderHook, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import {
  useDisconnect,
  useInstagramConnect,
  useInstagramConnection,
  useInstagramMedia,
  useInstagramProfile,
} from "../src/index.ts";
import { connectionView, HANDLE_KEY, json, mockRelay, newClient, RELAY, relayError } from "./helpers.tsx";

const handle = { connectionId: "conn_1", credential: "cred_secret_1" };
const media = (id: string) => ({
  id,
  caption: null,
  mediaType: "IMAGE" as const,
  mediaUrl: `https://cdn.example.test/${id}.jpg`,
  permalink: null,
  thumbnailUrl: null,
  timestamp: "2026-10-01T12:00:00+0000",
});

const options = () => ({ relayUrl: RELAY, queryClient: newClient() });

describe("data hooks", () => {
  it("useInstagramConnection / useInstagramProfile read the stored connection", async () => {
    localStorage.setItem(HANDLE_KEY, JSON.stringify(handle));
    const fetchMock = mockRelay({ "GET /v1/connections/me": () => json({ connection: connectionView() }) });
    const opts = options();
    const { result } = renderHook(() => ({
      connection: useInstagramConnection(opts),
      profile: useInstagramProfile(opts),
    }));
    await waitFor(() => expect(result.current.profile.data?.username).toBe("jane.doe"));
    expect(result.current.connection.data).toEqual(connectionView());
    expect(fetchMock).toHaveBeenCalledOnce(); // one shared cache entry
  });

  it("without a stored handle they fetch nothing", async () => {
    const fetchMock = mockRelay({});
    const { result } = renderHook(() => useInstagramProfile(options()));
    await waitFor(() => {});
    expect(result.current.data).toBeUndefined();
    expect(result.current.fetchStatus).toBe("idle");
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("useInstagramMedia pages by nextCursor", async () => {
    localStorage.setItem(HANDLE_KEY, JSON.stringify(handle));
    const fetchMock = mockRelay({
      "GET /v1/connections/me/media": ({ url, headers }) => {
        expect(headers.get("Authorization")).toBe("Bearer cred_secret_1");
        expect(url.searchParams.get("limit")).toBe("2");
        return url.searchParams.get("after") === "cursor+/2"
          ? json({ items: [media("m3")], nextCursor: null })
          : json({ items: [media("m1"), media("m2")], nextCursor: "cursor+/2" });
      },
    });
    const { result } = renderHook(() => useInstagramMedia({ ...options(), limit: 2 }));
    await waitFor(() => expect(result.current.data?.pages).toHaveLength(1));
    expect(result.current.hasNextPage).toBe(true);
    await result.current.fetchNextPage();
    await waitFor(() => expect(result.current.data?.pages).toHaveLength(2));
    expect(result.current.data?.pages.flatMap((page) => page.items.map((item) => item.id))).toEqual([
      "m1",
      "m2",
      "m3",
    ]);
    expect(result.current.hasNextPage).toBe(false);
    expect(new URL(String(fetchMock.mock.calls[1]?.[0])).searchParams.get("after")).toBe("cursor+/2");
  });

  it("useInstagramMedia forgets a dead credential", async () => {
    localStorage.setItem(HANDLE_KEY, JSON.stringify(handle));
    mockRelay({ "GET /v1/connections/me/media": () => relayError("unauthorized", 401) });
    const { result } = renderHook(() => useInstagramMedia(options()));
    await waitFor(() => expect(localStorage.getItem(HANDLE_KEY)).toBeNull());
    expect(result.current.data).toBeUndefined();
  });

  it("useDisconnect deletes the connection and every hook on the client sees it at once", async () => {
    localStorage.setItem(HANDLE_KEY, JSON.stringify(handle));
    mockRelay({
      "GET /v1/connections/me": () => json({ connection: connectionView() }),
      "DELETE /v1/connections/me": () => json({ disconnected: true, connectionId: "conn_1" }),
    });
    const opts = options();
    const { result } = renderHook(() => ({
      profile: useInstagramProfile(opts),
      disconnect: useDisconnect(opts),
    }));
    await waitFor(() => expect(result.current.profile.data?.username).toBe("jane.doe"));
    await result.current.disconnect.mutateAsync();
    await waitFor(() => expect(result.current.profile.data).toBeUndefined());
    expect(localStorage.getItem(HANDLE_KEY)).toBeNull();
  });

  it("useDisconnect reports a network failure and keeps the handle", async () => {
    localStorage.setItem(HANDLE_KEY, JSON.stringify(handle));
    vi.stubGlobal(
      "fetch",
      vi.fn(() => Promise.reject(new TypeError("Failed to fetch"))),
    );
    const { result } = renderHook(() => useDisconnect(options()));
    await waitFor(() => {});
    await expect(result.current.mutateAsync()).rejects.toMatchObject({ code: "network_error" });
    expect(localStorage.getItem(HANDLE_KEY)).not.toBeNull();
  });
});

function CustomButton({ onConnect, client }: { onConnect: () => void; client: QueryClient }) {
  const ig = useInstagramConnect({ relayUrl: RELAY, queryClient: client, onConnect });
  return (
    <button type="button" onClick={ig.state === "connected" ? ig.disconnect : ig.connect}>
      {ig.state}:{ig.connection?.profile.username ?? "-"}
    </button>
  );
}

describe("useInstagramConnect (headless)", () => {
  it("drives a fully custom button", async () => {
    const client = newClient();
    localStorage.setItem(HANDLE_KEY, JSON.stringify(handle));
    mockRelay({
      "GET /v1/connections/me": () => json({ connection: connectionView() }),
      "DELETE /v1/connections/me": () => json({ disconnected: true, connectionId: "conn_1" }),
    });
    render(<CustomButton onConnect={() => {}} client={client} />);
    const button = await screen.findByRole("button", { name: "connected:jane.doe" });
    fireEvent.click(button);
    expect(await screen.findByRole("button", { name: "idle:-" })).toBeTruthy();
  });

  it("keeps callbacks in refs: the latest one is called without memoising", async () => {
    const client = newClient();
    mockRelay({});
    const first = vi.fn();
    const latest = vi.fn();
    const { rerender } = render(<CustomButton onConnect={first} client={client} />);
    rerender(<CustomButton onConnect={latest} client={client} />);
    const result = { ok: true, handle, connection: connectionView() } as const;
    const popup = { closed: false, location: { href: "" }, close() {} };
    const open = vi.spyOn(window, "open").mockReturnValue(popup as unknown as Window);
    fireEvent.click(screen.getByRole("button", { name: "idle:-" }));
    await waitFor(() =>
      expect(popup.location.href || String(open.mock.calls[0]?.[0])).toContain("attemptId="),
    );
    const start = new URL(popup.location.href || String(open.mock.calls[0]?.[0]));
    window.dispatchEvent(
      new MessageEvent("message", {
        origin: RELAY,
        source: popup as unknown as Window,
        data: {
          type: "instagram-connect:oauth-result",
          version: 1,
          attemptId: start.searchParams.get("attemptId"),
          result,
        },
      }),
    );
    await screen.findByRole("button", { name: "connected:jane.doe" });
    expect(latest).toHaveBeenCalledOnce();
    expect(first).not.toHaveBeenCalled();
  });
});
