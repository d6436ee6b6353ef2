// Starts the fake Instagram in this process on a free loopback port, registered for one relay.
import { startFakeServer } from "../../packages/fake-instagram/src/server.ts";

/** Client id and secret shared by the fake and the relay under test (dev values, not secrets). */
export const BENCH_CLIENT = { id: "bench-client-id", secret: "bench-client-secret" };

/**
 * The fake on a free port, accepting `redirectUri` (the relay's callback).
 * `url` uses 127.0.0.1 so workerd does not try ::1 first.
 */
export async function startFake(redirectUri) {
  const server = await startFakeServer(0, {
    clientId: BENCH_CLIENT.id,
    clientSecret: BENCH_CLIENT.secret,
    redirectUris: [redirectUri],
  });
  return { ...server, url: `http://127.0.0.1:${server.port}` };
}
