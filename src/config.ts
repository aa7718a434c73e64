/**
 * One validated config object, from CLI flags over environment variables. Nothing else in the
 * program reads process.env.
 */
import { realpathSync, statSync } from "node:fs";
import { delimiter, isAbsolute } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { allTools, KLAVIYO_REVISION, toolGroups } from "../tools/index.js";
import { selectTools } from "./engine/surface/registry.js";
import { CORE_TOOLSET } from "./engine/surface/toolsets.js";
import { isLoopbackHost, parseSubnet } from "./transports/http-security.js";
import { estimateTokenBits, MIN_TOKEN_BITS } from "./transports/token-strength.js";

const booleanFlag = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ["1", "0", "true", "false", "yes", "no", "on", "off", ""].includes(v), {
    message: "must be true or false",
  })
  .transform((v) => ["1", "true", "yes", "on"].includes(v));

/** Comma-separated list: trimmed, empties dropped. */
const commaList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  );

const ConfigSchema = z.object({
  apiKey: z.string().trim().min(1).optional(),
  publicKey: z.string().trim().min(1).optional(),
  baseUrl: z
    .url({ protocol: /^https?$/, message: "must be an http(s) URL, e.g. https://a.klaviyo.com" })
    .transform((u) => u.replace(/\/+$/, "")),
  revision: z.string().regex(/^\d{4}-\d{2}-\d{2}(\.[a-z0-9]+)?$/i, "must look like 2026-07-15"),
  toolsets: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const names = value
        .split(",")
        .map((s) => s.trim().toLowerCase().replace(/[-\s]/g, "_"))
        .filter(Boolean);
      if (names.length === 0 || names.includes("all")) return [...toolGroups];
      const known: readonly string[] = [...toolGroups, CORE_TOOLSET];
      const unknown = names.filter((n) => !known.includes(n));
      if (unknown.length > 0) {
        ctx.addIssue({
          code: "custom",
          message: `unknown toolset ${unknown.join(", ")}; choose from all, core, ${toolGroups.join(", ")}`,
        });
      }
      return names;
    }),
  readOnly: booleanFlag,
  tools: commaList.transform(knownToolNames),
  excludeTools: commaList.transform(knownToolNames),
  scopes: commaList.pipe(
    z.array(
      z
        .string()
        .regex(/^[a-z][a-z-]*:(read|write)$/, "each scope looks like profiles:read or lists:write"),
    ),
  ),
  toolMode: z.enum(["tools", "catalog"]),
  resultBudgetTokens: z.coerce.number().int().min(1000).max(1_000_000),
  structuredContent: booleanFlag,
  markUntrusted: booleanFlag,
  sandbox: booleanFlag,
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
  timeoutMs: z.coerce.number().int().min(1000).max(600_000),
  redisUrl: z
    .url({ protocol: /^rediss?$/, message: "must be a redis:// or rediss:// URL" })
    .optional(),
  http: booleanFlag,
  host: z
    .string()
    .trim()
    .toLowerCase()
    .regex(
      /^(\[[0-9a-f:.]+\]|[0-9a-f:]+:[0-9a-f:.]*|[a-z0-9.-]+)$/,
      "must be a host name or IP address, e.g. 127.0.0.1 or 0.0.0.0 (no scheme, no port)",
    ),
  port: z.coerce.number().int().min(0).max(65535),
  tokens: commaList.pipe(
    z.array(
      z
        .string()
        .min(16, "each token must be at least 16 characters (use: openssl rand -base64 32)")
        .regex(/^[\x21-\x7e]+$/, "tokens may not contain spaces or control characters"),
    ),
  ),
  trustedProxies: commaList.pipe(
    z.array(
      z
        .string()
        .refine(
          (entry) => parseSubnet(entry) !== undefined,
          "each entry must be an IP address or a subnet, e.g. 10.0.0.0/8 or fd00::/8",
        ),
    ),
  ),
  authFailureLimit: z.coerce.number().int().min(1).max(100_000),
  maxConnections: z.coerce.number().int().min(4).max(1_000_000),
  headersTimeoutMs: z.coerce.number().int().min(100).max(300_000),
  bodyTimeoutMs: z.coerce.number().int().min(100).max(3_600_000),
  noAuth: booleanFlag,
  allowedOrigins: commaList.transform((origins, ctx) =>
    origins.map((origin) => {
      const parsed = URL.canParse(origin) ? new URL(origin) : undefined;
      if (
        !parsed ||
        !/^https?:$/.test(parsed.protocol) ||
        parsed.origin !== origin.replace(/\/$/, "")
      ) {
        ctx.addIssue({
          code: "custom",
          message: `'${origin}' is not an origin; write scheme://host[:port], e.g. https://app.example.com`,
        });
      }
      return parsed?.origin ?? origin;
    }),
  ),
  allowedHosts: commaList.pipe(
    z.array(
      z
        .string()
        .toLowerCase()
        .regex(
          /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d+)?$/,
          "each entry must be a host name, e.g. mcp.example.com",
        ),
    ),
  ),
  maxBodyBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024),
  clientKeys: z.enum(["off", "optional", "required"]),
  maxAccounts: z.coerce.number().int().min(1).max(100_000),
  shutdownTimeoutMs: z.coerce.number().int().min(0).max(600_000),
  uploadDirs: z.string().optional().transform(realDirectories),
});

/** `toolsets` is settled after parsing: unset means all groups, or none when KLAVIYO_TOOLS is set. */
export type Config = Omit<z.output<typeof ConfigSchema>, "toolsets"> & { toolsets: string[] };

/** Names in KLAVIYO_TOOLS / KLAVIYO_EXCLUDE_TOOLS must be tools, with a suggestion if not. */
function knownToolNames(names: string[], ctx: z.RefinementCtx): string[] {
  const all = new Set(allTools.map((t) => t.name));
  for (const name of names) {
    if (all.has(name)) continue;
    const near = [...all].filter((t) => t.includes(name) || name.includes(t)).slice(0, 3);
    ctx.addIssue({
      code: "custom",
      message: `no tool is called ${name}${near.length > 0 ? ` (did you mean ${near.join(", ")}?)` : ""}`,
    });
  }
  return names;
}

/** KLAVIYO_UPLOAD_DIRS: absolute, existing directories, kept as real paths (symlinks resolved). */
function realDirectories(value: string | undefined, ctx: z.RefinementCtx): string[] {
  const dirs = new Set<string>();
  for (const entry of (value ?? "").split(delimiter).map((d) => d.trim())) {
    if (!entry) continue;
    let problem: string | undefined;
    if (!isAbsolute(entry)) problem = "is not an absolute path";
    else {
      try {
        const real = realpathSync(entry);
        if (statSync(real).isDirectory()) dirs.add(real);
        else problem = "is not a directory";
      } catch {
        problem = "does not exist or cannot be read";
      }
    }
    if (problem) {
      ctx.addIssue({
        code: "custom",
        message: `'${entry}' ${problem} (list absolute directories separated by '${delimiter}')`,
      });
    }
  }
  return [...dirs];
}

export const DEFAULT_BASE_URL = "https://a.klaviyo.com";

/** Flag name, environment variable, default: the single table behind --help and parsing. */
export const OPTIONS: readonly ConfigOption[] = [
  {
    flag: "api-key",
    env: "KLAVIYO_API_KEY",
    key: "apiKey",
    help: "Klaviyo private API key (prefer the environment variable: flags show up in ps).",
  },
  {
    flag: "public-key",
    env: "KLAVIYO_PUBLIC_KEY",
    key: "publicKey",
    help: "Public API key (site id), used by the client_* tools when no company_id is given.",
  },
  {
    flag: "base-url",
    env: "KLAVIYO_BASE_URL",
    key: "baseUrl",
    default: DEFAULT_BASE_URL,
    help: "Klaviyo API base URL.",
  },
  {
    flag: "revision",
    env: "KLAVIYO_REVISION",
    key: "revision",
    default: KLAVIYO_REVISION,
    help: "API revision header sent with every request.",
  },
  {
    flag: "toolsets",
    env: "KLAVIYO_TOOLSETS",
    key: "toolsets",
    help: `Comma list of resource groups to expose: all (the default), core (about 25 everyday tools), ${toolGroups.join(", ")}.`,
  },
  {
    flag: "read-only",
    env: "KLAVIYO_READ_ONLY",
    key: "readOnly",
    default: "false",
    boolean: true,
    help: "Register only tools that read (no writes, sends or deletes).",
  },
  {
    flag: "tools",
    env: "KLAVIYO_TOOLS",
    key: "tools",
    help: "Comma list of single tools to expose on top of KLAVIYO_TOOLSETS (with KLAVIYO_TOOLSETS unset: only these).",
  },
  {
    flag: "exclude-tools",
    env: "KLAVIYO_EXCLUDE_TOOLS",
    key: "excludeTools",
    help: "Comma list of tools never to expose.",
  },
  {
    flag: "scopes",
    env: "KLAVIYO_SCOPES",
    key: "scopes",
    help: "Comma list of the API key's scopes (profiles:read, lists:write, ...): expose only tools those scopes allow.",
  },
  {
    flag: "tool-mode",
    env: "KLAVIYO_TOOL_MODE",
    key: "toolMode",
    default: "tools",
    help: "tools: one MCP tool per endpoint; catalog: three meta-tools (search_tools, describe_tool, call_tool) reach them all.",
  },
  {
    flag: "result-budget-tokens",
    env: "KLAVIYO_RESULT_BUDGET_TOKENS",
    key: "resultBudgetTokens",
    default: "20000",
    help: "Largest tool result, in tokens (about 4 characters each); larger ones are trimmed, saying what was cut.",
  },
  {
    flag: "structured-content",
    env: "KLAVIYO_STRUCTURED_CONTENT",
    key: "structuredContent",
    default: "false",
    boolean: true,
    help: "Also return results as structuredContent, with an outputSchema on each tool.",
  },
  {
    flag: "mark-untrusted",
    env: "KLAVIYO_MARK_UNTRUSTED",
    key: "markUntrusted",
    default: "true",
    boolean: true,
    help: "Mark customer-controlled text in results (profile and event properties, template HTML) as data, not instructions.",
  },
  {
    flag: "sandbox",
    env: "KLAVIYO_SANDBOX",
    key: "sandbox",
    default: "false",
    boolean: true,
    help: "Serve an in-process Klaviyo emulator with demo data, never a real account (also the mode when no API key is set).",
  },
  {
    flag: "log-level",
    env: "LOG_LEVEL",
    key: "logLevel",
    default: "info",
    help: "fatal, error, warn, info, debug, trace or silent. Logs go to stderr.",
  },
  {
    flag: "timeout-ms",
    env: "KLAVIYO_TIMEOUT_MS",
    key: "timeoutMs",
    default: "30000",
    help: "Timeout of one Klaviyo request, in milliseconds.",
  },
  {
    flag: "upload-dirs",
    env: "KLAVIYO_UPLOAD_DIRS",
    key: "uploadDirs",
    help: `Directories (separated by '${delimiter}') whose images upload_image_from_file may read as file_path, over stdio only. Unset: none, so images come as file_base64.`,
  },
  {
    flag: "redis-url",
    env: "KLAVIYO_MCP_REDIS_URL",
    key: "redisUrl",
    help: "Share rate-limit allowances through Redis (redis://host:6379), so that several server processes using one Klaviyo account stay within its limits together.",
  },
  {
    flag: "http",
    env: "KLAVIYO_MCP_HTTP",
    key: "http",
    default: "false",
    boolean: true,
    help: "Serve MCP over streamable HTTP at /mcp instead of stdio.",
  },
  {
    flag: "host",
    env: "KLAVIYO_MCP_HOST",
    key: "host",
    default: "127.0.0.1",
    http: true,
    help: "Interface to listen on. Anything but loopback needs KLAVIYO_MCP_TOKENS.",
  },
  {
    flag: "port",
    env: "KLAVIYO_MCP_PORT",
    key: "port",
    default: "3000",
    http: true,
    help: "Port to listen on (0: a free one, printed at start).",
  },
  {
    flag: "tokens",
    env: "KLAVIYO_MCP_TOKENS",
    key: "tokens",
    http: true,
    help: "Comma list of bearer tokens clients must send (16+ random characters each, e.g. from openssl rand -base64 32; easily guessed ones are refused; prefer the environment variable). Unset on loopback: one is generated and printed.",
  },
  {
    flag: "no-auth",
    key: "noAuth",
    default: "false",
    boolean: true,
    http: true,
    help: "Accept requests without a bearer token. Refused unless the host is loopback.",
  },
  {
    flag: "allowed-origins",
    env: "KLAVIYO_MCP_ALLOWED_ORIGINS",
    key: "allowedOrigins",
    http: true,
    help: "Comma list of browser origins allowed to call the server (CORS). Other origins get 403; requests without Origin are allowed.",
  },
  {
    flag: "allowed-hosts",
    env: "KLAVIYO_MCP_ALLOWED_HOSTS",
    key: "allowedHosts",
    http: true,
    help: "Comma list of host names accepted in the Host header (DNS-rebinding protection). On loopback: localhost, 127.0.0.1 and [::1] are always allowed.",
  },
  {
    flag: "max-body-bytes",
    env: "KLAVIYO_MCP_MAX_BODY_BYTES",
    key: "maxBodyBytes",
    default: String(8 * 1024 * 1024),
    http: true,
    help: "Largest request body accepted; larger ones get 413. The default fits a 5 MB image sent as base64.",
  },
  {
    flag: "max-connections",
    env: "KLAVIYO_MCP_MAX_CONNECTIONS",
    key: "maxConnections",
    default: "512",
    http: true,
    help: "Most connections open at once (keep it well under ulimit -n). At the cap, the idlest connection with no request in progress is closed to make room (unauthenticated ones first), else the new one is refused.",
  },
  {
    flag: "headers-timeout-ms",
    env: "KLAVIYO_MCP_HEADERS_TIMEOUT_MS",
    key: "headersTimeoutMs",
    default: "15000",
    http: true,
    help: "Time a client has to send a request's headers; a slower one gets 408 and its connection is closed.",
  },
  {
    flag: "body-timeout-ms",
    env: "KLAVIYO_MCP_BODY_TIMEOUT_MS",
    key: "bodyTimeoutMs",
    default: "60000",
    http: true,
    help: "Time an authenticated request has to send its body after its headers (refused requests are closed without reading theirs).",
  },
  {
    flag: "auth-failure-limit",
    env: "KLAVIYO_MCP_AUTH_FAILURE_LIMIT",
    key: "authFailureLimit",
    default: "20",
    http: true,
    help: "Failed bearer-token attempts allowed per client address per minute; past it, that address gets 429 with Retry-After until its minute is over.",
  },
  {
    flag: "trusted-proxies",
    env: "KLAVIYO_MCP_TRUSTED_PROXIES",
    key: "trustedProxies",
    http: true,
    help: "Comma list of the addresses or subnets (10.0.0.0/8) of proxies in front of the server: for requests through them, the client address (failed-login throttling, logs) is read from X-Forwarded-For.",
  },
  {
    flag: "client-keys",
    env: "KLAVIYO_MCP_CLIENT_KEYS",
    key: "clientKeys",
    default: "optional",
    http: true,
    help: "Whether clients may bring their own Klaviyo key in X-Klaviyo-API-Key: off, optional or required (a multi-account deployment needs no KLAVIYO_API_KEY).",
  },
  {
    flag: "max-accounts",
    env: "KLAVIYO_MCP_MAX_ACCOUNTS",
    key: "maxAccounts",
    default: "64",
    http: true,
    help: "How many accounts brought in X-Klaviyo-API-Key keep a client (connection pool, rate-limit state) at once. Only idle ones are let go to make room; when all are busy, a new account gets 503 and retries.",
  },
  {
    flag: "shutdown-timeout-ms",
    env: "KLAVIYO_MCP_SHUTDOWN_TIMEOUT_MS",
    key: "shutdownTimeoutMs",
    default: "20000",
    http: true,
    help: "On SIGTERM, how long in-flight calls may take to finish before connections are cut.",
  },
];

interface ConfigOption {
  flag: string;
  /** Unset for flags that must be typed on purpose (--no-auth). */
  env?: string;
  key: keyof Config;
  default?: string;
  boolean?: true;
  /** Only meaningful with --http; giving the flag without --http is an error. */
  http?: true;
  help: string;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

export interface ParsedCommandLine {
  config: Config;
  help: boolean;
  version: boolean;
}

export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): ParsedCommandLine {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
        ...Object.fromEntries(
          OPTIONS.map((o) => [
            o.flag,
            { type: o.boolean ? ("boolean" as const) : ("string" as const) },
          ]),
        ),
      },
    });
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}. Run klaviyo-mcp --help for the options.`);
  }
  const raw: Record<string, unknown> = {};
  for (const option of OPTIONS) {
    const fromFlag = parsed.values[option.flag];
    const fromEnv = option.env === undefined ? undefined : env[option.env];
    const value = fromFlag === true ? "true" : (fromFlag ?? fromEnv ?? option.default);
    raw[option.key] = value === "" && option.default === undefined ? undefined : value;
  }
  const result = ConfigSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const option = OPTIONS.find((o) => o.key === issue?.path[0]);
    throw new ConfigError(
      `Invalid ${option ? optionName(option) : "configuration"}: ${issue?.message}.`,
    );
  }
  const parsedConfig = result.data;
  const config: Config = {
    ...parsedConfig,
    toolsets: parsedConfig.toolsets ?? (parsedConfig.tools.length > 0 ? [] : [...toolGroups]),
  };
  if (selectTools(allTools, config).length === 0) {
    throw new ConfigError(
      "No tool is left to serve: KLAVIYO_TOOLSETS, KLAVIYO_TOOLS, KLAVIYO_EXCLUDE_TOOLS, KLAVIYO_READ_ONLY and KLAVIYO_SCOPES together exclude every tool.",
    );
  }
  if (!config.http) {
    const stray = OPTIONS.find((o) => o.http && parsed.values[o.flag] !== undefined);
    if (stray)
      throw new ConfigError(`--${stray.flag} is an HTTP option: add --http to serve over HTTP.`);
  } else {
    if (parsed.values["upload-dirs"] !== undefined) {
      throw new ConfigError(
        "--upload-dirs is for stdio: over HTTP, file_path is always refused and clients send file_base64.",
      );
    }
    checkHttpSecurity(config);
  }
  return {
    config,
    help: parsed.values.help === true,
    version: parsed.values.version === true,
  };
}

function optionName(option: ConfigOption): string {
  return option.env ? `${option.env} (--${option.flag})` : `--${option.flag}`;
}

/** Whoever reaches the HTTP endpoint acts on a Klaviyo account: refuse set-ups that expose it. */
function checkHttpSecurity(config: Config): void {
  const loopback = isLoopbackHost(config.host);
  if (config.noAuth && config.tokens.length > 0) {
    throw new ConfigError("--no-auth and KLAVIYO_MCP_TOKENS contradict each other: drop one.");
  }
  if (config.noAuth && !loopback) {
    throw new ConfigError(
      `--no-auth is only allowed on a loopback host (127.0.0.1, ::1, localhost), and --host ${config.host} is reachable from other machines. Set KLAVIYO_MCP_TOKENS instead.`,
    );
  }
  if (!loopback && config.tokens.length === 0) {
    throw new ConfigError(
      `Refusing to listen on ${config.host} without authentication: set KLAVIYO_MCP_TOKENS to one or more bearer tokens (comma-separated, 16+ characters each, e.g. from: openssl rand -base64 32).`,
    );
  }
  checkTokenStrength(config.tokens);
}

/** A token someone made up can be guessed: refuse it, saying which one but never echoing it. */
function checkTokenStrength(tokens: readonly string[]): void {
  tokens.forEach((token, index) => {
    const bits = Math.floor(estimateTokenBits(token));
    if (bits >= MIN_TOKEN_BITS) return;
    const which = tokens.length > 1 ? `token ${index + 1} of ${tokens.length}` : "the token";
    throw new ConfigError(
      `Invalid KLAVIYO_MCP_TOKENS (--tokens): ${which} is too easy to guess (about ${bits} bits of randomness estimated, at least ${MIN_TOKEN_BITS} needed; repeated characters, runs like 1234 and repeated blocks count for little). Use a random token of 20+ characters, e.g. from: openssl rand -base64 32.`,
    );
  });
}

export function helpText(): string {
  const lines = OPTIONS.map((o) => {
    const def = o.default === undefined ? "" : ` (default: ${o.default})`;
    return `  --${o.flag.padEnd(19)} ${(o.env ?? "(flag only)").padEnd(31)} ${o.help}${def}`;
  });
  return [
    "klaviyo-mcp: a Model Context Protocol server for the Klaviyo API, over stdio or streamable HTTP.",
    "",
    "Usage: klaviyo-mcp [options]                (stdio, for desktop clients and IDEs)",
    "       klaviyo-mcp --http [options]         (remote MCP at http://<host>:<port>/mcp)",
    "       klaviyo-mcp emulator [options]   (a local Klaviyo API emulator; see emulator --help)",
    "",
    "Options (flag, environment variable, meaning):",
    ...lines,
    `  ${"--help, -h".padEnd(53)} Show this help.`,
    `  ${"--version, -v".padEnd(53)} Show the version.`,
    "",
    "Example: KLAVIYO_API_KEY=pk_... npx klaviyo-mcp --toolsets profiles,lists --read-only",
    "Without KLAVIYO_API_KEY (or with --sandbox) it serves a sandbox: an emulated account with demo data.",
  ].join("\n");
}
