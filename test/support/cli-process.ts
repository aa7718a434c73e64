/**
 * `klaviyo-mcp --http` in its own process, as a user runs it: the built CLI, reached by the
 * SDK's StreamableHTTPClientTransport at the URL and with the token it prints.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

export const CLI = resolve(import.meta.dirname, "../../dist/src/cli.js");

export interface StartedCli {
  child: ChildProcess;
  url: string;
  token?: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const children = new Set<ChildProcess>();

/** Kills every CLI process still running (for afterAll). */
export function killCliProcesses(): void {
  for (const child of children) child.kill("SIGKILL");
  children.clear();
}

/** Spawns `klaviyo-mcp --http --port 0 <args>` and waits for its banner. */
export async function startCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<StartedCli> {
  const child = spawn(process.execPath, [CLI, "--http", "--port", "0", ...args], {
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "debug", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((done) =>
    child.on("exit", (code) => {
      children.delete(child);
      done(code);
    }),
  );
  await new Promise<void>((ready, fail) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      if (stdout.includes("Stop with Ctrl+C")) ready();
    });
    void exited.then((code) => fail(new Error(`exited ${code}: ${stderr}`)));
  });
  const url = /at (http:\/\/\S+\/mcp),/.exec(stdout)?.[1] as string;
  const token = /generated; [^:]*: (\S+)/.exec(stdout)?.[1];
  return { child, url, token, stdout: () => stdout, stderr: () => stderr, exited };
}

/** An SDK client over streamable HTTP, sending `headers` with every request. */
export async function connectHttp(url: string, headers: Record<string, string>): Promise<Client> {
  const client = new Client({ name: "e2e-http", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }),
  );
  return client;
}
