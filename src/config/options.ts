/**
 * Every option of the server, declared once: its flag, environment variable, default, whether it
 * belongs to --http, its --help line, its README row and its parser. Parsing, --help, the Config
 * type (src/config.ts) and the README's configuration tables (npm run docs) are derived from here.
 */
import { delimiter } from "node:path";
import { z } from "zod";
import { allTools, KLAVIYO_REVISION, toolGroups } from "../../tools/index.js";
import { DEFAULT_MAX_ACCOUNTS } from "../accounts.js";
import { DEFAULT_RESULT_OPTIONS } from "../engine/call/result-options.js";
import { selectTools } from "../engine/surface/registry.js";
import { BETA_ONLY_TOOLSETS, CORE_TOOLSET } from "../engine/surface/toolsets.js";
import { DEFAULT_BASE_URL, DEFAULT_TIMEOUT_MS } from "../klaviyo/client.js";
import { parseSubnet } from "../transports/http-security.js";
import { type OptionDeclaration, option, switchOption } from "./declaration.js";
import { OAUTH_OPTIONS } from "./oauth-options.js";
import {
  commaList,
  commaListOf,
  integer,
  realDirectories,
  toolNames,
  toolsetNames,
} from "./values.js";

const coreToolCount = selectTools(allTools, { toolsets: [CORE_TOOLSET], readOnly: false }).length;

export type { OptionDeclaration } from "./declaration.js";

/** In declaration order: the order of --help and of the README table. */
export const OPTION_DECLARATIONS = {
  apiKey: option({
    flag: "api-key",
    env: "KLAVIYO_API_KEY",
    help: "Klaviyo private API key (prefer the environment variable: flags show up in ps).",
    readme: {
      default: "(none: sandbox)",
      meaning:
        "Private API key. Prefer the variable: flags show in `ps`. Without it the server runs in the sandbox.",
    },
    parse: z.string().trim().min(1).optional(),
  }),
  publicKey: option({
    flag: "public-key",
    env: "KLAVIYO_PUBLIC_KEY",
    help: "Public API key (site id), used by the client_* tools when no company_id is given.",
    readme: {
      meaning:
        "Public key (site id) for the six `/client/` tools; they never send the private key. A call may pass `company_id` instead.",
    },
    parse: z.string().trim().min(1).optional(),
  }),
  baseUrl: option({
    flag: "base-url",
    env: "KLAVIYO_BASE_URL",
    default: DEFAULT_BASE_URL,
    help: "Klaviyo API base URL.",
    readme: { meaning: "API base URL (tests point it at 127.0.0.1)." },
    parse: z
      .url({ protocol: /^https?$/, message: "must be an http(s) URL, e.g. https://a.klaviyo.com" })
      .transform((u) => u.replace(/\/+$/, "")),
  }),
  revision: option({
    flag: "revision",
    env: "KLAVIYO_REVISION",
    default: KLAVIYO_REVISION,
    help: "API revision header sent with every request (--beta tools send their own).",
    readme: { meaning: "The `revision` header (beta tools send their own)." },
    parse: z.string().regex(/^\d{4}-\d{2}-\d{2}(\.[a-z0-9]+)?$/i, "must look like 2026-07-15"),
  }),
  toolsets: option({
    flag: "toolsets",
    env: "KLAVIYO_TOOLSETS",
    help: `Comma list of resource groups to expose: all (the default), core (${coreToolCount} everyday tools), ${toolGroups.join(", ")}; with --beta also ${BETA_ONLY_TOOLSETS.join(", ")}.`,
    readme: {
      default: "`all`",
      meaning: `Comma list of resource groups (${toolGroups.join(", ")}), \`core\` (${coreToolCount} everyday tools) or \`all\`.`,
    },
    parse: toolsetNames,
  }),
  readOnly: switchOption({
    flag: "read-only",
    env: "KLAVIYO_READ_ONLY",
    default: false,
    help: "Register only tools that read (no writes, sends or deletes).",
    readme: { meaning: "Register only tools that read. Report queries (POST) count as reads." },
  }),
  tools: option({
    flag: "tools",
    env: "KLAVIYO_TOOLS",
    help: "Comma list of single tools to expose on top of KLAVIYO_TOOLSETS (with KLAVIYO_TOOLSETS unset: only these).",
    readme: { meaning: "Single tools to expose on top of the toolsets (alone: only these)." },
    parse: toolNames,
  }),
  excludeTools: option({
    flag: "exclude-tools",
    env: "KLAVIYO_EXCLUDE_TOOLS",
    help: "Comma list of tools never to expose.",
    readme: { meaning: "Tools never to expose." },
    parse: toolNames,
  }),
  scopes: option({
    flag: "scopes",
    env: "KLAVIYO_SCOPES",
    help: "Comma list of the API key's scopes (profiles:read, lists:write, ...): expose only tools those scopes allow.",
    readme: {
      meaning:
        "The API key's scopes (`profiles:read,lists:write`): expose only the tools they allow (write grants read).",
    },
    parse: commaListOf(
      z
        .string()
        .regex(/^[a-z][a-z-]*:(read|write)$/, "each scope looks like profiles:read or lists:write"),
    ),
  }),
  beta: switchOption({
    flag: "beta",
    env: "KLAVIYO_BETA",
    default: false,
    help: `Also serve Klaviyo's beta operations, as tools named *_beta sent with the beta revision header (--revision applies to the others): more tools in campaigns, accounts and templates, and the toolsets ${BETA_ONLY_TOOLSETS.join(", ")}. Beta APIs may change; not for production.`,
    readme: {
      meaning: `Also serve Klaviyo's beta operations (tools named \`*_beta\`, sent with the beta revision), including the toolsets ${BETA_ONLY_TOOLSETS.map((t) => `\`${t}\``).join(", ")}.`,
    },
  }),
  toolMode: option({
    flag: "tool-mode",
    env: "KLAVIYO_TOOL_MODE",
    default: "tools",
    help: "tools: one MCP tool per endpoint; catalog: three meta-tools (search_tools, describe_tool, call_tool) reach them all.",
    readme: {
      meaning:
        "`catalog`: three meta-tools (search_tools, describe_tool, call_tool) reach every tool.",
    },
    parse: z.enum(["tools", "catalog"]),
  }),
  resultBudgetTokens: option({
    flag: "result-budget-tokens",
    env: "KLAVIYO_RESULT_BUDGET_TOKENS",
    default: DEFAULT_RESULT_OPTIONS.budgetTokens,
    help: "Largest tool result, in tokens (about 4 characters each); larger ones are trimmed, saying what was cut.",
    readme: { meaning: "Largest tool result; larger ones are trimmed, saying what was cut." },
    parse: integer(1000, 1_000_000),
  }),
  structuredContent: switchOption({
    flag: "structured-content",
    env: "KLAVIYO_STRUCTURED_CONTENT",
    default: DEFAULT_RESULT_OPTIONS.structuredContent,
    help: "Also return results as structuredContent, with an outputSchema on each tool.",
    readme: { meaning: "Also return `structuredContent`, with an `outputSchema` per tool." },
  }),
  markUntrusted: switchOption({
    flag: "mark-untrusted",
    env: "KLAVIYO_MARK_UNTRUSTED",
    default: DEFAULT_RESULT_OPTIONS.markUntrusted,
    help: "Mark customer-controlled text in results (profile and event properties, template HTML) as data, not instructions.",
    readme: { meaning: "Mark customer-controlled text in results as data, not instructions." },
  }),
  sandbox: switchOption({
    flag: "sandbox",
    env: "KLAVIYO_SANDBOX",
    default: false,
    help: "Serve an in-process Klaviyo emulator with demo data, never a real account (also the mode when no API key is set).",
    readme: { meaning: "Serve the built-in emulator with demo data, never a real account." },
  }),
  logLevel: option({
    flag: "log-level",
    env: "LOG_LEVEL",
    default: "info",
    help: "fatal, error, warn, info, debug, trace or silent. Logs go to stderr.",
    readme: {
      meaning:
        "Logs are JSON lines on stderr (stdout carries the protocol); keys are redacted. One of fatal, error, warn, info, debug, trace, silent.",
    },
    parse: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
  }),
  timeoutMs: option({
    flag: "timeout-ms",
    env: "KLAVIYO_TIMEOUT_MS",
    default: DEFAULT_TIMEOUT_MS,
    help: "Timeout of one Klaviyo request, in milliseconds.",
    readme: { meaning: "Timeout of one Klaviyo request." },
    parse: integer(1000, 600_000),
  }),
  uploadDirs: option({
    flag: "upload-dirs",
    env: "KLAVIYO_UPLOAD_DIRS",
    help: `Directories (separated by '${delimiter}') whose images upload_image_from_file may read as file_path, over stdio only. Unset: none, so images come as file_base64.`,
    readme: {
      default: "(none: base64 only)",
      meaning:
        "Directories, separated by `:` (`;` on Windows), whose images `upload_image_from_file` may read as `file_path`; stdio only. Each must exist.",
    },
    parse: realDirectories,
  }),
  redisUrl: option({
    flag: "redis-url",
    env: "KLAVIYO_MCP_REDIS_URL",
    help: "Share rate-limit allowances through Redis (redis://host:6379), so that several server processes using one Klaviyo account stay within its limits together.",
    readme: {
      default: "(in process)",
      meaning:
        "Share rate-limit allowances through Redis across server processes; while Redis is away, calls fail at once, unsent.",
    },
    parse: z
      .url({ protocol: /^rediss?$/, message: "must be a redis:// or rediss:// URL" })
      .optional(),
  }),
  http: switchOption({
    flag: "http",
    env: "KLAVIYO_MCP_HTTP",
    default: false,
    help: "Serve MCP over streamable HTTP at /mcp instead of stdio.",
    readme: { meaning: "Serve MCP over streamable HTTP at `/mcp` instead of stdio." },
  }),
  host: option({
    flag: "host",
    env: "KLAVIYO_MCP_HOST",
    default: "127.0.0.1",
    http: true,
    help: "Interface to listen on. Anything but loopback needs KLAVIYO_MCP_TOKENS.",
    readme: { meaning: "Interface to listen on. Anything but loopback needs tokens." },
    parse: z
      .string()
      .trim()
      .toLowerCase()
      .regex(
        /^(\[[0-9a-f:.]+\]|[0-9a-f:]+:[0-9a-f:.]*|[a-z0-9.-]+)$/,
        "must be a host name or IP address, e.g. 127.0.0.1 or 0.0.0.0 (no scheme, no port)",
      ),
  }),
  port: option({
    flag: "port",
    env: "KLAVIYO_MCP_PORT",
    default: 3000,
    http: true,
    help: "Port to listen on (0: a free one, printed at start).",
    readme: { meaning: "Port (0: a free one, printed at start)." },
    parse: integer(0, 65535),
  }),
  tokens: option({
    flag: "tokens",
    env: "KLAVIYO_MCP_TOKENS",
    http: true,
    help: "Comma list of bearer tokens clients must send (16+ random characters each, e.g. from openssl rand -base64 32; easily guessed ones are refused; prefer the environment variable). Unset on loopback: one is generated and printed.",
    readme: {
      default: "(generated on loopback)",
      meaning:
        "Comma list of accepted bearer tokens, 16+ random characters each (easily guessed ones are refused).",
    },
    parse: commaListOf(
      z
        .string()
        .min(16, "each token must be at least 16 characters (use: openssl rand -base64 32)")
        .regex(/^[\x21-\x7e]+$/, "tokens may not contain spaces or control characters"),
    ),
  }),
  noAuth: switchOption({
    flag: "no-auth",
    default: false,
    http: true,
    help: "Accept requests without a bearer token. Refused unless the host is loopback.",
    readme: { meaning: "No bearer token needed; loopback only." },
  }),
  allowedOrigins: option({
    flag: "allowed-origins",
    env: "KLAVIYO_MCP_ALLOWED_ORIGINS",
    http: true,
    help: "Comma list of browser origins allowed to call the server (CORS). Other origins get 403; requests without Origin are allowed.",
    readme: {
      default: "(own origin)",
      meaning: "Browser origins allowed to call (CORS); others get 403.",
    },
    parse: commaList.transform((origins, ctx) =>
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
  }),
  allowedHosts: option({
    flag: "allowed-hosts",
    env: "KLAVIYO_MCP_ALLOWED_HOSTS",
    http: true,
    help: "Comma list of host names accepted in the Host header (DNS-rebinding protection). On loopback: localhost, 127.0.0.1 and [::1] are always allowed.",
    readme: { default: "(loopback names)", meaning: "Host names accepted in the Host header." },
    parse: commaListOf(
      z
        .string()
        .toLowerCase()
        .regex(
          /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d+)?$/,
          "each entry must be a host name, e.g. mcp.example.com",
        ),
    ),
  }),
  maxBodyBytes: option({
    flag: "max-body-bytes",
    env: "KLAVIYO_MCP_MAX_BODY_BYTES",
    default: 8 * 1024 * 1024,
    http: true,
    help: "Largest request body accepted; larger ones get 413. The default fits a 5 MB image sent as base64.",
    readme: { meaning: "Largest request body; larger ones get 413." },
    parse: integer(1024, 64 * 1024 * 1024),
  }),
  maxConnections: option({
    flag: "max-connections",
    env: "KLAVIYO_MCP_MAX_CONNECTIONS",
    default: 512,
    http: true,
    help: "Most connections open at once (keep it well under ulimit -n). At the cap, the idlest connection with no request in progress is closed to make room (unauthenticated ones first), else the new one is refused.",
    readme: {
      meaning: "Connections open at once; at the cap the idlest idle one makes room.",
    },
    parse: integer(4, 1_000_000),
  }),
  headersTimeoutMs: option({
    flag: "headers-timeout-ms",
    env: "KLAVIYO_MCP_HEADERS_TIMEOUT_MS",
    default: 15_000,
    http: true,
    help: "Time a client has to send a request's headers; a slower one gets 408 and its connection is closed.",
    readme: { meaning: "Time to send a request's headers (408 and closed past it)." },
    parse: integer(100, 300_000),
  }),
  bodyTimeoutMs: option({
    flag: "body-timeout-ms",
    env: "KLAVIYO_MCP_BODY_TIMEOUT_MS",
    default: 60_000,
    http: true,
    help: "Time an authenticated request has to send its body after its headers (refused requests are closed without reading theirs).",
    readme: { meaning: "Time an authenticated request has for its body after its headers." },
    parse: integer(100, 3_600_000),
  }),
  authFailureLimit: option({
    flag: "auth-failure-limit",
    env: "KLAVIYO_MCP_AUTH_FAILURE_LIMIT",
    default: 20,
    http: true,
    help: "Failed bearer-token attempts allowed per client address per minute; past it, that address gets 429 with Retry-After until its minute is over.",
    readme: { meaning: "Refused tokens per client address per minute before 429." },
    parse: integer(1, 100_000),
  }),
  trustedProxies: option({
    flag: "trusted-proxies",
    env: "KLAVIYO_MCP_TRUSTED_PROXIES",
    http: true,
    help: "Comma list of the addresses or subnets (10.0.0.0/8) of proxies in front of the server: for requests through them, the client address (failed-login throttling, logs) is read from X-Forwarded-For.",
    readme: {
      default: "(none)",
      meaning: "Proxies (addresses or subnets) whose `X-Forwarded-For` names the client.",
    },
    parse: commaListOf(
      z
        .string()
        .refine(
          (entry) => parseSubnet(entry) !== undefined,
          "each entry must be an IP address or a subnet, e.g. 10.0.0.0/8 or fd00::/8",
        ),
    ),
  }),
  clientKeys: option({
    flag: "client-keys",
    env: "KLAVIYO_MCP_CLIENT_KEYS",
    default: "optional",
    http: true,
    help: "Whether clients may bring their own Klaviyo key in X-Klaviyo-API-Key: off, optional or required (a multi-account deployment needs no KLAVIYO_API_KEY).",
    readme: {
      meaning: "`off`, `optional` or `required`: clients' own keys in `X-Klaviyo-API-Key`.",
    },
    parse: z.enum(["off", "optional", "required"]),
  }),
  maxAccounts: option({
    flag: "max-accounts",
    env: "KLAVIYO_MCP_MAX_ACCOUNTS",
    default: DEFAULT_MAX_ACCOUNTS,
    http: true,
    help: "How many accounts brought in X-Klaviyo-API-Key keep a client (connection pool, rate-limit state) at once. Only idle ones are let go to make room; when all are busy, a new account gets 503 and retries.",
    readme: {
      meaning:
        "Brought accounts kept at once; only idle ones are let go, and a newcomer gets 503 when all are in use.",
    },
    parse: integer(1, 100_000),
  }),
  ...OAUTH_OPTIONS,
  shutdownTimeoutMs: option({
    flag: "shutdown-timeout-ms",
    env: "KLAVIYO_MCP_SHUTDOWN_TIMEOUT_MS",
    default: 20_000,
    http: true,
    help: "On SIGTERM, how long in-flight calls may take to finish before connections are cut.",
    readme: { meaning: "How long in-flight calls may run on after SIGTERM." },
    parse: integer(0, 600_000),
  }),
};

type Declarations = typeof OPTION_DECLARATIONS;

/** The config key of each option (`apiKey`, `readOnly`, ...). */
export type OptionKey = keyof Declarations;

/** The parsed value of each option (optional where unset), before config.ts settles `toolsets`. */
export type ParsedOptions = z.output<typeof OptionsSchema>;

/** One option with its config key: what --help, parsing and the docs iterate over. */
export type ConfigOption = OptionDeclaration & { key: OptionKey };

export const OPTIONS: readonly ConfigOption[] = Object.entries(OPTION_DECLARATIONS).map(
  ([key, declaration]) => ({ key: key as OptionKey, ...declaration }),
);

/** One zod object over every option, keyed like Config. */
export const OptionsSchema = z.object(
  Object.fromEntries(OPTIONS.map((o) => [o.key, o.parse])) as {
    [Key in OptionKey]: Declarations[Key]["parse"];
  },
);
