/** The runtime both transports share: its accounts, and rate limits shared through Redis. */
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { startRuntime } from "../src/runtime.js";
import { hasRedis, startRedis } from "./support/redis.js";

const logger = createLogger("silent");

describe("runtime", () => {
  it("refuses to start when the configured Redis cannot be reached, without echoing its password", async () => {
    const { config } = loadConfig([], {
      KLAVIYO_SANDBOX: "true",
      KLAVIYO_MCP_REDIS_URL: "redis://:hunter2secret@127.0.0.1:1",
    });
    const error = await startRuntime(config, logger).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(String(error)).toMatch(/Cannot reach Redis at 127\.0\.0\.1:1 \(KLAVIYO_MCP_REDIS_URL\)/);
    expect(String(error)).not.toContain("hunter2secret");
  });

  it("rejects a Redis URL that is not one", () => {
    expect(() => loadConfig([], { KLAVIYO_MCP_REDIS_URL: "http://x" })).toThrow(
      /KLAVIYO_MCP_REDIS_URL \(--redis-url\): must be a redis:\/\//,
    );
  });

  it.skipIf(!hasRedis)("serves calls with rate limits shared through Redis", async () => {
    const redis = await startRedis();
    try {
      const { config } = loadConfig([], {
        KLAVIYO_SANDBOX: "true",
        KLAVIYO_MCP_REDIS_URL: redis.url,
      });
      const runtime = await startRuntime(config, logger);
      try {
        const own = runtime.accounts.own;
        if (!own) throw new Error("no account");
        const response = await own.client.request({
          operationId: "get_lists",
          method: "GET",
          path: "/api/lists",
          query: [],
          auth: "private",
          rateLimit: { burst: "75/s", steady: "750/m" },
        });
        expect(response.status).toBe(200);
      } finally {
        await runtime.close();
      }
    } finally {
      await redis.stop();
    }
  });
});
