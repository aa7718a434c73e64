/**
 * The HTTP server under connection abuse, with raw sockets on 127.0.0.1: a cap on connections
 * that idle sockets cannot use to take /healthz down, headers and bodies that must arrive in
 * time, and refused requests whose connections are closed rather than drained.
 */
import { connect, type Socket } from "node:net";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import {
  type HttpServerHandle,
  type HttpServerOptions,
  startHttpServer,
} from "../../src/transports/http.js";

const TOKEN = "connections-test-token-7fQ2xLw9Rk";

let handle: HttpServerHandle | undefined;
let logs: string[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await handle?.close();
  handle = undefined;
});

async function start(options: Partial<HttpServerOptions> = {}): Promise<HttpServerHandle> {
  logs = [];
  handle = await startHttpServer({
    host: "127.0.0.1",
    port: 0,
    tokens: [TOKEN],
    noAuth: false,
    allowedOrigins: [],
    allowedHosts: [],
    maxBodyBytes: 65_536,
    shutdownTimeoutMs: 100,
    logger: createLogger("info", { write: (line: string) => logs.push(line) }),
    serverFor: () => new Server({ name: "test", version: "1" }, { capabilities: {} }),
    ...options,
  });
  return handle;
}

/** A raw socket to the server, with what it received and when it closed. */
interface Probe {
  socket: Socket;
  received: string;
  closedAt?: number;
  closed: Promise<void>;
}

async function open(port: number): Promise<Probe> {
  const socket = connect(port, "127.0.0.1");
  sockets.push(socket);
  const probe: Probe = { socket, received: "", closed: Promise.resolve() };
  socket.on("data", (chunk) => {
    probe.received += chunk;
  });
  socket.on("error", () => {});
  probe.closed = new Promise((resolve) =>
    socket.once("close", () => {
      probe.closedAt = Date.now();
      resolve();
    }),
  );
  await new Promise((resolve) => socket.once("connect", resolve));
  return probe;
}

function mcpHeaders(port: number, extra: string[] = [], length = 100): string {
  return [
    "POST /mcp HTTP/1.1",
    `Host: 127.0.0.1:${port}`,
    "Content-Type: application/json",
    "Accept: application/json, text/event-stream",
    `Content-Length: ${length}`,
    ...extra,
    "",
    "",
  ].join("\r\n");
}

/** Writes one byte every 100 ms while the socket is open. */
function trickle(socket: Socket): void {
  const timer = setInterval(() => {
    if (socket.destroyed) clearInterval(timer);
    else socket.write(" ");
  }, 100);
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function health(port: number): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`);
  return response.status;
}

function linesMatching(pattern: RegExp): Array<Record<string, unknown>> {
  return logs
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => pattern.test(String(line.msg)));
}

describe("the connection cap", () => {
  it("closes the idlest idle sockets for room, logs once, and /healthz still answers", async () => {
    const { port } = await start({ maxConnections: 20 });
    const idle: Probe[] = [];
    for (let i = 0; i < 30; i++) idle.push(await open(port));
    await settle(200);
    // The first ten (the idlest) made room for the last ten.
    const closed = idle.filter((probe) => probe.closedAt !== undefined);
    expect(closed).toHaveLength(10);
    expect(closed).toEqual(idle.slice(0, 10));
    expect(await health(port)).toBe(200);
    for (let i = 0; i < 3; i++) expect(await health(port)).toBe(200);
    expect(linesMatching(/connection cap reached \(KLAVIYO_MCP_MAX_CONNECTIONS\)/)).toHaveLength(1);
    await handle?.close();
    handle = undefined;
    // The first at once, the rest counted: 9 more sockets, and room for the health checks.
    const [summary] = linesMatching(/connection cap reached again/);
    expect(summary?.closedIdle).toBeGreaterThanOrEqual(10);
  });

  it("refuses a new connection when every connection has a request in progress", async () => {
    const { port } = await start({ maxConnections: 4 });
    const busy: Probe[] = [];
    for (let i = 0; i < 4; i++) {
      const probe = await open(port);
      // Authenticated, its body still coming: a request in progress, not to be cut for room.
      probe.socket.write(mcpHeaders(port, [`Authorization: Bearer ${TOKEN}`]));
      busy.push(probe);
    }
    await settle(100);
    const extra = await open(port);
    await extra.closed;
    expect(extra.received).toBe("");
    await settle(100);
    expect(busy.every((probe) => probe.closedAt === undefined)).toBe(true);
    await handle?.close();
    handle = undefined;
    expect(linesMatching(/connection cap reached/)[0]).toMatchObject({ action: "refused" });
  });
});

describe("time limits", () => {
  it("closes a connection whose headers trickle in past the headers timeout (408)", async () => {
    const { port } = await start({ headersTimeoutMs: 500 });
    const probe = await open(port);
    const started = Date.now();
    probe.socket.write("POST /mcp HTTP/1.1\r\n");
    const timer = setInterval(() => {
      if (!probe.socket.destroyed) probe.socket.write("X-Slow: yes\r\n");
    }, 100);
    await Promise.race([probe.closed, settle(3_000)]);
    clearInterval(timer);
    expect(probe.received).toMatch(/^HTTP\/1\.1 408/);
    expect((probe.closedAt ?? Number.POSITIVE_INFINITY) - started).toBeLessThan(1_500);
  });

  it("closes an unauthenticated request after its 401, without reading a trickled body", async () => {
    const { port } = await start();
    const probe = await open(port);
    probe.socket.write(mcpHeaders(port, [], 10_000));
    trickle(probe.socket);
    await Promise.race([probe.closed, settle(2_000)]);
    expect(probe.received).toMatch(/^HTTP\/1\.1 401/);
    expect(probe.received).toMatch(/Connection: close/i);
    expect(probe.closedAt).toBeDefined();
  });

  it("gives an authenticated request's body a bounded time (408)", async () => {
    const { port } = await start({ headersTimeoutMs: 300, bodyTimeoutMs: 500 });
    const probe = await open(port);
    const started = Date.now();
    probe.socket.write(mcpHeaders(port, [`Authorization: Bearer ${TOKEN}`], 10_000));
    trickle(probe.socket);
    await Promise.race([probe.closed, settle(4_000)]);
    expect(probe.received).toMatch(/^HTTP\/1\.1 408/);
    expect((probe.closedAt ?? Number.POSITIVE_INFINITY) - started).toBeLessThan(2_000);
  });

  it("keeps idle keep-alive connections past the headers timeout", async () => {
    const { port } = await start({ headersTimeoutMs: 300 });
    const probe = await open(port);
    probe.socket.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    await settle(900);
    expect(probe.received).toMatch(/^HTTP\/1\.1 200/);
    expect(probe.closedAt).toBeUndefined();
  });
});
