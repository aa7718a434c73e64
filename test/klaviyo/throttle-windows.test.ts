/**
 * The throttle against Klaviyo's windows, time-scaled: no sliding window ever holds more calls
 * than its limit, the allowance is used nearly in full, conditional and daily limits apply,
 * and with Redis two replicas share one allowance.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { KlaviyoDailyLimitError } from "../../src/klaviyo/errors.js";
import { RedisSlots } from "../../src/klaviyo/redis-slots.js";
import { type RateLimit, Throttle } from "../../src/klaviyo/throttle.js";
import { hasRedis, type RedisServer, startRedis } from "../support/redis.js";
import { busiest, fire as fireCalls } from "../support/windows.js";

const SCALE = 0.05; // burst window 50 ms, steady window 3 s
const LIMIT: RateLimit = { burst: "10/s", steady: "40/m" };
const throttles: Throttle[] = [];
afterEach(async () => {
  await Promise.all(throttles.splice(0).map((t) => t.stop()));
});

function make(options: ConstructorParameters<typeof Throttle>[0] = {}): Throttle {
  const throttle = new Throttle({ timeScale: SCALE, ...options });
  throttles.push(throttle);
  return throttle;
}

const fire = (pool: Throttle[], n: number, limit = LIMIT, ms = 2) => fireCalls(pool, n, limit, ms);

describe("Throttle windows", () => {
  it("never exceeds a window, sliding, and uses the allowance nearly in full", async () => {
    const started = Date.now();
    const starts = await fire([make()], 120);
    const elapsed = Date.now() - started;
    expect(busiest(starts, 1000 * SCALE)).toBeLessThanOrEqual(10);
    expect(busiest(starts, 60_000 * SCALE)).toBeLessThanOrEqual(40);
    // 120 calls at 40 per 3 s window: the last batch starts after two windows.
    expect(elapsed).toBeGreaterThanOrEqual(2 * 3000);
    expect(elapsed).toBeLessThan(2 * 3000 * 1.3);
  });

  it("counts a conditional call against the condition's bucket and the operation's", async () => {
    const throttle = make({ timeScale: 0.1 });
    const limit: RateLimit = {
      burst: "100/s",
      steady: "1000/m",
      conditions: [{ parameter: "include", value: "lists", burst: "2/s", steady: "100/m" }],
    };
    const starts: number[] = [];
    const call = (include: string) =>
      throttle.schedule(
        "get_profile",
        limit,
        async () => {
          starts.push(Date.now());
        },
        { query: [["include", include]] },
      );
    const begun = Date.now();
    await Promise.all([call("lists"), call("segments,lists"), call("lists"), call("lists")]);
    expect(busiest(starts, 100)).toBeLessThanOrEqual(2);
    expect(Date.now() - begun).toBeGreaterThanOrEqual(100);
    const plain = Date.now();
    await call("segments");
    expect(Date.now() - plain).toBeLessThan(50);
  });

  it("refuses a call over the daily cap at once, saying when a slot frees", async () => {
    const throttle = make({ timeScale: 0.001 }); // a day lasts 86.4 s
    const limit: RateLimit = { burst: "10/s", steady: "100/m", daily: "3/d" };
    for (let i = 0; i < 3; i++) await throttle.schedule("daily_op", limit, async () => {});
    const started = Date.now();
    const refused = await throttle.schedule("daily_op", limit, async () => {}).catch((e) => e);
    expect(Date.now() - started).toBeLessThan(100);
    expect(refused).toBeInstanceOf(KlaviyoDailyLimitError);
    expect(refused.freesAt).toBeGreaterThan(Date.now() + 80_000);
    expect(refused.message).toMatch(/3 calls of daily_op per day/);
  });

  it("holds a bucket until the time the server named", async () => {
    const throttle = make();
    throttle.holdUntil("get_profiles", LIMIT, [], Date.now() + 300);
    const started = Date.now();
    await throttle.schedule("get_profiles", LIMIT, async () => {});
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it("gives an aborted call's slot straight back", async () => {
    const throttle = make({ timeScale: 1 });
    const limit: RateLimit = { burst: "1/s" };
    await throttle.schedule("op", limit, async () => {});
    const controller = new AbortController();
    const aborted = throttle.schedule("op", limit, async () => {}, { signal: controller.signal });
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: "AbortError" });
    const started = Date.now();
    await throttle.schedule("op", limit, async () => {});
    // It waited for the first call's slot (1 s), not for a second one behind the aborted call.
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("tells a waiting call's listener about the wait", async () => {
    const throttle = make({ timeScale: 1, waitNoticeMs: 100 });
    const limit: RateLimit = { burst: "1/s" };
    await throttle.schedule("op", limit, async () => {});
    const waits: number[] = [];
    await throttle.schedule("op", limit, async () => {}, { onWait: (ms) => waits.push(ms) });
    expect(waits.length).toBeGreaterThanOrEqual(5);
    expect(waits[waits.length - 1]).toBeGreaterThan(waits[0] as number);
  });
});

describe.skipIf(!hasRedis)("Throttle windows shared through Redis", () => {
  let redis: RedisServer;
  const stores: RedisSlots[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.stop()));
    await redis?.stop();
  });
  const replica = (account: string) => {
    const store = new RedisSlots({ url: redis.url });
    stores.push(store);
    return make({ store, account });
  };

  it("two replicas of one account share one allowance", async () => {
    const account = `shared-${Date.now()}`;
    const started = Date.now();
    const starts = await fire([replica(account), replica(account)], 120);
    expect(busiest(starts, 1000 * SCALE)).toBeLessThanOrEqual(10);
    expect(busiest(starts, 60_000 * SCALE)).toBeLessThanOrEqual(40);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * 3000);
  });

  it("different accounts do not share", async () => {
    const started = Date.now();
    await Promise.all([fire([replica("a-one")], 40), fire([replica("a-two")], 40)]);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("a replica that stops does not take its slots with it", async () => {
    const account = `stopping-${Date.now()}`;
    const leaving = replica(account);
    await fire([leaving], 40);
    await leaving.stop();
    const staying = replica(account);
    const started = Date.now();
    await fire([staying], 40);
    // The 40 slots the first replica used come back one window later, reclaimed by the other.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(Date.now() - started).toBeLessThan(6000);
  });
});
