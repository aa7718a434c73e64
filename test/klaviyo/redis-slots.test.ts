/**
 * Windows shared through a real redis-server, under what Redis does to its state and to its
 * clients: keys that expire while a bucket is idle, FLUSHALL, an evicted key, a restart without
 * persistence, an outage and a hang. The bucket must come back by itself each time, without any
 * window holding more calls than its limit, and while Redis is away calls fail at once, unsent.
 */
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { KlaviyoLimiterUnavailableError } from "../../src/klaviyo/errors.js";
import { EPOCH_KEY, RedisSlots, type RedisSlotsOptions } from "../../src/klaviyo/redis-slots.js";
import { type RateLimit, Throttle } from "../../src/klaviyo/throttle.js";
import { hasRedis, type RedisServer, startRedis } from "../support/redis.js";
import { busiest, fire } from "../support/windows.js";

const SCALE = 0.02; // burst window 20 ms, steady window 1.2 s
const STEADY_MS = 60_000 * SCALE;
const LIMIT: RateLimit = { burst: "10/s", steady: "20/m" };

describe.skipIf(!hasRedis)("RedisSlots against a real redis-server", () => {
  let redis: RedisServer;
  let admin: Redis;
  const stores: RedisSlots[] = [];
  const throttles: Throttle[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    admin = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  });
  afterEach(async () => {
    await Promise.all(throttles.splice(0).map((t) => t.stop()));
    await Promise.all(stores.splice(0).map((s) => s.stop()));
  });
  afterAll(async () => {
    admin?.disconnect();
    await redis?.stop();
  });

  /** A replica of `account`: its own store (connection) and throttle, as in a separate process. */
  async function replica(account: string, options: Partial<RedisSlotsOptions> = {}) {
    const store = new RedisSlots({
      url: redis.url,
      watchEveryMs: 50,
      callTimeoutMs: 1_000,
      ...options,
    });
    stores.push(store);
    await store.ready();
    const throttle = new Throttle({ store, account, timeScale: SCALE });
    throttles.push(throttle);
    return { store, throttle };
  }

  /** The slot keys Redis holds (the epoch aside). */
  async function slotKeys(): Promise<string[]> {
    if (admin.status !== "ready") await admin.connect().catch(() => {});
    return (await admin.keys("*")).filter((key) => key !== EPOCH_KEY);
  }

  async function until(check: () => boolean | Promise<boolean>, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
      await new Promise((done) => setTimeout(done, 25));
    }
  }

  const withinLimits = (starts: number[]) => {
    expect(busiest(starts, 1_000 * SCALE)).toBeLessThanOrEqual(10);
    expect(busiest(starts, STEADY_MS)).toBeLessThanOrEqual(20);
  };

  it("a bucket whose keys expired while idle comes back by itself", async () => {
    const { throttle } = await replica("idle", { keyMarginMs: 100 });
    const first = await fire([throttle], 20, LIMIT);
    // Idle: every key expires once its last slot is free again, plus the margin.
    await until(async () => (await slotKeys()).length === 0, 10_000);
    const second = await fire([throttle], 25, LIMIT);
    withinLimits([...first, ...second]);
  });

  it("after FLUSHALL during calls, every replica writes back what it holds: no window exceeded", async () => {
    const one = await replica("flushed");
    const two = await replica("flushed");
    const epochBefore = await admin.get(EPOCH_KEY);
    const running = fire([one.throttle, two.throttle], 60, LIMIT);
    await new Promise((done) => setTimeout(done, STEADY_MS / 2));
    await admin.flushall();
    const starts = await running;
    withinLimits(starts);
    expect(await admin.get(EPOCH_KEY)).not.toBe(epochBefore);
  });

  it("after FLUSHALL, an idle replica writes back its slots before a busy one may use them", async () => {
    const idle = await replica("idle-and-busy");
    const busy = await replica("idle-and-busy");
    const first = await fire([idle.throttle], 20, LIMIT);
    await admin.flushall();
    const second = await fire([busy.throttle], 20, LIMIT);
    withinLimits([...first, ...second]);
  });

  it("a window key evicted while in use is noticed and written back", async () => {
    const { throttle } = await replica("evicted");
    const first = await fire([throttle], 20, LIMIT);
    const steadyKey = (await slotKeys()).find((key) => key.includes(":steady"));
    expect(steadyKey).toBeDefined();
    await admin.del(steadyKey as string);
    const second = await fire([throttle], 10, LIMIT);
    // The window was full: the next calls waited for the first ones' slots.
    withinLimits([...first, ...second]);
  });

  it("while Redis is down, calls fail at once unsent; after a restart without persistence it recovers and no window is exceeded", async () => {
    const changes: string[] = [];
    const { store, throttle } = await replica("restarted", {
      onHealthChange: (health) => changes.push(health.status),
    });
    const first = await fire([throttle], 20, LIMIT);
    await redis.stop();
    await until(() => store.health().status === "degraded", 5_000);

    // A bucket never used before (a tool first called during the outage) and a known one.
    for (const operationId of ["never_used_before", "get_profiles"]) {
      let ran = false;
      const started = Date.now();
      const error = await throttle
        .schedule(operationId, LIMIT, async () => {
          ran = true;
        })
        .catch((caught: unknown) => caught);
      expect(Date.now() - started).toBeLessThan(500);
      expect(error).toBeInstanceOf(KlaviyoLimiterUnavailableError);
      expect(error).toMatchObject({ outcome: "not_applied" });
      expect(ran).toBe(false);
    }
    const health = store.health();
    expect(health.status).toBe("degraded");
    expect(health.status === "degraded" && health.reason).toMatch(
      /Redis at 127\.0\.0\.1:\d+ .*unreachable since/,
    );

    await redis.start();
    await until(() => store.health().status === "ok", 10_000);
    const second = await fire([throttle], 20, LIMIT);
    withinLimits([...first, ...second]);
    expect(changes).toEqual(["degraded", "ok"]);
  });

  it("a Redis that hangs fails a call within the command timeout, and is used again once it answers", async () => {
    const { throttle } = await replica("hung", { commandTimeoutMs: 300 });
    await fire([throttle], 3, LIMIT);
    redis.pause();
    try {
      const started = Date.now();
      const error = await throttle
        .schedule("get_profiles", LIMIT, async () => {})
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(KlaviyoLimiterUnavailableError);
      expect(Date.now() - started).toBeLessThan(1_500);
    } finally {
      redis.resume();
    }
    await until(async () => {
      const ok = await throttle
        .schedule("get_profiles", LIMIT, async () => true)
        .catch(() => false);
      return ok === true;
    }, 5_000);
  });

  /** Lua scripts Redis ran since the last CONFIG RESETSTAT (EVALSHA and EVAL, failed ones too). */
  async function scriptsRun(): Promise<number> {
    const text = await admin.info("commandstats");
    let runs = 0;
    for (const match of text.matchAll(
      /^cmdstat_eval(?:sha)?:calls=(\d+)(?:,.*?rejected_calls=(\d+))?/gm,
    )) {
      runs += Number(match[1]) + Number(match[2] ?? 0);
    }
    return runs;
  }

  it("a call waiting for a slot another replica's call holds in flight looks again a few times, not every few ms, and starts on time", async () => {
    // Its keys expire soon after, as the idle-bucket test above expects of every key.
    const one = await replica("in-flight", { keyMarginMs: 100 });
    const two = await replica("in-flight", { keyMarginMs: 100 });
    // Real time: a 1 s window, its one slot held 400 ms by a call in flight on the other replica.
    const limit: RateLimit = { burst: "1/s" };
    const first = new Throttle({ store: one.store, account: "in-flight" });
    const second = new Throttle({ store: two.store, account: "in-flight" });
    throttles.push(first, second);
    if (admin.status !== "ready") await admin.connect().catch(() => {});
    await admin.config("RESETSTAT");
    let firstEnded = 0;
    let secondStarted = 0;
    let inFlight = () => {};
    const taken = new Promise<void>((done) => {
      inFlight = done;
    });
    const running = first.schedule("slow_op", limit, async () => {
      inFlight();
      await new Promise((done) => setTimeout(done, 400));
      firstEnded = Date.now();
    });
    await taken;
    await second.schedule("slow_op", limit, async () => {
      secondStarted = Date.now();
    });
    await running;
    // The slot frees one window after the first call completed, and not later.
    expect(secondStarted - firstEnded).toBeGreaterThanOrEqual(995);
    expect(secondStarted - firstEnded).toBeLessThan(1_300);
    // Each call's TAKE and COMPLETE, and the waiting call's look when its wait ends (one window
    // after it asked, then the exact time left): not one look every few ms during the 400 ms.
    const runs = await scriptsRun();
    expect(runs).toBeGreaterThanOrEqual(4); // the two calls' TAKE and COMPLETE at least
    expect(runs).toBeLessThanOrEqual(8);
  });
});
