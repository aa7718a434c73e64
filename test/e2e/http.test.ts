/**
 * `klaviyo-mcp --http` as a user runs it: the built CLI in its own process, reached by the SDK's
 * StreamableHTTPClientTransport using the URL and token it prints. Also what it refuses to
 * start with, and SIGTERM while a call is in flight.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../emulator/index.js";
import { CLI, connectHttp as connect, killCliProcesses, startCli } from "../support/cli-process.js";
import { ENDPOINT_COUNT } from "../support/endpoints.js";
import { resultText } from "../support/sandbox-client.js";

/** Processes started here other than through startCli (npm start). */
const children: ChildProcess[] = [];
afterAll(() => {
  killCliProcesses();
  for (const child of children) child.kill("SIGKILL");
});

function refusal(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
    timeout: 10_000,
  });
  expect(result.status).toBe(1);
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
  return result.stderr;
}

describe("klaviyo-mcp --http", () => {
  it("with no key: serves the sandbox, prints URL, generated token and a client config", async () => {
    const server = await startCli([]);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const config = JSON.parse(/\n(\{\n[\s\S]*?\n\})\n/.exec(server.stdout())?.[1] as string);
    expect(config.mcpServers.klaviyo).toEqual({
      type: "http",
      url: server.url,
      headers: { Authorization: `Bearer ${server.token}` },
    });
    const client = await connect(server.url, { Authorization: `Bearer ${server.token}` });
    expect((await client.listTools()).tools).toHaveLength(ENDPOINT_COUNT);
    const lists = await client.callTool({ name: "get_lists", arguments: { page_size: 1 } });
    expect(lists.isError, resultText(lists)).toBeFalsy();
    await client.close();
    await expect(connect(server.url, {})).rejects.toThrow();
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    expect(server.stderr()).toMatch(/SANDBOX MODE/);
    expect(server.stderr()).toMatch(/refused bearer token/);
    expect(server.stderr()).not.toContain(server.token as string);
  });

  describe("with a key, against an emulator that answers slowly", () => {
    let emulator: Emulator;
    afterAll(() => emulator?.close());

    it("on SIGTERM finishes the call in flight, then exits 0", async () => {
      emulator = await startEmulator({ faults: { latencyMs: 600, operations: ["get_lists"] } });
      const token = "e2e-configured-token-0123456789";
      const server = await startCli([], {
        KLAVIYO_API_KEY: emulator.apiKey,
        KLAVIYO_BASE_URL: emulator.url,
        KLAVIYO_MCP_TOKENS: `other-token-abcdefghijklmnop,${token}`,
      });
      expect(server.token).toBeUndefined();
      expect(server.stdout()).toContain("the Klaviyo account of KLAVIYO_API_KEY");
      expect(server.stdout()).not.toContain(token);
      const client = await connect(server.url, { Authorization: `Bearer ${token}` });
      expect(client.getInstructions()).not.toMatch(/SANDBOX/);
      const inFlight = client.callTool({ name: "get_lists", arguments: {} });
      await new Promise((done) => setTimeout(done, 200));
      server.child.kill("SIGTERM");
      const result = await inFlight;
      expect(result.isError, resultText(result)).toBeFalsy();
      expect(await server.exited).toBe(0);
      expect(server.stderr()).toMatch(/"waitedFor":1/);
      for (const secret of [token, emulator.apiKey]) expect(server.stderr()).not.toContain(secret);
    });
  });

  it("refuses to start exposed without authentication", () => {
    expect(refusal(["--http", "--host", "0.0.0.0"])).toMatch(
      /Refusing to listen on 0\.0\.0\.0 without authentication: set KLAVIYO_MCP_TOKENS/,
    );
    expect(refusal(["--http", "--host", "0.0.0.0", "--no-auth"])).toMatch(
      /--no-auth is only allowed on a loopback host/,
    );
    expect(refusal(["--http"], { KLAVIYO_MCP_TOKENS: "short" })).toMatch(/at least 16 characters/);
    const weak = refusal(["--http"], { KLAVIYO_MCP_TOKENS: "aaaaaaaaaaaaaaaa" });
    expect(weak).toMatch(/the token is too easy to guess.*openssl rand -base64 32/);
    expect(weak).not.toContain("aaaaaaaaaaaaaaaa");
    expect(refusal(["--port", "8080"])).toMatch(/--port is an HTTP option: add --http/);
  });

  it("explains a port that is taken", async () => {
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, "127.0.0.1", done));
    const port = (blocker.address() as { port: number }).port;
    try {
      const stderr = refusal(["--http", "--port", String(port), "--log-level", "silent"]);
      expect(stderr).toMatch(
        new RegExp(`Cannot listen on 127\\.0\\.0\\.1:${port} \\(EADDRINUSE\\)`),
      );
    } finally {
      blocker.close();
    }
  });

  it("npm start serves HTTP on loopback with a generated token", async () => {
    const child = spawn("npm", ["start", "--silent", "--", "--port", "0"], {
      cwd: resolve(import.meta.dirname, "../.."),
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    children.push(child);
    let stdout = "";
    await new Promise<void>((ready, fail) => {
      child.stdout?.on("data", (chunk: Buffer) => {
        stdout += chunk.toString("utf8");
        if (stdout.includes("Stop with Ctrl+C")) ready();
      });
      child.on("exit", (code) => fail(new Error(`npm start exited ${code}`)));
    });
    const url = /at (http:\/\/127\.0\.0\.1:\d+\/mcp),/.exec(stdout)?.[1] as string;
    const token = /generated; [^:]*: (\S+)/.exec(stdout)?.[1] as string;
    const client = await connect(url, { Authorization: `Bearer ${token}` });
    expect((await client.listTools()).tools).toHaveLength(ENDPOINT_COUNT);
    await client.close();
    process.kill(-(child.pid as number), "SIGTERM");
  });

  it("accepts --no-auth on loopback, and says so", async () => {
    const server = await startCli(["--no-auth"]);
    expect(server.stdout()).toMatch(/WARNING: --no-auth/);
    const client = await connect(server.url, {});
    expect((await client.listTools()).tools.length).toBe(ENDPOINT_COUNT);
    await client.close();
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });
});
