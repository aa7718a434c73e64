/**
 * Asynchronous work, as Klaviyo does it: a bulk job is `queued`, then `processing`, then
 * `complete`, and its effects appear in the data only when it completes. Progress is
 * applied lazily at the start of every request, so there are no timers to leak and tests
 * stay deterministic under an injected clock.
 */
import type { Attributes, Store } from "./store.js";

export interface JobOptions {
  /** Time from `queued` to `complete`; the first half is `queued`, the second `processing`. */
  durationMs?: number;
}

/** Runs when the job completes; returns the attributes to merge into the job (counts, errors). */
export type JobEffect = () => Attributes | undefined;

interface PendingJob {
  type?: string;
  id?: string;
  createdAt: number;
  effect: JobEffect;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+00:00");

export class JobQueue {
  private pending: PendingJob[] = [];
  readonly durationMs: number;

  constructor(
    private readonly store: Store,
    options: JobOptions = {},
  ) {
    this.durationMs = options.durationMs ?? 1500;
  }

  /** Stores a queued job resource whose effect runs later; a job with the same id is replaced. */
  enqueue(type: string, attributes: Attributes, effect: JobEffect, id?: string) {
    const now = this.store.now();
    if (id !== undefined && this.store.get(type, id)) {
      this.cancel(type, id);
      this.store.delete(type, id);
    }
    const job = this.store.insert(
      type,
      { status: "queued", created_at: iso(now), ...attributes },
      id ?? this.store.newId(type),
    );
    this.pending.push({ type, id: job.id, createdAt: now, effect });
    return job;
  }

  /** Drops a pending job's effect; its stored status is the caller's to set. */
  cancel(type: string, id: string): void {
    this.pending = this.pending.filter((job) => job.type !== type || job.id !== id);
  }

  /** Work with no job resource to poll (subscriptions, events): applied after the delay too. */
  defer(effect: JobEffect): void {
    this.pending.push({ createdAt: this.store.now(), effect });
  }

  /** Moves every pending job along the clock; completes the due ones in creation order. */
  advance(): void {
    if (this.pending.length === 0) return;
    const now = this.store.now();
    const still: PendingJob[] = [];
    for (const job of this.pending) {
      const elapsed = now - job.createdAt;
      if (elapsed >= this.durationMs) {
        let updates: Attributes;
        try {
          updates = job.effect() ?? {};
        } catch (error) {
          // A job that fails does so on its own record, never on the request that polls it.
          updates = { status: "failed", errors: [{ detail: (error as Error).message }] };
        }
        if (job.type && job.id) {
          this.store.update(job.type, job.id, {
            status: "complete",
            completed_at: iso(now),
            ...updates,
          });
        }
      } else {
        if (job.type && job.id && elapsed >= this.durationMs / 2) {
          const stored = this.store.get(job.type, job.id);
          if (stored?.attributes.status === "queued") {
            this.store.update(job.type, job.id, { status: "processing", started_at: iso(now) });
          }
        }
        still.push(job);
      }
    }
    this.pending = still;
  }

  /** Completes everything now (the emulator's `flush`, for tests that don't want to wait). */
  drain(): void {
    const saved = this.pending;
    this.pending = [];
    for (const job of saved) job.createdAt = -Infinity;
    this.pending = saved;
    this.advance();
  }

  get size(): number {
    return this.pending.length;
  }
}

export { iso as isoTime };
