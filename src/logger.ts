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

export function createLogger(
  level: string,
  destination: pino.DestinationStream = pino.destination(2),
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
