/**
 * The one logger. It writes to stderr only, because stdout carries the MCP protocol over stdio,
 * and it redacts secrets wherever they might appear.
 */
import pino, { type Logger } from "pino";

export type { Logger };

const REDACT_PATHS = [
  "apiKey",
  "*.apiKey",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "req.headers.authorization",
  "headers['x-klaviyo-api-key']",
  "*.headers['x-klaviyo-api-key']",
  "token",
  "*.token",
];

// Synchronous writes: log volume is low, and a fatal line must not be lost when the process exits.
export function createLogger(
  level: string,
  destination: pino.DestinationStream = pino.destination({ fd: 2, sync: true }),
): Logger {
  return pino(
    {
      name: "klaviyo-mcp",
      level,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      base: { pid: process.pid },
    },
    destination,
  );
}
