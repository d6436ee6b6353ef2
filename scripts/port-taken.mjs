// Shared by `pnpm dev` and the e2e stack: `pnpm dev` refuses to start on a busy port, the e2e stack picks free ones.
import { connect, createServer } from "node:net";

/** True when something accepts connections on localhost:port (IPv4 or IPv6). */
export async function portTaken(port) {
  const probe = (host) =>
    new Promise((resolve) => {
      const socket = connect({ host, port });
      socket.setTimeout(1_000);
      const done = (taken) => {
        socket.destroy();
        resolve(taken);
      };
      socket.once("connect", () => done(true));
      socket.once("error", () => done(false));
      socket.once("timeout", () => done(false));
    });
  return (await Promise.all([probe("127.0.0.1"), probe("::1")])).includes(true);
}

/** A TCP port that was free on 127.0.0.1 a moment ago (the OS picks it, from its ephemeral range). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
