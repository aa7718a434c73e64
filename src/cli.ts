#!/usr/bin/env node
/** Entry point: flags and environment -> config -> the MCP server over stdio. */
import { ConfigError, DEFAULT_BASE_URL, helpText, loadConfig } from "./config.js";
import { KlaviyoClient } from "./klaviyo/client.js";
import { createLogger } from "./logger.js";
import { EmulatorUsageError, runEmulatorCommand } from "./sandbox/command.js";
import { startEmulator } from "./sandbox/emulator.js";
import { createMcpServer } from "./server.js";
import { serveStdio } from "./transports/stdio.js";
import { USER_AGENT, VERSION } from "./version.js";

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === "emulator") return runEmulatorCommand(argv.slice(1));
  const { config, help, version } = loadConfig(argv, process.env);
  if (help) {
    process.stdout.write(`${helpText()}\n`);
    return;
  }
  if (version) {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  const logger = createLogger(config.logLevel);
  // Sandbox: the same tools against an in-process emulator, reached over HTTP like Klaviyo.
  const sandbox = config.sandbox || !config.apiKey ? await startEmulator() : undefined;
  if (sandbox) {
    process.stderr.write(
      `klaviyo-mcp: SANDBOX MODE${config.sandbox ? "" : " (KLAVIYO_API_KEY is not set)"}${config.baseUrl !== DEFAULT_BASE_URL ? ` (KLAVIYO_BASE_URL ${config.baseUrl} is not used)` : ""}: serving an emulated Klaviyo account with demo data at ${sandbox.url}. No real account is read or changed. Set KLAVIYO_API_KEY (and drop --sandbox) to use your Klaviyo account.\n`,
    );
  }
  const client = new KlaviyoClient({
    baseUrl: sandbox?.url ?? config.baseUrl,
    apiKey: sandbox?.apiKey ?? (config.apiKey as string),
    revision: config.revision,
    userAgent: USER_AGENT,
    timeoutMs: config.timeoutMs,
    logger,
  });
  const server = createMcpServer({
    client,
    logger,
    publicKey: sandbox?.publicKey ?? config.publicKey,
    sandbox: sandbox !== undefined,
    toolsets: config.toolsets,
    readOnly: config.readOnly,
    allowFilePaths: true,
  });
  await serveStdio(server, logger, async () => {
    await client.close();
    await sandbox?.close();
  });
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError || error instanceof EmulatorUsageError
      ? error.message
      : `Fatal: ${(error as Error).stack ?? error}`;
  process.stderr.write(`klaviyo-mcp: ${message}\n`);
  process.exit(1);
});
