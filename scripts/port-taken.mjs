// Shared by `pnpm dev` and the e2e stack: both refuse to start on a busy dev port.
import { connect } from "node:net";

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
