/**
 * The OAuth 2.1 authorization server that MCP clients see (MCP authorization spec 2025-11-25):
 * metadata, /authorize with this server's consent page, the Klaviyo callback, /token and
 * /revoke. Requests and answers are plain values (OAuthRequest -> OAuthAnswer): the HTTP layer
 * (src/transports/http.ts) applies its own checks first and writes the answer. Tokens are opaque
 * and random, stored only as SHA-256 hashes, bound to this server's MCP URL (RFC 8707); the
 * client's own redirect carries `iss` (RFC 9207). See docs/oauth.md.
 */
import type { Logger } from "../logger.js";
import { consentPage, errorPage } from "./consent-page.js";
import { pkceS256Challenge, randomToken, safeEqual, sha256Hex } from "./crypto.js";
import { errorAnswer, type OAuthAnswer, OAuthError, type OAuthRequest } from "./messages.js";
import { TokenEndpoint } from "./token-endpoint.js";
import type { IssuedToken, KlaviyoGrant, OAuthStore, RegisteredClient, Sealer } from "./types.js";

export type { OAuthAnswer, OAuthRequest } from "./messages.js";

/** What this server needs of the Klaviyo side (src/oauth/klaviyo-oauth.ts). */
export interface KlaviyoSide {
  authorizeUrl(params: { state: string; scopes: string[]; codeChallenge: string }): string;
  exchangeCode(
    code: string,
    verifier: string,
  ): Promise<{ accessToken: string; refreshToken: string; expiresAt: number; scopes: string[] }>;
  accountIdFor(accessToken: string): Promise<string>;
  createGrant(
    tokens: { accessToken: string; refreshToken: string; expiresAt: number; scopes: string[] },
    accountId: string,
  ): Promise<KlaviyoGrant>;
  revokeGrant(grantId: string): Promise<void>;
}

export interface AuthorizationServerOptions {
  /** The deployment's public base URL, without a trailing slash: the issuer. */
  baseUrl: string;
  store: OAuthStore;
  sealer: Sealer;
  klaviyo: KlaviyoSide;
  /** A stored client, or one whose client_id is a metadata document URL (fetched). */
  resolveClient(clientId: string): Promise<RegisteredClient | undefined>;
  /** RFC 7591 registration. */
  register(body: unknown): Promise<{ status: number; body: object }>;
  /** The Klaviyo scopes the tools of this deployment need: what may be asked for. */
  scopes: readonly string[];
  accessTokenTtlMs: number;
  refreshTokenTtlMs?: number;
  now?: () => number;
  logger: Logger;
}

export const MCP_RESOURCE_PATH = "/mcp";
const CODE_TTL_MS = 60_000;
const PENDING_TTL_MS = 10 * 60_000;
/** Needed to learn which Klaviyo account signed in (rate limits are kept per account). */
const ACCOUNT_SCOPE = "accounts:read";

export const OAUTH_PATHS = {
  resourceMetadata: "/.well-known/oauth-protected-resource",
  serverMetadata: "/.well-known/oauth-authorization-server",
  openidConfiguration: "/.well-known/openid-configuration",
  register: "/register",
  authorize: "/authorize",
  callback: "/oauth/callback",
  token: "/token",
  revoke: "/revoke",
} as const;

export class AuthorizationServer {
  readonly resource: string;
  readonly scopes: readonly string[];
  private readonly now: () => number;
  private readonly tokens: TokenEndpoint;

  constructor(private readonly options: AuthorizationServerOptions) {
    this.resource = `${options.baseUrl}${MCP_RESOURCE_PATH}`;
    this.scopes = [...new Set([...options.scopes, ACCOUNT_SCOPE])].sort();
    this.now = options.now ?? Date.now;
    this.tokens = new TokenEndpoint({
      store: options.store,
      revokeGrant: (grantId) => options.klaviyo.revokeGrant(grantId),
      resolveClient: (clientId) => options.resolveClient(clientId),
      accessTokenTtlMs: options.accessTokenTtlMs,
      refreshTokenTtlMs: options.refreshTokenTtlMs,
      now: this.now,
    });
  }

  /** True for the paths this server answers (the HTTP layer routes them here). */
  handles(path: string): boolean {
    return (
      (Object.values(OAUTH_PATHS) as string[]).includes(path) ||
      path === `${OAUTH_PATHS.resourceMetadata}${MCP_RESOURCE_PATH}`
    );
  }

  /** URL of the protected resource metadata, for WWW-Authenticate. */
  get resourceMetadataUrl(): string {
    return `${this.options.baseUrl}${OAUTH_PATHS.resourceMetadata}${MCP_RESOURCE_PATH}`;
  }

  async handle(request: OAuthRequest): Promise<OAuthAnswer> {
    const { method, path } = request;
    try {
      if (method === "GET" && path.startsWith(OAUTH_PATHS.resourceMetadata)) {
        return { status: 200, json: this.resourceMetadata() };
      }
      if (
        method === "GET" &&
        (path === OAUTH_PATHS.serverMetadata || path === OAUTH_PATHS.openidConfiguration)
      ) {
        return { status: 200, json: this.serverMetadata(path === OAUTH_PATHS.openidConfiguration) };
      }
      if (method === "POST" && path === OAUTH_PATHS.register) {
        const { status, body } = await this.options.register(request.json);
        return { status, headers: { "Cache-Control": "no-store" }, json: body };
      }
      if (method === "GET" && path === OAUTH_PATHS.authorize) return await this.authorize(request);
      if (method === "POST" && path === OAUTH_PATHS.authorize) return await this.consent(request);
      if (method === "GET" && path === OAUTH_PATHS.callback) return await this.callback(request);
      if (method === "POST" && path === OAUTH_PATHS.token)
        return await this.tokens.answer(request, "token");
      if (method === "POST" && path === OAUTH_PATHS.revoke)
        return await this.tokens.answer(request, "revoke");
      return {
        status: 405,
        json: {
          error: "invalid_request",
          error_description: `${method} is not allowed on ${path}.`,
        },
      };
    } catch (error) {
      if (error instanceof OAuthError) return errorAnswer(error);
      throw error;
    }
  }

  resourceMetadata(): object {
    return {
      resource: this.resource,
      authorization_servers: [this.options.baseUrl],
      scopes_supported: this.scopes,
      bearer_methods_supported: ["header"],
      resource_name: "klaviyo-mcp",
    };
  }

  serverMetadata(openid = false): object {
    const base = this.options.baseUrl;
    const metadata: Record<string, unknown> = {
      issuer: base,
      authorization_endpoint: `${base}${OAUTH_PATHS.authorize}`,
      token_endpoint: `${base}${OAUTH_PATHS.token}`,
      registration_endpoint: `${base}${OAUTH_PATHS.register}`,
      revocation_endpoint: `${base}${OAUTH_PATHS.revoke}`,
      response_types_supported: ["code"],
      grant_types_supported: ["authorization_code", "refresh_token"],
      code_challenge_methods_supported: ["S256"],
      token_endpoint_auth_methods_supported: ["none", "client_secret_basic", "client_secret_post"],
      revocation_endpoint_auth_methods_supported: [
        "none",
        "client_secret_basic",
        "client_secret_post",
      ],
      scopes_supported: this.scopes,
      client_id_metadata_document_supported: true,
      authorization_response_iss_parameter_supported: true,
    };
    if (openid) metadata.subject_types_supported = ["public"];
    return metadata;
  }

  // -------------------------------------------------------------------------------------------
  // Authorization: this server's consent, then Klaviyo's, then the code

  private async authorize(request: OAuthRequest): Promise<OAuthAnswer> {
    const q = request.query;
    const clientId = q.get("client_id") ?? "";
    let client: RegisteredClient | undefined;
    try {
      client = clientId ? await this.options.resolveClient(clientId) : undefined;
    } catch (error) {
      return this.page(400, "Unknown application", (error as Error).message);
    }
    if (!client) {
      return this.page(400, "Unknown application", "This client_id is not registered here.");
    }
    const redirectUri =
      q.get("redirect_uri") ??
      (client.redirect_uris.length === 1 ? client.redirect_uris[0] : undefined);
    if (!redirectUri || !client.redirect_uris.includes(redirectUri)) {
      return this.page(
        400,
        "Wrong redirect address",
        "The redirect_uri is not one this application registered.",
      );
    }
    const state = q.get("state") ?? undefined;
    const fail = (code: string, description: string) =>
      this.redirectWith(redirectUri, { error: code, error_description: description, state });
    if (q.get("response_type") !== "code")
      return fail("unsupported_response_type", "response_type must be code.");
    const challenge = q.get("code_challenge");
    if (
      !challenge ||
      q.get("code_challenge_method") !== "S256" ||
      !/^[A-Za-z0-9_-]{43}$/.test(challenge)
    ) {
      return fail(
        "invalid_request",
        "PKCE is required: code_challenge with code_challenge_method=S256.",
      );
    }
    const resource = q.get("resource") ?? this.resource;
    if (resource !== this.resource)
      return fail("invalid_target", `resource must be ${this.resource}.`);
    const asked = (q.get("scope") ?? "").split(" ").filter(Boolean);
    const unknown = asked.filter((s) => !this.scopes.includes(s));
    if (unknown.length > 0) return fail("invalid_scope", `Unknown scopes: ${unknown.join(", ")}.`);
    const scopes = [
      ...new Set([...(asked.length > 0 ? asked : this.scopes), ACCOUNT_SCOPE]),
    ].sort();
    const pending = {
      id: randomToken(),
      client_id: client.client_id,
      redirect_uri: redirectUri,
      state,
      code_challenge: challenge,
      scopes,
      resource,
      csrf: randomToken(),
      consented: false,
      upstream_verifier_sealed: "",
      expires_at: this.now() + PENDING_TTL_MS,
    };
    await this.options.store.putPending(pending);
    return {
      status: 200,
      html: consentPage({
        id: pending.id,
        csrf: pending.csrf,
        clientName: client.client_name ?? client.client_id,
        clientId: client.client_id,
        redirectUri,
        scopes,
        action: `${this.options.baseUrl}${OAUTH_PATHS.authorize}`,
      }),
    };
  }

  /** The consent form: Deny goes back to the client; Allow goes on to Klaviyo. */
  private async consent(request: OAuthRequest): Promise<OAuthAnswer> {
    const form = request.form ?? new URLSearchParams();
    const id = form.get("id") ?? "";
    const pending = id ? await this.options.store.getPending(id) : undefined;
    if (!pending || pending.expires_at <= this.now() || pending.consented) {
      return this.page(
        400,
        "This request has expired",
        "Start the connection again from your application.",
      );
    }
    if (!safeEqual(form.get("csrf") ?? "", pending.csrf)) {
      return this.page(
        400,
        "Invalid form",
        "The form was not the one this server showed. Start again.",
      );
    }
    if (form.get("decision") !== "allow") {
      await this.options.store.takePending(id);
      return this.redirectWith(pending.redirect_uri, {
        error: "access_denied",
        error_description: "The user denied access.",
        state: pending.state,
      });
    }
    const verifier = randomToken(48);
    await this.options.store.putPending({
      ...pending,
      consented: true,
      upstream_verifier_sealed: this.options.sealer.seal(verifier),
    });
    return {
      status: 302,
      redirect: this.options.klaviyo.authorizeUrl({
        state: pending.id,
        scopes: pending.scopes,
        codeChallenge: pkceS256Challenge(verifier),
      }),
    };
  }

  /** Klaviyo's redirect: its code becomes a grant, and the client gets this server's code. */
  private async callback(request: OAuthRequest): Promise<OAuthAnswer> {
    const q = request.query;
    const pending = await this.options.store.takePending(q.get("state") ?? "");
    if (!pending || !pending.consented || pending.expires_at <= this.now()) {
      return this.page(
        400,
        "This sign-in has expired",
        "Start the connection again from your application.",
      );
    }
    const back = (params: Record<string, string | undefined>) =>
      this.redirectWith(pending.redirect_uri, { ...params, state: pending.state });
    const upstreamError = q.get("error");
    if (upstreamError) {
      return back({
        error: upstreamError === "access_denied" ? "access_denied" : "server_error",
        error_description:
          upstreamError === "access_denied"
            ? "Access was denied at Klaviyo."
            : "Klaviyo refused the sign-in.",
      });
    }
    const code = q.get("code");
    if (!code) return back({ error: "server_error", error_description: "Klaviyo sent no code." });
    let grant: KlaviyoGrant;
    try {
      const verifier = this.options.sealer.open(pending.upstream_verifier_sealed);
      const tokens = await this.options.klaviyo.exchangeCode(code, verifier);
      const accountId = await this.options.klaviyo.accountIdFor(tokens.accessToken);
      grant = await this.options.klaviyo.createGrant(tokens, accountId);
    } catch (error) {
      this.options.logger.warn({ error: (error as Error).name }, "Klaviyo sign-in failed");
      return back({
        error: "server_error",
        error_description: "Signing in to Klaviyo failed; try again.",
      });
    }
    const issued = randomToken();
    await this.options.store.putCode({
      code_hash: sha256Hex(issued),
      client_id: pending.client_id,
      redirect_uri: pending.redirect_uri,
      code_challenge: pending.code_challenge,
      // What this server may grant is what Klaviyo granted of what was asked.
      scopes: pending.scopes.filter((s) => grant.scopes.includes(s)),
      resource: pending.resource,
      grant_id: grant.id,
      expires_at: this.now() + CODE_TTL_MS,
    });
    return back({ code: issued });
  }

  // -------------------------------------------------------------------------------------------
  // Bearer tokens on /mcp

  /** The session of an access token presented at /mcp, or why it is refused. */
  async authenticate(token: string): Promise<{ session: OAuthSession } | { error: string }> {
    const record: IssuedToken | undefined = await this.options.store.getToken(sha256Hex(token));
    if (!record || record.kind !== "access")
      return { error: "The access token is not valid for this server." };
    if (record.expires_at <= this.now())
      return { error: "The access token has expired: refresh it." };
    if (record.resource !== this.resource)
      return { error: `The access token is for another resource, not ${this.resource}.` };
    const grant = await this.options.store.getGrant(record.grant_id);
    if (!grant)
      return { error: "The Klaviyo sign-in behind this token was revoked: sign in again." };
    return {
      session: {
        clientId: record.client_id,
        grantId: grant.id,
        accountId: grant.account_id,
        scopes: record.scopes,
      },
    };
  }

  private redirectWith(uri: string, params: Record<string, string | undefined>): OAuthAnswer {
    const url = new URL(uri);
    for (const [key, value] of Object.entries(params))
      if (value !== undefined) url.searchParams.set(key, value);
    url.searchParams.set("iss", this.options.baseUrl);
    return { status: 302, redirect: url.toString() };
  }

  private page(status: number, title: string, message: string): OAuthAnswer {
    return { status, html: errorPage(title, message) };
  }
}

/** Who is calling /mcp with an OAuth token. */
export interface OAuthSession {
  clientId: string;
  grantId: string;
  /** The Klaviyo account: its rate limits are shared by every grant on it. */
  accountId: string;
  /** Klaviyo scopes this token carries: the tools the session sees. */
  scopes: string[];
}
