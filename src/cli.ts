#!/usr/bin/env node
/**
 * Entry point: flags and environment -> config -> the MCP server over stdio or HTTP. What only
 * one mode uses (the emulator command, the HTTP stack) is imported when that mode runs, so a
 * stdio start does not compile it.
 */
import { ConfigError, helpText, loadConfig } from "./config.js";
import { createLogger } from "./logger.js";
import { startRuntime } from "./runtime.js";
import { serveStdio } from "./transports/stdio.js";
import { VERSION } from "./version.js";

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === "emulator") return emulatorCommand(argv.slice(1));
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
  const runtime = await startRuntime(config, logger);
  const notify = () => runtime.notice && process.stderr.write(`${runtime.notice}\n`);

  if (!config.http) {
    notify();
    const own = runtime.accounts.own;
    if (!own) throw new Error("stdio needs the server's own account");
    const server = runtime.serverFor(own, { allowFilePaths: true });
    await serveStdio(server, logger, runtime.close);
    return;
  }

  let serving: Awaited<ReturnType<typeof import("./serve-http.js").serveHttp>>;
  try {
    const { serveHttp } = await import("./serve-http.js");
    serving = await serveHttp(config, runtime, logger);
  } catch (error) {
    await runtime.close();
    throw error;
  }
  // stdout is free over HTTP: the connection details go there, logs stay on stderr.
  process.stdout.write(`${serving.banner}\n`);
  notify();
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      // A second Ctrl+C: the operator does not want to wait for the drain.
      if (signal === "SIGINT") process.exit(130);
      return;
    }
    stopping = true;
    logger.info({ signal }, "shutting down: draining in-flight requests");
    await serving.handle.close();
    await runtime.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

/** `klaviyo-mcp emulator ...`: its usage errors read like the server's own. */
async function emulatorCommand(args: string[]): Promise<void> {
  const { EmulatorUsageError, runEmulatorCommand } = await import("../emulator/index.js");
  try {
    await runEmulatorCommand(args);
  } catch (error) {
    throw error instanceof EmulatorUsageError ? new ConfigError(error.message) : error;
  }
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError ? error.message : `Fatal: ${(error as Error).stack ?? error}`;
  process.stderr.write(`klaviyo-mcp: ${message}\n`);
  process.exit(1);
});
