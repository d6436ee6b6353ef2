import { env } from "cloudflare:workers";
import type { ConnectionResponse } from "@instagram-connect/types";
import { describe, expect, it } from "vitest";
import { coordinatorFor } from "../../src/lifecycle/connection-coordinator.ts";
import { apiFetch, newApiKey } from "../api/api-support.ts";
import { connect, freshUser, getMe } from "../cache/connected.ts";
import { useFakeInstagram } from "../support/fake.ts";
import { storedRecord } from "./lifecycle-helpers.ts";

const ctx = useFakeInstagram();

/** The app API's view of one connection. */
async function apiStatus(apiKey: string, connectionId: string): Promise<string> {
  const response = await apiFetch(`/v1/api/connections/${connectionId}`, apiKey);
  expect(response.status).toBe(200);
  return response.json<ConnectionResponse>().connection.status;
}

describe("a token Instagram refuses outside the refresh sweep", () => {
  it("a widget read that Instagram answers with 190 marks the stored connection reauth_required for the app API too", async () => {
    const { fake } = ctx;
    const apiKey = await newApiKey();
    const user = freshUser(fake);
    const handle = await connect(fake, user);
    expect(await apiStatus(apiKey, handle.connectionId)).toBe("active");

    fake.revokeUser(user.id);
    const read = await getMe(handle);
    expect(read.json<ConnectionResponse>().connection.status).toBe("reauth_required");

    const record = await storedRecord(handle.connectionId);
    expect(record.status).toBe("reauth_required");
    expect(record.accessToken).toBe("");
    expect(await apiStatus(apiKey, handle.connectionId)).toBe("reauth_required");
  });

  it("an app-API Graph read refused with 190 marks it too", async () => {
    const { fake } = ctx;
    const apiKey = await newApiKey();
    const user = freshUser(fake);
    const handle = await connect(fake, user);
    fake.revokeUser(user.id);
    const response = await apiFetch(`/v1/api/connections/${handle.connectionId}/graph/me?fields=id`, apiKey);
    expect(response.status).toBe(409);
    expect((await storedRecord(handle.connectionId)).status).toBe("reauth_required");
  });

  it("a refusal of a token that was replaced in the meantime changes nothing", async () => {
    const { fake } = ctx;
    const handle = await connect(fake, freshUser(fake));
    const coordinator = coordinatorFor(env, handle.connectionId);
    expect(await coordinator.markRejected(handle.connectionId, "v1.old.sealed.token", "test")).toBe(false);
    const record = await storedRecord(handle.connectionId);
    expect(record.status).toBe("active");
    expect(record.accessToken).not.toBe("");
  });
});
