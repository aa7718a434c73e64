import { afterEach, describe, expect, it } from "vitest";
import { parseLimit, Throttle } from "../../src/klaviyo/throttle.js";

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

let throttle: Throttle;
afterEach(async () => {
  await throttle?.stop();
});

describe("parseLimit", () => {
  it("parses Klaviyo's notation", () => {
    expect(parseLimit("75/s")).toEqual({ count: 75, intervalMs: 1_000 });
    expect(parseLimit("750/m")).toEqual({ count: 750, intervalMs: 60_000 });
    expect(parseLimit("100/d")).toEqual({ count: 100, intervalMs: 86_400_000 });
    expect(parseLimit(" 3 / S ")).toEqual({ count: 3, intervalMs: 1_000 });
  });
  it("rejects anything else", () => {
    for (const bad of [undefined, "", "0/s", "abc", "5/w", "5", "-1/s"]) {
      expect(parseLimit(bad)).toBeUndefined();
    }
  });
});

describe("Throttle", () => {
  it("keeps at most N starts in any one-second window", async () => {
    throttle = new Throttle();
    const t0 = performance.now();
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 7 }, () =>
        throttle.schedule("get_profiles", { burst: "3/s" }, async () => {
          starts.push(performance.now() - t0);
        }),
      ),
    );
    starts.sort((a, b) => a - b);
    expect(starts).toHaveLength(7);
    expect(starts[2]).toBeLessThan(300); // the first three go at once
    // Sliding window: the (i+3)th start is at least a second after the ith.
    starts.slice(3).forEach((t, i) => {
      expect(t - (starts[i] ?? 0)).toBeGreaterThanOrEqual(950);
    });
  });

  it("bounds concurrency at min(burst, maxConcurrent)", async () => {
    throttle = new Throttle({ maxConcurrent: 10 });
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 15 }, () =>
        throttle.schedule("op", { burst: "100/s" }, async () => {
          peak = Math.max(peak, ++running);
          await delay(30);
          running--;
        }),
      ),
    );
    expect(peak).toBe(10);
  });

  it("uses separate limiters per key", async () => {
    throttle = new Throttle();
    const t0 = performance.now();
    await throttle.schedule("a", { burst: "1/s" }, async () => {});
    await throttle.schedule("b", { burst: "1/s" }, async () => {});
    expect(performance.now() - t0).toBeLessThan(300);
  });

  it("runs directly without a usable limit", async () => {
    throttle = new Throttle();
    expect(await throttle.schedule("op", undefined, async () => 1)).toBe(1);
    expect(await throttle.schedule("op2", { daily: "100/d" }, async () => 2)).toBe(2);
    expect(await throttle.schedule("op3", { burst: "nonsense" }, async () => 3)).toBe(3);
  });

  it("propagates results and errors", async () => {
    throttle = new Throttle();
    expect(await throttle.schedule("op", { burst: "5/s" }, async () => "ok")).toBe("ok");
    await expect(
      throttle.schedule("op", { burst: "5/s" }, async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
  });

  it("chains the steady limit and rejects an aborted queued call promptly", async () => {
    throttle = new Throttle();
    const limit = { burst: "10/s", steady: "3/m" };
    const started: number[] = [];
    const calls = [0, 1, 2].map((i) =>
      throttle.schedule("op", limit, async () => {
        started.push(i);
      }),
    );
    await Promise.all(calls);
    const ac = new AbortController();
    let fourthRan = false;
    const fourth = throttle.schedule(
      "op",
      limit,
      async () => {
        fourthRan = true;
      },
      { signal: ac.signal },
    );
    await delay(300);
    expect(started).toHaveLength(3);
    expect(fourthRan).toBe(false); // parked until the minute refills
    const t0 = performance.now();
    ac.abort();
    await expect(fourth).rejects.toMatchObject({ name: "AbortError" });
    expect(performance.now() - t0).toBeLessThan(100);
    expect(fourthRan).toBe(false);
  });

  it("skips the work of a call aborted while queued", async () => {
    throttle = new Throttle();
    await throttle.schedule("op", { burst: "1/s" }, async () => {});
    const ac = new AbortController();
    let ran = false;
    const queued = throttle.schedule(
      "op",
      { burst: "1/s" },
      async () => {
        ran = true;
      },
      { signal: ac.signal },
    );
    setTimeout(() => ac.abort(new Error("stop")), 50);
    await expect(queued).rejects.toMatchObject({ name: "AbortError" });
    // Its turn comes at the next refill; it must not run then either.
    await delay(1_400);
    expect(ran).toBe(false);
  });

  it("rejects at once for an already aborted signal", async () => {
    throttle = new Throttle();
    let ran = false;
    const p = throttle.schedule(
      "op",
      { burst: "5/s" },
      async () => {
        ran = true;
      },
      { signal: AbortSignal.abort() },
    );
    await expect(p).rejects.toMatchObject({ name: "AbortError" });
    expect(ran).toBe(false);
  });

  it("stop() rejects queued calls and later schedules", async () => {
    throttle = new Throttle();
    await throttle.schedule("op", { burst: "1/s" }, async () => {});
    const queued = throttle.schedule("op", { burst: "1/s" }, async () => "late");
    const assertion = expect(queued).rejects.toThrow();
    await throttle.stop();
    await assertion;
    await expect(throttle.schedule("op", { burst: "1/s" }, async () => 1)).rejects.toMatchObject({
      message: expect.stringMatching(/closed before the call's turn came/),
      outcome: "not_applied",
    });
  });
});
