import { describe, expect, it } from "vitest";
import { redactSecrets } from "../src/log.ts";
import { capturedLogs } from "./support/leak-collector.ts";
import { relayFetch } from "./support/relay.ts";

const API_KEY = "key_AAAAAAAAAAAAAAAAAAAAAA.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb1";
const CREDENTIAL = "conn_CCCCCCCCCCCCCCCCCCCCCC.dddddddddddddddddddddddddddddddddddddddddd2";
const IG_TOKEN = "IGAAT0ken0fInstagram0With0Many0Chars0123456789";

describe("S34: nothing credential-like reaches a log line", () => {
  it.each([
    ["/v1/oauth/callback?code=AQBx-1&state=s.t", "/v1/oauth/callback?code=[redacted]&state=[redacted]"],
    [`/v1/api/${API_KEY}/connections`, "/v1/api/key_AAAAAAAAAAAAAAAAAAAAAA.[redacted]/connections"],
    [`/x?api_key=abc&limit=5`, "/x?api_key=[redacted]&limit=5"],
    [`Bearer ${CREDENTIAL}`, "Bearer conn_CCCCCCCCCCCCCCCCCCCCCC.[redacted]"],
    [`/me?access_token=${IG_TOKEN}&fields=id`, "/me?access_token=[redacted]&fields=id"],
    [`/v1/things/${IG_TOKEN}`, "/v1/things/[redacted]"],
    [
      "/meta?hub.verify_token=open-sesame&hub.challenge=1",
      "/meta?hub.verify_token=[redacted]&hub.challenge=1",
    ],
    // A link or session secret of lowercase letters only is not token-shaped: the prefix rule catches it.
    [
      `/v1/connect/icl_AAAAAAAAAAAAAAAAAAAAAA.${"q".repeat(43)}`,
      "/v1/connect/icl_AAAAAAAAAAAAAAAAAAAAAA.[redacted]",
    ],
    [`Session ics_AAAAAAAAAAAAAAAAAAAAAA.${"w".repeat(43)}`, "Session ics_AAAAAAAAAAAAAAAAAAAAAA.[redacted]"],
    ["signed_request=abc.def", "signed_request=abc.def"],
    ["/x?signed_request=abc.def", "/x?signed_request=[redacted]"],
  ])("S34: redacts %s", (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it("S34: keeps what logs need: ids, routes and long snake_case reasons", () => {
    const kept = [
      "/v1/api/connections/conn_CCCCCCCCCCCCCCCCCCCCCC/media",
      "/v1/oauth/attempts/abcdefghijklmnopqrstuv",
      "17841400000000001",
      "webhook_delivery_dead_lettered_after_retries",
    ];
    for (const text of kept) expect(redactSecrets(text)).toBe(text);
  });

  it("S34: the request logger writes one redacted line per request", async () => {
    await relayFetch(`/v1/api/${API_KEY}/connections?key=${API_KEY}`);
    await relayFetch(`/v1/oauth/callback?code=AQBsecretcode&state=${IG_TOKEN}`);
    const lines = capturedLogs().filter((line) => line.includes('"event":"request"'));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    const all = capturedLogs().join("\n");
    for (const secret of [API_KEY, "AQBsecretcode", IG_TOKEN]) expect(all).not.toContain(secret);
    expect(lines.some((line) => line.includes("key_AAAAAAAAAAAAAAAAAAAAAA.[redacted]"))).toBe(true);
    expect(lines.some((line) => line.includes("code=[redacted]&state=[redacted]"))).toBe(true);
  });
});
