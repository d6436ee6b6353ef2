import { logEvent } from "../http/log.ts";

/** Where and how webhooks are delivered. */
export interface WebhookConfig {
  url: string;
  secret: string;
}

/** Settings read from the env: `WEBHOOK_URL` (var) and `WEBHOOK_SECRET` (secret). */
export interface WebhookSettings {
  WEBHOOK_URL?: unknown;
  WEBHOOK_SECRET?: unknown;
}

/** Shortest accepted signing secret (about 128 bits of base64). */
export const MIN_WEBHOOK_SECRET_LENGTH = 24;

/**
 * The webhook config, or null when webhooks are off: both unset (or empty) means off. A
 * half-configured or invalid setting also turns them off, with an error log line naming the
 * setting, so a webhook typo never breaks the consent flow. The URL must be https (http only
 * for localhost, for local receivers).
 */
export function webhookConfig(env: WebhookSettings): WebhookConfig | null {
  const url = typeof env.WEBHOOK_URL === "string" ? env.WEBHOOK_URL.trim() : "";
  const secret = typeof env.WEBHOOK_SECRET === "string" ? env.WEBHOOK_SECRET.trim() : "";
  if (url === "") return null;
  if (!validUrl(url)) return refuse("WEBHOOK_URL", "must be an https URL (http only for localhost)");
  if (secret.length < MIN_WEBHOOK_SECRET_LENGTH) {
    return refuse("WEBHOOK_SECRET", `missing or shorter than ${MIN_WEBHOOK_SECRET_LENGTH} characters`);
  }
  return { url, secret };
}

function validUrl(value: string): boolean {
  try {
    const url = new URL(value);
    if (url.username || url.password) return false;
    const local = url.hostname === "localhost" || url.hostname === "127.0.0.1";
    return url.protocol === "https:" || (url.protocol === "http:" && local);
  } catch {
    return false;
  }
}

function refuse(setting: string, reason: string): null {
  logEvent("error", "webhook.config_error", { setting, reason });
  return null;
}
