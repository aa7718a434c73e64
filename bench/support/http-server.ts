/**
 * Child process of the HTTP benchmarks: one MCP HTTP server replica alone, so its memory and
 * CPU can be measured apart from the load generator. Reads the emulator's URL and key and the
 * bearer token from the environment.
 * - Without BENCH_TIME_SCALE (bench/http-load.ts), client-side throttling is off: Klaviyo's
 *   per-endpoint limits would stretch the run to minutes, and the emulator's are lifted too.
 * - With BENCH_TIME_SCALE (bench/rate-limits.ts), throttling is on, its windows scaled to match
 *   a time-scaled emulator; with KLAVIYO_MCP_REDIS_URL the slots are shared with every replica
 *   that uses the same KLAVIYO_API_KEY.
 * Prints one JSON line { url, pid } once listening; drains and exits on SIGTERM.
 */
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { startRuntime } from "../../src/runtime.js";
import { serveHttp } from "../../src/serve-http.js";

const scale = process.env.BENCH_TIME_SCALE;
const timeScale = scale === undefined ? undefined : Number(scale);
if (timeScale !== undefined && !(timeScale > 0)) {
  throw new Error("BENCH_TIME_SCALE must be a positive number");
}

// "error": a replica without Redis logs a warning per 429, which would drown the figures.
const { config } = loadConfig(["--http", "--port", "0", "--log-level", "error"], {
  KLAVIYO_API_KEY: process.env.KLAVIYO_API_KEY,
  KLAVIYO_BASE_URL: process.env.KLAVIYO_BASE_URL,
  KLAVIYO_MCP_TOKENS: process.env.KLAVIYO_MCP_TOKENS,
  KLAVIYO_MCP_REDIS_URL: process.env.KLAVIYO_MCP_REDIS_URL,
});
const logger = createLogger(config.logLevel);
const runtime = await startRuntime(config, logger, {
  throttle: timeScale === undefined ? false : { timeScale },
});
const serving = await serveHttp(config, runtime, logger);

let stopping = false;
process.on("SIGTERM", () => {
  if (stopping) return;
  stopping = true;
  (async () => {
    await serving.handle.close();
    await runtime.close();
  })().then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error({ err: error }, "shutdown failed");
      process.exit(1);
    },
  );
});

process.stdout.write(`${JSON.stringify({ url: serving.handle.url, pid: process.pid })}\n`);
