/**
 * The emulator's "Klaviyo" pages for OAuth: the consent page and the error page. Everything
 * echoed is escaped; the form carries only the request id (the rest stays server-side, so a
 * tampered form cannot change what is granted).
 */
import type { ConsentRequest } from "./protocol.js";

/** Headers for every page: no caching, no framing (clickjacking a consent page), no scripts. */
export const PAGE_HEADERS: Record<string, string> = {
  "Content-Type": "text/html; charset=utf-8",
  "Cache-Control": "no-store",
  "X-Frame-Options": "DENY",
  "Content-Security-Policy":
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  "Referrer-Policy": "no-referrer",
};

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) =>
      ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char] ?? char,
  );
}

function page(title: string, body: string): string {
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title>`,
    "<style>body{font-family:sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}",
    "button{font-size:1rem;padding:.5rem 1.5rem;margin-right:.5rem}</style>",
    "</head><body>",
    body,
    "</body></html>",
  ].join("\n");
}

export function consentPage(consent: ConsentRequest, accountName: string): string {
  const scopes = consent.scopes.map((scope) => `<li>${escapeHtml(scope)}</li>`).join("");
  return page(
    "Klaviyo: authorize app",
    [
      "<h1>Klaviyo</h1>",
      `<p>The app <strong class="client-id">${escapeHtml(consent.clientId)}</strong> asks for`,
      `access to the account <strong class="account">${escapeHtml(accountName)}</strong>:</p>`,
      `<ul class="scopes">${scopes}</ul>`,
      '<form method="post" action="/oauth/authorize">',
      `<input type="hidden" name="request_id" value="${escapeHtml(consent.id)}">`,
      '<button type="submit" name="decision" value="allow">Allow</button>',
      '<button type="submit" name="decision" value="deny">Deny</button>',
      "</form>",
    ].join("\n"),
  );
}

export function errorPage(error: string, description: string): string {
  return page(
    "Klaviyo: authorization error",
    [
      "<h1>Klaviyo</h1>",
      `<p class="error">${escapeHtml(error)}</p>`,
      `<p class="error-description">${escapeHtml(description)}</p>`,
    ].join("\n"),
  );
}
