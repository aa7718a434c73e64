/**
 * Child process of bench/http-load.ts: the MCP HTTP server alone, so that its memory can be
 * measured apart from the load generator. Reads the emulator's URL and key and the bearer token
 * from the environment, prints one JSON line { url, pid } on stdout once listening, and drains
 * and exits on SIGTERM.
 */
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { startRuntime } from "../../src/runtime.js";
import { serveHttp } from "../../src/serve-http.js";

const { config } = loadConfig(["--http", "--port", "0", "--log-level", "warn"], {
  KLAVIYO_API_KEY: process.env.KLAVIYO_API_KEY,
  KLAVIYO_BASE_URL: process.env.KLAVIYO_BASE_URL,
  KLAVIYO_MCP_TOKENS: process.env.KLAVIYO_MCP_TOKENS,
});
const logger = createLogger(config.logLevel);
// Client-side throttling off: Klaviyo's per-endpoint limits would stretch the run to minutes.
const runtime = await startRuntime(config, logger, { throttle: false });
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
