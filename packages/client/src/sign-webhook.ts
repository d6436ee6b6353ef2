/**
 * The relay's webhook signature: `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`. The relay
 * signs with it and `verifyWebhook` recomputes it, so the scheme has one definition; also handy
 * for testing a receiver.
 * @example
 * const signature = await signWebhook(secret, Math.floor(Date.now() / 1000), body);
 */
export async function signWebhook(secret: string, timestamp: number | string, body: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(`${timestamp}.${body}`)));
  return `v1=${Array.from(mac, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}
