import { describe, expect, it } from "vitest";
import {
  type RateLimitDecision,
  RateLimiter,
  type RateLimitTier,
  throttledBody,
} from "../../src/sandbox/rate-limit.js";

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
    // 60 s nominal = 600 ms real; Retry-After is real seconds rounded up.
    expect(d.retryAfterSeconds).toBe(1);
    expect(d.headers["RateLimit-Limit"]).toBe("5, 5;w=1, 5;w=60");
    c.advance(599);
    expect(rl.take("a", tier).allowed).toBe(false);
    c.advance(1);
    expect(rl.take("a", tier).allowed).toBe(true);
  });

  it("rounds Retry-After up to real seconds at larger time scales", () => {
    const c = clock();
    const rl = new RateLimiter({ now: c.now, timeScale: 0.1 });
    takeN(rl, 1, "a", { burst: 1, steady: 1 });
    expect(rejected(rl.take("a", { burst: 1, steady: 1 })).retryAfterSeconds).toBe(6);
    c.advance(5_001);
    expect(rejected(rl.take("a", { burst: 1, steady: 1 })).retryAfterSeconds).toBe(1);
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
