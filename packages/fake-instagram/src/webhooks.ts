/** Instagram's webhook body: `{ object: "instagram", entry: [{ id, time, changes: [{ field, value }] }] }`. */
export interface InstagramWebhookPayload {
  object: "instagram";
  entry: { id: string; time: number; changes: { field: string; value: Record<string, unknown> }[] }[];
}

/** One change for one account, in Meta's `entry[].changes[]` shape; `time` in Unix seconds. */
export function buildWebhookPayload(input: {
  igUserId: string;
  field: string;
  value: Record<string, unknown>;
  time: number;
}): InstagramWebhookPayload {
  return {
    object: "instagram",
    entry: [{ id: input.igUserId, time: input.time, changes: [{ field: input.field, value: input.value }] }],
  };
}

/** `sha256=` + hex HMAC-SHA256 of the raw body with `secret`: the `X-Hub-Signature-256` value. */
export async function signWebhookBody(body: string, secret: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(body)));
  return `sha256=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** A ready-to-send delivery: the exact body string and its headers. */
export interface FakeWebhookDelivery {
  body: string;
  headers: Record<string, string>;
}

/**
 * Serialises `payload` and signs it with `secret`. `signature: "invalid"` signs with a wrong key,
 * `"missing"` leaves the header out: the forgeries a receiver must refuse.
 */
export async function buildWebhookDelivery(
  payload: unknown,
  secret: string,
  signature: "valid" | "invalid" | "missing" = "valid",
): Promise<FakeWebhookDelivery> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (signature !== "missing") {
    headers["x-hub-signature-256"] = await signWebhookBody(
      body,
      signature === "valid" ? secret : `${secret}-wrong`,
    );
  }
  return { body, headers };
}
