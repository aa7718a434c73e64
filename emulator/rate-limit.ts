/**
 * Klaviyo-style rate limiting for the emulator: per bucket (account + operation) a burst (1 s),
 * steady (60 s) and optional daily (86400 s) limit.
 *
 * Algorithm: a sliding log (the timestamps of the allowed requests in each bucket). Klaviyo
 * documents fixed windows, but a fixed window admits up to twice the limit across a window
 * boundary; the log never admits more than `limit` requests in ANY span of the window's length.
 * Every aligned fixed window is such a span, so a client that stays under the emulator's limits
 * also stays under Klaviyo's. Cost: one number per allowed request, at most the largest window's
 * limit per bucket, and buckets idle for longer than their largest window are swept.
 *
 * Conditional tiers (get_profile with include=lists: 1/s, 15/m): such a request counts against
 * the operation's bucket AND a bucket of its own; `takeAll` admits it only if every bucket has
 * room, and then records it in all of them.
 *
 * Time: `now()` is real ms; a nominal window of W seconds lasts W × timeScale real seconds.
 * Every duration in the headers is nominal, as Klaviyo would state it: window lengths in
 * RateLimit-Limit (`w=60`), and RateLimit-Reset and Retry-After (whole nominal seconds, rounded
 * up, at least 1). A client that knows the time scale multiplies them by it; real seconds could
 * not express the sub-second waits of a scaled burst window.
 */
import { randomUUID } from "node:crypto";
import type { RateLimitCondition } from "./operation-types.js";

export interface RateLimitTier {
  burst: number;
  steady: number;
  daily?: number;
}

/** One bucket a request counts against, with the tier that bounds it. */
export interface BucketRequest {
  bucket: string;
  tier: RateLimitTier;
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
    return this.takeAll([{ bucket, tier }]);
  }

  /**
   * Counts one request against every bucket if every window of every bucket has room, and
   * against none otherwise. Retry-After is the longest wait among the full windows; the headers
   * describe the most constrained bucket (the one holding the most constrained window).
   */
  takeAll(requests: readonly BucketRequest[]): RateLimitDecision {
    if (requests.length === 0) throw new RangeError("takeAll needs at least one bucket");
    if (new Set(requests.map((r) => r.bucket)).size !== requests.length) {
      throw new RangeError(
        `takeAll got the same bucket twice: ${requests.map((r) => r.bucket).join(", ")}`,
      );
    }
    const plans = requests.map(({ bucket, tier }) => ({
      bucket,
      windows: windowsOf(bucket, tier),
    }));
    const now = this.#clock();
    this.#sweep(now);

    const entries = plans.map(({ bucket, windows }) => {
      const span = this.#spanMs(Math.max(...windows.map((w) => w.seconds)));
      // A new bucket is stored only once a request is recorded in it.
      const b = this.#buckets.get(bucket) ?? { log: [], head: 0, idleAt: now };
      prune(b, now - span);
      return { bucket, windows, span, b, states: windows.map((w) => this.#state(b, w, now)) };
    });
    const full = entries.flatMap((e) => e.states.filter((s) => s.remaining === 0));
    if (full.length > 0) {
      // A rejected request is not recorded: it costs the client nothing but the round trip.
      const retryAfterSeconds = toSeconds(Math.max(...full.map((s) => s.resetMs)), this.#scale);
      const worst = mostConstrained(entries);
      const headers = rateLimitHeaders(worst.windows, worst.states, this.#scale);
      headers["Retry-After"] = String(retryAfterSeconds);
      return { allowed: false, retryAfterSeconds, headers };
    }

    for (const e of entries) {
      e.b.log.push(now);
      e.b.idleAt = now + e.span;
      this.#buckets.set(e.bucket, e.b);
      e.states = e.windows.map((w) => this.#state(e.b, w, now));
    }
    const worst = mostConstrained(entries);
    return { allowed: true, headers: rateLimitHeaders(worst.windows, worst.states, this.#scale) };
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
 * The buckets a request counts against: `key` (account + operation) with the operation's tier,
 * plus `key:parameter=value` for each condition the query triggers, i.e. whose parameter holds
 * the value as one item of its comma list (items trimmed, as the handlers read them).
 */
export function bucketsFor(
  key: string,
  limit: RateLimitTier & { conditions?: readonly RateLimitCondition[] },
  query: URLSearchParams,
): BucketRequest[] {
  const out: BucketRequest[] = [{ bucket: key, tier: limit }];
  for (const c of limit.conditions ?? []) {
    const used = query
      .getAll(c.parameter)
      .some((list) => list.split(",").some((item) => item.trim() === c.value));
    if (used) {
      out.push({
        bucket: `${key}:${c.parameter}=${c.value}`,
        tier: { burst: c.burst, steady: c.steady },
      });
    }
  }
  return out;
}

/** Lowest remaining first, then the longer wait. */
function tighter(a: WindowState, b: WindowState): boolean {
  return a.remaining < b.remaining || (a.remaining === b.remaining && a.resetMs > b.resetMs);
}

function worstOf(states: WindowState[]): WindowState {
  let worst = states[0] as WindowState;
  for (const s of states) if (tighter(s, worst)) worst = s;
  return worst;
}

/** The bucket holding the most constrained window; the first one on a tie. */
function mostConstrained<T extends { states: WindowState[] }>(entries: T[]): T {
  let worst = entries[0] as T;
  for (const e of entries) if (tighter(worstOf(e.states), worstOf(worst.states))) worst = e;
  return worst;
}

/**
 * Headers describing the most constrained window: lowest remaining, then the longest wait.
 * RateLimit-Limit is "<that limit>, <limit>;w=<seconds>, ..." as Klaviyo sends it.
 */
function rateLimitHeaders(
  windows: Window[],
  states: WindowState[],
  scale: number,
): Record<string, string> {
  const worst = worstOf(states);
  const policies = windows.map((w) => `${w.limit};w=${w.seconds}`);
  return {
    "RateLimit-Limit": [String(worst.window.limit), ...policies].join(", "),
    "RateLimit-Remaining": String(worst.remaining),
    "RateLimit-Reset": String(toSeconds(worst.resetMs, scale)),
  };
}

/** Whole nominal seconds, rounded up, at least 1: waiting that long is always enough. */
function toSeconds(realMs: number, scale: number): number {
  // The small epsilon keeps float noise (600 / 0.01 = 60000.000000000001) from adding a second.
  return Math.max(1, Math.ceil(realMs / 1_000 / scale - 1e-9));
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
