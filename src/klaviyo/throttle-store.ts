/**
 * Where the throttle's slots live. In process (LocalSlots), a slot comes back on a timer. Shared
 * through Redis (RedisSlots), the limiters use Bottleneck's clustering over ioredis, so every
 * replica that serves one Klaviyo account draws on one allowance. Slots due back are kept in a
 * Redis sorted set and reclaimed by whichever replica looks first, so a replica that stops
 * (a deploy, a crash) does not take its slots with it.
 */
import { randomUUID } from "node:crypto";
import Bottleneck from "bottleneck";
import { Redis } from "ioredis";

export interface LimiterSpec {
  reservoir: number;
  maxConcurrent: number | null;
  windowMs: number;
}

export interface SlotWindow {
  id: string;
  count: number;
  limiter: Bottleneck;
}

export interface SlotStore {
  limiter(id: string, spec: LimiterSpec): Bottleneck;
  /** Returns one slot of `window` to its reservoir `delayMs` from now. */
  giveBack(window: SlotWindow, delayMs: number): void;
  /** When the next slot of the window comes back (ms since epoch), if known. */
  nextFree(id: string): Promise<number | undefined>;
  /** The window's limiter is stopped: stop tending it (another replica may still). */
  forget(id: string, limiter: Bottleneck): void;
  stop(): Promise<void>;
}

export class LocalSlots implements SlotStore {
  readonly #timers = new Set<NodeJS.Timeout>();
  /** Due times of pending returns per window, ascending (one delay per window keeps them so). */
  readonly #due = new Map<string, number[]>();

  limiter(_id: string, spec: LimiterSpec): Bottleneck {
    const limiter = new Bottleneck({
      reservoir: spec.reservoir,
      maxConcurrent: spec.maxConcurrent,
    });
    // Bottleneck's local store yields with setTimeout(0) about four times per job, which costs
    // ~1 ms each (4.7 ms per job measured); setImmediate yields just as well, at once.
    const store = (limiter as unknown as { _store?: { yieldLoop?: unknown } })._store;
    if (store && typeof store.yieldLoop === "function") {
      store.yieldLoop = (t = 0) =>
        new Promise<void>((resolve) =>
          t > 0 ? setTimeout(resolve, t) : setImmediate(() => resolve()),
        );
    }
    return limiter;
  }

  giveBack(window: SlotWindow, delayMs: number): void {
    let due = this.#due.get(window.id);
    if (!due) {
      due = [];
      this.#due.set(window.id, due);
    }
    due.push(Date.now() + delayMs);
    const list = due;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      list.shift();
      void window.limiter.incrementReservoir(1);
    }, delayMs);
    // Not unref'd: calls queued for this slot must keep the process alive. stop() clears it.
    this.#timers.add(timer);
  }

  async nextFree(id: string): Promise<number | undefined> {
    return this.#due.get(id)?.[0];
  }

  forget(_id: string, _limiter: Bottleneck): void {
    // Its timers go with stop(); a stopped limiter ignores a late increment.
  }

  async stop(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#due.clear();
  }
}

// Redis' clock, not each replica's, decides when a slot is due.
const NOW_MS = "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000)";
const GIVE_BACK = `${NOW_MS}
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;
const RECLAIM = `${NOW_MS}
return redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)`;
const NEXT_FREE = `${NOW_MS}
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #first == 0 then return -1 end
return math.max(0, tonumber(first[2]) - now)`;

interface SlotCommands {
  giveBackSlot(key: string, delayMs: number, member: string, ttlMs: number): Promise<number>;
  reclaimSlots(key: string): Promise<number>;
  nextFreeSlot(key: string): Promise<number>;
}

export interface RedisSlotsOptions {
  url: string;
  /** How often due slots are reclaimed. Default 20 ms. */
  reclaimEveryMs?: number;
  onError?: (error: Error) => void;
}

export class RedisSlots implements SlotStore {
  readonly #client: Redis & SlotCommands;
  readonly #connection: Bottleneck.IORedisConnection;
  /** Windows this process tends, by id; limiters of one id share their state in Redis. */
  readonly #windows = new Map<
    string,
    { count: number; ttlMs: number; limiters: Set<Bottleneck> }
  >();
  readonly #loop: NodeJS.Timeout;
  #reclaiming = false;

  constructor(options: RedisSlotsOptions) {
    const client = new Redis(options.url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
    client.defineCommand("giveBackSlot", { numberOfKeys: 1, lua: GIVE_BACK });
    client.defineCommand("reclaimSlots", { numberOfKeys: 1, lua: RECLAIM });
    client.defineCommand("nextFreeSlot", { numberOfKeys: 1, lua: NEXT_FREE });
    client.on("error", (error: Error) => options.onError?.(error));
    this.#client = client as Redis & SlotCommands;
    this.#connection = new Bottleneck.IORedisConnection({ client });
    this.#connection.on("error", (error: Error) => options.onError?.(error));
    this.#loop = setInterval(() => void this.#reclaim(), options.reclaimEveryMs ?? 20);
  }

  /** Resolves once Redis answers; rejects with the connection error otherwise. */
  async ready(): Promise<void> {
    await this.#client.ping();
  }

  limiter(id: string, spec: LimiterSpec): Bottleneck {
    const ttlMs = keyTtl(spec.windowMs);
    const limiter = new Bottleneck({
      id,
      datastore: "ioredis",
      connection: this.#connection,
      // Another replica may already hold this bucket's state: join it, never reset it.
      clearDatastore: false,
      reservoir: spec.reservoir,
      maxConcurrent: spec.maxConcurrent,
      timeout: ttlMs,
    });
    const entry = this.#windows.get(id) ?? { count: spec.reservoir, ttlMs, limiters: new Set() };
    entry.limiters.add(limiter);
    this.#windows.set(id, entry);
    return limiter;
  }

  giveBack(window: SlotWindow, delayMs: number): void {
    const ttlMs = this.#windows.get(window.id)?.ttlMs ?? keyTtl(delayMs);
    this.#client
      .giveBackSlot(returnsKey(window.id), Math.ceil(delayMs), randomUUID(), ttlMs)
      .catch(() => {
        // Redis unreachable: the slot is lost for this window, which errs on the safe side.
      });
  }

  async nextFree(id: string): Promise<number | undefined> {
    const ms = await this.#client.nextFreeSlot(returnsKey(id));
    return ms < 0 ? undefined : Date.now() + ms;
  }

  forget(id: string, limiter: Bottleneck): void {
    const entry = this.#windows.get(id);
    entry?.limiters.delete(limiter);
    if (entry?.limiters.size === 0) this.#windows.delete(id);
  }

  async stop(): Promise<void> {
    clearInterval(this.#loop);
    await this.#connection.disconnect(true).catch(() => {});
  }

  /** Moves due slots back into their reservoirs, never above the window's count. */
  async #reclaim(): Promise<void> {
    if (this.#reclaiming || this.#windows.size === 0) return;
    this.#reclaiming = true;
    try {
      const windows = [...this.#windows.entries()];
      const pipeline = this.#client.pipeline();
      for (const [id] of windows) {
        (pipeline as unknown as SlotCommands).reclaimSlots(returnsKey(id));
      }
      const results = (await pipeline.exec()) ?? [];
      // One window's failure must not drop the slots reclaimed for the others.
      await Promise.allSettled(
        results.map(async ([error, due], index) => {
          const [, window] = windows[index] ?? [];
          const limiter = window?.limiters.values().next().value;
          if (error || !window || !limiter || !(Number(due) > 0)) return;
          const now = await limiter.incrementReservoir(Number(due));
          // Bottleneck's keys may have expired and restarted full while slots were out.
          if (now !== null && now !== undefined && now > window.count) {
            await limiter.incrementReservoir(window.count - now);
          }
        }),
      );
    } catch {
      // Redis briefly unreachable: the slots stay due and are reclaimed on a later pass.
    } finally {
      this.#reclaiming = false;
    }
  }
}

function returnsKey(id: string): string {
  return `${id}:returns`;
}

/** Keys outlive the window by a margin, so state expires only when the bucket is idle. */
function keyTtl(windowMs: number): number {
  return Math.ceil(windowMs * 2 + 60_000);
}
