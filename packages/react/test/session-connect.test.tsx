import type { OAuthResult } from "@instagram-connect/types";
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { InstagramConnect as PlainConnect } from "../src/index.ts";
import { InstagramConnect } from "../src/session/index.ts";
import {
  connectionView,
  fakePopup,
  issuedAttempt,
  json,
  mockRelay,
  okResult,
  post,
  RELAY,
  renderWithClient,
  resultMessage,
  stubOpen,
} from "./helpers.tsx";

const TOKEN = "ics_AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

interface SubmittedForm {
  action: string;
  method: string;
  target: string;
  fields: Record<string, string>;
}

/** Captures the start forms the widget submits (happy-dom does not navigate). */
function captureForms(): SubmittedForm[] {
  const forms: SubmittedForm[] = [];
  vi.spyOn(HTMLFormElement.prototype, "submit").mockImplementation(function (this: HTMLFormElement) {
    forms.push({
      action: this.action,
      method: this.method,
      target: this.target,
      fields: Object.fromEntries(
        [...this.querySelectorAll("input")].map((input) => [input.name, input.value]),
      ),
    });
  });
  return forms;
}

const waitForForm = (forms: SubmittedForm[]) =>
  vi.waitFor(() => expect(forms).toHaveLength(1), { timeout: 10_000, interval: 20 });

const withReceipt = (receipt: string): OAuthResult => ({
  ...(okResult() as Extract<OAuthResult, { ok: true }>),
  receipt,
});

describe("<InstagramConnect> with a connect session", () => {
  it("opens the popup inside the click, then posts getSessionToken's token into it by form (never in a URL); onConnect gets the receipt", async () => {
    const fetchMock = mockRelay({});
    const forms = captureForms();
    const popup = fakePopup();
    const open = stubOpen(popup);
    const onConnect = vi.fn();
    const getSessionToken = vi.fn(async () => TOKEN);
    renderWithClient(
      <InstagramConnect relayUrl={RELAY} getSessionToken={getSessionToken} onConnect={onConnect} />,
    );
    fireEvent.click(screen.getByRole("button", { name: "Connect Instagram" }));
    // Synchronously in the click, before the token is even asked for.
    expect(open).toHaveBeenCalledExactlyOnceWith("about:blank", "ig", "width=480,height=720");
    expect(getSessionToken).not.toHaveBeenCalled();
    await waitForForm(forms);
    expect(getSessionToken).toHaveBeenCalledExactlyOnceWith({});
    const [form] = forms;
    expect(form).toMatchObject({ action: `${RELAY}/v1/oauth/start`, target: "ig" });
    expect(form?.method.toLowerCase()).toBe("post");
    expect(form?.fields).toMatchObject({ sessionToken: TOKEN, mode: "popup", origin: location.origin });
    expect(form?.fields.forceLogin).toBeUndefined();
    // The attempt is the one the relay issued (S35), asked for with the verifier in a form body.
    const [issueUrl, issueInit] = fetchMock.mock.calls[0] ?? [];
    expect(String(issueUrl)).toBe(`${RELAY}/v1/oauth/attempts`);
    expect(issueInit?.method).toBe("POST");
    const verifier = new URLSearchParams(issueInit?.body as URLSearchParams).get("verifier") ?? "";
    const expected = await (await issuedAttempt(verifier)).json();
    expect(form?.fields.challenge).toBe(expected.challenge);
    expect(form?.fields.attemptId).toMatch(/^[A-Za-z0-9_-]{50}$/);
    expect(JSON.stringify(forms)).not.toContain(verifier);
    // The token is in no URL: not the popup's, not the form's action, not any request.
    expect(popup.location.href).toBe("");
    expect(form?.action).not.toContain(TOKEN);
    expect(JSON.stringify([open.mock.calls, fetchMock.mock.calls])).not.toContain(TOKEN);
    expect(document.querySelector("form")).toBeNull();

    post(resultMessage(form?.fields.attemptId, withReceipt("h.p.s")), RELAY, popup);
    expect(await screen.findByRole("button", { name: "Disconnect" })).toBeTruthy();
    expect(onConnect).toHaveBeenCalledExactlyOnceWith(connectionView(), "h.p.s");
  });

  it("a sessionToken prop is posted as is; forceLogin asks Instagram for a fresh login", async () => {
    mockRelay({});
    const forms = captureForms();
    stubOpen(fakePopup());
    renderWithClient(<InstagramConnect relayUrl={RELAY} sessionToken={TOKEN} forceLogin />);
    fireEvent.click(screen.getByRole("button", { name: "Connect Instagram" }));
    await waitForForm(forms);
    expect(forms[0]?.fields).toMatchObject({ sessionToken: TOKEN, forceLogin: "1" });
  });

  it("sessionToken (from a server component) starts the first consent; getSessionToken the next ones", async () => {
    mockRelay({});
    const forms = captureForms();
    // Tokens of their own: a token posted by an earlier test counts as spent (module-wide, like a real one).
    const initial = "ics_DDDDDDDDDDDDDDDDDDDDDD.ddddddddddddddddddddddddddddddddddddddddddd";
    const fresh = "ics_CCCCCCCCCCCCCCCCCCCCCC.ccccccccccccccccccccccccccccccccccccccccccc";
    const getSessionToken = vi.fn(async () => fresh);
    renderWithClient(
      <InstagramConnect relayUrl={RELAY} sessionToken={initial} getSessionToken={getSessionToken} />,
    );
    for (const expected of [initial, fresh]) {
      const popup = fakePopup();
      stubOpen(popup);
      const before = forms.length;
      fireEvent.click(screen.getByRole("button", { name: /Connect Instagram|Try again/ }));
      await vi.waitFor(() => expect(forms).toHaveLength(before + 1), { timeout: 10_000, interval: 20 });
      expect(forms[before]?.fields.sessionToken).toBe(expected);
      post(
        resultMessage(forms[before]?.fields.attemptId, {
          ok: false,
          error: { code: "access_denied", message: "" },
        }),
        RELAY,
        popup,
      );
      await screen.findByRole("button", { name: "Try again" });
    }
    expect(getSessionToken).toHaveBeenCalledTimes(1);
  });

  it("without a popup (blocked) the session start is a form POST of this tab, in redirect mode", async () => {
    mockRelay({});
    const forms = captureForms();
    stubOpen(null);
    renderWithClient(<InstagramConnect relayUrl={RELAY} sessionToken={TOKEN} />);
    fireEvent.click(screen.getByRole("button", { name: "Connect Instagram" }));
    await waitForForm(forms);
    expect(forms[0]).toMatchObject({ target: "_self" });
    expect(forms[0]?.fields).toMatchObject({
      sessionToken: TOKEN,
      mode: "redirect",
      returnTo: location.origin + location.pathname,
    });
    expect(location.href).not.toContain(TOKEN);
  });

  it.each([
    ["unknown", "invalid_session"],
    ["expired", "invalid_session"],
    ["already used", "invalid_session"],
  ])(
    "an %s session token: the relay's invalid_session is the widget's 'Session expired.' state and onError",
    async (_, code) => {
      mockRelay({});
      const forms = captureForms();
      const popup = fakePopup();
      stubOpen(popup);
      const onError = vi.fn();
      renderWithClient(<InstagramConnect relayUrl={RELAY} sessionToken={TOKEN} onError={onError} />);
      fireEvent.click(screen.getByRole("button", { name: "Connect Instagram" }));
      await waitForForm(forms);
      post(
        resultMessage(forms[0]?.fields.attemptId, {
          ok: false,
          error: { code: "invalid_session", message: `relay says ${code}` },
        }),
        RELAY,
        popup,
      );
      await waitFor(() => expect(screen.getByRole("status").textContent).toBe("Session expired."));
      expect(document.querySelector(".ic")?.getAttribute("data-state")).toBe("session");
      expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: "invalid_session" }));
      expect(screen.getByRole("button", { name: "Try again" })).toBeTruthy();
    },
  );

  it("the refusal also reaches the widget when the popup is closed without a message (polling the attempt)", async () => {
    // The relay completed the attempt with the refusal (its error page posts nothing).
    // The attempt comes from the relay (POST /v1/oauth/attempts), as for every start.
    const fetchMock = mockRelay({});
    fetchMock.mockImplementation(async (input, init = {}) => {
      if (String(input).endsWith("/v1/oauth/attempts")) {
        return issuedAttempt(new URLSearchParams(init.body as URLSearchParams).get("verifier") ?? "");
      }
      return String(input).includes("/v1/oauth/attempts/")
        ? json({
            status: "complete",
            result: { ok: false, error: { code: "invalid_session", message: "expired" } },
          })
        : json({}, 404);
    });
    const forms = captureForms();
    const popup = fakePopup();
    stubOpen(popup);
    renderWithClient(<InstagramConnect relayUrl={RELAY} sessionToken={TOKEN} />);
    fireEvent.click(screen.getByRole("button", { name: "Connect Instagram" }));
    await waitForForm(forms);
    popup.closed = true;
    await waitFor(() => expect(screen.getByRole("status").textContent).toBe("Session expired."), {
      timeout: 5000,
    });
  });

  it("Try again after a refused session fetches a fresh token", async () => {
    mockRelay({});
    const forms = captureForms();
    const popup = fakePopup();
    stubOpen(popup);
    const getSessionToken = vi.fn(async () => TOKEN);
    renderWithClient(<InstagramConnect relayUrl={RELAY} getSessionToken={getSessionToken} />);
    fireEvent.click(screen.getByRole("button", { name: "Connect Instagram" }));
    await waitForForm(forms);
    post(
      resultMessage(forms[0]?.fields.attemptId, {
        ok: false,
        error: { code: "invalid_session", message: "used" },
      }),
      RELAY,
      popup,
    );
    fireEvent.click(await screen.findByRole("button", { name: "Try again" }));
    await vi.waitFor(() => expect(forms).toHaveLength(2), { timeout: 10_000, interval: 20 });
    expect(getSessionToken).toHaveBeenCalledTimes(2);
  });

  it.each([
    ["sessionToken={null}", { sessionToken: null }],
    ['sessionToken=""', { sessionToken: "" }],
    ["getSessionToken resolving to nothing", { getSessionToken: async () => "" }],
  ])("%s: invalid_session at once, the popup closed, nothing posted", async (_, props) => {
    mockRelay({});
    const forms = captureForms();
    const popup = fakePopup();
    stubOpen(popup);
    const onError = vi.fn();
    renderWithClient(<InstagramConnect relayUrl={RELAY} {...props} onError={onError} />);
    fireEvent.click(screen.getByRole("button", { name: "Connect Instagram" }));
    await waitFor(() => expect(screen.getByRole("status").textContent).toBe("Session expired."));
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: "invalid_session" }));
    expect(popup.closed).toBe(true);
    expect(forms).toHaveLength(0);
  });

  it("the plain button refuses session props in development (they would be ignored: a consent without the end user)", () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    expect(() => renderWithClient(<PlainConnect relayUrl={RELAY} {...{ sessionToken: TOKEN }} />)).toThrow(
      /@instagram-connect\/react\/session/,
    );
  });

  it("a getSessionToken that fails (the site's backend) is an error state, the popup is closed, nothing posted", async () => {
    mockRelay({});
    const forms = captureForms();
    const popup = fakePopup();
    stubOpen(popup);
    const onError = vi.fn();
    renderWithClient(
      <InstagramConnect
        relayUrl={RELAY}
        getSessionToken={() => Promise.reject(new Error("backend down"))}
        onError={onError}
      />,
    );
    fireEvent.click(screen.getByRole("button", { name: "Connect Instagram" }));
    await waitFor(() =>
      expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: "network_error" })),
    );
    expect(document.querySelector(".ic")?.getAttribute("data-state")).toBe("error");
    expect(popup.closed).toBe(true);
    expect(forms).toHaveLength(0);
  });
});
