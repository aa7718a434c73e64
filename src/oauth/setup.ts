/**
 * OAuth for one deployment, assembled: the store (memory, or Redis so that replicas share
 * grants and tokens), the sealer of Klaviyo tokens, the Klaviyo side, client registration, and
 * the authorization server, with the scope check /mcp applies to each tools/call.
 */
import { Redis } from "ioredis";
import type { ToolDefinition } from "../engine/definition.js";
import { scopesAllow } from "../engine/surface/registry.js";
import type { Logger } from "../logger.js";
import type { OAuthEndpoints } from "../transports/oauth-http.js";
import { AuthorizationServer, OAUTH_PATHS, type OAuthSession } from "./authorization-server.js";
import { createMetadataFetcher, registerClient, resolveClient } from "./client-registration.js";
import { createSealer, ephemeralSealer, parseSealingKey } from "./crypto.js";
import { KlaviyoOAuth } from "./klaviyo-oauth.js";
import { MemoryOAuthStore } from "./store-memory.js";
import { RedisOAuthStore } from "./store-redis.js";
import type { OAuthStore } from "./types.js";

/** Klaviyo's own endpoints for apps. */
export const KLAVIYO_OAUTH_URLS = {
  authorize: "https://www.klaviyo.com/oauth/authorize",
  token: "https://a.klaviyo.com/oauth/token",
  revoke: "https://a.klaviyo.com/oauth/revoke",
};

export interface OAuthSetupOptions {
  /** Public base URL of the deployment, without a trailing slash. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  klaviyoUrls: { authorize: string; token: string; revoke: string };
  /** Where Klaviyo's API is (the emulator's in sandbox mode): to learn the account id. */
  apiBaseUrl: string;
  /** KLAVIYO_OAUTH_ENCRYPTION_KEY; required with Redis. */
  encryptionKey?: string;
  redisUrl?: string;
  accessTokenTtlMs: number;
  /** The tools this deployment exposes: their scopes are what a client may ask for. */
  tools: readonly ToolDefinition[];
  /** Every tool by name (for a tools/call's scope check, catalog mode's call_tool included). */
  byName: ReadonlyMap<string, ToolDefinition>;
  /** Tests: client metadata documents may live on loopback over http. */
  allowPrivateClientUrls?: boolean;
  logger: Logger;
  now?: () => number;
}

export interface OAuthSetup {
  endpoints: OAuthEndpoints;
  /** The Klaviyo access token of a grant, refreshed ahead of its expiry. */
  klaviyoAccessToken(grantId: string): Promise<string>;
  close(): Promise<void>;
}

export class OAuthConfigError extends Error {
  override name = "OAuthConfigError";
}

export function setUpOAuth(options: OAuthSetupOptions): OAuthSetup {
  const now = options.now ?? Date.now;
  if (options.redisUrl && !options.encryptionKey) {
    throw new OAuthConfigError(
      "OAuth with Redis keeps Klaviyo refresh tokens there: set KLAVIYO_OAUTH_ENCRYPTION_KEY to 32 random bytes in base64 (openssl rand -base64 32), the same on every replica.",
    );
  }
  const sealer = options.encryptionKey
    ? createSealer(parseSealingKey(options.encryptionKey))
    : ephemeralSealer();
  const redis = options.redisUrl
    ? new Redis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 })
    : undefined;
  const store: OAuthStore = redis
    ? new RedisOAuthStore(redis, { now })
    : new MemoryOAuthStore({ now });
  const klaviyo = new KlaviyoOAuth({
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    authorizeUrl: options.klaviyoUrls.authorize,
    tokenUrl: options.klaviyoUrls.token,
    revokeUrl: options.klaviyoUrls.revoke,
    redirectUri: `${options.baseUrl}${OAUTH_PATHS.callback}`,
    sealer,
    store,
    now,
    logger: options.logger,
  });
  const fetcher = createMetadataFetcher({
    allowPrivateAddresses: options.allowPrivateClientUrls,
    allowHttp: options.allowPrivateClientUrls,
  });
  const scopes = [...new Set(options.tools.flatMap((tool) => tool.scopes))];
  const server = new AuthorizationServer({
    baseUrl: options.baseUrl,
    store,
    sealer,
    klaviyo: {
      authorizeUrl: (params) => klaviyo.authorizeUrl(params),
      exchangeCode: (code, verifier) => klaviyo.exchangeCode(code, verifier),
      accountIdFor: (token) => klaviyo.accountIdFor(token, options.apiBaseUrl),
      createGrant: (tokens, accountId) => klaviyo.createGrant(tokens, accountId),
      revokeGrant: (grantId) => klaviyo.revokeGrant(grantId),
    },
    resolveClient: (clientId) =>
      resolveClient(clientId, store, fetcher, { now, allowHttp: options.allowPrivateClientUrls }),
    register: (body) => registerClient(body, store, { now }),
    scopes,
    accessTokenTtlMs: options.accessTokenTtlMs,
    now,
    logger: options.logger,
  });
  const endpoints: OAuthEndpoints = {
    handles: (path) => server.handles(path),
    handle: (request) => server.handle(request),
    authenticate: (token) => server.authenticate(token),
    resourceMetadataUrl: server.resourceMetadataUrl,
    scopes: server.scopes,
    missingScopes: (session, body) => missingScopes(session, body, options.byName),
  };
  return {
    endpoints,
    klaviyoAccessToken: (grantId) => klaviyo.accessToken(grantId),
    close: async () => {
      await store.close();
    },
  };
}

/**
 * The scopes the tools/call requests of a JSON-RPC body need beyond the session's (write
 * implies read, as in KLAVIYO_SCOPES). Catalog mode's call_tool is checked for the tool it runs.
 */
export function missingScopes(
  session: OAuthSession,
  body: unknown,
  byName: ReadonlyMap<string, ToolDefinition>,
): string[] {
  const missing = new Set<string>();
  for (const message of Array.isArray(body) ? body : [body]) {
    const call = message as { method?: unknown; params?: { name?: unknown; arguments?: unknown } };
    if (call?.method !== "tools/call") continue;
    let name = call.params?.name;
    if (name === "call_tool")
      name = (call.params?.arguments as { name?: unknown } | undefined)?.name;
    const tool = typeof name === "string" ? byName.get(name) : undefined;
    for (const scope of tool?.scopes ?? []) {
      if (!scopesAllow(session.scopes, scope)) missing.add(scope);
    }
  }
  return [...missing].sort();
}
