// A loopback proxy in front of the fake Instagram that adds up the wall time of every upstream
// call the relay makes through it: "the fake's own time" for the connect-flow goal. Its own
// forwarding cost is counted as the fake's, which can only flatter the fake, never the relay.
import { createServer } from "node:http";

/** Starts the proxy to `target` (http://127.0.0.1:port); `busyMs()` is the summed call time. */
export async function startTimingProxy(target) {
  let busyMs = 0;
  const server = createServer(async (req, res) => {
    const started = performance.now();
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const headers = { ...req.headers };
    delete headers.host;
    delete headers.connection;
    try {
      const upstream = await fetch(`${target}${req.url}`, {
        method: req.method,
        headers,
        body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
        redirect: "manual",
      });
      const body = Buffer.from(await upstream.arrayBuffer());
      const out = {};
      upstream.headers.forEach((value, name) => {
        if (name !== "content-encoding" && name !== "content-length" && name !== "transfer-encoding")
          out[name] = value;
      });
      res.writeHead(upstream.status, out);
      res.end(body);
    } catch {
      res.writeHead(502).end();
    } finally {
      busyMs += performance.now() - started;
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    busyMs: () => busyMs,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
