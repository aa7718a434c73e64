/**
 * Client-side throttle: keeps every call within Klaviyo's published limits for its bucket (the
 * account and the operation, plus a bucket per conditional limit such as get_profile with
 * include=list), at the full allowance and not beyond, so that a fan-out of tool calls queues
 * instead of collecting 429s.
 *
 * Each window of a bucket (burst 1 s, steady 60 s, daily 24 h) is one Bottleneck limiter whose
 * reservoir holds the window's count. A call takes a slot from every window, and each slot comes
 * back exactly one window after the call COMPLETED. So no window of that length, sliding or
 * fixed, ever holds more calls than the limit: Klaviyo counted the call at some moment before
 * its answer arrived. This is a sliding log kept as counts, which Bottleneck can share across
 * processes (see throttle-store.ts). A fixed-window refresh or a token bucket would either
 * overshoot at window edges or give up part of the allowance.
 *
 * In process, a call that finds room in every window, with no call of its buckets queued and no
 * hold, takes its slots at once (LocalSlots.takeNow) instead of a turn through the limiters,
 * which costs several event-loop turns and a timer per window; the others queue, in order.
 *
 * A daily window that is empty fails the call at once with the time a slot frees, instead of
 * parking it for hours. The server's own signals (a 429's Retry-After, RateLimit-Remaining 0)
 * hold a bucket's calls until the time it names.
 *
 * Shared through Redis (redis-slots.ts), the windows are counted there instead: the limiters
 * only queue, and a call takes its slots from Redis just before it is sent.
 */
import {
  KlaviyoAbortError,
  KlaviyoClosedError,
  KlaviyoDailyLimitError,
  KlaviyoError,
} from "./errors.js";
import { sleep } from "./sleep.js";
import { LocalSlots, type SlotStore, type SlotTicket, type SlotWindow } from "./throttle-store.js";

/** A rate limit as Klaviyo states it: "75/s", "750/m", "100/d", plus conditional limits. */
export interface RateLimit {
  burst?: string;
  steady?: string;
  daily?: string;
  conditions?: ReadonlyArray<{ parameter: string; value: string; burst?: string; steady?: string }>;
}

export interface ParsedLimit {
  count: number;
  intervalMs: number;
}

const DAY_MS = 86_400_000;
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: DAY_MS };

/** "75/s" → {count: 75, intervalMs: 1000}; undefined for anything unparseable. */
export function parseLimit(spec: string | undefined): ParsedLimit | undefined {
  const m = /^\s*(\d+)\s*\/\s*([smhd])\s*$/i.exec(spec ?? "");
  if (!m?.[1] || !m[2]) return undefined;
  const count = Number(m[1]);
  const intervalMs = UNIT_MS[m[2].toLowerCase()];
  if (!(count > 0) || intervalMs === undefined) return undefined;
  return { count, intervalMs };
}

export interface ThrottleOptions {
  /** Names the allowance's owner in shared stores (a hash of the API key). Default "local". */
  account?: string;
  /** Where slots are kept: in process (default) or shared through Redis. Not owned. */
  store?: SlotStore;
  /** Multiplies every window: tests and benchmarks against a time-scaled emulator. Default 1. */
  timeScale?: number;
  /** Calls of one bucket in flight at once (at 100-200 ms per call, 50 can use a 350/s tier). Default 50. */
  maxConcurrent?: number;
  /** How often a waiting call reports that it is still waiting (onWait). Default 1000 ms. */
  waitNoticeMs?: number;
}

export interface ScheduleOptions {
  signal?: AbortSignal;
  /** The request's query pairs (wire names), which may trigger conditional limits. */
  query?: ReadonlyArray<readonly [string, string]>;
  /** Called every waitNoticeMs while the call is still queued, with the time waited so far. */
  onWait?: (waitedMs: number) => void;
}

interface Bucket {
  windows: SlotWindow[];
  /** The server asked for no calls before this time (ms since epoch). */
  heldUntil: number;
  /** Calls waiting in its limiters: while any is, no call takes the fast path past them. */
  queued: number;
}

export class Throttle {
  readonly #buckets = new Map<string, Bucket | null>();
  readonly #account: string;
  readonly #store: SlotStore;
  readonly #ownsStore: boolean;
  readonly #scale: number;
  readonly #maxConcurrent: number;
  readonly #waitNoticeMs: number;
  #stopped = false;

  constructor(options: ThrottleOptions = {}) {
    this.#account = options.account ?? "local";
    this.#ownsStore = options.store === undefined;
    this.#store = options.store ?? new LocalSlots();
    this.#scale = options.timeScale ?? 1;
    this.#maxConcurrent = options.maxConcurrent ?? 50;
    this.#waitNoticeMs = options.waitNoticeMs ?? 1_000;
  }

  /**
   * Runs `fn` once every window of the call's buckets has a slot. Aborting `signal` while the
   * call is queued rejects at once; `fn` never runs and its slots are given straight back.
   */
  async schedule<T>(
    operationId: string,
    rateLimit: RateLimit | undefined,
    fn: () => Promise<T>,
    options: ScheduleOptions = {},
  ): Promise<T> {
    const { signal } = options;
    if (signal?.aborted) throw new KlaviyoAbortError(operationId);
    if (this.#stopped) throw new KlaviyoClosedError(operationId);
    const buckets = this.#bucketsFor(operationId, rateLimit, options.query);
    if (buckets.length === 0) return fn();
    const windows =
      buckets.length === 1
        ? (buckets[0] as Bucket).windows
        : buckets.flatMap((b) => b.windows).sort((a, b) => b.ms - a.ms);
    const ticket = this.#takeNow(buckets, windows);
    if (ticket) {
      try {
        return await fn();
      } finally {
        ticket.settle(true);
      }
    }
    return this.#queue(operationId, buckets, windows, fn, options);
  }

  /**
   * The fast path: every window has room, no call of these buckets is queued and none is held,
   * so the slots are taken at once and the call runs without a turn through the limiters.
   */
  #takeNow(buckets: readonly Bucket[], windows: readonly SlotWindow[]): SlotTicket | undefined {
    if (!this.#store.takeNow) return undefined;
    const now = Date.now();
    for (const bucket of buckets) {
      if (bucket.queued > 0 || bucket.heldUntil > now) return undefined;
    }
    return this.#store.takeNow(windows);
  }

  /** The call waits its turn in the windows' limiters (FIFO), holds and daily refusal included. */
  async #queue<T>(
    operationId: string,
    buckets: readonly Bucket[],
    windows: readonly SlotWindow[],
    fn: () => Promise<T>,
    options: ScheduleOptions,
  ): Promise<T> {
    const { signal } = options;
    // Counted from now, so that no later call takes a slot ahead of this one (see #takeNow).
    for (const bucket of buckets) bucket.queued++;
    let queued = true;
    const leaveQueue = () => {
      if (!queued) return;
      queued = false;
      for (const bucket of buckets) bucket.queued--;
    };

    let started = false;
    /** Set once the call is in the limiters: from then on it leaves the queue only in `run`. */
    let inLimiters = false;
    const run = async (): Promise<T> => {
      // Past every limiter (even if aborted meanwhile): later calls no longer wait behind it.
      leaveQueue();
      await this.#waitForHolds(buckets, operationId, signal);
      if (signal?.aborted) throw new KlaviyoAbortError(operationId);
      let ticket: SlotTicket | undefined;
      if (this.#store.take) {
        ticket = await this.#store.take(windows, { operationId, signal });
        // Stopped or aborted while the slots were being taken: give them back, send nothing.
        if (this.#stopped || signal?.aborted) {
          ticket.settle(false);
          throw this.#stopped
            ? new KlaviyoClosedError(operationId)
            : new KlaviyoAbortError(operationId);
        }
      }
      started = true;
      try {
        return await fn();
      } finally {
        ticket?.settle(true);
      }
    };
    // Longest window outermost: a call holds its steady slot while it waits for a burst slot.
    const gated = windows.reduceRight<() => Promise<T>>((inner, window) => {
      const limiter = window.limiter;
      if (!limiter) return inner;
      return () =>
        limiter.schedule(async () => {
          try {
            return await inner();
          } finally {
            this.#store.release(window, started);
          }
        });
    }, run);

    const waitStarted = Date.now();
    const notices =
      options.onWait &&
      setInterval(() => {
        if (!started) options.onWait?.(Date.now() - waitStarted);
      }, this.#waitNoticeMs);
    notices?.unref?.();
    try {
      await this.#checkDaily(operationId, windows);
      if (signal?.aborted) throw new KlaviyoAbortError(operationId);
      inLimiters = true;
      if (!signal) return await gated();
      return await new Promise<T>((resolve, reject) => {
        const onAbort = () => reject(new KlaviyoAbortError(operationId));
        signal.addEventListener("abort", onAbort, { once: true });
        gated()
          .then(resolve, reject)
          .finally(() => signal.removeEventListener("abort", onAbort));
      });
    } catch (error) {
      // A limiter stopped under a queued call (the client closed): it was never sent.
      if (!started && !(error instanceof KlaviyoError)) throw new KlaviyoClosedError(operationId);
      throw error;
    } finally {
      // An aborted call still in the limiters keeps its place (and its outer slots) until its
      // job reaches `run`; counted as queued until then, no later call takes a slot past it.
      if (!inLimiters) leaveQueue();
      if (notices) clearInterval(notices);
    }
  }

  /** The server asked for a pause (429 Retry-After, RateLimit-Remaining 0): hold the buckets. */
  holdUntil(
    operationId: string,
    rateLimit: RateLimit | undefined,
    query: ScheduleOptions["query"],
    untilMs: number,
  ): void {
    for (const bucket of this.#bucketsFor(operationId, rateLimit, query)) {
      bucket.heldUntil = Math.max(bucket.heldUntil, untilMs);
    }
  }

  /** Disposes every limiter; queued calls are rejected. Pending slot returns are dropped. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    const limiters = [...this.#buckets.values()].flatMap((b) =>
      (b?.windows ?? []).flatMap((w) => (w.limiter ? [w.limiter] : [])),
    );
    this.#buckets.clear();
    await Promise.all(limiters.map((l) => l.stop({ dropWaitingJobs: true }).catch(() => {})));
    if (this.#ownsStore) await this.#store.stop();
  }

  #bucketsFor(
    operationId: string,
    rateLimit: RateLimit | undefined,
    query: ScheduleOptions["query"],
  ): Bucket[] {
    const buckets: Bucket[] = [];
    const base = this.#bucket(operationId, rateLimit);
    if (base) buckets.push(base);
    for (const condition of rateLimit?.conditions ?? []) {
      const used = (query ?? []).some(
        ([name, value]) =>
          name === condition.parameter &&
          value.split(",").some((v) => v.trim() === condition.value),
      );
      if (!used) continue;
      const bucket = this.#bucket(`${operationId}:${condition.parameter}=${condition.value}`, {
        burst: condition.burst,
        steady: condition.steady,
      });
      if (bucket) buckets.push(bucket);
    }
    return buckets;
  }

  #bucket(key: string, rateLimit: RateLimit | undefined): Bucket | null {
    const existing = this.#buckets.get(key);
    if (existing !== undefined) return existing;
    const specs = (
      [
        ["daily", parseLimit(rateLimit?.daily)],
        ["steady", parseLimit(rateLimit?.steady)],
        ["burst", parseLimit(rateLimit?.burst)],
      ] as const
    ).filter(
      (entry): entry is readonly [SlotWindow["label"], ParsedLimit] => entry[1] !== undefined,
    );
    if (specs.length === 0) {
      this.#buckets.set(key, null);
      return null;
    }
    const windows = specs.map(([label, limit], index): SlotWindow => {
      const id = `klaviyo-mcp:${this.#account}:${key}:${label}`;
      const innermost = index === specs.length - 1;
      const limiter = this.#store.limiter(id, {
        reservoir: limit.count,
        // Concurrency is bounded once, at the last gate before the call runs.
        maxConcurrent: innermost ? Math.min(limit.count, this.#maxConcurrent) : null,
        windowMs: limit.intervalMs * this.#scale,
      });
      const window: SlotWindow = {
        id,
        label,
        count: limit.count,
        ms: limit.intervalMs * this.#scale,
      };
      if (limiter) window.limiter = limiter;
      return window;
    });
    // Longest first, as schedule orders the windows of several buckets.
    windows.sort((a, b) => b.ms - a.ms);
    const bucket = { windows, heldUntil: 0, queued: 0 };
    this.#buckets.set(key, bucket);
    return bucket;
  }

  /** An empty daily window would park the call for hours: refuse it now, saying when it frees. */
  async #checkDaily(operationId: string, windows: readonly SlotWindow[]): Promise<void> {
    for (const window of windows) {
      if (window.label !== "daily" || !window.limiter) continue;
      const left = await window.limiter.currentReservoir();
      if (left !== null && left <= 0) {
        const freesAt = await this.#store.nextFree(window.id);
        throw new KlaviyoDailyLimitError(operationId, window.count, freesAt);
      }
    }
  }

  async #waitForHolds(
    buckets: readonly Bucket[],
    operationId: string,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    for (;;) {
      const until = Math.max(...buckets.map((b) => b.heldUntil));
      const waitMs = until - Date.now();
      if (waitMs <= 0) return;
      await sleep(waitMs, signal, operationId);
    }
  }
}
