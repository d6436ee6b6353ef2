/** State of a Meta data-deletion request: the relay deletes synchronously, so always completed. */
export type DeletionState = "completed";

/**
 * The status of one data-deletion request, as shown at the `url` returned to Meta
 * (`GET /v1/meta/deletion-status/:code` with `Accept: application/json`; browsers get HTML).
 * Holds no Instagram id or username.
 */
export interface DeletionStatusResponse {
  confirmationCode: string;
  status: DeletionState;
  /** False when nothing was stored for the account (still a completed request). */
  dataFound: boolean;
  /** ISO 8601 times. */
  requestedAt: string;
  completedAt: string;
}

/** Response of `POST /v1/meta/deauthorize` (Meta only needs the 200). */
export interface DeauthorizeResponse {
  received: true;
}
