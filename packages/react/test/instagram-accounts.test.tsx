import type { ConnectionView, OAuthResult } from "@instagram-connect/types";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { InstagramAccounts } from "../src/session/index.ts";
import {
  connectionView,
  fakePopup,
  HANDLE_KEY,
  json,
  mockRelay,
  post,
  RELAY,
  relayError,
  renderWithClient,
  resultMessage,
  stubOpen,
} from "./helpers.tsx";

const TOKEN_A = "ics_AAAAAAAAAAAAAAAAAAAAAA.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const TOKEN_B = "ics_BBBBBBBBBBBBBBBBBBBBBB.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

const account = (id: string, username: string, overrides: Partial<ConnectionView> = {}): ConnectionView => {
  const base = connectionView({ id, endUserId: "user_a", ...overrides });
  return { ...base, profile: { ...base.profile, username, id: `ig_${id}`, userId: `17_${id}` } };
};
const JANE = account("conn_1", "jane.doe");
const MAX = account("conn_2", "max.creator");

/** Captures the start forms the widget submits (happy-dom does not navigate). */
function captureForms(): Record<string, string>[] {
  const forms: Record<string, string>[] = [];
  vi.spyOn(HTMLFormElement.prototype, "submit").mockImplementation(function (this: HTMLFormElement) {
    forms.push(Object.fromEntries([...this.querySelectorAll("input")].map((i) => [i.name, i.value])));
  });
  return forms;
}

const ok = (connection: ConnectionView, receipt?: string): OAuthResult => ({
  ok: true,
  handle: { connectionId: connection.id, credential: `cred_${connection.id}` },
  connection,
  ...(receipt ? { receipt } : {}),
});

/** A relay holding `items` for the token(s) in `valid`; records each session request's token. */
function sessionRelay(items: ConnectionView[], valid: string[] = [TOKEN_A]) {
  const seen: string[] = [];
  const auth = (headers: Headers) => {
    const token = /^Session (.+)$/.exec(headers.get("Authorization") ?? "")?.[1] ?? "";
    seen.push(token);
    return valid.includes(token);
  };
  const fetchMock = mockRelay({
    "GET /v1/sessions/connections": ({ headers }) =>
      auth(headers) ? json({ endUserId: "user_a", items }) : relayError("invalid_session", 401),
    "DELETE /v1/sessions/connections/conn_1": ({ headers }) => {
      if (!auth(headers)) return relayError("invalid_session", 401);
      items = items.filter((c) => c.id !== "conn_1");
      return json({ disconnected: true, connectionId: "conn_1" });
    },
    "DELETE /v1/sessions/connections/conn_9": ({ headers }) =>
      auth(headers) ? relayError("connection_not_found", 404) : relayError("invalid_session", 401),
  });
  return { fetchMock, seen, setItems: (next: ConnectionView[]) => (items = next) };
}

const status = () => screen.getByRole("status").textContent;
const row = (username: string) => screen.getByText(`@${username}`).closest("li") as HTMLElement;

async function connectThrough(button: string, result: OAuthResult, forms: Record<string, string>[]) {
  const popup = fakePopup();
  stubOpen(popup);
  const before = forms.length;
  fireEvent.click(screen.getByRole("button", { name: button }));
  await vi.waitFor(() => expect(forms.length).toBe(before + 1), { timeout: 10_000, interval: 20 });
  const form = forms[before] ?? {};
  post(resultMessage(form.attemptId, result), RELAY, popup);
  return form;
}

describe("<InstagramAccounts>", () => {
  it("lists the end user's connections from the relay on a fresh device (nothing stored), with the session token in a header only", async () => {
    const { fetchMock, seen } = sessionRelay([MAX, JANE]);
    renderWithClient(<InstagramAccounts relayUrl={RELAY} sessionToken={TOKEN_A} />);
    expect(status()).toBe("Checking…");
    await waitFor(() => expect(status()).toBe("2 Instagram accounts connected."));
    expect(screen.getAllByRole("listitem").map((li) => li.querySelector(".ic-name")?.textContent)).toEqual([
      "@max.creator",
      "@jane.doe",
    ]);
    expect(seen).toEqual([TOKEN_A]);
    expect(fetchMock.mock.calls.map(([url]) => String(url)).join()).not.toContain(TOKEN_A);
    expect(localStorage.getItem(HANDLE_KEY)).toBeNull();
    expect(screen.getByRole("button", { name: "Connect another account" })).toBeTruthy();
  });

  it("no account yet: Connect Instagram, without forcing a fresh login; onConnect gets the receipt and the list shows it", async () => {
    const relay = sessionRelay([]);
    const forms = captureForms();
    const onConnect = vi.fn();
    renderWithClient(<InstagramAccounts relayUrl={RELAY} sessionToken={TOKEN_A} onConnect={onConnect} />);
    await waitFor(() => expect(status()).toBe("No Instagram account connected."));
    relay.setItems([JANE]);
    const form = await connectThrough("Connect Instagram", ok(JANE, "h.p.s"), forms);
    expect(form).toMatchObject({ sessionToken: TOKEN_A, mode: "popup" });
    expect(form.forceLogin).toBeUndefined();
    await waitFor(() => expect(status()).toBe("1 Instagram account connected."));
    expect(onConnect).toHaveBeenCalledExactlyOnceWith(JANE, "h.p.s");
  });

  it("connect another account asks Instagram for a fresh login with a fresh token, and adds it to the list", async () => {
    const relay = sessionRelay([JANE], [TOKEN_A, TOKEN_B]);
    const forms = captureForms();
    const tokens = [TOKEN_A, TOKEN_B];
    const getSessionToken = vi.fn(async () => tokens.shift() ?? "");
    renderWithClient(<InstagramAccounts relayUrl={RELAY} getSessionToken={getSessionToken} />);
    await waitFor(() => expect(status()).toBe("1 Instagram account connected."));
    relay.setItems([MAX, JANE]);
    const form = await connectThrough("Connect another account", ok(MAX), forms);
    expect(form).toMatchObject({ sessionToken: TOKEN_B, forceLogin: "1" });
    await waitFor(() => expect(status()).toBe("2 Instagram accounts connected."));
    expect(getSessionToken).toHaveBeenCalledTimes(2);
  });

  it("switch account: a fresh login; once the new account is in, the old one is disconnected on the relay", async () => {
    const relay = sessionRelay([JANE]);
    const forms = captureForms();
    const onDisconnect = vi.fn();
    renderWithClient(
      <InstagramAccounts
        relayUrl={RELAY}
        getSessionToken={async () => TOKEN_A}
        onDisconnect={onDisconnect}
      />,
    );
    await waitFor(() => expect(status()).toBe("1 Instagram account connected."));
    const popup = fakePopup();
    stubOpen(popup);
    fireEvent.click(within(row("jane.doe")).getByRole("button", { name: "Switch account" }));
    await vi.waitFor(() => expect(forms).toHaveLength(1), { timeout: 10_000, interval: 20 });
    expect(forms[0]?.forceLogin).toBe("1");
    relay.setItems([MAX]);
    post(resultMessage(forms[0]?.attemptId, ok(MAX)), RELAY, popup);
    await waitFor(() => expect(onDisconnect).toHaveBeenCalledWith("conn_1"));
    await waitFor(() => expect(screen.queryByText("@jane.doe")).toBeNull());
    expect(screen.getByText("@max.creator")).toBeTruthy();
    expect(relay.fetchMock.mock.calls.some(([, init]) => init?.method === "DELETE")).toBe(true);
  });

  it("switching to the same account again only reconnects it: nothing is disconnected", async () => {
    const relay = sessionRelay([JANE]);
    const forms = captureForms();
    renderWithClient(<InstagramAccounts relayUrl={RELAY} sessionToken={TOKEN_A} />);
    await waitFor(() => expect(status()).toBe("1 Instagram account connected."));
    const popup = fakePopup();
    stubOpen(popup);
    fireEvent.click(within(row("jane.doe")).getByRole("button", { name: "Switch account" }));
    await vi.waitFor(() => expect(forms).toHaveLength(1), { timeout: 10_000, interval: 20 });
    post(resultMessage(forms[0]?.attemptId, ok(JANE)), RELAY, popup);
    await waitFor(() => expect(status()).toBe("1 Instagram account connected."));
    expect(relay.fetchMock.mock.calls.some(([, init]) => init?.method === "DELETE")).toBe(false);
  });

  it("reconnects a connection that is reauth_required: getSessionToken is asked for that connection, no forced login", async () => {
    const expired = account("conn_1", "jane.doe", { status: "reauth_required" });
    const relay = sessionRelay([expired]);
    const forms = captureForms();
    const getSessionToken = vi.fn(async () => TOKEN_A);
    renderWithClient(<InstagramAccounts relayUrl={RELAY} getSessionToken={getSessionToken} />);
    await waitFor(() => expect(screen.getByText("Needs reconnecting")).toBeTruthy());
    expect(row("jane.doe").dataset.status).toBe("reauth_required");
    relay.setItems([JANE]);
    const popup = fakePopup();
    stubOpen(popup);
    fireEvent.click(within(row("jane.doe")).getByRole("button", { name: "Reconnect" }));
    await vi.waitFor(() => expect(forms).toHaveLength(1), { timeout: 10_000, interval: 20 });
    expect(getSessionToken).toHaveBeenLastCalledWith({ reconnectConnectionId: "conn_1" });
    expect(forms[0]?.forceLogin).toBeUndefined();
    post(resultMessage(forms[0]?.attemptId, ok(JANE)), RELAY, popup);
    await waitFor(() => expect(screen.queryByText("Needs reconnecting")).toBeNull());
    expect(row("jane.doe").dataset.status).toBe("active");
  });

  it("disconnect asks first, then deletes through the session route; Keep keeps it", async () => {
    const relay = sessionRelay([JANE]);
    const onDisconnect = vi.fn();
    renderWithClient(
      <InstagramAccounts relayUrl={RELAY} sessionToken={TOKEN_A} onDisconnect={onDisconnect} />,
    );
    await waitFor(() => expect(status()).toBe("1 Instagram account connected."));
    fireEvent.click(within(row("jane.doe")).getByRole("button", { name: "Disconnect" }));
    fireEvent.click(within(row("jane.doe")).getByRole("button", { name: "Keep" }));
    expect(relay.fetchMock).toHaveBeenCalledTimes(1);
    fireEvent.click(within(row("jane.doe")).getByRole("button", { name: "Disconnect" }));
    fireEvent.click(within(row("jane.doe")).getByRole("button", { name: "Disconnect @jane.doe?" }));
    await waitFor(() => expect(status()).toBe("No Instagram account connected."));
    expect(onDisconnect).toHaveBeenCalledExactlyOnceWith("conn_1");
    const [url, init] = relay.fetchMock.mock.calls[1] ?? [];
    expect(String(url)).toBe(`${RELAY}/v1/sessions/connections/conn_1`);
    expect(init?.method).toBe("DELETE");
    expect(new Headers(init?.headers).get("Authorization")).toBe(`Session ${TOKEN_A}`);
  });

  it("a connection the relay does not know for this end user (404) is dropped from the list, not an error", async () => {
    sessionRelay([account("conn_9", "someone.else")]);
    const onError = vi.fn();
    renderWithClient(<InstagramAccounts relayUrl={RELAY} sessionToken={TOKEN_A} onError={onError} />);
    await waitFor(() => expect(status()).toBe("1 Instagram account connected."));
    fireEvent.click(within(row("someone.else")).getByRole("button", { name: "Disconnect" }));
    fireEvent.click(within(row("someone.else")).getByRole("button", { name: "Disconnect @someone.else?" }));
    await waitFor(() => expect(status()).toBe("No Instagram account connected."));
    expect(onError).not.toHaveBeenCalled();
  });

  it("a disconnect the relay cannot do (unreachable) is shown, the account stays, Try again reads the list", async () => {
    const relay = sessionRelay([JANE]);
    const onError = vi.fn();
    renderWithClient(<InstagramAccounts relayUrl={RELAY} sessionToken={TOKEN_A} onError={onError} />);
    await waitFor(() => expect(status()).toBe("1 Instagram account connected."));
    relay.fetchMock.mockRejectedValueOnce(new TypeError("offline"));
    fireEvent.click(within(row("jane.doe")).getByRole("button", { name: "Disconnect" }));
    fireEvent.click(within(row("jane.doe")).getByRole("button", { name: "Disconnect @jane.doe?" }));
    await waitFor(() => expect(status()).toBe("Instagram unreachable."));
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: "network_error" }));
    expect(screen.getByText("@jane.doe")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(status()).toBe("1 Instagram account connected."));
  });

  it("while a consent runs, another row's Switch does nothing: the running switch keeps its target", async () => {
    const relay = sessionRelay([JANE, MAX]);
    const forms = captureForms();
    renderWithClient(<InstagramAccounts relayUrl={RELAY} getSessionToken={async () => TOKEN_A} />);
    await waitFor(() => expect(status()).toBe("2 Instagram accounts connected."));
    const popup = fakePopup();
    stubOpen(popup);
    fireEvent.click(within(row("jane.doe")).getByRole("button", { name: "Switch account" }));
    await vi.waitFor(() => expect(forms).toHaveLength(1), { timeout: 10_000, interval: 20 });
    const otherSwitch = within(row("max.creator")).getByRole("button", { name: "Switch account" });
    expect(otherSwitch.getAttribute("aria-disabled")).toBe("true");
    fireEvent.click(otherSwitch);
    const other = account("conn_3", "new.one");
    relay.setItems([other, MAX]);
    post(resultMessage(forms[0]?.attemptId, ok(other)), RELAY, popup);
    await waitFor(() => expect(screen.queryByText("@jane.doe")).toBeNull());
    expect(screen.getByText("@max.creator")).toBeTruthy();
    const deletes = relay.fetchMock.mock.calls.filter(([, init]) => init?.method === "DELETE");
    expect(deletes.map(([url]) => String(url))).toEqual([`${RELAY}/v1/sessions/connections/conn_1`]);
  });

  it.each([
    ["an unknown or expired sessionToken", { sessionToken: TOKEN_B }],
    ["sessionToken={null} (none yet)", { sessionToken: null }],
    ['sessionToken=""', { sessionToken: "" }],
    ["no token at all", {}],
  ])("%s: the typed invalid_session shows as 'Session expired.' (data-state=session)", async (_, props) => {
    sessionRelay([JANE]);
    const onError = vi.fn();
    renderWithClient(<InstagramAccounts relayUrl={RELAY} {...props} onError={onError} />);
    await waitFor(() => expect(status()).toBe("Session expired."));
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: "invalid_session" }));
    expect(document.querySelector(".ic")?.getAttribute("data-state")).toBe("session");
    expect(screen.queryByText("@jane.doe")).toBeNull();
  });

  it("getSessionToken: an expired listing token is replaced once by a fresh one", async () => {
    const { seen } = sessionRelay([JANE], [TOKEN_B]);
    const tokens = [TOKEN_A, TOKEN_B];
    renderWithClient(
      <InstagramAccounts relayUrl={RELAY} getSessionToken={async () => tokens.shift() ?? ""} />,
    );
    await waitFor(() => expect(status()).toBe("1 Instagram account connected."));
    expect(seen).toEqual([TOKEN_A, TOKEN_B]);
  });

  it("a refused connect (used session) shows 'Session expired.' with Try again, and the list stays", async () => {
    sessionRelay([JANE]);
    const forms = captureForms();
    renderWithClient(<InstagramAccounts relayUrl={RELAY} sessionToken={TOKEN_A} />);
    await waitFor(() => expect(status()).toBe("1 Instagram account connected."));
    await connectThrough(
      "Connect another account",
      { ok: false, error: { code: "invalid_session", message: "used" } },
      forms,
    );
    await waitFor(() => expect(status()).toBe("Session expired."));
    expect(screen.getByRole("button", { name: "Try again" })).toBeTruthy();
    expect(screen.getByText("@jane.doe")).toBeTruthy();
  });

  it("the relay unreachable while listing: Instagram unreachable, Try again reads again", async () => {
    const fetchMock = mockRelay({});
    fetchMock.mockRejectedValueOnce(new TypeError("offline"));
    fetchMock.mockResolvedValueOnce(json({ endUserId: "user_a", items: [JANE] }));
    renderWithClient(<InstagramAccounts relayUrl={RELAY} sessionToken={TOKEN_A} />);
    await waitFor(() => expect(status()).toBe("Instagram unreachable."));
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(status()).toBe("1 Instagram account connected."));
  });
});
