/**
 * `klaviyo-mcp emulator`: the Klaviyo emulator on its own, as a local Klaviyo for this server,
 * other MCP servers, or anyone testing a Klaviyo integration.
 */
import { parseArgs } from "node:util";
import { startEmulator } from "./emulator.js";
import { parseFaultSpec } from "./faults.js";

export class EmulatorUsageError extends Error {}

export const EMULATOR_HELP = [
  "klaviyo-mcp emulator: a local, in-memory emulator of the Klaviyo API on 127.0.0.1.",
  "",
  "Usage: klaviyo-mcp emulator [options]",
  "",
  "  --port N           Port to listen on (default 0: a free one).",
  "  --seed N           Seed of the demo data and ids (default 1).",
  "  --empty            Start with an empty account instead of the demo store.",
  "  --api-key KEY      Accept this private key instead of a random pk_emulator_... one.",
  "  --no-rate-limits   Do not enforce Klaviyo's per-endpoint rate limits.",
  "  --time-scale X     Scale rate-limit windows (0.01 makes 60 s last 0.6 s); Retry-After and",
  "                     RateLimit-Reset stay in nominal seconds: scale them by X in the client.",
  "  --job-ms N         How long bulk jobs take from queued to complete (default 1500).",
  "  --faults SPEC      Inject faults, e.g. latency=20-80,errors=0.05,resets=0.01,malformed=0.01,seed=7",
  "                     after=0.5 makes half of the errors and resets strike after the request",
  "                     took effect (the change is applied, the answer lost).",
  "",
  "It prints the base URL and keys. Point any Klaviyo client at it:",
  "  KLAVIYO_BASE_URL=<url> KLAVIYO_API_KEY=<key> klaviyo-mcp",
].join("\n");

function number(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min) {
    throw new EmulatorUsageError(`--${name} must be a number >= ${min}, not '${value}'.`);
  }
  return parsed;
}

export async function runEmulatorCommand(argv: string[]): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      options: {
        port: { type: "string" },
        seed: { type: "string" },
        empty: { type: "boolean" },
        "api-key": { type: "string" },
        "no-rate-limits": { type: "boolean" },
        "time-scale": { type: "string" },
        "job-ms": { type: "string" },
        faults: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (error) {
    throw new EmulatorUsageError(`${(error as Error).message}. Run klaviyo-mcp emulator --help.`);
  }
  if (values.help) {
    process.stdout.write(`${EMULATOR_HELP}\n`);
    return;
  }
  let faults: ReturnType<typeof parseFaultSpec> | undefined;
  try {
    faults = typeof values.faults === "string" ? parseFaultSpec(values.faults) : undefined;
  } catch (error) {
    throw new EmulatorUsageError(`--faults: ${(error as Error).message}`);
  }
  const emulator = await startEmulator({
    port: number("port", values.port as string | undefined, 0),
    seed: number("seed", values.seed as string | undefined, 0),
    demoData: values.empty !== true,
    apiKey: values["api-key"] as string | undefined,
    rateLimits: values["no-rate-limits"] !== true,
    timeScale: number("time-scale", values["time-scale"] as string | undefined, 0.0001),
    jobDurationMs: number("job-ms", values["job-ms"] as string | undefined, 0),
    faults,
  });
  process.stdout.write(
    [
      `Klaviyo emulator listening on ${emulator.url}`,
      `KLAVIYO_BASE_URL=${emulator.url}`,
      `KLAVIYO_API_KEY=${emulator.apiKey}`,
      `KLAVIYO_PUBLIC_KEY=${emulator.publicKey}`,
      "",
    ].join("\n"),
  );
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
