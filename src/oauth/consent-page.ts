/**
 * This server's own consent page, shown before anyone is sent to Klaviyo. It names the client
 * (as registered, with its redirect URI) and the scopes, so that a client registered a minute
 * ago cannot ride on an earlier consent (the confused-deputy problem of the MCP security
 * guidance): every authorization is consented to here, each time. Plain HTML, no script; every
 * value is escaped.
 */

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/** Keeps the page from being framed (clickjacking) or running anything. */
export const PAGE_HEADERS: Record<string, string> = {
  "Content-Type": "text/html; charset=utf-8",
  "Content-Security-Policy":
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' https: http:; frame-ancestors 'none'",
  "X-Frame-Options": "DENY",
  "Cache-Control": "no-store",
  // same-origin, not no-referrer: the consent form's POST must carry its real Origin.
  "Referrer-Policy": "same-origin",
};

const STYLE =
  "body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#222}" +
  "code{background:#f3f3f3;padding:0 .2rem}li{margin:.2rem 0}" +
  "button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.6rem}";

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

export interface ConsentDetails {
  /** The pending authorization's id and the form's anti-CSRF token. */
  id: string;
  csrf: string;
  clientName: string;
  clientId: string;
  redirectUri: string;
  scopes: readonly string[];
  /** Where the form posts (this server's /authorize). */
  action: string;
}

export function consentPage(details: ConsentDetails): string {
  const scopes = details.scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join("");
  const viaUrl = details.clientId.startsWith("https://")
    ? `<p>Its identity is the document at <code>${escapeHtml(details.clientId)}</code>.</p>`
    : "";
  return page(
    "Allow access to Klaviyo?",
    `<h1>Allow <em>${escapeHtml(details.clientName)}</em> to use Klaviyo through klaviyo-mcp?</h1>
<p>The application <strong>${escapeHtml(details.clientName)}</strong> asks to act on your Klaviyo account with these permissions:</p>
<ul>${scopes}</ul>
<p>After you allow it here and sign in to Klaviyo, you will be sent back to <code>${escapeHtml(details.redirectUri)}</code>. Only continue if you started this connection yourself and trust that address.</p>
${viaUrl}
<form method="post" action="${escapeHtml(details.action)}">
<input type="hidden" name="id" value="${escapeHtml(details.id)}">
<input type="hidden" name="csrf" value="${escapeHtml(details.csrf)}">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`,
  );
}

/** A refusal that must not redirect (an unknown client or redirect URI): said on the page. */
export function errorPage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}
