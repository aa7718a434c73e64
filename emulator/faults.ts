/**
 * Fault injection for the emulator: latency, 5xx errors, dropped connections and truncated bodies,
 * drawn from a seeded PRNG so a failing test can be replayed exactly. A 5xx or a dropped
 * connection strikes before the request is handled (nothing applied), or, with `afterEffectRate`,
 * after it took effect: the response is lost but the store changed, as when a real network drops
 * the answer to a request the server did apply.
 */
import { createRng } from "./random.js";

export { createRng };

export interface FaultOptions {
  /** Added before responding: a fixed delay or a uniform range, in ms. */
  latencyMs?: number | { min: number; max: number };
  /** 0..1 probability of a 500/502/503. */
  errorRate?: number;
  /** 0..1 probability the connection is destroyed without a response. */
  resetRate?: number;
  /** 0..1 probability a 200 body is truncated into invalid JSON. */
  malformedRate?: number;
  /**
   * 0..1 probability that a drawn error or reset strikes after the request took effect (the
   * handler ran, the store changed) instead of before. Default 0.
   */
  afterEffectRate?: number;
  /** PRNG seed; random when omitted (read it back from `FaultInjector.seed`). */
  seed?: number;
  /** Only these operation ids are affected (default: all). */
  operations?: string[];
}

export type Fault =
  | { kind: "none" }
  | {
      kind: "error";
      status: 500 | 502 | 503;
      body: string;
      contentType: string;
      /** Strikes after the request took effect. */
      afterEffect?: true;
    }
  | { kind: "reset"; afterEffect?: true }
  | { kind: "malformed" };

const JSON_API = "application/vnd.api+json";
const ERROR_STATUSES = [500, 502, 503] as const;

export class FaultInjector {
  readonly seed: number;
  readonly #opts: FaultOptions;
  readonly #only: ReadonlySet<string> | undefined;
  // Separate streams, so how often latency() is called does not change which faults are drawn.
  readonly #faultRng: () => number;
  readonly #latencyRng: () => number;

  constructor(options: FaultOptions = {}) {
    validate(options);
    this.#opts = options;
    this.#only = options.operations ? new Set(options.operations) : undefined;
    this.seed = options.seed === undefined ? (Math.random() * 2 ** 32) >>> 0 : options.seed >>> 0;
    this.#faultRng = createRng(this.seed);
    this.#latencyRng = createRng(this.seed ^ 0x9e3779b9);
  }

  /** False when nothing is configured (the default), so callers can skip the fault path. */
  get enabled(): boolean {
    const { latencyMs: l, errorRate, resetRate, malformedRate } = this.#opts;
    const latency = typeof l === "number" ? l > 0 : l !== undefined && l.max > 0;
    return latency || (errorRate ?? 0) > 0 || (resetRate ?? 0) > 0 || (malformedRate ?? 0) > 0;
  }

  /** Ms to wait before responding; 0 for operations outside the `operations` filter. */
  latency(operationId?: string): number {
    const l = this.#opts.latencyMs;
    if (l === undefined || (operationId !== undefined && !this.#affects(operationId))) return 0;
    if (typeof l === "number") return l;
    return l.min + Math.floor(this.#latencyRng() * (l.max - l.min + 1));
  }

  /**
   * What to do with this request, decided before it is handled. An error or reset marked
   * `afterEffect` is to be applied once the handler has run.
   */
  decide(operationId: string): Fault {
    if (!this.#affects(operationId)) return { kind: "none" };
    // One draw split into bands makes each rate exact and the faults mutually exclusive.
    const r = this.#faultRng();
    let edge = this.#opts.resetRate ?? 0;
    if (r < edge) return this.#timed({ kind: "reset" });
    edge += this.#opts.errorRate ?? 0;
    if (r < edge) return this.#timed(this.#error());
    edge += this.#opts.malformedRate ?? 0;
    if (r < edge) return { kind: "malformed" };
    return { kind: "none" };
  }

  /** Cuts the body in half (never at a surrogate pair); the result is never valid JSON. */
  corrupt(body: string): string {
    let cut = Math.floor(body.length / 2);
    if (cut > 0 && /[\uD800-\uDBFF]/.test(body.charAt(cut - 1))) cut -= 1;
    const out = body.slice(0, cut);
    // Short or scalar bodies can survive halving ("1234" -> "12"); an unclosed brace cannot.
    return isJson(out) ? `${out}{` : out;
  }

  /**
   * Before or after the effect: one more draw from the same stream, made only when
   * afterEffectRate > 0, so the sequences of seeds without it stay as they were.
   */
  #timed<F extends Extract<Fault, { kind: "error" | "reset" }>>(fault: F): F {
    const rate = this.#opts.afterEffectRate ?? 0;
    if (rate > 0 && this.#faultRng() < rate) fault.afterEffect = true;
    return fault;
  }

  #affects(operationId: string): boolean {
    return this.#only === undefined || this.#only.has(operationId);
  }

  #error(): Extract<Fault, { kind: "error" }> {
    const status = ERROR_STATUSES[Math.floor(this.#faultRng() * ERROR_STATUSES.length)] ?? 500;
    if (status === 502) {
      // Klaviyo's edge, not the API, answers a bad gateway: an HTML page, not JSON:API.
      const body =
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n" +
        "<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";
      return { kind: "error", status, body, contentType: "text/html" };
    }
    const [code, title] =
      status === 500
        ? ["error", "A server error occurred."]
        : ["service_unavailable", "Service temporarily unavailable, try again later."];
    const error = { id: this.#uuid(), status, code, title, detail: title };
    return {
      kind: "error",
      status,
      body: JSON.stringify({ errors: [error] }),
      contentType: JSON_API,
    };
  }

  /** A v4-shaped id from the seeded stream, so error bodies are reproducible too. */
  #uuid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.#faultRng() * 16).toString(16));
    hex[12] = "4";
    hex[16] = "89ab"[Math.floor(this.#faultRng() * 4)] ?? "8";
    const s = hex.join("");
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function validate(o: FaultOptions): void {
  for (const [name, rate] of [
    ["errorRate", o.errorRate],
    ["resetRate", o.resetRate],
    ["malformedRate", o.malformedRate],
    ["afterEffectRate", o.afterEffectRate],
  ] as const) {
    if (rate !== undefined && !(rate >= 0 && rate <= 1)) {
      throw new RangeError(`${name} must be between 0 and 1, got ${rate}`);
    }
  }
  const total = (o.errorRate ?? 0) + (o.resetRate ?? 0) + (o.malformedRate ?? 0);
  if (total > 1 + 1e-9) {
    throw new RangeError(`errorRate + resetRate + malformedRate must not exceed 1, got ${total}`);
  }
  const l = o.latencyMs;
  const [min, max] = typeof l === "object" ? [l.min, l.max] : [l ?? 0, l ?? 0];
  if (!(Number.isInteger(min) && Number.isInteger(max) && min >= 0 && min <= max)) {
    throw new RangeError(
      `latencyMs must be a whole number of ms >= 0, or {min, max} with min <= max; got ${JSON.stringify(l)}`,
    );
  }
  if (o.seed !== undefined && !Number.isInteger(o.seed)) {
    throw new RangeError(`seed must be an integer, got ${o.seed}`);
  }
}

const SPEC_KEYS = "latency, errors, resets, malformed, after, seed, ops";
const SPEC_EXAMPLE =
  'e.g. "latency=10-80,errors=0.1,resets=0.05,malformed=0.02,seed=7,ops=get_profiles|get_lists"';

/**
 * Parses a CLI/env fault spec: comma-separated key=value pairs with keys latency (ms or min-max),
 * errors, resets, malformed (rates 0..1), after (0..1: the share of errors and resets that strike
 * after the request took effect), seed (integer) and ops (operation ids joined by "|").
 * An empty spec means no faults.
 */
export function parseFaultSpec(text: string): FaultOptions {
  const out: FaultOptions = {};
  const seen = new Set<string>();
  for (const part of text.split(",")) {
    const item = part.trim();
    if (item === "") continue;
    const eq = item.indexOf("=");
    const key = (eq < 0 ? item : item.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? "" : item.slice(eq + 1).trim();
    const bad = (expected: string) =>
      new Error(`Invalid fault spec "${item}": ${expected}; ${SPEC_EXAMPLE}`);
    if (eq < 0 || value === "") throw bad(`expected key=value with key one of ${SPEC_KEYS}`);
    if (seen.has(key)) throw bad(`"${key}" is given more than once`);
    seen.add(key);

    switch (key) {
      case "latency": {
        const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(value);
        if (!m) throw bad("latency is whole milliseconds, either N or MIN-MAX");
        const min = Number(m[1]);
        const max = m[2] === undefined ? undefined : Number(m[2]);
        if (max !== undefined && max < min) throw bad("latency MIN-MAX needs MIN <= MAX");
        out.latencyMs = max === undefined ? min : { min, max };
        break;
      }
      case "errors":
      case "resets":
      case "malformed":
      case "after": {
        const rate = /^(?:\d+(?:\.\d*)?|\.\d+)$/.test(value) ? Number(value) : Number.NaN;
        if (!(rate >= 0 && rate <= 1))
          throw bad(`${key} is a probability between 0 and 1, like 0.05`);
        if (key === "errors") out.errorRate = rate;
        else if (key === "resets") out.resetRate = rate;
        else if (key === "after") out.afterEffectRate = rate;
        else out.malformedRate = rate;
        break;
      }
      case "seed":
        if (!/^\d+$/.test(value)) throw bad("seed is a non-negative integer");
        out.seed = Number(value);
        break;
      case "ops":
      case "operations": {
        const ops = value.split("|").map((s) => s.trim());
        if (ops.some((s) => !/^[A-Za-z0-9_.-]+$/.test(s)))
          throw bad('ops are operation ids joined by "|"');
        out.operations = ops;
        break;
      }
      default:
        throw bad(`unknown key "${key}"; expected one of ${SPEC_KEYS}`);
    }
  }
  try {
    validate(out);
  } catch (err) {
    throw new Error(`Invalid fault spec "${text}": ${(err as Error).message}; ${SPEC_EXAMPLE}`);
  }
  return out;
}
