/**
 * A throwaway redis-server on a free loopback port, for the tests of limits shared across
 * replicas. `.ci/run` installs Debian's redis-server; elsewhere those tests say they skipped.
 * It can be stopped and started again on the same port (a restart without persistence), and
 * paused (SIGSTOP: a Redis that hangs).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { freePort } from "./ports.js";

export const hasRedis = spawnSync("redis-server", ["--version"]).status === 0;
if (!hasRedis && process.env.KLAVIYO_TEST_REQUIRE_REDIS) {
  throw new Error(
    "redis-server is not installed, and KLAVIYO_TEST_REQUIRE_REDIS is set (.ci/run).",
  );
}

export interface RedisServer {
  url: string;
  port: number;
  /** Stops the server (its data is gone: no persistence). */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
  /** SIGSTOP / SIGCONT: connections stay open, nothing is answered. */
  pause(): void;
  resume(): void;
}

async function spawnRedis(port: number): Promise<ChildProcess> {
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  await new Promise<void>((ready, fail) => {
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) ready();
    });
    child.on("exit", (code) => fail(new Error(`redis-server exited ${code}: ${output}`)));
  });
  return child;
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined = await spawnRedis(port);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: async () => {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((done) => running.once("exit", done));
      running.kill("SIGCONT");
      running.kill("SIGTERM");
      await exited;
    },
    start: async () => {
      if (child) throw new Error("redis-server is already running");
      child = await spawnRedis(port);
    },
    pause: () => child?.kill("SIGSTOP"),
    resume: () => child?.kill("SIGCONT"),
  };
}
