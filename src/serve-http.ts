/**
 * `klaviyo-mcp --http`: the runtime behind the secure HTTP transport. Picks the bearer tokens
 * (configured, or one generated for this run on loopback), maps the Klaviyo key headers to an
 * account, prints how to connect, and drains on SIGTERM/SIGINT.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { AccountError } from "./accounts.js";
import { type Config, ConfigError } from "./config.js";
import type { Logger } from "./logger.js";
import { setUpOAuth } from "./oauth/setup.js";
import type { Runtime } from "./runtime.js";
import { HttpRefusal, type HttpServerHandle, startHttpServer } from "./transports/http.js";
import { VERSION } from "./version.js";

export interface ServingHttp {
  handle: HttpServerHandle;
  /** The token generated for this run, when none was configured. */
  generatedToken?: string;
  /** What was printed for the operator. */
  banner: string;
}

export async function serveHttp(
  config: Config,
  runtime: Runtime,
  logger: Logger,
): Promise<ServingHttp> {
  // With OAuth, clients sign in: no token is made up for them.
  const generatedToken =
    config.tokens.length === 0 && !config.noAuth && !config.oauth
      ? randomBytes(32).toString("base64url")
      : undefined;
  const port =
    config.oauth && !config.publicUrl && config.port === 0
      ? await freePort(config.host)
      : config.port;
  const oauth = config.oauth ? oauthFor(config, runtime, logger, port) : undefined;
  const publicOrigin = oauth ? new URL(oauth.baseUrl) : undefined;
  let handle: HttpServerHandle;
  try {
    handle = await startHttpServer({
      host: config.host,
      port,
      tokens: generatedToken ? [generatedToken] : config.tokens,
      noAuth: config.noAuth,
      oauth: oauth?.setup.endpoints,
      // The consent form posts from this server's public origin.
      allowedOrigins: publicOrigin
        ? [...config.allowedOrigins, publicOrigin.origin]
        : config.allowedOrigins,
      allowedHosts: publicOrigin
        ? [...config.allowedHosts, publicOrigin.host]
        : config.allowedHosts,
      maxBodyBytes: config.maxBodyBytes,
      shutdownTimeoutMs: config.shutdownTimeoutMs,
      maxConnections: config.maxConnections,
      headersTimeoutMs: config.headersTimeoutMs,
      bodyTimeoutMs: config.bodyTimeoutMs,
      authFailureLimit: config.authFailureLimit,
      trustedProxies: config.trustedProxies,
      logger,
      requestHeaders: ["X-Klaviyo-API-Key", "X-Klaviyo-Public-Key"],
      health: () => runtime.health(),
      serverFor: (headers, { shutdown, finished, session }) => {
        if (session && oauth) {
          // Signed in with Klaviyo: the grant's account and scopes, its token on each request.
          const lease = runtime.accounts.forOAuthAccount(session.accountId);
          if (finished.aborted) lease.release();
          else finished.addEventListener("abort", lease.release, { once: true });
          const grantId = session.grantId;
          return runtime.serverFor(lease.account, {
            allowFilePaths: false,
            shutdown,
            scopes: session.scopes,
            authorization: async () => `Bearer ${await oauth.setup.klaviyoAccessToken(grantId)}`,
          });
        }
        const lease = accountFor(runtime, headers);
        // Held until the request is over, so the account is not let go under it.
        if (finished.aborted) lease.release();
        else finished.addEventListener("abort", lease.release, { once: true });
        // A server-side path would let a remote client read this machine's files.
        return runtime.serverFor(lease.account, { allowFilePaths: false, shutdown });
      },
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL") {
      throw new ConfigError(
        `Cannot listen on ${config.host}:${config.port} (${code}): choose another --port (KLAVIYO_MCP_PORT), or 0 for a free one.`,
      );
    }
    throw error;
  }
  if (oauth) {
    const close = handle.close;
    handle = {
      ...handle,
      close: async () => {
        await close();
        await oauth.setup.close();
      },
    };
  }
  const banner = connectionBanner(config, handle.url, generatedToken, runtime, oauth?.baseUrl);
  return { handle, generatedToken, banner };
}

/** OAuth for this deployment: the sandbox's app on the emulator, or the configured Klaviyo app. */
function oauthFor(config: Config, runtime: Runtime, logger: Logger, port: number) {
  const shownHost = config.host.includes(":") ? `[${config.host}]` : config.host;
  const baseUrl = config.publicUrl ?? `http://${shownHost}:${port}`;
  const sandbox = runtime.sandboxOAuthApp;
  const setup = setUpOAuth({
    baseUrl,
    clientId: sandbox?.clientId ?? (config.oauthClientId as string),
    clientSecret: sandbox?.clientSecret ?? (config.oauthClientSecret as string),
    klaviyoUrls: sandbox?.urls ?? {
      authorize: config.oauthKlaviyoAuthorizeUrl,
      token: config.oauthKlaviyoTokenUrl,
      revoke: config.oauthKlaviyoRevokeUrl,
    },
    apiBaseUrl: runtime.emulator && config.sandbox ? runtime.emulator.url : config.baseUrl,
    encryptionKey: config.oauthEncryptionKey,
    redisUrl: config.redisUrl,
    accessTokenTtlMs: config.oauthTokenTtlSeconds * 1000,
    tools: runtime.surface.tools,
    byName: new Map(runtime.catalog.definitions.map((tool) => [tool.name, tool])),
    allowPrivateClientUrls: process.env.KLAVIYO_OAUTH_TEST_ALLOW_PRIVATE_CLIENT_URLS === "1",
    logger,
  });
  return { baseUrl, setup };
}

/** A free port on `host`, so that the OAuth issuer's URL is known before listening. */
async function freePort(host: string): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", reject);
    probe.listen(0, host, () => resolve());
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

function accountFor(runtime: Runtime, headers: IncomingHttpHeaders) {
  try {
    return runtime.accounts.forRequest(
      header(headers, "x-klaviyo-api-key")?.trim(),
      header(headers, "x-klaviyo-public-key")?.trim(),
    );
  } catch (error) {
    if (error instanceof AccountError) {
      const status = { missing_key: 401, busy: 503, bad_key: 400, keys_off: 400 }[error.reason];
      throw new HttpRefusal(status, error.message);
    }
    throw error;
  }
}

/** How to connect, printed on stdout (logs go to stderr): URL, token, a client configuration. */
function connectionBanner(
  config: Config,
  url: string,
  generatedToken: string | undefined,
  runtime: Runtime,
  oauthBase?: string,
): string {
  if (oauthBase) {
    const mcp = `${oauthBase}/mcp`;
    return [
      `klaviyo-mcp ${VERSION}: MCP over streamable HTTP at ${mcp}, with sign-in to Klaviyo (OAuth)${runtime.sandboxOAuthApp ? " against the SANDBOX emulator" : ""}.`,
      `Add ${mcp} as a custom connector (Claude, ChatGPT) or a remote MCP server: the client discovers the sign-in by itself.`,
      `Claude Code: claude mcp add --transport http klaviyo ${mcp}`,
      `Health check: ${oauthBase}/healthz. Stop with Ctrl+C.`,
    ].join("\n");
  }
  const shownUrl = url.replace("//0.0.0.0:", "//localhost:").replace("//[::]:", "//localhost:");
  const token =
    generatedToken ?? (config.tokens.length > 0 ? "<one of KLAVIYO_MCP_TOKENS>" : undefined);
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (!runtime.accounts.own) headers["X-Klaviyo-API-Key"] = "<your pk_ private key>";
  const account = runtime.accounts.own
    ? runtime.accounts.own.sandbox
      ? "the SANDBOX (an emulated account with demo data)"
      : "the Klaviyo account of KLAVIYO_API_KEY"
    : "the account of each request's X-Klaviyo-API-Key";
  const clientConfig = {
    mcpServers: {
      klaviyo: { type: "http", url: shownUrl, ...(token ? { headers } : {}) },
    },
  };
  const lines = [
    `klaviyo-mcp ${VERSION}: MCP over streamable HTTP at ${shownUrl}, acting on ${account}.`,
    generatedToken
      ? `Bearer token for this run (generated; set KLAVIYO_MCP_TOKENS to choose your own): ${generatedToken}`
      : config.noAuth
        ? "WARNING: --no-auth: any program on this machine can use this server without a token."
        : "Clients must send Authorization: Bearer <one of KLAVIYO_MCP_TOKENS>.",
    "",
    "Client configuration (mcp.json / Claude Desktop / Cursor):",
    JSON.stringify(clientConfig, null, 2),
    "",
    `Claude Code: claude mcp add --transport http klaviyo ${shownUrl}${Object.entries(headers)
      .map(([name, value]) => ` --header "${name}: ${value}"`)
      .join("")}`,
    `Health check: ${shownUrl.replace(/\/mcp$/, "/healthz")}. Stop with Ctrl+C.`,
  ];
  return lines.join("\n");
}
