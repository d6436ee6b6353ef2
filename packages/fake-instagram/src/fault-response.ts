import { hang } from "./faults.ts";
import { graphError, oauthError, rateLimitError, tokenError, transientError } from "./graph-errors.ts";
import type { FakeEndpoint, FakeFault } from "./types.ts";

/**
 * The response a fault produces, or `undefined` when the request should go on normally
 * (a `timeout` whose `delayMs` elapsed: a slow but successful upstream).
 * The code exchange answers in its flat OAuth shape, every other endpoint in Graph's shape.
 */
export async function faultResponse(
  fault: FakeFault,
  endpoint: FakeEndpoint,
  signal: AbortSignal,
  headers: Record<string, string>,
): Promise<Response | undefined> {
  const flat = endpoint === "code_exchange";
  const json = (body: unknown, status: number) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { ...headers, "content-type": "application/json; charset=UTF-8" },
    });

  switch (fault.kind) {
    case "http_5xx": {
      const body = transientError();
      return json(flat ? oauthError(body.error.message, body.error.code) : body, fault.status ?? 500);
    }
    case "rate_limit": {
      const body = rateLimitError(fault.code ?? 4);
      return json(flat ? oauthError(body.error.message, body.error.code) : body, fault.status ?? 400);
    }
    case "token_revoked": {
      const body = fault.code === undefined ? tokenError("revoked") : graphError(fault.code, "Token revoked");
      return json(flat ? oauthError(body.error.message) : body, fault.status ?? 400);
    }
    case "malformed_json":
      // Cut mid-string, as a dropped connection or a proxy's truncated body would be.
      return new Response('{"access_token":"IGAAtrunc', {
        status: fault.status ?? 200,
        headers: { ...headers, "content-type": "application/json; charset=UTF-8" },
      });
    case "oversized": {
      // Streamed lazily so a 16 MiB fault costs nothing unless the client actually reads it.
      const total = fault.bytes ?? 16 * 1024 * 1024;
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          const size = Math.min(65_536, total - sent);
          if (size <= 0) return controller.close();
          sent += size;
          controller.enqueue(new Uint8Array(size));
        },
      });
      const type = endpoint === "cdn" ? "image/png" : "application/json; charset=UTF-8";
      return new Response(body, {
        status: fault.status ?? 200,
        headers: { ...headers, "content-type": type, "content-length": String(total) },
      });
    }
    case "wrong_content_type":
      // What a captive portal, a proxy or an error page in front of the CDN answers.
      return new Response("<!DOCTYPE html><html><body><h1>Sorry, something went wrong.</h1></body></html>", {
        status: fault.status ?? 200,
        headers: { ...headers, "content-type": "text/html; charset=utf-8" },
      });
    case "timeout": {
      const outcome = await hang(signal, fault.delayMs);
      if (outcome === "elapsed") return undefined;
      return json(transientError(), 504);
    }
  }
}
