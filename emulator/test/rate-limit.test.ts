import { describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../emulator.js";
import { OPERATIONS } from "../operations/index.js";
import {
  bucketsFor,
  type RateLimitDecision,
  RateLimiter,
  type RateLimitTier,
  throttledBody,
} from "../rate-limit.js";
import { api } from "./support.js";

/** A hand-driven clock in real ms. */
function clock(start = 1_000_000) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

const M: RateLimitTier = { burst: 10, steady: 150 };

function takeN(rl: RateLimiter, n: number, bucket = "acct:op", tier = M): RateLimitDecision[] {
  return Array.from({ length: n }, () => rl.take(bucket, tier));
}

function rejected(d: RateLimitDecision) {
  if (d.allowed) throw new Error("expected a rejection");
  return d;
}

describe("RateLimiter", () => {
  it("exhausts the burst window, then recovers once the window has passed", () => {
    const c = clock();
    const rl = new RateLimiter({ now: c.now });
    expect(takeN(rl, 10).every((d) => d.allowed)).toBe(true);
    const d = rejected(rl.take("acct:op", M));
    expect(d.retryAfterSeconds).toBe(1);
    expect(d.headers["Retry-After"]).toBe("1");

    c.advance(999);
    expect(rl.take("acct:op", M).allowed).toBe(false);
    c.advance(1);
    expect(rl.take("acct:op", M).allowed).toBe(true);
  });

  it("never admits more than the burst limit in any 1 s span (sliding, not fixed)", () => {
    const c = clock();
    const rl = new RateLimiter({ now: c.now });
    c.advance(900);
    expect(takeN(rl, 10).every((d) => d.allowed)).toBe(true);
    // A fixed window aligned to whole seconds would reset here and admit 10 more.
    c.advance(200);
    expect(rl.take("acct:op", M).allowed).toBe(false);
  });

  it("enforces the steady window with a Retry-After up to the oldest request's expiry", () => {
    const c = clock();
    const rl = new RateLimiter({ now: c.now });
    const tier = { burst: 10, steady: 30 };
    for (let s = 0; s < 3; s++) {
      expect(takeN(rl, 10, "a", tier).every((d) => d.allowed)).toBe(true);
      c.advance(1_000);
    }
    // 30 taken at t=0,1,2 s; now t=3 s: the first ten leave the window at t=60 s.
    const d = rejected(rl.take("a", tier));
    expect(d.retryAfterSeconds).toBe(57);
    expect(d.headers["RateLimit-Remaining"]).toBe("0");
    expect(d.headers["RateLimit-Reset"]).toBe("57");
    expect(d.headers["RateLimit-Limit"]).toBe("30, 10;w=1, 30;w=60");

    c.advance(56_999);
    expect(rl.take("a", tier).allowed).toBe(false);
    c.advance(1);
    expect(takeN(rl, 10, "a", tier).every((d) => d.allowed)).toBe(true);
    expect(rl.take("a", tier).allowed).toBe(false);
  });

  it("enforces the daily window", () => {
    const c = clock();
    const rl = new RateLimiter({ now: c.now });
    const tier = { burst: 10, steady: 100, daily: 3 };
    expect(takeN(rl, 3, "a", tier).every((d) => d.allowed)).toBe(true);
    const d = rejected(rl.take("a", tier));
    expect(d.retryAfterSeconds).toBe(86_400);
    expect(d.headers["RateLimit-Limit"]).toBe("3, 10;w=1, 100;w=60, 3;w=86400");

    c.advance(86_400_000 - 1);
    expect(rl.take("a", tier).allowed).toBe(false);
    c.advance(1);
    expect(rl.take("a", tier).allowed).toBe(true);
  });

  it("describes the most constrained window on success", () => {
    const c = clock();
    const rl = new RateLimiter({ now: c.now });
    const first = rl.take("a", M);
    expect(first.headers).toEqual({
      "RateLimit-Limit": "10, 10;w=1, 150;w=60",
      "RateLimit-Remaining": "9",
      "RateLimit-Reset": "1",
    });
    takeN(rl, 9, "a");
    // The burst window refills; the steady window (15/min) then has the lowest remaining.
    c.advance(1_500);
    expect(rl.take("a", { burst: 10, steady: 15 }).headers).toEqual({
      "RateLimit-Limit": "15, 10;w=1, 15;w=60",
      "RateLimit-Remaining": "4",
      "RateLimit-Reset": "59",
    });
  });

  it("breaks a tie in remaining by the longer wait", () => {
    const rl = new RateLimiter({ now: clock().now });
    const d = rl.take("a", { burst: 1, steady: 1 });
    expect(d.headers["RateLimit-Limit"]).toBe("1, 1;w=1, 1;w=60");
    expect(d.headers["RateLimit-Reset"]).toBe("60");
  });

  it("does not count rejected requests", () => {
    const c = clock();
    const rl = new RateLimiter({ now: c.now });
    const tier = { burst: 2, steady: 3 };
    takeN(rl, 2, "a", tier);
    for (let i = 0; i < 50; i++) expect(rl.take("a", tier).allowed).toBe(false);
    c.advance(1_000);
    // Had the rejections counted, the steady window would still be full.
    const d = rl.take("a", tier);
    expect(d.allowed).toBe(true);
    expect(d.headers["RateLimit-Remaining"]).toBe("0");
    expect(rl.take("a", tier).allowed).toBe(false);
  });

  it("scales windows by timeScale but keeps nominal window lengths in the headers", () => {
    const c = clock();
    const rl = new RateLimiter({ now: c.now, timeScale: 0.01 });
    const tier = { burst: 5, steady: 5 };
    takeN(rl, 5, "a", tier);
    const d = rejected(rl.take("a", tier));
    // 60 s nominal = 600 ms real; Retry-After states the nominal 60 s, as Klaviyo would.
    expect(d.retryAfterSeconds).toBe(60);
    expect(d.headers["RateLimit-Limit"]).toBe("5, 5;w=1, 5;w=60");
    c.advance(599);
    expect(rl.take("a", tier).allowed).toBe(false);
    c.advance(1);
    expect(rl.take("a", tier).allowed).toBe(true);
  });

  it("rounds Retry-After up to whole nominal seconds when scaled", () => {
    const c = clock();
    const rl = new RateLimiter({ now: c.now, timeScale: 0.1 });
    takeN(rl, 1, "a", { burst: 1, steady: 1 });
    expect(rejected(rl.take("a", { burst: 1, steady: 1 })).retryAfterSeconds).toBe(60);
    c.advance(5_001); // 999 ms real left: 9.99 nominal seconds
    expect(rejected(rl.take("a", { burst: 1, steady: 1 })).retryAfterSeconds).toBe(10);
  });

  it("keeps buckets independent", () => {
    const rl = new RateLimiter({ now: clock().now });
    const tier = { burst: 1, steady: 10 };
    expect(rl.take("acct1:get_profiles", tier).allowed).toBe(true);
    expect(rl.take("acct1:get_profiles", tier).allowed).toBe(false);
    expect(rl.take("acct1:get_lists", tier).allowed).toBe(true);
    expect(rl.take("acct2:get_profiles", tier).allowed).toBe(true);
  });

  it("reset() forgets all usage", () => {
    const rl = new RateLimiter({ now: clock().now });
    takeN(rl, 10, "a");
    expect(rl.take("a", M).allowed).toBe(false);
    rl.reset();
    expect(rl.take("a", M).allowed).toBe(true);
  });

  it("drops buckets that have been idle longer than their largest window", () => {
    const c = clock();
    const rl = new RateLimiter({ now: c.now });
    for (let i = 0; i < 100; i++) rl.take(`acct:${i}`, M);
    expect(rl.size).toBe(100);
    c.advance(60_000);
    rl.take("other", M);
    expect(rl.size).toBe(1);
  });

  it("keeps the log bounded under sustained traffic", () => {
    const c = clock();
    const rl = new RateLimiter({ now: c.now });
    let allowed = 0;
    for (let i = 0; i < 20_000; i++) {
      if (rl.take("a", M).allowed) allowed++;
      c.advance(50);
    }
    // 1000 s of traffic at 20/s: the steady limit (150/min) binds.
    expect(allowed).toBeGreaterThanOrEqual(150 * 16);
    expect(allowed).toBeLessThanOrEqual(150 * 17);
  });

  it("does not break when the clock steps backwards", () => {
    const c = clock();
    const rl = new RateLimiter({ now: c.now });
    takeN(rl, 10, "a");
    c.advance(-5_000);
    expect(rl.take("a", M).allowed).toBe(false);
  });

  it("rejects invalid tiers and time scales", () => {
    const rl = new RateLimiter();
    expect(() => rl.take("a", { burst: 0, steady: 1 })).toThrow(/positive integer/);
    expect(() => rl.take("a", { burst: 1, steady: 1, daily: 1.5 })).toThrow(/86400 s window/);
    expect(() => new RateLimiter({ timeScale: 0 })).toThrow(/timeScale/);
  });
});

describe("RateLimiter.takeAll (conditional tiers)", () => {
  const base = { bucket: "a:get_profile", tier: { burst: 3, steady: 100 } };
  const cond = { bucket: "a:get_profile:include=lists", tier: { burst: 1, steady: 15 } };

  it("admits a request only if every bucket has room, and records it in all of them", () => {
    const c = clock();
    const rl = new RateLimiter({ now: c.now });
    expect(rl.takeAll([base, cond]).allowed).toBe(true);
    // The condition's bucket is full: rejected, and recorded in neither bucket.
    const d = rejected(rl.takeAll([base, cond]));
    expect(d.retryAfterSeconds).toBe(1);
    // The base bucket saw exactly one request: two more fit, then it is full too.
    expect(rl.take(base.bucket, base.tier).allowed).toBe(true);
    expect(rl.take(base.bucket, base.tier).allowed).toBe(true);
    expect(rl.take(base.bucket, base.tier).allowed).toBe(false);
    c.advance(1_000);
    // The condition's bucket has room again, and the base one too.
    expect(rl.takeAll([base, cond]).allowed).toBe(true);
  });

  it("rejects when the base bucket is full even if the condition's has room", () => {
    const c = clock();
    const rl = new RateLimiter({ now: c.now });
    takeN(rl, 3, base.bucket, base.tier);
    rejected(rl.takeAll([base, cond]));
    c.advance(1_000);
    // Had the rejection been recorded in the condition's bucket, this would fail.
    expect(rl.takeAll([base, cond]).allowed).toBe(true);
    expect(rl.size).toBe(2);
  });

  it("answers with the longest wait among the full buckets", () => {
    const c = clock();
    const rl = new RateLimiter({ now: c.now });
    const steadyFull = { bucket: "s", tier: { burst: 10, steady: 2 } };
    const burstFull = { bucket: "b", tier: { burst: 1, steady: 100 } };
    rl.take(steadyFull.bucket, steadyFull.tier);
    c.advance(10_000);
    rl.take(steadyFull.bucket, steadyFull.tier);
    rl.take(burstFull.bucket, burstFull.tier);
    // "b" frees in 1 s; "s" frees when its first request (10 s ago) leaves the minute: 50 s.
    const d = rejected(rl.takeAll([burstFull, steadyFull]));
    expect(d.retryAfterSeconds).toBe(50);
    expect(d.headers["Retry-After"]).toBe("50");
    expect(d.headers["RateLimit-Limit"]).toBe("2, 10;w=1, 2;w=60");
  });

  it("describes the most constrained bucket on success", () => {
    const rl = new RateLimiter({ now: clock().now });
    const d = rl.takeAll([
      { bucket: "a", tier: { burst: 75, steady: 750 } },
      { bucket: "a:include=lists", tier: { burst: 1, steady: 15 } },
    ]);
    expect(d.headers).toEqual({
      "RateLimit-Limit": "1, 1;w=1, 15;w=60",
      "RateLimit-Remaining": "0",
      "RateLimit-Reset": "1",
    });
    const plain = rl.take("a", { burst: 75, steady: 750 });
    expect(plain.headers["RateLimit-Remaining"]).toBe("73");
  });

  it("refuses an empty or repeated bucket list", () => {
    const rl = new RateLimiter();
    expect(() => rl.takeAll([])).toThrow(/at least one/);
    expect(() => rl.takeAll([base, base])).toThrow(/same bucket twice/);
  });
});

describe("bucketsFor", () => {
  const limit = {
    burst: 75,
    steady: 750,
    conditions: [
      { parameter: "include", value: "lists", burst: 1, steady: 15 },
      { parameter: "include", value: "segments", burst: 1, steady: 15 },
      {
        parameter: "additional-fields[profile]",
        value: "predictive_analytics",
        burst: 10,
        steady: 150,
      },
    ],
  };
  const names = (query: string) =>
    bucketsFor("k:get_profile", limit, new URLSearchParams(query)).map((b) => b.bucket);

  it("adds a bucket per condition whose value is one item of the parameter's list", () => {
    expect(names("")).toEqual(["k:get_profile"]);
    expect(names("include=conversations")).toEqual(["k:get_profile"]);
    expect(names("include=conversations, lists")).toEqual([
      "k:get_profile",
      "k:get_profile:include=lists",
    ]);
    expect(
      names("include=lists,segments&additional-fields%5Bprofile%5D=predictive_analytics"),
    ).toEqual([
      "k:get_profile",
      "k:get_profile:include=lists",
      "k:get_profile:include=segments",
      "k:get_profile:additional-fields[profile]=predictive_analytics",
    ]);
  });

  it("matches whole items only, and gives each bucket its own tier", () => {
    expect(names("include=listsx,xlists,list")).toEqual(["k:get_profile"]);
    expect(names("fields%5Bprofile%5D=lists")).toEqual(["k:get_profile"]);
    const [own, lists] = bucketsFor("k", limit, new URLSearchParams("include=lists"));
    expect(own?.tier).toMatchObject({ burst: 75, steady: 750 });
    expect(lists?.tier).toEqual({ burst: 1, steady: 15 });
  });
});

describe("emulator conditional rate limits", () => {
  it("carries the documented conditional tiers in the catalog", () => {
    const conditional = Object.fromEntries(
      OPERATIONS.filter((op) => op.rateLimit.conditions).map((op) => [
        op.id,
        op.rateLimit.conditions?.map((c) => `${c.parameter}=${c.value} ${c.burst}/${c.steady}`),
      ]),
    );
    expect(conditional).toEqual({
      get_list: ["additional-fields[list]=profile_count 1/15"],
      get_profile: ["include=lists 1/15", "include=segments 1/15"],
      get_profiles: ["additional-fields[profile]=predictive_analytics 10/150"],
      get_profiles_for_list: ["additional-fields[profile]=predictive_analytics 10/150"],
      get_segment: ["additional-fields[segment]=profile_count 1/15"],
    });
  });

  it("limits get_profile with include=lists at 1/s, apart from plain calls, which it still counts against", async () => {
    // timeScale 10: the 1 s window lasts 10 real seconds, so nothing below can slip out of it
    // even on a slow machine; the test never waits for a window to pass.
    const emulator: Emulator = await startEmulator({ timeScale: 10 });
    try {
      const call = api(emulator);
      const path = `/api/profiles/${emulator.demo?.profileIds[0]}`;
      const first = await call("GET", `${path}?include=lists`);
      expect(first.status).toBe(200);
      expect(first.headers.get("ratelimit-limit")).toBe("1, 1;w=1, 15;w=60");
      expect(first.headers.get("ratelimit-remaining")).toBe("0");

      const second = await call("GET", `${path}?include=conversations,lists`);
      expect(second.status).toBe(429);
      expect(Number(second.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(second.body.errors[0].code).toBe("throttled");

      // Another condition has a bucket of its own.
      expect((await call("GET", `${path}?include=segments`)).status).toBe(200);
      // Plain calls are not blocked by the full condition buckets...
      const plain = await call("GET", path);
      expect(plain.status).toBe(200);
      // ...but the two conditional calls that went through used base slots (the 429 did not):
      // 75 - 2 - 1 = 72 left in the burst window.
      expect(plain.headers.get("ratelimit-limit")).toBe("75, 75;w=1, 750;w=60");
      expect(plain.headers.get("ratelimit-remaining")).toBe("72");
      const statuses: number[] = [];
      for (let i = 0; i < 73; i++) statuses.push((await call("GET", path)).status);
      expect(statuses.slice(0, 72).every((s) => s === 200)).toBe(true);
      expect(statuses[72]).toBe(429);
    } finally {
      await emulator.close();
    }
  });
});

describe("throttledBody", () => {
  it("matches Klaviyo's 429 body", () => {
    const body = throttledBody(7);
    expect(body).toEqual({
      errors: [
        {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          status: 429,
          code: "throttled",
          title: "Request was throttled.",
          detail: "Request was throttled. Expected available in 7 seconds.",
          source: { pointer: "/data/" },
        },
      ],
    });
  });
});
