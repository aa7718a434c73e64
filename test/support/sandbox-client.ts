/**
 * The one session builder for tests against the sandbox: an MCP client connected (in memory) to
 * our server, which talks HTTP to an emulator started for it. Over HTTP: http-session.ts.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { type Emulator, type EmulatorOptions, startEmulator } from "../../emulator/index.js";
import { loadToolCatalog } from "../../src/config/catalog.js";
import { loadSchemas } from "../../src/engine/definition.js";
import {
  KlaviyoClient,
  type KlaviyoClientOptions,
  type KlaviyoRequest,
} from "../../src/klaviyo/client.js";
import { createLogger } from "../../src/logger.js";
import { createMcpServer, type ServerOptions } from "../../src/server.js";
import { KLAVIYO_REVISION } from "../../tools/index.js";

export interface SandboxSession {
  emulator: Emulator;
  client: Client;
  /** Our MCP server, e.g. to replace a request handler. */
  server: Server;
  /** Every request the engine handed to the Klaviyo client, in order (retries not repeated). */
  sent: KlaviyoRequest[];
  close(): Promise<void>;
}

/** KlaviyoClient options a session may override, e.g. `throttle: false` or `maxRetries`. */
export type SandboxClientOptions = Partial<Omit<KlaviyoClientOptions, "baseUrl" | "apiKey">>;

/**
 * Server options a session may override; `beta: true` serves the beta tools too, as --beta does
 * (the catalog with them, every toolset by default).
 */
export type SandboxServerOptions = Partial<ServerOptions> & { beta?: boolean };

export async function startSandboxSession(
  options: EmulatorOptions = {},
  clientOptions: SandboxClientOptions = {},
  { beta = false, ...serverOptions }: SandboxServerOptions = {},
): Promise<SandboxSession> {
  const catalog = await loadToolCatalog(beta);
  // Every tool is listed from its schemas (no build-time listing here): load them all.
  await loadSchemas(catalog.definitions);
  const emulator = await startEmulator(options);
  const logger = createLogger("silent");
  const klaviyo = new KlaviyoClient({
    revision: KLAVIYO_REVISION,
    userAgent: "klaviyo-mcp-test",
    logger,
    ...clientOptions,
    baseUrl: emulator.url,
    apiKey: emulator.apiKey,
  });
  const sent: KlaviyoRequest[] = [];
  const server = createMcpServer({
    client: {
      request: (request, options) => {
        sent.push(request);
        return klaviyo.request(request, options);
      },
    },
    logger,
    publicKey: emulator.publicKey,
    allowFilePaths: false,
    sandbox: true,
    definitions: catalog.definitions,
    toolsets: [...catalog.groups],
    readOnly: false,
    ...serverOptions,
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "sandbox-test", version: "1.0.0" });
  await client.connect(clientSide);
  return {
    emulator,
    client,
    server,
    sent,
    close: async () => {
      await client.close();
      await server.close();
      await klaviyo.close();
      await emulator.close();
    },
  };
}

export function resultText(result: unknown): string {
  const content = (result as { content?: Array<{ text?: string }> }).content ?? [];
  return content.map((c) => c.text ?? "").join("\n");
}
