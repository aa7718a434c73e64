/**
 * The emulator's OAuth vocabulary: options, what the endpoints exchange, RFC 6749 errors, and
 * the small checks on scopes, URLs and secrets that provider.ts applies.
 */
import { createHash, timingSafeEqual } from "node:crypto";

export interface OAuthClientConfig {
  id: string;
  secret: string;
  /** When given, redirect_uri must be one of them; otherwise any absolute http(s) URL. */
  redirectUris?: string[];
}

export interface OAuthOptions {
  clients: OAuthClientConfig[];
  /** Nominal lifetime of an access token (default 3_600_000: an hour). */
  accessTokenTtlMs?: number;
  /** Shown on the consent page (default: the account's organization name). */
  accountName?: string;
}

export interface OAuthUrls {
  authorize: string;
  token: string;
  revoke: string;
}

/** A refusal in RFC 6749 terms; `status` is the HTTP status to answer with (400 or 401). */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status: 400 | 401 = 400,
  ) {
    super(description);
  }
}

/** What GET /oauth/authorize leads to when it is not refused outright. */
export type ConsentStart =
  | { kind: "consent"; consent: ConsentRequest }
  /** An error the app is told of at its (checked) redirect_uri. */
  | { kind: "redirect"; redirectTo: string };

/** What /oauth/authorize checked and the consent page asks about. */
export interface ConsentRequest {
  id: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state?: string;
  codeChallenge: string;
  expiresAt: number;
}

export interface TokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token: string;
  scope: string;
}

/** The caller of an API request made with an access token. */
export interface BearerCaller {
  grantId: string;
  scopes: readonly string[];
}

const SCOPE_SHAPE = /^[a-z][a-z_-]*:(read|write)$/;

export const sha256 = (text: string): Buffer => createHash("sha256").update(text).digest();

/** Constant time whatever the lengths: both sides are hashed first. */
export function secretsEqual(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}

/** The required scopes a grant lacks; as with keys, `x:write` grants `x:read`. */
export function missingGrantScopes(
  granted: readonly string[],
  required: readonly string[],
): string[] {
  return required.filter((scope) => {
    if (granted.includes(scope)) return false;
    const [resource, access] = scope.split(":");
    return !(access === "read" && granted.includes(`${resource}:write`));
  });
}

/** `url` with query parameters added (undefined ones left out). */
export function withParams(url: string, params: Record<string, string | undefined>): string {
  const target = new URL(url);
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) target.searchParams.set(name, value);
  return target.href;
}

/**
 * Space-separated Klaviyo scope names (`profiles:read`), deduplicated; at least one. A string
 * is the reason they are refused.
 */
export function parseScopes(raw: string | null): string[] | string {
  const scopes = [...new Set((raw ?? "").split(" ").filter(Boolean))];
  if (scopes.length === 0) return "scope is required.";
  const unknown = scopes.filter((scope) => !SCOPE_SHAPE.test(scope));
  if (unknown.length > 0)
    return `Unknown scope: ${unknown.slice(0, 5).join(" ")}. Use names like profiles:read.`;
  return scopes;
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hash === "";
  } catch {
    return false;
  }
}
