/**
 * Klaviyo's side of OAuth for apps, in memory: registered clients, consent requests waiting for
 * a decision, one-time codes, grants with their (non-rotating) refresh token, and access tokens.
 * Codes and tokens are kept by SHA-256, never as issued. No HTTP here: routes.ts speaks it,
 * and protocol.ts holds the shared vocabulary.
 *
 * Time: `now()` is real ms; a nominal duration D lasts D × timeScale real ms (as the rate-limit
 * windows do), while `expires_in` stays nominal, as Klaviyo would state it.
 */
import { randomBytes } from "node:crypto";
import {
  type BearerCaller,
  type ConsentRequest,
  type ConsentStart,
  isHttpUrl,
  type OAuthClientConfig,
  OAuthError,
  type OAuthOptions,
  parseScopes,
  secretsEqual,
  sha256,
  type TokenResponse,
  withParams,
} from "./protocol.js";

interface Code {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scopes: string[];
  expiresAt: number;
}

interface Grant {
  id: string;
  clientId: string;
  scopes: string[];
  refreshHash: string;
  /** Access tokens issued under it, so revoking the grant ends them. */
  accessHashes: Set<string>;
}

interface AccessToken {
  grantId: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
}

const CODE_TTL_MS = 10 * 60_000;
const CONSENT_TTL_MS = 10 * 60_000;
const VERIFIER_SHAPE = /^[A-Za-z0-9._~-]{43,128}$/;

const hashKey = (secret: string): string => sha256(secret).toString("hex");
const token = (prefix: string): string => `${prefix}${randomBytes(32).toString("base64url")}`;

export class OAuthProvider {
  readonly #clients: Map<string, OAuthClientConfig>;
  readonly #ttlMs: number;
  readonly #scale: number;
  readonly #now: () => number;
  readonly #consents = new Map<string, ConsentRequest>();
  readonly #codes = new Map<string, Code>();
  /** Codes already exchanged, by hash, until they would have expired: a replay ends the grant. */
  readonly #usedCodes = new Map<string, { grantId: string; expiresAt: number }>();
  readonly #grants = new Map<string, Grant>();
  readonly #grantByRefresh = new Map<string, string>();
  readonly #access = new Map<string, AccessToken>();

  constructor(options: OAuthOptions, clock: { now?: () => number; timeScale?: number } = {}) {
    this.#clients = new Map(options.clients.map((client) => [client.id, client]));
    this.#ttlMs = options.accessTokenTtlMs ?? 3_600_000;
    this.#scale = clock.timeScale ?? 1;
    this.#now = clock.now ?? Date.now;
    if (!(this.#ttlMs > 0)) throw new RangeError("oauth.accessTokenTtlMs must be positive.");
  }

  /** Real ms from now at which a nominal duration ends. */
  #deadline(nominalMs: number): number {
    return this.#now() + nominalMs * this.#scale;
  }

  /**
   * Checks GET /oauth/authorize. Throws an OAuthError while the client or redirect_uri is not
   * trusted (shown to the user, never redirected); later errors go back to the app.
   */
  startConsent(query: URLSearchParams): ConsentStart {
    this.#sweep();
    const clientId = query.get("client_id") ?? "";
    const client = this.#clients.get(clientId);
    if (!client) throw new OAuthError("invalid_client", "Unknown client_id.");
    const redirectUri = query.get("redirect_uri") ?? "";
    if (!isHttpUrl(redirectUri))
      throw new OAuthError("invalid_request", "redirect_uri must be an absolute http(s) URL.");
    if (client.redirectUris?.length && !client.redirectUris.includes(redirectUri))
      throw new OAuthError("invalid_request", "redirect_uri is not registered for this app.");
    const codeChallenge = query.get("code_challenge") ?? "";
    if (!/^[A-Za-z0-9_-]{43}$/.test(codeChallenge))
      throw new OAuthError("invalid_request", "code_challenge (PKCE, S256) is required.");
    if (query.get("code_challenge_method") !== "S256")
      throw new OAuthError("invalid_request", "code_challenge_method must be S256.");
    const state = query.get("state") ?? undefined;
    // From here on the redirect_uri is trusted: errors go back to the app.
    const back = (error: string, description: string): ConsentStart => ({
      kind: "redirect",
      redirectTo: withParams(redirectUri, { error, error_description: description, state }),
    });
    if (query.get("response_type") !== "code")
      return back("unsupported_response_type", "response_type must be code.");
    const scopes = parseScopes(query.get("scope"));
    if (typeof scopes === "string") return back("invalid_scope", scopes);
    const consent: ConsentRequest = {
      id: token(""),
      clientId,
      redirectUri,
      scopes,
      state,
      codeChallenge,
      expiresAt: this.#deadline(CONSENT_TTL_MS),
    };
    this.#consents.set(consent.id, consent);
    return { kind: "consent", consent };
  }

  /** The consent form's answer: the request it names is used up either way. */
  decide(requestId: string, allow: boolean): { redirectTo: string } {
    const consent = this.#consents.get(requestId);
    this.#consents.delete(requestId);
    if (!consent || consent.expiresAt <= this.#now())
      throw new OAuthError(
        "invalid_request",
        "This authorization request is unknown or expired; start again from the app.",
      );
    const { redirectUri, state } = consent;
    if (!allow) {
      const description = "The user denied access.";
      return {
        redirectTo: withParams(redirectUri, {
          error: "access_denied",
          error_description: description,
          state,
        }),
      };
    }
    const code = token("");
    this.#codes.set(hashKey(code), {
      clientId: consent.clientId,
      redirectUri,
      codeChallenge: consent.codeChallenge,
      scopes: consent.scopes,
      expiresAt: this.#deadline(CODE_TTL_MS),
    });
    return { redirectTo: withParams(redirectUri, { code, state }) };
  }

  /** HTTP Basic credentials of a registered client, or 401 invalid_client. */
  authenticateClient(authorization: string | undefined): string {
    const encoded = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization ?? "")?.[1];
    const fail = () =>
      new OAuthError(
        "invalid_client",
        "Client authentication failed: send the client id and secret with HTTP Basic.",
        401,
      );
    if (!encoded) throw fail();
    const decoded = Buffer.from(encoded, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) throw fail();
    let id: string;
    let secret: string;
    try {
      // RFC 6749 §2.3.1: both parts are form-urlencoded before Basic encoding.
      id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, " "));
      secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, " "));
    } catch {
      throw fail();
    }
    const client = this.#clients.get(id);
    // Compare against something even for an unknown id, so timing does not tell ids apart.
    const matches = secretsEqual(secret, client?.secret ?? "");
    if (!client || !matches) throw fail();
    return client.id;
  }

  /** POST /oauth/token, after authenticateClient. */
  exchange(clientId: string, form: URLSearchParams): TokenResponse {
    this.#sweep();
    const grantType = form.get("grant_type");
    if (!grantType) throw new OAuthError("invalid_request", "grant_type is required.");
    if (grantType === "authorization_code") return this.#exchangeCode(clientId, form);
    if (grantType === "refresh_token") return this.#refresh(clientId, form);
    throw new OAuthError(
      "unsupported_grant_type",
      "grant_type must be authorization_code or refresh_token.",
    );
  }

  #exchangeCode(clientId: string, form: URLSearchParams): TokenResponse {
    const code = form.get("code");
    const verifier = form.get("code_verifier");
    const redirectUri = form.get("redirect_uri");
    // Malformed requests are refused before the code is used up.
    if (!code) throw new OAuthError("invalid_request", "code is required.");
    if (!redirectUri) throw new OAuthError("invalid_request", "redirect_uri is required.");
    if (!verifier) throw new OAuthError("invalid_request", "code_verifier (PKCE) is required.");
    if (!VERIFIER_SHAPE.test(verifier))
      throw new OAuthError(
        "invalid_request",
        "code_verifier must be 43 to 128 URL-safe characters.",
      );
    const codeHash = hashKey(code);
    const issued = this.#codes.get(codeHash);
    this.#codes.delete(codeHash);
    if (!issued) {
      const used = this.#usedCodes.get(codeHash);
      // RFC 6749 §4.1.2: a code used twice revokes what it was exchanged for.
      if (used) this.#endGrant(used.grantId);
      throw new OAuthError(
        "invalid_grant",
        "The authorization code is invalid or was already used.",
      );
    }
    if (issued.clientId !== clientId)
      throw new OAuthError("invalid_grant", "The authorization code was issued to another client.");
    if (issued.expiresAt <= this.#now())
      throw new OAuthError("invalid_grant", "The authorization code has expired.");
    if (issued.redirectUri !== redirectUri)
      throw new OAuthError(
        "invalid_grant",
        "redirect_uri does not match the authorization request.",
      );
    const challenge = sha256(verifier).toString("base64url");
    if (!secretsEqual(challenge, issued.codeChallenge))
      throw new OAuthError("invalid_grant", "code_verifier does not match the code_challenge.");
    const refreshToken = token("");
    const grant: Grant = {
      id: token("grant_"),
      clientId,
      scopes: issued.scopes,
      refreshHash: hashKey(refreshToken),
      accessHashes: new Set(),
    };
    this.#grants.set(grant.id, grant);
    this.#grantByRefresh.set(grant.refreshHash, grant.id);
    this.#usedCodes.set(codeHash, { grantId: grant.id, expiresAt: issued.expiresAt });
    return { ...this.#issueAccess(grant, grant.scopes), refresh_token: refreshToken };
  }

  #refresh(clientId: string, form: URLSearchParams): TokenResponse {
    const refreshToken = form.get("refresh_token");
    if (!refreshToken) throw new OAuthError("invalid_request", "refresh_token is required.");
    const grant = this.#grantFor(refreshToken);
    if (!grant || grant.clientId !== clientId)
      throw new OAuthError("invalid_grant", "The refresh token is invalid or was revoked.");
    const asked = form.get("scope");
    const scopes = asked === null ? grant.scopes : parseScopes(asked);
    if (typeof scopes === "string") throw new OAuthError("invalid_scope", scopes);
    const beyond = scopes.filter((scope) => !grant.scopes.includes(scope));
    if (beyond.length > 0)
      throw new OAuthError("invalid_scope", `Not granted: ${beyond.join(" ")}.`);
    // Klaviyo does not rotate refresh tokens: the same one is returned.
    return { ...this.#issueAccess(grant, scopes), refresh_token: refreshToken };
  }

  #issueAccess(grant: Grant, scopes: string[]): Omit<TokenResponse, "refresh_token"> {
    const accessToken = token("");
    const hash = hashKey(accessToken);
    this.#access.set(hash, {
      grantId: grant.id,
      clientId: grant.clientId,
      scopes,
      expiresAt: this.#deadline(this.#ttlMs),
    });
    grant.accessHashes.add(hash);
    return {
      access_token: accessToken,
      token_type: "Bearer",
      expires_in: Math.round(this.#ttlMs / 1000),
      scope: scopes.join(" "),
    };
  }

  /**
   * POST /oauth/revoke (RFC 7009): a refresh token ends its grant and every access token of it;
   * an access token ends itself. Unknown tokens, or another client's, are ignored.
   */
  revoke(clientId: string, form: URLSearchParams): void {
    const value = form.get("token");
    if (!value) throw new OAuthError("invalid_request", "token is required.");
    const grant = this.#grantFor(value);
    if (grant) {
      if (grant.clientId === clientId) this.#endGrant(grant.id);
      return;
    }
    const hash = hashKey(value);
    const access = this.#access.get(hash);
    if (access?.clientId === clientId) {
      this.#access.delete(hash);
      this.#grants.get(access.grantId)?.accessHashes.delete(hash);
    }
  }

  /** An API request's bearer token: its grant and scopes, or undefined when not valid now. */
  authenticateBearer(accessToken: string): BearerCaller | undefined {
    const hash = hashKey(accessToken);
    const access = this.#access.get(hash);
    if (!access) return undefined;
    if (access.expiresAt <= this.#now() || !this.#grants.has(access.grantId)) {
      this.#access.delete(hash);
      return undefined;
    }
    return { grantId: access.grantId, scopes: access.scopes };
  }

  #grantFor(refreshToken: string): Grant | undefined {
    const grantId = this.#grantByRefresh.get(hashKey(refreshToken));
    return grantId === undefined ? undefined : this.#grants.get(grantId);
  }

  #endGrant(grantId: string): void {
    const grant = this.#grants.get(grantId);
    if (!grant) return;
    for (const hash of grant.accessHashes) this.#access.delete(hash);
    this.#grantByRefresh.delete(grant.refreshHash);
    this.#grants.delete(grantId);
  }

  /** Drops what has expired, so a long-running emulator does not grow without bound. */
  #sweep(): void {
    const now = this.#now();
    for (const [id, consent] of this.#consents)
      if (consent.expiresAt <= now) this.#consents.delete(id);
    for (const [hash, code] of this.#codes) if (code.expiresAt <= now) this.#codes.delete(hash);
    for (const [hash, used] of this.#usedCodes)
      if (used.expiresAt <= now) this.#usedCodes.delete(hash);
    for (const [hash, access] of this.#access) {
      if (access.expiresAt > now) continue;
      this.#access.delete(hash);
      this.#grants.get(access.grantId)?.accessHashes.delete(hash);
    }
  }
}
