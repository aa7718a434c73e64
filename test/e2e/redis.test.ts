/**
 * `klaviyo-mcp --http` with rate limits shared through a real redis-server, as an operator
 * runs it: the built CLI in its own process, while Redis is flushed, stopped and restarted under
 * it. The server never exits, every call gets an answer (unsent and retryable while Redis is
 * away), /healthz says why it is degraded, and it recovers without a restart.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectHttp,
  killCliProcesses,
  type StartedCli,
  startCli,
} from "../support/cli-process.js";
import { hasRedis, type RedisServer, startRedis } from "../support/redis.js";
import { resultText } from "../support/sandbox-client.js";

describe.skipIf(!hasRedis)("klaviyo-mcp --http with Redis", () => {
  let redis: RedisServer;
  let server: StartedCli;
  beforeAll(async () => {
    redis = await startRedis();
    server = await startCli(["--sandbox"], { KLAVIYO_MCP_REDIS_URL: redis.url });
  });
  afterAll(async () => {
    killCliProcesses();
    await redis?.stop();
  });

  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const client = await connectHttp(server.url, { Authorization: `Bearer ${server.token}` });
    try {
      const result = await client.callTool({ name, arguments: args });
      return { isError: result.isError === true, text: resultText(result) };
    } finally {
      await client.close();
    }
  };
  const health = async () => {
    const response = await fetch(server.url.replace(/\/mcp$/, "/healthz"));
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  };

  it("keeps serving after FLUSHALL", async () => {
    expect((await call("get_lists", { page_size: 1 })).isError).toBe(false);
    const admin = new Redis(redis.url);
    await admin.flushall();
    admin.disconnect();
    const after = await call("get_lists", { page_size: 1 });
    expect(after.isError, after.text).toBe(false);
  });

  it("while Redis is down: answers every call at once, unsent, says degraded; recovers when it is back", async () => {
    await redis.stop();
    const started = Date.now();
    // A write, and a tool never used since start (its bucket is new).
    const write = await call("create_list", { name: "During the outage" });
    const fresh = await call("get_segments", { page_size: 1 });
    expect(Date.now() - started).toBeLessThan(5_000);
    for (const answer of [write, fresh]) {
      expect(answer.isError).toBe(true);
      expect(answer.text).toMatch(/was not sent: .*Redis.*cannot be reached/);
    }
    expect(JSON.parse(write.text)).toMatchObject({ outcome: "not_applied" });
    expect(JSON.parse(write.text).hint).toMatch(/Nothing was changed in Klaviyo\. Retry/);
    const degraded = await health();
    expect(degraded.status).toBe(200);
    expect(degraded.body).toMatchObject({ status: "degraded" });
    expect(degraded.body.reason).toMatch(/Redis at 127\.0\.0\.1:\d+ .*unreachable/);

    await redis.start();
    const deadline = Date.now() + 10_000;
    while ((await health()).body.status !== "ok" && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 100));
    }
    expect((await health()).body).toEqual({ status: "ok" });
    const back = await call("create_list", { name: "After the outage" });
    expect(back.isError, back.text).toBe(false);
    expect(server.child.exitCode).toBeNull();
    expect(server.stderr()).toMatch(/Redis is unreachable/);
    expect(server.stderr()).toMatch(/Redis is reachable again/);
  });
});
