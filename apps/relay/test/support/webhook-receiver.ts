/**
 * Setup file: every webhook the relay sends during a test lands in this in-memory receiver
 * (never the network). Tests read `webhookReceiver.deliveries` and can make it fail.
 * WEBHOOK_SECRET is registered with the leak check: it must never appear in a body or log.
 * The receiver stays installed after the file's tests: outbox alarms may still fire then.
 */
import { env } from "cloudflare:workers";
import { beforeAll } from "vitest";
import { setWebhookFetchForTests } from "../../src/runtime.ts";
import { registerSecret } from "./leak-collector.ts";

/** One delivery as the app's endpoint saw it. */
export interface Delivery {
  url: string;
  headers: Headers;
  body: string;
}

/** The receiver: what it got, and what it answers next (a status, or "network" to throw). */
export const webhookReceiver = {
  deliveries: [] as Delivery[],
  answers: [] as (number | "network")[],
  /** Clears deliveries and queued answers (the default answer is 204). */
  reset(): void {
    this.deliveries = [];
    this.answers = [];
  },
};

beforeAll(() => {
  registerSecret(String(Reflect.get(env, "WEBHOOK_SECRET") ?? ""));
  setWebhookFetchForTests(async (input, init) => {
    const request = new Request(input, init);
    webhookReceiver.deliveries.push({
      url: request.url,
      headers: request.headers,
      body: await request.text(),
    });
    const answer = webhookReceiver.answers.shift() ?? 204;
    if (answer === "network") throw new TypeError("fetch failed");
    return new Response(null, { status: answer });
  });
});
