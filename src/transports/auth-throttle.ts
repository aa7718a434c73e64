/**
 * Failed bearer-token attempts, counted per client address in fixed windows: past the limit, an
 * address is refused (429) without its token being looked at until its window is over. Memory
 * is bounded: at most `maxAddresses` windows are kept, and when an attack from more addresses
 * than that fills the table, the oldest windows make room first (they are the nearest to
 * expiring anyway).
 */

export interface FailedLoginsOptions {
  /** Failures an address may have in one window. */
  limit: number;
  windowMs: number;
  maxAddresses: number;
  now?: () => number;
}

interface Window {
  start: number;
  failures: number;
}

export class FailedLogins {
  /** In order of `start`: a window is deleted and inserted again when it restarts. */
  readonly #windows = new Map<string, Window>();
  readonly #now: () => number;

  constructor(private readonly options: FailedLoginsOptions) {
    this.#now = options.now ?? Date.now;
  }

  /** Seconds until `address` may present a token again, or 0 if it may now. */
  retryAfterSeconds(address: string): number {
    const window = this.#current(address);
    if (!window || window.failures < this.options.limit) return 0;
    return Math.max(1, Math.ceil((window.start + this.options.windowMs - this.#now()) / 1000));
  }

  failed(address: string): void {
    let window = this.#current(address);
    if (!window) {
      this.#makeRoom();
      window = { start: this.#now(), failures: 0 };
      this.#windows.set(address, window);
    }
    window.failures++;
  }

  /** A valid token: earlier mistakes from that address are forgiven. */
  succeeded(address: string): void {
    this.#windows.delete(address);
  }

  /** Addresses with a window kept. */
  get size(): number {
    return this.#windows.size;
  }

  #current(address: string): Window | undefined {
    const window = this.#windows.get(address);
    if (window && this.#now() - window.start >= this.options.windowMs) {
      this.#windows.delete(address);
      return undefined;
    }
    return window;
  }

  /** Drops expired windows from the front, then the oldest while the table is full. */
  #makeRoom(): void {
    const now = this.#now();
    for (const [address, window] of this.#windows) {
      const expired = now - window.start >= this.options.windowMs;
      if (!expired && this.#windows.size < this.options.maxAddresses) break;
      this.#windows.delete(address);
    }
  }
}
