/**
 * Child process of bench/rate-limits.ts: one replica of the MCP HTTP server with client-side
 * throttling ON, its windows scaled by BENCH_TIME_SCALE to match a time-scaled emulator. With
 * KLAVIYO_MCP_REDIS_URL set, the rate-limit slots are shared through Redis with every other
 * replica that uses the same KLAVIYO_API_KEY. Reads the emulator's URL and key and the bearer
 * token from the environment, prints one JSON line { url, pid } on stdout once listening, and
 * drains and exits on SIGTERM.
 */
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { startRuntime } from "../../src/runtime.js";
import { serveHttp } from "../../src/serve-http.js";

const timeScale = Number(process.env.BENCH_TIME_SCALE);
if (!(timeScale > 0)) throw new Error("BENCH_TIME_SCALE must be a positive number");

// "error": a replica without Redis logs a warning per 429, which would drown the figures.
const { config } = loadConfig(["--http", "--port", "0", "--log-level", "error"], {
  KLAVIYO_API_KEY: process.env.KLAVIYO_API_KEY,
  KLAVIYO_BASE_URL: process.env.KLAVIYO_BASE_URL,
  KLAVIYO_MCP_TOKENS: process.env.KLAVIYO_MCP_TOKENS,
  KLAVIYO_MCP_REDIS_URL: process.env.KLAVIYO_MCP_REDIS_URL,
});
const logger = createLogger(config.logLevel);
const runtime = await startRuntime(config, logger, { throttle: { timeScale } });
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
