/**
 * /token and /revoke: authorization codes (PKCE S256, single use, bound to the client and its
 * redirect URI) and refresh tokens (rotated; a replayed one ends its grant; scopes may only
 * shrink) become opaque access and refresh tokens, stored as SHA-256 hashes and bound to this
 * server's MCP URL (RFC 8707). Clients authenticate as they registered (RFC 6749 2.3).
 */

import { pkceMatches, randomToken, safeEqual, sha256Hex } from "./crypto.js";
import { errorAnswer, type OAuthAnswer, OAuthError, type OAuthRequest } from "./messages.js";
import type { IssuedToken, OAuthStore, RegisteredClient } from "./types.js";

export interface TokenEndpointOptions {
  store: OAuthStore;
  /** Ends a grant at Klaviyo too (a revoked or replayed refresh token). */
  revokeGrant(grantId: string): Promise<void>;
  resolveClient(clientId: string): Promise<RegisteredClient | undefined>;
  accessTokenTtlMs: number;
  refreshTokenTtlMs?: number;
  now?: () => number;
}

const DEFAULT_REFRESH_TTL_MS = 30 * 24 * 3600_000;

export class TokenEndpoint {
  private readonly now: () => number;

  constructor(private readonly options: TokenEndpointOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The answer to a request, OAuth errors included. */
  async answer(request: OAuthRequest, kind: "token" | "revoke"): Promise<OAuthAnswer> {
    try {
      return kind === "token" ? await this.token(request) : await this.revoke(request);
    } catch (error) {
      if (error instanceof OAuthError) return errorAnswer(error);
      throw error;
    }
  }

  async token(request: OAuthRequest): Promise<OAuthAnswer> {
    const form = request.form ?? new URLSearchParams();
    const client = await this.authenticateClient(form, request.authorization);
    const grantType = form.get("grant_type");
    if (grantType === "authorization_code") return this.redeemCode(form, client);
    if (grantType === "refresh_token") return this.refresh(form, client);
    throw new OAuthError(
      "unsupported_grant_type",
      "grant_type must be authorization_code or refresh_token.",
    );
  }

  private async redeemCode(form: URLSearchParams, client: RegisteredClient): Promise<OAuthAnswer> {
    const hash = sha256Hex(form.get("code") ?? "");
    const code = await this.options.store.takeCode(hash);
    if (!code) {
      // A replayed code may have been intercepted: what its first use obtained is revoked
      // (RFC 6749 4.1.2; OAuth 2.1 4.1.3).
      const grantId = await this.options.store.usedCodeGrant(hash);
      if (grantId) {
        await this.endGrant(grantId);
        throw new OAuthError(
          "invalid_grant",
          "The code was already used; the tokens issued for it are revoked. Sign in again.",
        );
      }
      throw new OAuthError("invalid_grant", "The code is unknown, used or expired.");
    }
    if (code.expires_at <= this.now()) {
      throw new OAuthError("invalid_grant", "The code is unknown, used or expired.");
    }
    if (code.client_id !== client.client_id)
      throw new OAuthError("invalid_grant", "The code was issued to another client.");
    // RFC 6749 4.1.3: required when /authorize named it; one registered URI is all it could be.
    const redirectUri =
      form.get("redirect_uri") ??
      (client.redirect_uris.length === 1 ? client.redirect_uris[0] : undefined);
    if (redirectUri !== code.redirect_uri) {
      throw new OAuthError(
        "invalid_grant",
        "redirect_uri does not match the authorization request.",
      );
    }
    if (!pkceMatches(form.get("code_verifier") ?? "", code.code_challenge)) {
      throw new OAuthError("invalid_grant", "code_verifier does not match the code_challenge.");
    }
    const resource = form.get("resource");
    if (resource && resource !== code.resource)
      throw new OAuthError("invalid_target", `resource must be ${code.resource}.`);
    if (!(await this.options.store.getGrant(code.grant_id))) {
      throw new OAuthError("invalid_grant", "The Klaviyo sign-in behind this code was revoked.");
    }
    return this.issue(client.client_id, code.grant_id, code.scopes, code.resource);
  }

  private async refresh(form: URLSearchParams, client: RegisteredClient): Promise<OAuthAnswer> {
    const hash = sha256Hex(form.get("refresh_token") ?? "");
    // Checked before rotation: a refused request must not burn the client's refresh token
    // (its retry would then look like a replay and end the grant).
    const current = await this.options.store.getToken(hash);
    if (current?.kind === "refresh") this.checkRefresh(current, form, client);
    const use = await this.options.store.useRefreshToken(hash);
    if (use.kind === "reused") {
      // A rotated refresh token came back: someone else may hold it. The grant ends.
      await this.endGrant(use.grant_id);
      throw new OAuthError("invalid_grant", "This refresh token was already used; sign in again.");
    }
    if (use.kind === "unknown" || use.token.expires_at <= this.now()) {
      throw new OAuthError("invalid_grant", "The refresh token is unknown, revoked or expired.");
    }
    const old = use.token;
    const scopes = this.checkRefresh(old, form, client);
    if (!(await this.options.store.getGrant(old.grant_id))) {
      throw new OAuthError("invalid_grant", "The Klaviyo sign-in was revoked; sign in again.");
    }
    // RFC 6749 6: a narrower scope is the access token's; the new refresh token keeps the old.
    return this.issue(client.client_id, old.grant_id, scopes, old.resource, old.scopes);
  }

  /** The scopes a refresh asks for, or why this client may not have them. */
  private checkRefresh(
    old: IssuedToken,
    form: URLSearchParams,
    client: RegisteredClient,
  ): string[] {
    if (old.client_id !== client.client_id)
      throw new OAuthError("invalid_grant", "The refresh token was issued to another client.");
    const asked = (form.get("scope") ?? "").split(" ").filter(Boolean);
    const wider = asked.filter((s) => !old.scopes.includes(s));
    if (wider.length > 0) {
      throw new OAuthError(
        "invalid_scope",
        `A refresh cannot add scopes (${wider.join(", ")}): authorize again for them.`,
      );
    }
    const resource = form.get("resource");
    if (resource && resource !== old.resource)
      throw new OAuthError("invalid_target", `resource must be ${old.resource}.`);
    return asked.length > 0 ? [...new Set(asked)] : old.scopes;
  }

  private async issue(
    clientId: string,
    grantId: string,
    scopes: string[],
    resource: string,
    refreshScopes: string[] = scopes,
  ): Promise<OAuthAnswer> {
    const now = this.now();
    const access = randomToken();
    const refresh = randomToken();
    const base = { client_id: clientId, grant_id: grantId, resource };
    await this.options.store.putToken({
      ...base,
      scopes,
      token_hash: sha256Hex(access),
      kind: "access",
      expires_at: now + this.options.accessTokenTtlMs,
    });
    await this.options.store.putToken({
      ...base,
      scopes: refreshScopes,
      token_hash: sha256Hex(refresh),
      kind: "refresh",
      expires_at: now + (this.options.refreshTokenTtlMs ?? DEFAULT_REFRESH_TTL_MS),
    });
    return {
      status: 200,
      headers: { "Cache-Control": "no-store", Pragma: "no-cache" },
      json: {
        access_token: access,
        token_type: "Bearer",
        expires_in: Math.floor(this.options.accessTokenTtlMs / 1000),
        refresh_token: refresh,
        scope: scopes.join(" "),
      },
    };
  }

  /** RFC 7009: always 200 for an authenticated client; a refresh token ends its grant. */
  async revoke(request: OAuthRequest): Promise<OAuthAnswer> {
    const form = request.form ?? new URLSearchParams();
    const client = await this.authenticateClient(form, request.authorization);
    const hash = sha256Hex(form.get("token") ?? "");
    const token = await this.options.store.getToken(hash);
    if (token && token.client_id === client.client_id) {
      await this.options.store.deleteToken(hash);
      if (token.kind === "refresh") await this.endGrant(token.grant_id);
    }
    return { status: 200, headers: { "Cache-Control": "no-store" }, json: {} };
  }

  private async endGrant(grantId: string): Promise<void> {
    // Klaviyo unreachable: the grant ends here all the same.
    await this.options.revokeGrant(grantId).catch(() => this.options.store.deleteGrant(grantId));
  }

  /** RFC 6749 2.3: a public client names itself; a confidential one proves its secret. */
  private async authenticateClient(
    form: URLSearchParams,
    authorization?: string,
  ): Promise<RegisteredClient> {
    let id = form.get("client_id") ?? undefined;
    let secret = form.get("client_secret") ?? undefined;
    let method: RegisteredClient["token_endpoint_auth_method"] = secret
      ? "client_secret_post"
      : "none";
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization ?? "")?.[1];
    if (basic) {
      // RFC 6749 2.3: one method per request.
      if (secret !== undefined) {
        throw new OAuthError(
          "invalid_request",
          "Send the client secret either in HTTP Basic or in the form, not both.",
        );
      }
      const credentials = decodeBasic(basic);
      if (id !== undefined && id !== credentials.id)
        throw new OAuthError("invalid_client", "client_id differs from the HTTP Basic one.", 401);
      ({ id, secret } = credentials);
      method = "client_secret_basic";
    }
    const client = id ? await this.options.resolveClient(id).catch(() => undefined) : undefined;
    if (!client) throw new OAuthError("invalid_client", "Unknown client.", 401);
    if (client.token_endpoint_auth_method !== method) {
      throw new OAuthError(
        "invalid_client",
        `This client authenticates with ${client.token_endpoint_auth_method}.`,
        401,
      );
    }
    if (
      method !== "none" &&
      !(client.client_secret_hash && safeEqual(sha256Hex(secret ?? ""), client.client_secret_hash))
    ) {
      throw new OAuthError("invalid_client", "Wrong client credentials.", 401);
    }
    return client;
  }
}

/** RFC 6749 2.3.1: `id:secret`, each form-encoded, in base64; malformed is invalid_client. */
function decodeBasic(basic: string): { id: string; secret: string } {
  const decoded = Buffer.from(basic, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  try {
    if (colon < 0) throw new URIError();
    return {
      id: decodeURIComponent(decoded.slice(0, colon)),
      secret: decodeURIComponent(decoded.slice(colon + 1)),
    };
  } catch {
    throw new OAuthError("invalid_client", "Malformed HTTP Basic credentials.", 401);
  }
}
