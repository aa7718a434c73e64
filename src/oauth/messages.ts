/**
 * What the OAuth endpoints take and give, as plain values (the HTTP layer reads and writes
 * them), and the error that answers with an OAuth error document.
 */

export interface OAuthRequest {
  method: string;
  /** The path without the query. */
  path: string;
  query: URLSearchParams;
  /** A form-encoded body (token, revoke, the consent form). */
  form?: URLSearchParams;
  /** A JSON body (registration). */
  json?: unknown;
  /** The Authorization header, for client authentication at /token and /revoke. */
  authorization?: string;
}

export interface OAuthAnswer {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  html?: string;
  /** A 302 to this URL. */
  redirect?: string;
}

/** An error that answers with an OAuth error document (RFC 6749 5.2). */
export class OAuthError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export const errorAnswer = (error: OAuthError): OAuthAnswer => ({
  status: error.status,
  headers: {
    "Cache-Control": "no-store",
    // RFC 6749 5.2 and RFC 9110 15.5.2: a 401 says how to authenticate.
    ...(error.status === 401 && { "WWW-Authenticate": 'Basic realm="klaviyo-mcp"' }),
  },
  json: { error: error.code, error_description: error.message },
});
