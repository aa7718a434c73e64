/**
 * One validated config object, from CLI flags over environment variables. Nothing else in the
 * program reads process.env. The options themselves are declared in src/config/options.ts.
 */
import { parseArgs } from "node:util";
import { toolGroups } from "../tools/index.js";
import { loadToolCatalog, STABLE_CATALOG, type ToolCatalog } from "./config/catalog.js";
import { type ConfigOption, OPTIONS, OptionsSchema, type ParsedOptions } from "./config/options.js";
import { noToolCalled } from "./config/values.js";
import { selectTools } from "./engine/surface/registry.js";
import { BETA_HOW_TO, BETA_ONLY_TOOLSETS, isBetaToolName } from "./engine/surface/toolsets.js";
import { isLoopbackHost } from "./transports/http-security.js";
import { estimateTokenBits, MIN_TOKEN_BITS } from "./transports/token-strength.js";

export type { ToolCatalog } from "./config/catalog.js";
export { type ConfigOption, OPTIONS } from "./config/options.js";

/**
 * `toolsets` is settled after parsing: unset or `all` means every group (the beta ones too with
 * --beta), unset with KLAVIYO_TOOLS set means none.
 */
export type Config = Omit<ParsedOptions, "toolsets"> & { toolsets: string[] };

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
            { type: o.switch ? ("boolean" as const) : ("string" as const) },
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
    const fallback = option.default === undefined ? undefined : String(option.default);
    const value = fromFlag === true ? "true" : (fromFlag ?? fromEnv ?? fallback);
    raw[option.key] = value === "" && fallback === undefined ? undefined : value;
  }
  const result = OptionsSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const option = OPTIONS.find((o) => o.key === issue?.path[0]);
    throw new ConfigError(
      `Invalid ${option ? optionName(option) : "configuration"}: ${issue?.message}.`,
    );
  }
  const parsedConfig = result.data;
  const everyGroup = parsedConfig.beta ? [...toolGroups, ...BETA_ONLY_TOOLSETS] : [...toolGroups];
  const toolsets = parsedConfig.toolsets ?? (parsedConfig.tools.length > 0 ? [] : ["all"]);
  const config: Config = {
    ...parsedConfig,
    toolsets: toolsets.includes("all") ? everyGroup : toolsets,
    // Setting the Klaviyo app's credentials is what turns sign-in on.
    oauth:
      parsedConfig.oauth ||
      (parsedConfig.oauthClientId !== undefined && parsedConfig.oauthClientSecret !== undefined),
  };
  if (!config.beta) {
    refuseBetaNames(config);
    checkSomethingLeft(config, STABLE_CATALOG);
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

/**
 * The catalog the config asks for (with --beta, the beta tools too), once the names given for
 * beta tools are known to exist. Only the runtime calls it: the beta tools load only with --beta.
 */
export async function loadCatalog(config: Config): Promise<ToolCatalog> {
  const catalog = await loadToolCatalog(config.beta);
  if (config.beta) {
    const names = new Set(catalog.definitions.map((tool) => tool.name));
    for (const [option, list] of TOOL_LISTS) {
      const name = config[list].find((given) => !names.has(given));
      if (name !== undefined)
        throw new ConfigError(`Invalid ${option}: ${noToolCalled(name, names)}.`);
    }
  }
  checkSomethingLeft(config, catalog);
  return catalog;
}

const TOOL_LISTS = [
  ["KLAVIYO_TOOLS (--tools)", "tools"],
  ["KLAVIYO_EXCLUDE_TOOLS (--exclude-tools)", "excludeTools"],
] as const;

/** Beta toolsets and tools named without --beta: say how to turn them on. */
function refuseBetaNames(config: Config): void {
  const group = config.toolsets.find((name) => BETA_ONLY_TOOLSETS.includes(name));
  if (group) {
    throw new ConfigError(
      `Invalid KLAVIYO_TOOLSETS (--toolsets): ${group} is a toolset of beta tools: ${BETA_HOW_TO}.`,
    );
  }
  for (const [option, list] of TOOL_LISTS) {
    const name = config[list].find(isBetaToolName);
    if (name) throw new ConfigError(`Invalid ${option}: ${name} is a beta tool: ${BETA_HOW_TO}.`);
  }
}

function checkSomethingLeft(config: Config, catalog: ToolCatalog): void {
  if (selectTools(catalog.definitions, config).length === 0) {
    throw new ConfigError(
      "No tool is left to serve: KLAVIYO_TOOLSETS, KLAVIYO_TOOLS, KLAVIYO_EXCLUDE_TOOLS, KLAVIYO_READ_ONLY and KLAVIYO_SCOPES together exclude every tool.",
    );
  }
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
  if (config.oauth) checkOAuth(config, loopback);
  if (!loopback && config.tokens.length === 0 && !config.oauth) {
    throw new ConfigError(
      `Refusing to listen on ${config.host} without authentication: set KLAVIYO_MCP_TOKENS to one or more bearer tokens (comma-separated, 16+ characters each, e.g. from: openssl rand -base64 32).`,
    );
  }
  checkTokenStrength(config.tokens);
}

/** OAuth needs the Klaviyo app (but for the sandbox's), and beyond loopback a public https URL. */
function checkOAuth(config: Config, loopback: boolean): void {
  const app = config.oauthClientId !== undefined && config.oauthClientSecret !== undefined;
  if (!app && !config.sandbox) {
    throw new ConfigError(
      "--oauth needs your Klaviyo OAuth app: set KLAVIYO_OAUTH_CLIENT_ID and KLAVIYO_OAUTH_CLIENT_SECRET (or use --sandbox to try the sign-in against the emulator).",
    );
  }
  if (config.noAuth) {
    throw new ConfigError("--no-auth and OAuth contradict each other: drop one.");
  }
  if (!loopback && !config.publicUrl) {
    throw new ConfigError(
      `OAuth beyond loopback needs the public URL clients reach this server at: set KLAVIYO_MCP_PUBLIC_URL (e.g. https://mcp.example.com).`,
    );
  }
  if (!loopback && config.publicUrl?.startsWith("http:")) {
    throw new ConfigError(
      "KLAVIYO_MCP_PUBLIC_URL must be https:// beyond loopback: tokens travel in it.",
    );
  }
  if (config.redisUrl && !config.oauthEncryptionKey) {
    throw new ConfigError(
      "OAuth with Redis keeps Klaviyo refresh tokens there: set KLAVIYO_OAUTH_ENCRYPTION_KEY to 32 random bytes in base64 (openssl rand -base64 32), the same on every replica.",
    );
  }
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
