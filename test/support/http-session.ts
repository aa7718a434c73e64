/**
 * The HTTP server as `klaviyo-mcp --http` runs it (config -> runtime -> secure transport), in
 * process on 127.0.0.1 with a sandbox account, its logs captured, and helpers to connect the
 * SDK's StreamableHTTPClientTransport or send raw requests.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { request } from "undici";
import type { EmulatorOptions } from "../../emulator/index.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { type Runtime, startRuntime } from "../../src/runtime.js";
import { type ServingHttp, serveHttp } from "../../src/serve-http.js";

export const TEST_TOKEN = "test-bearer-token-0123456789abcdef";

export interface HttpSession {
  url: string;
  runtime: Runtime;
  serving: ServingHttp;
  /** Every log line written so far. */
  logs: string[];
  /** An SDK client over streamable HTTP; `headers` default to the test token. */
  connect(headers?: Record<string, string>): Promise<Client>;
  /** A raw POST to /mcp with MCP's Accept and Content-Type, plus `headers`. */
  post(body: string | object, headers?: Record<string, string>): Promise<RawResponse>;
  close(): Promise<void>;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export async function startHttpSession(
  options: { argv?: string[]; env?: Record<string, string>; emulator?: EmulatorOptions } = {},
): Promise<HttpSession> {
  const { config } = loadConfig(
    ["--http", "--port", "0", "--log-level", "debug", ...(options.argv ?? [])],
    { KLAVIYO_MCP_TOKENS: TEST_TOKEN, ...options.env },
  );
  const logs: string[] = [];
  const logger = createLogger(config.logLevel, { write: (line: string) => logs.push(line) });
  const runtime = await startRuntime(config, logger, { emulator: options.emulator });
  const serving = await serveHttp(config, runtime, logger);
  const url = serving.handle.url;
  const clients: Client[] = [];
  return {
    url,
    runtime,
    serving,
    logs,
    async connect(headers = { Authorization: `Bearer ${TEST_TOKEN}` }) {
      const client = new Client({ name: "http-test", version: "1.0.0" });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }),
      );
      clients.push(client);
      return client;
    },
    async post(body, headers = {}) {
      const response = await request(url, {
        method: "POST",
        headers: {
          accept: "application/json, text/event-stream",
          "content-type": "application/json",
          ...headers,
        },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      return {
        status: response.statusCode,
        headers: response.headers,
        text: await response.body.text(),
      };
    },
    async close() {
      await Promise.all(clients.map((c) => c.close().catch(() => {})));
      await serving.handle.close();
      await runtime.close();
    },
  };
}

/** A JSON-RPC tools/call message. */
export function toolCall(name: string, args: Record<string, unknown> = {}, id = 1): object {
  return { jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } };
}
