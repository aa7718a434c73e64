/**
 * Log lines for events an attacker can repeat at will (refused logins, connections over the
 * cap), aggregated so that they cannot flood the log: the first event of a key is logged at
 * once, later ones are counted and logged as one summary line per key per interval. Memory and
 * lines are bounded however many keys there are: past `maxKeys` in an interval, further keys
 * share one summary line.
 */

export type Counts<Kind extends string> = Partial<Record<Kind, number>>;

export interface LogAggregatorOptions<Kind extends string> {
  /** How often pending counts are logged (and quiet keys forgotten). */
  intervalMs: number;
  /** Keys logged and counted one by one, per interval. */
  maxKeys: number;
  /** The first event of a key that was quiet for a whole interval. */
  first(key: string, kind: Kind): void;
  /** Events since the last line: `key` undefined for the keys past maxKeys, counted together. */
  summary(key: string | undefined, counts: Counts<Kind>): void;
}

export class LogAggregator<Kind extends string> {
  /** Keys seen in this interval or the last, with their events not logged yet. */
  readonly #pending = new Map<string, Counts<Kind>>();
  /** Events of the keys that found no room, counted together. */
  #overflow: Counts<Kind> = {};
  readonly #timer: NodeJS.Timeout;

  constructor(private readonly options: LogAggregatorOptions<Kind>) {
    this.#timer = setInterval(() => this.flush(), options.intervalMs);
    this.#timer.unref();
  }

  record(key: string, kind: Kind): void {
    const counts = this.#pending.get(key);
    if (counts) {
      counts[kind] = (counts[kind] ?? 0) + 1;
      return;
    }
    if (this.#pending.size >= this.options.maxKeys) {
      this.#overflow[kind] = (this.#overflow[kind] ?? 0) + 1;
      return;
    }
    this.#pending.set(key, {});
    this.options.first(key, kind);
  }

  /** Logs what is pending; a key with nothing since the last flush is forgotten. */
  flush(): void {
    for (const [key, counts] of this.#pending) {
      if (Object.keys(counts).length === 0) {
        this.#pending.delete(key);
        continue;
      }
      this.options.summary(key, counts);
      this.#pending.set(key, {});
    }
    if (Object.keys(this.#overflow).length > 0) {
      this.options.summary(undefined, this.#overflow);
      this.#overflow = {};
    }
  }

  /** Logs what is pending and stops the timer. */
  stop(): void {
    clearInterval(this.#timer);
    this.flush();
  }
}
