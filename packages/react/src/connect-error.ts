import type { ErrorCode, RelayError } from "@instagram-connect/types";

/** Every code the widget reports: the relay's error codes plus `network_error` (the relay was unreachable). */
export type ConnectErrorCode = ErrorCode | "network_error";

/**
 * An error the widget or a hook reports: the relay's error object (`{ code, message, retryAfter? }`),
 * or `network_error` when the relay could not be reached. `message` is for developers, not end users.
 */
export interface ConnectError extends Omit<RelayError, "code"> {
  code: ConnectErrorCode;
}

/** True when the error means the stored credential is dead (401 or 404): forget it, back to idle. */
export const isDeadCredential = (error: unknown): boolean =>
  /^(unauthorized|connection_not_found)$/.test((error as ConnectError)?.code);
