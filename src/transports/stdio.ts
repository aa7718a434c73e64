/** MCP over stdin/stdout: the default transport, used by desktop clients and IDEs. */
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { Logger } from "../logger.js";

export async function serveStdio(
  server: Server,
  logger: Logger,
  onClose: () => Promise<void>,
): Promise<void> {
  const transport = new StdioServerTransport();
  let closing = false;
  const shutdown = async (reason: string) => {
    if (closing) return;
    closing = true;
    logger.info({ reason }, "shutting down");
    await server.close().catch(() => {});
    await onClose();
    process.exit(0);
  };
  transport.onclose = () => void shutdown("transport closed");
  process.stdin.on("end", () => void shutdown("stdin ended"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  await server.connect(transport);
  logger.info("serving MCP over stdio");
}
