/**
 * The records of the OAuth 2.1 authorization server that MCP clients see (this server), and of
 * the Klaviyo grants behind them. Secrets are never stored as they are: tokens and codes as
 * SHA-256 hashes (the store is keyed by the hash), Klaviyo tokens sealed with AES-256-GCM.
 * See docs/oauth.md for the flow.
 */

/** A client known to this server: registered here (RFC 7591) or a metadata document URL. */
export interface RegisteredClient {
  client_id: string;
  client_name?: string;
  client_uri?: string;
  logo_uri?: string;
  redirect_uris: string[];
  /** "none" for public clients (PKCE only); otherwise a secret was issued at registration. */
  token_endpoint_auth_method: "none" | "client_secret_basic" | "client_secret_post";
  /** SHA-256 (hex) of the issued client secret. */
  client_secret_hash?: string;
  /** "dcr": registered at /register; "cimd": client_id is the URL of its metadata document. */
  source: "dcr" | "cimd";
  /** Epoch milliseconds. */
  created_at: number;
}

/** An authorization under way: from /authorize, through both consent pages, to the callback. */
export interface PendingAuthorization {
  /** Random; also the `state` sent to Klaviyo, and the consent form's id. */
  id: string;
  client_id: string;
  redirect_uri: string;
  /** The client's own state, returned to it unchanged. */
  state?: string;
  /** The client's PKCE S256 challenge. */
  code_challenge: string;
  /** Scopes the client asked for (Klaviyo scope names, e.g. "profiles:read"). */
  scopes: string[];
  /** RFC 8707 audience: this server's MCP URL. */
  resource: string;
  /** Anti-CSRF token of the consent form. */
  csrf: string;
  /** The user allowed it on this server's consent page (then went to Klaviyo). */
  consented: boolean;
  /** PKCE verifier of the request to Klaviyo, sealed (it is a secret). */
  upstream_verifier_sealed: string;
  /** Epoch milliseconds. */
  expires_at: number;
}

/** A grant from Klaviyo: one user's sign-in to one Klaviyo account. */
export interface KlaviyoGrant {
  id: string;
  /** The Klaviyo account (GET /api/accounts): rate limits are kept per account. */
  account_id: string;
  /** Scopes Klaviyo granted. */
  scopes: string[];
  access_token_sealed: string;
  /** Epoch milliseconds at which Klaviyo's access token expires. */
  access_expires_at: number;
  refresh_token_sealed: string;
  created_at: number;
}

/** A one-time authorization code issued to an MCP client. Keyed by SHA-256 of the code. */
export interface AuthorizationCode {
  code_hash: string;
  client_id: string;
  redirect_uri: string;
  code_challenge: string;
  scopes: string[];
  resource: string;
  grant_id: string;
  expires_at: number;
}

/** An access or refresh token issued to an MCP client. Keyed by SHA-256 of the token. */
export interface IssuedToken {
  token_hash: string;
  kind: "access" | "refresh";
  client_id: string;
  grant_id: string;
  scopes: string[];
  /** RFC 8707 audience: the MCP URL the token is for. */
  resource: string;
  expires_at: number;
}

/** What a refresh token's use finds: the record, or that it was used before (a replay). */
export type RefreshUse =
  | { kind: "fresh"; token: IssuedToken }
  | { kind: "reused"; grant_id: string }
  | { kind: "unknown" };

/**
 * Where the authorization server keeps its state: in memory (one process) or in Redis
 * (replicas share it). Every method is atomic where it says "take": a code or refresh token
 * can be used once, even with replicas racing. TTLs are in milliseconds.
 */
export interface OAuthStore {
  putClient(client: RegisteredClient): Promise<void>;
  getClient(clientId: string): Promise<RegisteredClient | undefined>;

  putPending(pending: PendingAuthorization): Promise<void>;
  getPending(id: string): Promise<PendingAuthorization | undefined>;
  /** Removes and returns it: the Klaviyo callback completes an authorization once. */
  takePending(id: string): Promise<PendingAuthorization | undefined>;

  putGrant(grant: KlaviyoGrant): Promise<void>;
  getGrant(id: string): Promise<KlaviyoGrant | undefined>;
  deleteGrant(id: string): Promise<void>;

  putCode(code: AuthorizationCode): Promise<void>;
  /**
   * Removes and returns it; a second take of the same code finds nothing, but leaves the grant
   * of its first use to `usedCodeGrant` for a while (USED_CODE_MEMORY_MS).
   */
  takeCode(codeHash: string): Promise<AuthorizationCode | undefined>;
  /** The grant a code was redeemed for, if it was: a replayed code ends that grant. */
  usedCodeGrant(codeHash: string): Promise<string | undefined>;

  putToken(token: IssuedToken): Promise<void>;
  getToken(tokenHash: string): Promise<IssuedToken | undefined>;
  deleteToken(tokenHash: string): Promise<void>;
  /**
   * Rotation: removes the refresh token and leaves a marker, so that a second use is told
   * apart from an unknown token (a replayed refresh token revokes its grant).
   */
  useRefreshToken(tokenHash: string): Promise<RefreshUse>;

  /** For health checks and shutdown. */
  close(): Promise<void>;
}

/** How long a redeemed code is remembered, so that its replay can be recognised. */
export const USED_CODE_MEMORY_MS = 10 * 60_000;

/** Seals and opens secrets at rest (AES-256-GCM). */
export interface Sealer {
  seal(plain: string): string;
  /** Throws when the text was not sealed with this key or was altered. */
  open(sealed: string): string;
}
