/**
 * One validated config object, from CLI flags over environment variables. Nothing else in the
 * program reads process.env.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { KLAVIYO_REVISION, toolGroups } from "../tools/index.js";

const booleanFlag = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ["1", "0", "true", "false", "yes", "no", "on", "off", ""].includes(v), {
    message: "must be true or false",
  })
  .transform((v) => ["1", "true", "yes", "on"].includes(v));

const ConfigSchema = z.object({
  apiKey: z.string().trim().min(1).optional(),
  publicKey: z.string().trim().min(1).optional(),
  baseUrl: z
    .url({ protocol: /^https?$/, message: "must be an http(s) URL, e.g. https://a.klaviyo.com" })
    .transform((u) => u.replace(/\/+$/, "")),
  revision: z.string().regex(/^\d{4}-\d{2}-\d{2}(\.[a-z0-9]+)?$/i, "must look like 2026-07-15"),
  toolsets: z.string().transform((value, ctx) => {
    const names = value
      .split(",")
      .map((s) => s.trim().toLowerCase().replace(/[-\s]/g, "_"))
      .filter(Boolean);
    if (names.length === 0 || names.includes("all")) return [...toolGroups];
    const unknown = names.filter((n) => !(toolGroups as readonly string[]).includes(n));
    if (unknown.length > 0) {
      ctx.addIssue({
        code: "custom",
        message: `unknown toolset ${unknown.join(", ")}; choose from all, ${toolGroups.join(", ")}`,
      });
    }
    return names;
  }),
  readOnly: booleanFlag,
  sandbox: booleanFlag,
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
  timeoutMs: z.coerce.number().int().min(1000).max(600_000),
});

export type Config = z.output<typeof ConfigSchema>;

export const DEFAULT_BASE_URL = "https://a.klaviyo.com";

/** Flag name, environment variable, default: the single table behind --help and parsing. */
export const OPTIONS = [
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
    default: "all",
    help: `Comma list of resource groups to expose: all, ${toolGroups.join(", ")}.`,
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
] as const;

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
            { type: "boolean" in o ? ("boolean" as const) : ("string" as const) },
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
    const value =
      fromFlag === true
        ? "true"
        : (fromFlag ?? env[option.env] ?? ("default" in option ? option.default : undefined));
    raw[option.key] = value === "" && !("default" in option) ? undefined : value;
  }
  const result = ConfigSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const option = OPTIONS.find((o) => o.key === issue?.path[0]);
    throw new ConfigError(
      `Invalid ${option ? `${option.env} (--${option.flag})` : "configuration"}: ${issue?.message}.`,
    );
  }
  return {
    config: result.data,
    help: parsed.values.help === true,
    version: parsed.values.version === true,
  };
}

export function helpText(): string {
  const lines = OPTIONS.map((o) => {
    const def = "default" in o ? ` (default: ${o.default})` : "";
    return `  --${o.flag.padEnd(12)} ${o.env.padEnd(20)} ${o.help}${def}`;
  });
  return [
    "klaviyo-mcp: a Model Context Protocol server for the Klaviyo API, over stdio.",
    "",
    "Usage: klaviyo-mcp [options]",
    "       klaviyo-mcp emulator [options]   (a local Klaviyo API emulator; see emulator --help)",
    "",
    "Options (flag, environment variable, meaning):",
    ...lines,
    "  --help, -h                        Show this help.",
    "  --version, -v                     Show the version.",
    "",
    "Example: KLAVIYO_API_KEY=pk_... npx klaviyo-mcp --toolsets profiles,lists --read-only",
    "Without KLAVIYO_API_KEY (or with --sandbox) it serves a sandbox: an emulated account with demo data.",
  ].join("\n");
}
