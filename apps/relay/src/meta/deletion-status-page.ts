import type { DeletionStatusResponse } from "@instagram-connect/types";
import { escapeHtml, htmlPage } from "../http/html.ts";

/**
 * The data-deletion status page Meta links to. No script at all: the CSP's script-src is
 * `'none'`; framing, caching and referrers are off as on every relay page (S8).
 */
export function deletionStatusPage(status: DeletionStatusResponse | null): Response {
  const body = status
    ? `<main data-deletion-status="${escapeHtml(status.status)}"><h1>Data deletion completed</h1><p>${
        status.dataFound
          ? "Everything this service stored for the Instagram account has been deleted."
          : "This service had no data stored for the Instagram account, so there was nothing to delete."
      }</p><p>Confirmation code: <code>${escapeHtml(status.confirmationCode)}</code></p><p>Requested ${escapeHtml(
        status.requestedAt,
      )}, completed ${escapeHtml(status.completedAt)}.</p></main>`
    : `<main data-error-code="deletion_not_found"><h1>Unknown confirmation code</h1><p>No data deletion request has this confirmation code.</p></main>`;
  const page = htmlPage({ title: "Data deletion status", body }, status ? 200 : 404);
  const csp = page.headers.get("Content-Security-Policy") ?? "";
  page.headers.set("Content-Security-Policy", csp.replace(/script-src [^;]+/, "script-src 'none'"));
  return page;
}
