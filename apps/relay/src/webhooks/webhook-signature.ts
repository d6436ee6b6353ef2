/**
 * `X-IC-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`. The client package's
 * `verifyWebhook` checks the same scheme; tests prove the two agree.
 */
export async function signWebhook(secret: string, timestamp: number, body: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`${timestamp}.${body}`));
  let hex = "";
  for (const byte of new Uint8Array(mac)) hex += byte.toString(16).padStart(2, "0");
  return `v1=${hex}`;
}
