/** Small pieces of the HTTP transport: reading bodies and writing JSON and refusals. */
import type { IncomingMessage, ServerResponse } from "node:http";

export function isJsonContentType(value: string | undefined): boolean {
  return /^application\/json\s*(;|$)/i.test(value ?? "");
}

/** The body as text, or undefined once it passes `max` bytes (reading stops there). */
export async function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A request (or batch) whose `_meta.progressToken` asks for progress notifications. */
export function asksForProgress(body: unknown): boolean {
  const messages = Array.isArray(body) ? body : [body];
  return messages.some(
    (m) =>
      (m as { params?: { _meta?: { progressToken?: unknown } } })?.params?._meta?.progressToken !==
      undefined,
  );
}

export function tooLarge(max: number): string {
  return `Payload too large: request bodies are limited to ${max} bytes (KLAVIYO_MCP_MAX_BODY_BYTES).`;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/**
 * A refusal before the body is read: the connection is closed after the answer, so a client
 * that trickles a body (or never sends it) cannot keep it open.
 */
export function refuse(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendError(res, status, message, { ...headers, Connection: "close" });
}

/** Errors in JSON-RPC shape, as the SDK's own transport answers, so clients parse one format. */
export function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
  code = -32000,
): void {
  sendJson(res, status, { jsonrpc: "2.0", error: { code, message }, id: null }, headers);
}
