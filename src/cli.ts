#!/usr/bin/env node
/** Entry point: flags and environment -> config -> the MCP server over stdio. */
import { ConfigError, helpText, loadConfig } from "./config.js";
import { KlaviyoClient } from "./klaviyo/client.js";
import { createLogger } from "./logger.js";
import { createMcpServer } from "./server.js";
import { serveStdio } from "./transports/stdio.js";
import { USER_AGENT, VERSION } from "./version.js";

async function main(): Promise<void> {
  const { config, help, version } = loadConfig(process.argv.slice(2), process.env);
  if (help) {
    process.stdout.write(`${helpText()}\n`);
    return;
  }
  if (version) {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  if (!config.apiKey) {
    throw new ConfigError(
      "KLAVIYO_API_KEY is not set. Create a private API key in Klaviyo (Settings > API keys) and set KLAVIYO_API_KEY.",
    );
  }
  const logger = createLogger(config.logLevel);
  const client = new KlaviyoClient({
    baseUrl: config.baseUrl,
    apiKey: config.apiKey,
    revision: config.revision,
    userAgent: USER_AGENT,
    timeoutMs: config.timeoutMs,
    logger,
  });
  const server = createMcpServer({
    client,
    logger,
    publicKey: config.publicKey,
    toolsets: config.toolsets,
    readOnly: config.readOnly,
    allowFilePaths: true,
  });
  await serveStdio(server, logger, () => client.close());
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError ? error.message : `Fatal: ${(error as Error).stack ?? error}`;
  process.stderr.write(`klaviyo-mcp: ${message}\n`);
  process.exit(1);
});
