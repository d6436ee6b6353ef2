import { describe, expect, it } from "vitest";
import { credentialStore } from "../src/credential-store.ts";
import { HANDLE_KEY, RELAY } from "./helpers.tsx";

const handle = { connectionId: "conn_1", credential: "cred_secret_1" };

describe("credentialStore", () => {
  it("keeps the handle in localStorage by default, across store instances (reloads)", () => {
    credentialStore(RELAY).write(handle);
    expect(JSON.parse(localStorage.getItem(HANDLE_KEY) ?? "null")).toEqual(handle);
    expect(credentialStore(RELAY).read()).toEqual(handle);
    expect(sessionStorage.length).toBe(0);
  });

  it("session mode uses sessionStorage only", () => {
    credentialStore(RELAY, "session").write(handle);
    expect(JSON.parse(sessionStorage.getItem(HANDLE_KEY) ?? "null")).toEqual(handle);
    expect(localStorage.length).toBe(0);
    expect(credentialStore(RELAY, "session").read()).toEqual(handle);
  });

  it("memory mode touches no web storage", () => {
    credentialStore(RELAY, "memory").write(handle);
    expect(localStorage.length + sessionStorage.length).toBe(0);
    expect(credentialStore(RELAY, "memory").read()).toEqual(handle);
    credentialStore(RELAY, "memory").write(null);
    expect(credentialStore(RELAY, "memory").read()).toBeNull();
  });

  it("namespaces the key per relay URL", () => {
    credentialStore(RELAY).write(handle);
    expect(credentialStore("https://other-relay.test").read()).toBeNull();
  });

  it("forgets with write(null) and reads garbage as nothing", () => {
    const store = credentialStore(RELAY);
    store.write(handle);
    store.write(null);
    expect(localStorage.getItem(HANDLE_KEY)).toBeNull();
    localStorage.setItem(HANDLE_KEY, "{not json");
    expect(store.read()).toBeNull();
    localStorage.setItem(HANDLE_KEY, JSON.stringify({ connectionId: "x" }));
    expect(store.read()).toBeNull();
  });
});
