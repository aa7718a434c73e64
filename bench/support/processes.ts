/**
 * Processes bench/rate-limits.ts starts: a throwaway redis-server, and replicas of the MCP HTTP
 * server (bench/support/http-server.ts). Each is stopped by its own pid, never by name.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { createInterface } from "node:readline";

const ROOT = resolve(import.meta.dirname, "../..");

export interface Started {
  url: string;
  pid: number;
  /** SIGTERM, then waits for the exit; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** A port nothing listens on right now, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

function stopper(child: ChildProcess): () => Promise<number | null> {
  const exited = new Promise<number | null>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done(child.exitCode);
    else child.once("exit", (code) => done(code));
  });
  return async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    return exited;
  };
}

/** redis-server on a free port, nothing persisted; resolves once it accepts connections. */
export async function startRedis(): Promise<Started> {
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const stop = stopper(child);
  await new Promise<void>((done, fail) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on("line", (line) => {
      if (/ready to accept connections/i.test(line)) {
        lines.close();
        child.stdout?.resume();
        done();
      }
    });
    child.once("error", fail);
    child.once("exit", (code) => fail(new Error(`redis-server exited (code ${code})`)));
  });
  return { url: `redis://127.0.0.1:${port}`, pid: child.pid ?? 0, stop };
}

/**
 * One replica of the MCP HTTP server, throttled at `timeScale`; `env` names its account. `root`
 * is the source tree it runs from (default this one; another, e.g. a `git archive` of an earlier
 * commit, to compare before and after).
 */
export async function startReplica(env: Record<string, string>, root = ROOT): Promise<Started> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", resolve(root, "bench/support/http-server.ts")],
    {
      cwd: root,
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const stop = stopper(child);
  try {
    const ready = await new Promise<{ url: string; pid: number }>((done, fail) => {
      const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
      lines.once("line", (line) => done(JSON.parse(line)));
      child.once("exit", (code) => fail(new Error(`a replica exited (code ${code})`)));
    });
    return { url: ready.url, pid: ready.pid, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
