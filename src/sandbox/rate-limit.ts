/**
 * Klaviyo-style rate limiting for the sandbox: per bucket (account + operation) a burst (1 s),
 * steady (60 s) and optional daily (86400 s) limit.
 *
 * Algorithm: a sliding log (the timestamps of the allowed requests in each bucket). Klaviyo
 * documents fixed windows, but a fixed window admits up to twice the limit across a window
 * boundary; the log never admits more than `limit` requests in ANY span of the window's length.
 * Every aligned fixed window is such a span, so a client that stays under the emulator's limits
 * also stays under Klaviyo's. Cost: one number per allowed request, at most the largest window's
 * limit per bucket, and buckets idle for longer than their largest window are swept.
 *
 * Time: `now()` is real ms; a nominal window of W seconds lasts W × timeScale real seconds.
 * Window lengths in RateLimit-Limit (`w=60`) stay nominal, so they read like Klaviyo's, while
 * RateLimit-Reset and Retry-After are REAL seconds rounded up (at least 1): they tell a client how
 * long to actually wait, at the price of over-waiting by up to a second when timeScale is small.
 */
import { randomUUID } from "node:crypto";

export interface RateLimitTier {
  burst: number;
  steady: number;
  daily?: number;
}

export interface RateLimitOptions {
  /** 0.01 makes a 60 s window last 0.6 s of real time. Default 1. */
  timeScale?: number;
  /** Real time in ms. Default Date.now. */
  now?: () => number;
}

export type RateLimitDecision =
  | { allowed: true; headers: Record<string, string> }
  | { allowed: false; retryAfterSeconds: number; headers: Record<string, string> };

interface Window {
  seconds: number;
  limit: number;
}

/** Timestamps of allowed requests, ascending; entries before `head` are expired. */
interface Bucket {
  log: number[];
  head: number;
  /** When every entry has left the largest window, so the bucket can be dropped. */
  idleAt: number;
}

interface WindowState {
  window: Window;
  count: number;
  remaining: number;
  /** Real ms until this window next frees a slot (0 when it holds nothing). */
  resetMs: number;
}

export class RateLimiter {
  readonly #scale: number;
  readonly #now: () => number;
  readonly #buckets = new Map<string, Bucket>();
  #last = Number.NEGATIVE_INFINITY;
  #nextSweep = Number.NEGATIVE_INFINITY;

  constructor(options: RateLimitOptions = {}) {
    const scale = options.timeScale ?? 1;
    if (!(Number.isFinite(scale) && scale > 0)) {
      throw new RangeError(`timeScale must be a positive number (got ${scale})`);
    }
    this.#scale = scale;
    this.#now = options.now ?? Date.now;
  }

  /** Counts one request against `bucket` if every window of `tier` has room. */
  take(bucket: string, tier: RateLimitTier): RateLimitDecision {
    const windows = windowsOf(bucket, tier);
    const now = this.#clock();
    this.#sweep(now);

    const span = this.#spanMs(Math.max(...windows.map((w) => w.seconds)));
    let b = this.#buckets.get(bucket);
    if (!b) {
      b = { log: [], head: 0, idleAt: now };
      this.#buckets.set(bucket, b);
    }
    prune(b, now - span);

    const before = windows.map((w) => this.#state(b, w, now));
    if (before.some((s) => s.remaining === 0)) {
      // A rejected request is not recorded: it costs the client nothing but the round trip.
      const waitMs = Math.max(...before.filter((s) => s.remaining === 0).map((s) => s.resetMs));
      const retryAfterSeconds = toSeconds(waitMs);
      const headers = rateLimitHeaders(windows, before);
      headers["Retry-After"] = String(retryAfterSeconds);
      return { allowed: false, retryAfterSeconds, headers };
    }

    b.log.push(now);
    b.idleAt = now + span;
    const after = windows.map((w) => this.#state(b, w, now));
    return { allowed: true, headers: rateLimitHeaders(windows, after) };
  }

  /** Forgets every bucket. */
  reset(): void {
    this.#buckets.clear();
    this.#last = Number.NEGATIVE_INFINITY;
    this.#nextSweep = Number.NEGATIVE_INFINITY;
  }

  /** Number of buckets held; for tests of the memory bound. */
  get size(): number {
    return this.#buckets.size;
  }

  /** `now()`, never going backwards, so each log stays sorted even if the wall clock is set back. */
  #clock(): number {
    this.#last = Math.max(this.#last, this.#now());
    return this.#last;
  }

  #spanMs(seconds: number): number {
    return seconds * 1_000 * this.#scale;
  }

  #state(b: Bucket, window: Window, now: number): WindowState {
    const start = firstAfter(b.log, b.head, now - this.#spanMs(window.seconds));
    const count = b.log.length - start;
    // The slot that frees next is the one whose expiry brings the count below the limit.
    const freeing = b.log[start + Math.max(0, count - window.limit)];
    const resetMs = freeing === undefined ? 0 : freeing + this.#spanMs(window.seconds) - now;
    return { window, count, remaining: Math.max(0, window.limit - count), resetMs };
  }

  /** Drops idle buckets, at most once per (scaled) minute so the cost is amortised. */
  #sweep(now: number): void {
    if (now < this.#nextSweep) return;
    this.#nextSweep = now + this.#spanMs(60);
    for (const [key, b] of this.#buckets) if (b.idleAt <= now) this.#buckets.delete(key);
  }
}

/** Klaviyo's 429 body. */
export function throttledBody(retryAfterSeconds: number): {
  errors: Array<{
    id: string;
    status: 429;
    code: "throttled";
    title: "Request was throttled.";
    detail: string;
    source: { pointer: "/data/" };
  }>;
} {
  return {
    errors: [
      {
        id: randomUUID(),
        status: 429,
        code: "throttled",
        title: "Request was throttled.",
        detail: `Request was throttled. Expected available in ${retryAfterSeconds} seconds.`,
        source: { pointer: "/data/" },
      },
    ],
  };
}

function windowsOf(bucket: string, tier: RateLimitTier): Window[] {
  const windows: Window[] = [
    { seconds: 1, limit: tier.burst },
    { seconds: 60, limit: tier.steady },
  ];
  if (tier.daily !== undefined) windows.push({ seconds: 86_400, limit: tier.daily });
  for (const w of windows) {
    if (!(Number.isInteger(w.limit) && w.limit > 0)) {
      throw new RangeError(
        `Rate limit for ${bucket} (${w.seconds} s window) must be a positive integer, got ${w.limit}`,
      );
    }
  }
  return windows;
}

/**
 * Headers describing the most constrained window: lowest remaining, then the longest wait.
 * RateLimit-Limit is "<that limit>, <limit>;w=<seconds>, ..." as Klaviyo sends it.
 */
function rateLimitHeaders(windows: Window[], states: WindowState[]): Record<string, string> {
  let worst = states[0] as WindowState;
  for (const s of states) {
    if (
      s.remaining < worst.remaining ||
      (s.remaining === worst.remaining && s.resetMs > worst.resetMs)
    ) {
      worst = s;
    }
  }
  const policies = windows.map((w) => `${w.limit};w=${w.seconds}`);
  return {
    "RateLimit-Limit": [String(worst.window.limit), ...policies].join(", "),
    "RateLimit-Remaining": String(worst.remaining),
    "RateLimit-Reset": String(toSeconds(worst.resetMs)),
  };
}

/** Whole seconds, rounded up, at least 1: waiting that long is always enough. */
function toSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1_000));
}

/** Index of the first entry at or after `from` that is later than `cutoff` (binary search). */
function firstAfter(log: number[], from: number, cutoff: number): number {
  let lo = from;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((log[mid] as number) > cutoff) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Marks entries at or before `cutoff` expired; compacts once half the array is dead. */
function prune(b: Bucket, cutoff: number): void {
  b.head = firstAfter(b.log, b.head, cutoff);
  if (b.head > 32 && b.head * 2 > b.log.length) {
    b.log = b.log.slice(b.head);
    b.head = 0;
  }
}
