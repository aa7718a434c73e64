/**
 * What both transports share: the Klaviyo accounts (the configured key or, in sandbox mode, the
 * in-process emulator, plus keys clients bring over HTTP), the prepared tool surface, and a
 * factory for the MCP server of one connection (stdio) or one request (HTTP).
 */

import { createHash, randomBytes } from "node:crypto";
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { Emulator, startEmulator } from "../emulator/index.js";
import { type Account, Accounts } from "./accounts.js";
import { type Config, ConfigError, loadCatalog, type ToolCatalog } from "./config.js";
import type { KlaviyoSender } from "./engine/call/context.js";
import { loadSchemas } from "./engine/definition.js";
import { DEFAULT_BASE_URL, KlaviyoClient } from "./klaviyo/client.js";
import type { RedisSlots } from "./klaviyo/redis-slots.js";
import type { StoreHealth } from "./klaviyo/throttle-store.js";
import type { Logger } from "./logger.js";
import {
  createMcpServer,
  loadToolSurface,
  prepareToolSurface,
  type ToolSurface,
} from "./server.js";
import { USER_AGENT } from "./version.js";

export interface Runtime {
  accounts: Accounts;
  /** Every tool this server can offer (the beta ones too with --beta). */
  catalog: ToolCatalog;
  /** The in-process emulator that sandbox mode serves, when it runs. */
  emulator?: Emulator;
  surface: ToolSurface;
  /** What to tell the operator on stderr at start (sandbox mode), if anything. */
  notice?: string;
  /**
   * `shutdown`: aborts the calls still running when the server stops (HTTP). `scopes`: only the
   * tools they allow (an OAuth session's grant). `authorization`: the Authorization header of
   * each Klaviyo request (an OAuth grant's token) instead of the account's key.
   */
  serverFor(account: Account, transport: ServerTransport): Server;
  /** In sandbox mode with --oauth: the Klaviyo OAuth app the emulator knows, and its URLs. */
  sandboxOAuthApp?: SandboxOAuthApp;
  /** Degraded while a dependency (Redis) is unreachable, with the reason. */
  health(): StoreHealth;
  close(): Promise<void>;
}

export interface ServerTransport {
  allowFilePaths: boolean;
  shutdown?: AbortSignal;
  scopes?: readonly string[];
  authorization?: () => Promise<string>;
}

export interface SandboxOAuthApp {
  clientId: string;
  clientSecret: string;
  urls: { authorize: string; token: string; revoke: string };
}

export interface RuntimeOverrides {
  /**
   * Benchmarks and tests: false turns client-side throttling off (the emulator's limits lifted
   * too); timeScale matches an emulator whose windows are scaled.
   */
  throttle?: false | { timeScale: number };
  /** Options for the in-process emulator. */
  emulator?: Parameters<typeof startEmulator>[0];
}

export async function startRuntime(
  config: Config,
  logger: Logger,
  overrides: RuntimeOverrides = {},
): Promise<Runtime> {
  // First: a beta tool name that does not exist is a config error, before anything starts.
  const catalog = await loadCatalog(config);
  // Signed-in users bring their accounts: without a key of its own, the server has none, and a
  // request with a static token must bring a key (never the sandbox, unless asked for).
  const oauthOnly = config.http && config.oauth && !config.apiKey && !config.sandbox;
  const everyRequestBringsKey = config.http && (config.clientKeys === "required" || oauthOnly);
  const useSandbox = config.sandbox || (!config.apiKey && !everyRequestBringsKey);
  const slots = config.redisUrl ? await connectRedis(config, logger) : undefined;
  // With --oauth in the sandbox, the emulator plays Klaviyo's sign-in for an app made up here.
  const sandboxApp =
    useSandbox && config.http && config.oauth
      ? { clientId: "klaviyo-mcp-sandbox", clientSecret: randomBytes(24).toString("base64url") }
      : undefined;
  // Imported only in sandbox mode: a run with a key never compiles the emulator.
  const emulator = useSandbox
    ? await (await import("../emulator/index.js")).startEmulator({
        ...overrides.emulator,
        ...(sandboxApp
          ? { oauth: { clients: [{ id: sandboxApp.clientId, secret: sandboxApp.clientSecret }] } }
          : {}),
      })
    : undefined;
  const timeScale = overrides.throttle ? overrides.throttle.timeScale : 1;
  /** `apiKey` undefined: an OAuth account, whose requests each bring their grant's token. */
  const makeClient = (baseUrl: string, apiKey: string | undefined, oauthAccount?: string) =>
    new KlaviyoClient({
      baseUrl,
      apiKey,
      revision: config.revision,
      userAgent: USER_AGENT,
      timeoutMs: config.timeoutMs,
      logger,
      timeScale,
      // One allowance per account: the key's hash names its buckets (in Redis too).
      throttle:
        overrides.throttle === false
          ? false
          : {
              account: oauthAccount ? `oauth-${accountId(oauthAccount)}` : accountId(apiKey ?? ""),
              store: slots,
              timeScale,
            },
    });
  let own: Account | undefined;
  if (!everyRequestBringsKey) {
    own = emulator
      ? {
          client: makeClient(emulator.url, emulator.apiKey),
          publicKey: emulator.publicKey,
          sandbox: true,
        }
      : {
          client: makeClient(config.baseUrl, config.apiKey as string),
          publicKey: config.publicKey,
          sandbox: false,
        };
  }
  // An explicit --sandbox never reaches a real account, not even with a key a client brings.
  const broughtBaseUrl = config.sandbox && emulator ? emulator.url : config.baseUrl;
  const accounts = new Accounts({
    own,
    policy: oauthOnly ? "required" : config.http ? config.clientKeys : "off",
    broughtKeysSandbox: config.sandbox,
    makeClient: (apiKey) => makeClient(broughtBaseUrl, apiKey),
    makeOAuthClient: (klaviyoAccountId) => makeClient(broughtBaseUrl, undefined, klaviyoAccountId),
    maxClients: config.maxAccounts,
  });
  const surface = await loadToolSurface({
    ...config,
    definitions: catalog.definitions,
    prebuiltListing: catalog.prebuiltListing,
  });
  // Each OAuth grant's surface (a subset of this one) is listed when its session starts,
  // synchronously: load its schemas now.
  if (config.http && config.oauth) await loadSchemas(surface.tools);
  // One surface per set of granted scopes (OAuth sessions): computed once, then shared.
  const surfaces = new Map<string, ToolSurface>();
  const surfaceFor = (scopes: readonly string[] | undefined): ToolSurface => {
    if (!scopes) return surface;
    const key = [...scopes].sort().join(" ");
    let found = surfaces.get(key);
    if (!found) {
      found = prepareToolSurface({
        ...config,
        scopes: [...scopes],
        definitions: catalog.definitions,
        prebuiltListing: catalog.prebuiltListing,
      });
      surfaces.set(key, found);
    }
    return found;
  };
  return {
    accounts,
    catalog,
    emulator,
    surface,
    sandboxOAuthApp:
      sandboxApp && emulator?.oauthUrls ? { ...sandboxApp, urls: emulator.oauthUrls } : undefined,
    notice: emulator ? sandboxNotice(config, emulator) : undefined,
    serverFor: (account, transport) =>
      createMcpServer({
        client: transport.authorization
          ? withAuthorization(account.client, transport.authorization)
          : account.client,
        logger,
        publicKey: account.publicKey,
        sandbox: account.sandbox,
        toolsets: config.toolsets,
        readOnly: config.readOnly,
        allowFilePaths: transport.allowFilePaths,
        shutdown: transport.shutdown,
        uploadDirs: config.uploadDirs,
        toolMode: config.toolMode,
        results: {
          budgetTokens: config.resultBudgetTokens,
          structuredContent: config.structuredContent,
          markUntrusted: config.markUntrusted,
        },
        surface: surfaceFor(transport.scopes),
      }),
    health: () => slots?.health() ?? { status: "ok" },
    close: async () => {
      await accounts.close();
      await slots?.stop();
      await emulator?.close();
    },
  };
}

/** A client whose every request carries this Authorization (an OAuth grant's token). */
function withAuthorization(
  client: KlaviyoSender,
  authorization: () => Promise<string>,
): KlaviyoSender {
  return {
    request: (request, options) => client.request(request, { ...options, authorization }),
  };
}

/** Not the key: a hash of it, as it appears in Redis key names. */
function accountId(apiKey: string): string {
  return createHash("sha256").update(apiKey).digest("hex").slice(0, 16);
}

async function connectRedis(config: Config, logger: Logger): Promise<RedisSlots> {
  const url = config.redisUrl as string;
  const where = new URL(url).host;
  // Imported only with a Redis URL: ioredis is a large module a single process does not need.
  const { RedisSlots } = await import("./klaviyo/redis-slots.js");
  const slots = new RedisSlots({
    url,
    callTimeoutMs: config.timeoutMs + 5_000,
    onHealthChange: (health) => {
      if (health.status === "ok") logger.info({ redis: where }, "Redis is reachable again");
      else logger.warn({ redis: where, reason: health.reason }, "Redis is unreachable");
    },
  });
  try {
    await Promise.race([
      slots.ready(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error("no answer in 5 s")), 5_000).unref(),
      ),
    ]);
  } catch (error) {
    await slots.stop();
    throw new ConfigError(
      `Cannot reach Redis at ${where} (KLAVIYO_MCP_REDIS_URL): ${(error as Error).message}. Unset it to keep rate limits in this process.`,
    );
  }
  logger.info({ redis: where }, "rate limits shared through Redis");
  return slots;
}

function sandboxNotice(config: Config, emulator: Emulator): string {
  const why = config.sandbox ? "" : " (KLAVIYO_API_KEY is not set)";
  const brought = config.http && config.clientKeys !== "off";
  let baseUrl = "";
  if (config.baseUrl !== DEFAULT_BASE_URL && (config.sandbox || !brought)) {
    baseUrl = ` (KLAVIYO_BASE_URL ${config.baseUrl} is not used)`;
  }
  const scope =
    brought && !config.sandbox
      ? `Requests without X-Klaviyo-API-Key never reach a real account; requests that bring one act on that key's account at ${config.baseUrl}.`
      : "No real account is read or changed.";
  return `klaviyo-mcp: SANDBOX MODE${why}${baseUrl}: serving an emulated Klaviyo account with demo data at ${emulator.url}. ${scope} Set KLAVIYO_API_KEY (and drop --sandbox) to use your Klaviyo account.`;
}
