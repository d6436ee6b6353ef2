import { env } from "cloudflare:workers";
import {
  createFakeInstagram,
  type FakeInstagram,
  type FakeInstagramOptions,
} from "@instagram-connect/fake-instagram";
import { afterEach, beforeEach } from "vitest";
import { setClockForTests, setUpstreamFetchForTests } from "../../src/runtime.ts";
import { recordOutgoingUrl, registerSecret } from "./leak-collector.ts";

const TOKEN_PATHS = /\/(oauth\/access_token|access_token|refresh_access_token)$/;

/**
 * A fresh fake Instagram per test, wired in as the relay's upstream fetch and clock. Every
 * access token it issues is registered with the leak check.
 */
export function useFakeInstagram(options: FakeInstagramOptions = {}): { readonly fake: FakeInstagram } {
  const holder: { fake: FakeInstagram | null } = { fake: null };
  beforeEach(() => {
    const fake = createFakeInstagram({
      clientId: env.INSTAGRAM_CLIENT_ID,
      clientSecret: env.INSTAGRAM_CLIENT_SECRET,
      redirectUris: [env.INSTAGRAM_REDIRECT_URI],
      ...options,
    });
    holder.fake = fake;
    setClockForTests(() => fake.clock.now());
    setUpstreamFetchForTests(async (input, init) => {
      recordOutgoingUrl(input instanceof Request ? input.url : String(input));
      const response = await fake.fetch(input, init);
      if (TOKEN_PATHS.test(new URL(input instanceof Request ? input.url : input).pathname)) {
        const match = /"access_token"\s*:\s*"([^"]+)"/.exec(await response.clone().text());
        if (match?.[1]) registerSecret(match[1]);
      }
      return response;
    });
  });
  afterEach(() => {
    setUpstreamFetchForTests(null);
    setClockForTests(null);
    holder.fake = null;
  });
  return {
    get fake() {
      if (!holder.fake) throw new Error("useFakeInstagram: only inside a test");
      return holder.fake;
    },
  };
}

/** How many calls the fake saw to one endpoint. */
export function callCount(fake: FakeInstagram, endpoint: FakeInstagram["calls"][number]["endpoint"]): number {
  return fake.calls.filter((call) => call.endpoint === endpoint).length;
}
