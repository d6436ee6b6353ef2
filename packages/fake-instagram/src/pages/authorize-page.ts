import type { AuthorizeRequest } from "../consent.ts";
import type { FakeUser } from "../types.ts";
import { escapeHtml, page } from "./html.ts";

function hidden(name: string, value: string | undefined): string {
  return value === undefined ? "" : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
}

/** The consent screen: app, account picker, requested scopes, Allow (`#allow`) and Deny (`#deny`). */
export function authorizePage(request: AuthorizeRequest, users: FakeUser[]): string {
  const options = users
    .map(
      (u) =>
        `<option value="${escapeHtml(u.id)}">@${escapeHtml(u.username)} (${escapeHtml(u.accountType)})</option>`,
    )
    .join("");
  const scopes = request.scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join("");
  return page(
    "Fake Instagram: authorize",
    `<h1>Fake Instagram</h1>
<p>App <strong>${escapeHtml(request.clientId)}</strong> wants to connect to your Instagram account.</p>
<form method="post" action="/oauth/authorize">
${hidden("client_id", request.clientId)}${hidden("redirect_uri", request.redirectUri)}${hidden("response_type", "code")}${hidden("scope", request.scopes.join(","))}${hidden("state", request.state)}
<label for="user_id">Account</label>
<select id="user_id" name="user_id">${options}</select>
<p>It will be able to:</p><ul id="scopes">${scopes}</ul>
<div class="actions">
<button type="submit" id="allow" name="decision" value="allow">Allow</button>
<button type="submit" id="deny" name="decision" value="deny">Deny</button>
</div>
</form>
<p class="note">Local fake for development: no real Instagram account is involved.</p>`,
  );
}

/** Instagram's error page: shown instead of redirecting, so nothing reaches the redirect URI. */
export function authorizeErrorPage(message: string): string {
  return page(
    "Fake Instagram: error",
    `<h1>Fake Instagram</h1><p class="error" id="error">${escapeHtml(message)}</p><p class="note">The app's request could not be completed.</p>`,
  );
}
