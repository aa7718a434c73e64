/**
 * Client-side throttle so that a burst of tool calls stays under Klaviyo's published per-endpoint
 * limits instead of collecting 429s. One Bottleneck limiter per key (the operationId), built from
 * the endpoint's limits the first time the key is seen.
 *
 * - burst ("75/s"): reservoir of N refilled every second; this limiter is the last gate before a
 *   call runs, so the per-second limit holds even when many calls are released at once.
 * - steady ("700/m"): a per-minute reservoir, chained in front of the burst limiter.
 * - daily ("100/d"): not enforced here. A process-local 24h reservoir would park calls in a queue
 *   for hours; Klaviyo's 429 (with its Retry-After) is the clearer answer for the caller.
 *
 * Reservoirs refill on fixed windows from the limiter's creation (not aligned with Klaviyo's), so
 * this cannot be exact; the client's 429 retry covers the remainder.
 */
import Bottleneck from "bottleneck";

/** A rate limit as Klaviyo states it: "75/s", "750/m", "100/d". */
export interface RateLimit {
  burst?: string;
  steady?: string;
  daily?: string;
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

/** More concurrent requests than this per operation only adds load, not throughput. */
const MAX_CONCURRENT = 10;

export class Throttle {
  /** Entry limiter per key; `null` means the key has no usable limit (run directly). */
  readonly #entries = new Map<string, Bottleneck | null>();
  readonly #all: Bottleneck[] = [];
  #stopped = false;

  /**
   * Runs `fn` once the key's limits allow it. If `signal` aborts while the call is still queued,
   * the returned promise rejects at once and `fn` is never called (its queue slot is skipped).
   */
  schedule<T>(
    key: string,
    rateLimit: RateLimit | undefined,
    fn: () => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.#stopped) return Promise.reject(new Error("Throttle has been stopped"));
    const limiter = this.#limiterFor(key, rateLimit);
    if (!limiter) return fn();
    if (!signal) return limiter.schedule(fn);

    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(abortReason(signal));
      signal.addEventListener("abort", onAbort, { once: true });
      limiter
        // Bottleneck cannot remove a queued job, so an aborted one becomes a no-op when its turn comes.
        .schedule(() => (signal.aborted ? Promise.resolve(undefined as T) : fn()))
        .then(resolve, reject)
        .finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  /** Disposes every limiter (and its refresh timer); queued calls are rejected. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const limiters = this.#all.splice(0);
    this.#entries.clear();
    await Promise.all(limiters.map((l) => l.stop({ dropWaitingJobs: true }).catch(() => {})));
  }

  #limiterFor(key: string, rateLimit: RateLimit | undefined): Bottleneck | null {
    const existing = this.#entries.get(key);
    if (existing !== undefined) return existing;

    // Longest window first, so the shortest (burst) window is the final gate before running.
    const limits = [parseLimit(rateLimit?.steady), parseLimit(rateLimit?.burst)]
      .filter((l): l is ParsedLimit => l !== undefined && l.intervalMs < DAY_MS)
      .sort((a, b) => b.intervalMs - a.intervalMs);
    const limiters = limits.map(
      (l, i) =>
        new Bottleneck({
          reservoir: l.count,
          reservoirRefreshAmount: l.count,
          reservoirRefreshInterval: l.intervalMs,
          // Concurrency is bounded once, at the final gate.
          maxConcurrent: i === limits.length - 1 ? Math.min(l.count, MAX_CONCURRENT) : null,
        }),
    );
    for (let i = 0; i + 1 < limiters.length; i++) limiters[i]?.chain(limiters[i + 1]);
    this.#all.push(...limiters);
    const entry = limiters[0] ?? null;
    this.#entries.set(key, entry);
    return entry;
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}
