/**
 * Where the throttle's slots are counted. In process (LocalSlots), each window is a Bottleneck
 * limiter whose reservoir holds the window's count, and a slot comes back on a timer. Shared
 * through Redis (RedisSlots, redis-slots.ts), the windows are counted in Redis, so every replica
 * that serves one Klaviyo account draws on one allowance; calls still queue in a local limiter.
 */
import Bottleneck from "bottleneck";

export interface LimiterSpec {
  reservoir: number;
  /** Concurrency is bounded once, at the last gate before the call runs; null elsewhere. */
  maxConcurrent: number | null;
  windowMs: number;
}

export interface SlotWindow {
  id: string;
  label: "burst" | "steady" | "daily";
  count: number;
  /** The window's length (time-scaled). */
  ms: number;
  /** Its local queue, when it needs one. */
  limiter?: Bottleneck;
}

export interface TakeOptions {
  operationId: string;
  signal?: AbortSignal;
}

/** Slots a shared store handed out for one call. */
export interface SlotTicket {
  /** `sent`: the call reached Klaviyo, so each slot comes back one window from now; else at once. */
  settle(sent: boolean): void;
}

export type StoreHealth = { status: "ok" } | { status: "degraded"; reason: string };

export interface SlotStore {
  /** The window's local limiter, or undefined when it needs none. */
  limiter(id: string, spec: LimiterSpec): Bottleneck | undefined;
  /** A call left the window's limiter; `sent` says whether it reached Klaviyo. */
  release(window: SlotWindow, sent: boolean): void;
  /**
   * Stores that count windows themselves take a slot of every window just before the call is
   * sent, waiting for one as needed. Absent when the limiters' reservoirs count.
   */
  take?(windows: readonly SlotWindow[], options: TakeOptions): Promise<SlotTicket>;
  /**
   * Takes a slot of every window at once, without queueing, if each has room right now; else
   * undefined (the call queues). Only for stores whose limiters' reservoirs count.
   */
  takeNow?(windows: readonly SlotWindow[]): SlotTicket | undefined;
  /** When the next slot of the window comes back (ms since epoch), if known. */
  nextFree(id: string): Promise<number | undefined>;
  health(): StoreHealth;
  stop(): Promise<void>;
}

/**
 * A Bottleneck limiter in process. Bottleneck's local store yields with setTimeout(0) about four
 * times per job, which costs ~1 ms each (4.7 ms per job measured); setImmediate yields just as
 * well, at once.
 */
export function localLimiter(reservoir: number | null, maxConcurrent: number | null): Bottleneck {
  const limiter = new Bottleneck({ reservoir, maxConcurrent });
  const store = (limiter as unknown as { _store?: { yieldLoop?: unknown } })._store;
  if (store && typeof store.yieldLoop === "function") {
    store.yieldLoop = (t = 0) =>
      new Promise<void>((resolve) =>
        t > 0 ? setTimeout(resolve, t) : setImmediate(() => resolve()),
      );
  }
  return limiter;
}

/** The parts of Bottleneck's in-process datastore (2.19) the fast path reads and updates. */
interface LocalDatastore {
  storeOptions: { reservoir: number | null; maxConcurrent: number | null };
  _running: number;
  computeCapacity(): number | null;
  /** What the limiter calls when a job ends: frees its concurrency and drains the queue. */
  __free__(index: unknown, weight: number): Promise<unknown>;
}

function localDatastore(limiter: Bottleneck | undefined): LocalDatastore | undefined {
  const store = (limiter as unknown as { _store?: Partial<LocalDatastore> } | undefined)?._store;
  if (
    typeof store?.computeCapacity !== "function" ||
    typeof store.__free__ !== "function" ||
    typeof store._running !== "number" ||
    typeof store.storeOptions !== "object"
  ) {
    return undefined; // Another Bottleneck: every call queues, as before.
  }
  return store as LocalDatastore;
}

export class LocalSlots implements SlotStore {
  readonly #timers = new Set<NodeJS.Timeout>();
  /** Due times of pending returns per window, ascending (one delay per window keeps them so). */
  readonly #due = new Map<string, number[]>();
  #stopped = false;

  limiter(_id: string, spec: LimiterSpec): Bottleneck {
    return localLimiter(spec.reservoir, spec.maxConcurrent);
  }

  /**
   * Takes the slots the way Bottleneck registers a job (reservoir, then concurrency), but at
   * once: its scheduler costs several event-loop turns and a 1 ms timer per window. The caller
   * only asks when no call of these windows is queued, so nobody is overtaken.
   */
  takeNow(windows: readonly SlotWindow[]): SlotTicket | undefined {
    const taken: Array<{ limiter: Bottleneck; store: LocalDatastore }> = [];
    for (const window of windows) {
      const limiter = window.limiter;
      const store = localDatastore(limiter);
      if (!limiter || !store) return undefined;
      const capacity = store.computeCapacity();
      if (capacity !== null && capacity < 1) return undefined;
      taken.push({ limiter, store });
    }
    for (const { store } of taken) {
      if (store.storeOptions.reservoir !== null) store.storeOptions.reservoir -= 1;
      if (store.storeOptions.maxConcurrent !== null) store._running += 1;
    }
    let settled = false;
    return {
      settle: (sent) => {
        if (settled) return;
        settled = true;
        for (const window of windows) this.release(window, sent);
        for (const { limiter, store } of taken) {
          if (store.storeOptions.maxConcurrent === null) continue;
          // Nobody queued: nothing to wake, so no turn through Bottleneck's locks (a job still
          // being submitted drains itself once queued, and sees the freed slot then).
          if (limiter.queued() > 0) void store.__free__(null, 1);
          else store._running -= 1;
        }
      },
    };
  }

  release(window: SlotWindow, sent: boolean): void {
    const limiter = window.limiter;
    // After stop, a call still in flight must not start a timer that keeps the process alive.
    if (!limiter || this.#stopped) return;
    // A call that was never sent did not count against Klaviyo's limit.
    if (!sent) {
      void limiter.incrementReservoir(1);
      return;
    }
    let due = this.#due.get(window.id);
    if (!due) {
      due = [];
      this.#due.set(window.id, due);
    }
    due.push(Date.now() + window.ms);
    const list = due;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      list.shift();
      void limiter.incrementReservoir(1);
    }, window.ms);
    // Not unref'd: calls queued for this slot must keep the process alive. stop() clears it.
    this.#timers.add(timer);
  }

  async nextFree(id: string): Promise<number | undefined> {
    return this.#due.get(id)?.[0];
  }

  health(): StoreHealth {
    return { status: "ok" };
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#due.clear();
  }
}
