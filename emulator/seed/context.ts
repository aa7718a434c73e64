/** Shared plumbing for the demo-data builders: the seeded choices, the clock and the store. */
import { createRng, ulid, uuid } from "../random.js";
import type { Attributes, Store } from "../store.js";

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Klaviyo-style ISO 8601 timestamp: seconds precision, explicit `+00:00` offset. */
export function iso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "+00:00");
}

/** `YYYY-MM-DD`. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/&/g, "and")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

export class SeedContext {
  readonly rng: () => number;

  constructor(
    readonly store: Store,
    seed: number,
    /** The demo's "now", in ms. */
    readonly now: number,
  ) {
    this.rng = createRng(seed);
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.rng() * (max - min + 1));
  }

  /** A float in [min, max). */
  float(min: number, max: number): number {
    return min + this.rng() * (max - min);
  }

  chance(p: number): boolean {
    return this.rng() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[Math.floor(this.rng() * items.length)] as T;
  }

  /** Picks by weight: `[[value, weight], ...]`. */
  weighted<T>(options: ReadonlyArray<readonly [T, number]>): T {
    const total = options.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.rng() * total;
    for (const [value, weight] of options) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return (options[options.length - 1] as readonly [T, number])[0];
  }

  /** `count` distinct items, in a random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = [...items];
    const n = Math.min(count, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.rng() * (copy.length - i));
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy.slice(0, n);
  }

  /** A time in the last `fromDays`..`toDays` days before now (fromDays > toDays). */
  daysAgo(fromDays: number, toDays = 0): number {
    return this.now - Math.floor(this.float(toDays * DAY, fromDays * DAY));
  }

  /** A ULID whose time part is `timeMs` (Klaviyo's profile, event and campaign ids are ULIDs). */
  ulidAt(timeMs: number): string {
    return ulid(this.rng, timeMs);
  }

  uuid(): string {
    return uuid(this.rng);
  }

  hex(length: number): string {
    let out = "";
    for (let i = 0; i < length; i++) out += "0123456789abcdef"[Math.floor(this.rng() * 16)];
    return out;
  }

  insert(type: string, attributes: Attributes, id?: string): string {
    return this.store.insert(type, attributes, id).id;
  }

  link(type: string, id: string, relationship: string, ids: readonly string[]): void {
    if (ids.length > 0) this.store.link(type, id, relationship, ids);
  }
}
