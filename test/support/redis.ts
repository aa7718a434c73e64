/**
 * A throwaway redis-server on a free loopback port, for the tests of limits shared across
 * replicas. `.ci/run` installs Debian's redis-server; elsewhere those tests say they skipped.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";

export const hasRedis = spawnSync("redis-server", ["--version"]).status === 0;
if (!hasRedis && process.env.KLAVIYO_TEST_REQUIRE_REDIS) {
  throw new Error(
    "redis-server is not installed, and KLAVIYO_TEST_REQUIRE_REDIS is set (.ci/run).",
  );
}

export interface RedisServer {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
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
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((done) => child.once("exit", done));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
