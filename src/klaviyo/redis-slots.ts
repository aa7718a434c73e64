/**
 * Rate-limit windows shared through Redis, so that every replica serving one Klaviyo account
 * draws on one allowance. Each window is a sorted set of the calls it holds (redis-scripts.ts);
 * a call takes a slot of all its windows in one script, before it is sent, and gives it back one
 * window after it completes (at once if it was never sent). Calls still queue in process, in a
 * local Bottleneck limiter that bounds how many run at once.
 *
 * What Redis can do to that state, and what happens then:
 * - An idle bucket's keys expire: only once every entry is past, so nothing is lost.
 * - FLUSHALL, a restart without persistence, an eviction: the epoch changes or one of our own
 *   entries is missing. Every replica writes back the entries it holds (a local mirror) and the
 *   new epoch opens after a short settling time, so no window is exceeded.
 * - Redis is down or hangs: calls fail at once with KlaviyoLimiterUnavailableError (nothing
 *   sent), health() says why, and the client reconnects by itself.
 */
import { randomUUID } from "node:crypto";
import type Bottleneck from "bottleneck";
import { Redis } from "ioredis";
import {
  KlaviyoAbortError,
  KlaviyoDailyLimitError,
  KlaviyoLimiterUnavailableError,
} from "./errors.js";
import { CANCEL, COMPLETE, RENEW_EPOCH, RESTORE, TAKE } from "./redis-scripts.js";
import {
  type LimiterSpec,
  localLimiter,
  type SlotStore,
  type SlotTicket,
  type SlotWindow,
  type StoreHealth,
  type TakeOptions,
} from "./throttle-store.js";

export const EPOCH_KEY = "klaviyo-mcp:epoch";

export interface RedisSlotsOptions {
  url: string;
  /**
   * The longest one call to Klaviyo can take (its timeout, with some slack). A replica that
   * dies mid-call holds the call's slots this long plus the window. Default 35000 ms.
   */
  callTimeoutMs?: number;
  /** A Redis command without an answer after this long fails the call. Default 2000 ms. */
  commandTimeoutMs?: number;
  /** How often each replica looks for a new epoch. Default 200 ms. */
  watchEveryMs?: number;
  /** A new epoch opens this long after it starts, once every replica had time to write back. Default 3 × watchEveryMs. */
  settleMs?: number;
  /** Keys expire this long after their last entry is past (idle buckets). Default 60000 ms. */
  keyMarginMs?: number;
  /**
   * A call waiting for slots that calls in flight hold looks again after at most this long (a
   * cancelled call gives its slot back at once). Default 1000 ms.
   */
  recheckMs?: number;
  /** Called when Redis becomes unreachable (with the reason) and when it is back. */
  onHealthChange?: (health: StoreHealth) => void;
}

interface SlotCommands {
  takeSlots(...args: Array<string | number>): Promise<[string, number?, number?]>;
  completeSlots(...args: Array<string | number>): Promise<number>;
  cancelSlots(...args: Array<string | number>): Promise<number>;
  restoreSlots(...args: Array<string | number>): Promise<number>;
  renewEpoch(...args: Array<string | number>): Promise<string>;
}

/** An entry this replica holds in a window: when its slot frees, and whether the call completed. */
interface HeldEntry {
  score: number;
  completed: boolean;
}

/** Only entries that free this much later than now are used to notice lost state (clock jitter). */
const LOST_CHECK_MARGIN_MS = 500;

export class RedisSlots implements SlotStore {
  readonly #client: Redis & SlotCommands;
  readonly #where: string;
  readonly #callTimeoutMs: number;
  readonly #settleMs: number;
  readonly #keyMarginMs: number;
  readonly #recheckMs: number;
  readonly #onHealthChange: ((health: StoreHealth) => void) | undefined;
  /** Per window key, the entries this replica holds: written back if Redis loses them. */
  readonly #held = new Map<string, Map<string, HeldEntry>>();
  /** Per window set, the tail of the calls waiting to take a slot (one asks Redis at a time). */
  readonly #lines = new Map<string, Promise<void>>();
  readonly #watch: NodeJS.Timeout;
  #epoch: string | undefined;
  #renewing: Promise<void> | undefined;
  /** Redis' clock minus ours, from the last answer. */
  #skewMs = 0;
  #down: { since: number; reason: string } | undefined;
  /** Until the first connection, calls wait for it (up to the command timeout) rather than fail. */
  #firstReady: Promise<void> | undefined;
  readonly #commandTimeoutMs: number;
  #stopped = false;
  /** Wakes the calls waiting between two looks at Redis (stop). */
  readonly #sleepers = new Set<() => void>();

  constructor(options: RedisSlotsOptions) {
    const url = new URL(options.url);
    this.#where = url.host;
    this.#callTimeoutMs = options.callTimeoutMs ?? 35_000;
    const watchEveryMs = options.watchEveryMs ?? 200;
    this.#settleMs = options.settleMs ?? watchEveryMs * 3;
    this.#keyMarginMs = options.keyMarginMs ?? 60_000;
    this.#recheckMs = options.recheckMs ?? 1_000;
    this.#onHealthChange = options.onHealthChange;
    this.#commandTimeoutMs = options.commandTimeoutMs ?? 2_000;
    const client = new Redis(options.url, {
      // Fail at once while disconnected, and never send a command twice: a take repeated after
      // a reconnect could hold a slot for nothing.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: this.#commandTimeoutMs,
      connectTimeout: 2_000,
      retryStrategy: (times) => Math.min(100 * times, 2_000),
    });
    client.defineCommand("takeSlots", { lua: TAKE });
    client.defineCommand("completeSlots", { lua: COMPLETE });
    client.defineCommand("cancelSlots", { lua: CANCEL });
    client.defineCommand("restoreSlots", { numberOfKeys: 1, lua: RESTORE });
    client.defineCommand("renewEpoch", { numberOfKeys: 1, lua: RENEW_EPOCH });
    client.on("error", (error: Error) => this.#markDown(error));
    client.on("close", () => this.#markDown(new Error("connection closed")));
    client.on("ready", () => {
      this.#firstReady = undefined;
      this.#markUp();
      void this.#checkEpoch().catch(() => {});
    });
    this.#client = client as Redis & SlotCommands;
    this.#firstReady = new Promise<void>((resolve) => client.once("ready", () => resolve()));
    this.#watch = setInterval(() => void this.#checkEpoch().catch(() => {}), watchEveryMs);
    this.#watch.unref();
  }

  /** Resolves once Redis answers and the epoch is known; rejects with the connection error. */
  async ready(): Promise<void> {
    if (this.#client.status !== "ready") {
      await new Promise<void>((resolve, reject) => {
        const onReady = () => {
          this.#client.off("error", onError);
          resolve();
        };
        const onError = (error: Error) => {
          this.#client.off("ready", onReady);
          reject(error);
        };
        this.#client.once("ready", onReady);
        this.#client.once("error", onError);
      });
    }
    await this.#checkEpoch();
  }

  health(): StoreHealth {
    if (!this.#down) return { status: "ok" };
    const since = new Date(this.#down.since).toISOString().replace(/\.\d{3}Z$/, "Z");
    return {
      status: "degraded",
      reason: `Redis at ${this.#where} (KLAVIYO_MCP_REDIS_URL) is unreachable since ${since} (${this.#down.reason}): calls are refused, unsent, until it is back.`,
    };
  }

  /** Only the innermost window needs a local limiter: it bounds how many calls run at once. */
  limiter(_id: string, spec: LimiterSpec): Bottleneck | undefined {
    return spec.maxConcurrent === null ? undefined : localLimiter(null, spec.maxConcurrent);
  }

  release(): void {
    // The windows are counted in Redis (take and the ticket), not in the local limiters.
  }

  async take(windows: readonly SlotWindow[], options: TakeOptions): Promise<SlotTicket> {
    const line = windows.map((w) => w.id).join("\n");
    const previous = this.#lines.get(line) ?? Promise.resolve();
    let done = () => {};
    const mine = new Promise<void>((resolve) => {
      done = resolve;
    });
    const tail = previous.then(() => mine);
    this.#lines.set(line, tail);
    try {
      await abortable(previous, options);
      return await this.#takeWhenFree(windows, options);
    } finally {
      done();
      if (this.#lines.get(line) === tail) this.#lines.delete(line);
    }
  }

  async nextFree(): Promise<number | undefined> {
    return undefined; // A full daily window is refused by take itself, with the time.
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wakeSleepers();
    clearInterval(this.#watch);
    await this.#client.quit().catch(() => this.#client.disconnect());
  }

  async #takeWhenFree(windows: readonly SlotWindow[], options: TakeOptions): Promise<SlotTicket> {
    const { operationId, signal } = options;
    const keys = windows.map((w) => slotsKey(w.id));
    const leaseMs = Math.ceil(this.#callTimeoutMs + Math.max(...windows.map((w) => w.ms)));
    for (;;) {
      if (signal?.aborted) throw new KlaviyoAbortError(operationId);
      const ticket = randomUUID();
      const args: Array<string | number> = [keys.length + 1, EPOCH_KEY, ...keys];
      args.push(this.#epoch ?? "", ticket, leaseMs, this.#keyMarginMs, this.#recheckMs);
      windows.forEach((window, index) => {
        args.push(window.count, Math.ceil(window.ms), window.label === "daily" ? 1 : 0);
        args.push(this.#liveTicket(keys[index] as string));
      });
      const reply = await this.#run(operationId, () => this.#client.takeSlots(...args));
      const [verdict, a = 0, b = 0] = reply;
      if (verdict === "ok") {
        this.#skewMs = a - Date.now();
        for (const key of keys) this.#hold(key, ticket, a + leaseMs, false);
        return this.#ticket(keys, windows, ticket);
      }
      if (verdict === "wait") await this.#pause(Math.max(1, a), options);
      else if (verdict === "full") {
        const window = windows[a - 1] as SlotWindow;
        throw new KlaviyoDailyLimitError(operationId, window.count, Date.now() + b);
      } else await this.#renewEpoch(operationId);
    }
  }

  /** What a taken slot becomes: given back one window after the call (sent), or at once. */
  #ticket(keys: string[], windows: readonly SlotWindow[], ticket: string): SlotTicket {
    let settled = false;
    return {
      settle: (sent) => {
        if (settled) return;
        settled = true;
        if (!sent) {
          for (const key of keys) this.#held.get(key)?.delete(ticket);
          this.#client.cancelSlots(keys.length, ...keys, ticket).then(
            () => this.#wakeSleepers(), // the slot is free now: a call waiting here may take it
            () => {
              // Unreachable: the slot stays held until its lease ends, which errs on the safe side.
            },
          );
          return;
        }
        const windowMs = windows.map((w) => Math.ceil(w.ms));
        this.#client
          .completeSlots(keys.length, ...keys, ticket, this.#keyMarginMs, ...windowMs)
          .then((now) => {
            keys.forEach((key, index) => {
              this.#hold(key, ticket, now + (windowMs[index] as number), true);
            });
          })
          .catch(() => {
            // The lease stands (longer than the window), in Redis and here: safe, if slower.
          });
      },
    };
  }

  #wakeSleepers(): void {
    for (const wake of this.#sleepers) wake();
  }

  /** Waits before looking again; an abort rejects at once, stop() and a wake end the wait. */
  #pause(ms: number, { signal, operationId }: TakeOptions): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new KlaviyoAbortError(operationId));
      const cleanUp = () => {
        clearTimeout(timer);
        this.#sleepers.delete(done);
        signal?.removeEventListener("abort", onAbort);
      };
      const done = () => {
        cleanUp();
        resolve();
      };
      const onAbort = () => {
        cleanUp();
        reject(new KlaviyoAbortError(operationId));
      };
      const timer = setTimeout(done, ms);
      this.#sleepers.add(done);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Runs a Redis command for a call; any failure means the call cannot be counted, so is refused. */
  async #run<T>(operationId: string, command: () => Promise<T>): Promise<T> {
    if (this.#firstReady && this.#client.status !== "ready") {
      const timer = new Promise<void>((resolve) => setTimeout(resolve, this.#commandTimeoutMs));
      await Promise.race([this.#firstReady, timer]);
    }
    if (this.#stopped || this.#client.status !== "ready") {
      throw new KlaviyoLimiterUnavailableError(operationId, this.#downReason());
    }
    try {
      const result = await command();
      this.#markUp();
      return result;
    } catch (error) {
      this.#markDown(error as Error);
      throw new KlaviyoLimiterUnavailableError(operationId, this.#downReason());
    }
  }

  #hold(key: string, ticket: string, score: number, completed: boolean): void {
    let entries = this.#held.get(key);
    if (!entries) {
      entries = new Map();
      this.#held.set(key, entries);
    }
    entries.set(ticket, { score, completed });
  }

  /** A completed entry of ours that Redis must still hold, so that its absence shows a loss. */
  #liveTicket(key: string): string {
    const entries = this.#held.get(key);
    if (!entries) return "";
    const threshold = Date.now() + this.#skewMs + LOST_CHECK_MARGIN_MS;
    let best = "";
    let bestScore = threshold;
    for (const [ticket, entry] of entries) {
      if (entry.completed && entry.score > bestScore) {
        best = ticket;
        bestScore = entry.score;
      }
    }
    return best;
  }

  /** Drops entries whose slot is free again. */
  #prune(): void {
    const now = Date.now() + this.#skewMs;
    for (const [key, entries] of this.#held) {
      for (const [ticket, entry] of entries) if (entry.score <= now) entries.delete(ticket);
      if (entries.size === 0) this.#held.delete(key);
    }
  }

  async #checkEpoch(): Promise<void> {
    if (this.#stopped || this.#client.status !== "ready") return;
    this.#prune();
    const current = await this.#client.get(EPOCH_KEY);
    if (current !== null && current === this.#epoch) return;
    await this.#renewEpoch("epoch");
  }

  /**
   * The state was lost (or this replica just arrived): adopt the epoch in force, or start one,
   * and write back every entry this replica holds. One renewal at a time.
   */
  async #renewEpoch(operationId: string): Promise<void> {
    this.#renewing ??= (async () => {
      try {
        // Redis keeps an epoch other than ours: adopt it. Ours, although a window was lost (an
        // eviction): replace it, so that every replica writes back what it holds.
        const known = this.#epoch ?? "";
        const epoch = await this.#run(operationId, () =>
          this.#client.renewEpoch(EPOCH_KEY, known, randomUUID(), this.#settleMs),
        );
        this.#prune();
        const writes = [...this.#held].map(([key, entries]) => {
          const pairs = [...entries].flatMap(([ticket, entry]) => [entry.score, ticket]);
          return this.#run(operationId, () =>
            this.#client.restoreSlots(key, this.#keyMarginMs, ...pairs),
          );
        });
        await Promise.all(writes);
        this.#epoch = epoch;
        // Calls waiting on the old state look again now, against the new one.
        this.#wakeSleepers();
      } finally {
        this.#renewing = undefined;
      }
    })();
    return this.#renewing;
  }

  #markDown(error: Error): void {
    if (this.#stopped) return;
    const reason = scrub(error.message || error.name);
    if (this.#down) {
      this.#down.reason = reason;
      return;
    }
    this.#down = { since: Date.now(), reason };
    this.#onHealthChange?.(this.health());
  }

  #markUp(): void {
    if (!this.#down || this.#client.status !== "ready") return;
    this.#down = undefined;
    this.#onHealthChange?.(this.health());
  }

  #downReason(): string {
    return this.#down?.reason ?? `not connected (${this.#client.status})`;
  }
}

function slotsKey(id: string): string {
  return `${id}:slots`;
}

/** Never a password: error messages name hosts and codes, but say so for sure. */
function scrub(message: string): string {
  return message.replace(/\/\/[^@/\s]*@/g, "//").slice(0, 200);
}

/** Waits for `promise`, or rejects at once when the call is aborted. */
function abortable(promise: Promise<void>, options: TakeOptions): Promise<void> {
  const { signal, operationId } = options;
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new KlaviyoAbortError(operationId));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new KlaviyoAbortError(operationId));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
