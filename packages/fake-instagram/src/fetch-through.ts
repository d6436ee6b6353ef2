import type { Hono } from "hono";

/**
 * A fetch-compatible function that hands any URL to `app` (the host is ignored, the path routes).
 * Like fetch, it rejects with the signal's reason when the caller aborts, even mid-response.
 */
export function fetchThrough(app: Hono): (input: RequestInfo | URL, init?: RequestInit) => Promise<Response> {
  return (input, init) => {
    const request = new Request(input, init);
    const { signal } = request;
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<Response>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      Promise.resolve(app.fetch(request)).then(
        (res) => {
          signal.removeEventListener("abort", onAbort);
          resolve(res);
        },
        (err: unknown) => {
          signal.removeEventListener("abort", onAbort);
          reject(err);
        },
      );
    });
  };
}
