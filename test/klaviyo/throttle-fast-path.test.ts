/**
 * The in-process throttle's fast path: with room in every window and nobody queued, a call takes
 * its slots at once (no turn through Bottleneck's scheduler); queued calls are never overtaken.
 */
import type Bottleneck from "bottleneck";
import { afterEach, describe, expect, it } from "vitest";
import { RedisSlots } from "../../src/klaviyo/redis-slots.js";
import { Throttle } from "../../src/klaviyo/throttle.js";
import { type LimiterSpec, LocalSlots } from "../../src/klaviyo/throttle-store.js";

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** The in-process store, keeping the limiters it makes so that a test can watch them. */
class WatchedSlots extends LocalSlots {
  readonly limiters: Bottleneck[] = [];
  override limiter(id: string, spec: LimiterSpec): Bottleneck {
    const limiter = super.limiter(id, spec);
    this.limiters.push(limiter);
    return limiter;
  }
}

let throttle: Throttle;
afterEach(async () => {
  await throttle?.stop();
});

describe("Throttle fast path", () => {
  it("runs a call with room synchronously, within schedule itself", async () => {
    throttle = new Throttle();
    const limit = { burst: "5/s", steady: "100/m" };
    for (let i = 0; i < 5; i++) {
      let ran = false;
      const call = throttle.schedule("op", limit, async () => {
        ran = true;
      });
      expect(ran).toBe(true);
      await call;
    }
    // The burst window is spent: the sixth call waits for a slot.
    let sixthRan = false;
    const sixth = throttle.schedule("op", limit, async () => {
      sixthRan = true;
    });
    expect(sixthRan).toBe(false);
    await delay(200);
    expect(sixthRan).toBe(false);
    await sixth;
    expect(sixthRan).toBe(true);
  });

  it("rejects an aborted queued call at once; the next call still waits for the window", async () => {
    throttle = new Throttle();
    const limit = { burst: "1/s", steady: "100/m" };
    const started = Date.now();
    await throttle.schedule("op", limit, async () => {});
    const controller = new AbortController();
    const aborted = throttle.schedule("op", limit, async () => "sent", {
      signal: controller.signal,
    });
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: "AbortError" });
    // The aborted call still sits in the limiters: a new call queues behind it, not past it.
    let ranAt = 0;
    const next = throttle.schedule("op", limit, async () => {
      ranAt = Date.now();
    });
    expect(ranAt).toBe(0);
    await next;
    // It ran once the burst window freed (the aborted call gave its slot back unsent).
    expect(ranAt - started).toBeGreaterThanOrEqual(950);
    expect(ranAt - started).toBeLessThan(2_000);
  });

  it("never lets a new call overtake a queued one (FIFO between fast and queued calls)", async () => {
    const store = new WatchedSlots();
    throttle = new Throttle({ store });
    const limit = { burst: "1/s" };
    const order: string[] = [];
    const call = (name: string) =>
      throttle.schedule("op", limit, async () => {
        order.push(name);
      });
    const a = call("a"); // fast: takes the only slot at once
    expect(order).toEqual(["a"]);
    const b = call("b"); // no room: queued until a's slot comes back
    await delay(100); // past b's first, failed turn
    let c: Promise<void> | undefined;
    let overtaken = false;
    // The moment the slot is back and Bottleneck starts handing it to b: a new call sees room
    // in the window, yet must not take it ahead of b.
    store.limiters[0]?.on("debug", (message: string) => {
      if (c === undefined && message.startsWith("Draining")) {
        c = call("c");
        overtaken = order.length > 1;
      }
    });
    await Promise.all([a, b]);
    await delay(50);
    expect(c).toBeDefined();
    expect(overtaken).toBe(false);
    await c;
    expect(order).toEqual(["a", "b", "c"]);
    await store.stop();
  });

  it("queues behind a call that holds the only concurrency slot, then runs at once again", async () => {
    throttle = new Throttle({ maxConcurrent: 1 });
    const limit = { burst: "100/s" };
    const order: string[] = [];
    const first = gate();
    const call = (name: string, hold?: Promise<void>) =>
      throttle.schedule("op", limit, async () => {
        order.push(name);
        await hold;
      });
    const a = call("a", first.promise);
    expect(order).toEqual(["a"]);
    const b = call("b");
    await delay(20);
    expect(order).toEqual(["a"]);
    first.open();
    await a;
    const c = call("c");
    expect(order).toEqual(["a"]);
    await Promise.all([b, c]);
    expect(order).toEqual(["a", "b", "c"]);
    // Once nobody is queued, the fast path is open again.
    const d = call("d");
    expect(order).toEqual(["a", "b", "c", "d"]);
    await d;
  });

  it("counts fast calls against the windows the queued ones wait in", async () => {
    throttle = new Throttle();
    const limit = { burst: "3/s" };
    const starts: number[] = [];
    const t0 = performance.now();
    const calls = Array.from({ length: 6 }, () =>
      throttle.schedule("op", limit, async () => {
        starts.push(performance.now() - t0);
      }),
    );
    expect(starts).toHaveLength(3); // three fast, three queued
    await Promise.all(calls);
    starts.slice(3).forEach((t, i) => {
      expect(t - (starts[i] ?? 0)).toBeGreaterThanOrEqual(950);
    });
  });

  it("a fast call that fails gives its slot back one window later, as a sent call", async () => {
    throttle = new Throttle();
    const limit = { burst: "1/s" };
    await expect(
      throttle.schedule("op", limit, async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    const started = performance.now();
    await throttle.schedule("op", limit, async () => {});
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("holds and a queued conditional bucket send calls the slow way", async () => {
    throttle = new Throttle();
    const limit = {
      burst: "10/s",
      conditions: [{ parameter: "include", value: "lists", burst: "1/s" }],
    };
    const query: Array<[string, string]> = [["include", "lists"]];
    await throttle.schedule("op", limit, async () => {}, { query });
    let ran = false;
    const queued = throttle.schedule(
      "op",
      limit,
      async () => {
        ran = true;
      },
      { query },
    );
    // A plain call shares only the operation's bucket, which nobody waits in: it goes at once.
    let plainRan = false;
    await throttle.schedule("op", limit, async () => {
      plainRan = true;
    });
    expect(plainRan).toBe(true);
    expect(ran).toBe(false);
    await queued;
    throttle.holdUntil("op", limit, [], Date.now() + 200);
    const held = Date.now();
    await throttle.schedule("op", limit, async () => {});
    expect(Date.now() - held).toBeGreaterThanOrEqual(180);
  });
});

describe("Slot stores", () => {
  it("the in-process store takes slots at once, or not at all", async () => {
    const store = new LocalSlots();
    const limiter = store.limiter("w", { reservoir: 1, maxConcurrent: 1, windowMs: 1000 });
    const window = { id: "w", label: "burst" as const, count: 1, ms: 1000, limiter };
    const ticket = store.takeNow([window]);
    expect(ticket).toBeDefined();
    expect(store.takeNow([window])).toBeUndefined();
    ticket?.settle(false); // never sent: the slot comes straight back
    await delay(10);
    expect(await limiter.currentReservoir()).toBe(1);
    await store.stop();
    await limiter.stop();
  });

  it("the Redis store has no fast path: its windows are counted in Redis", () => {
    expect("takeNow" in RedisSlots.prototype).toBe(false);
  });
});
