/**
 * Request validation shared by the reporting endpoints. Every problem becomes a ReportError whose
 * JSON pointer names the offending request member, so the emulator can answer with a Klaviyo
 * style 400 `errors[]` entry (`source.pointer`).
 */

export class ReportError extends Error {
  constructor(
    readonly detail: string,
    readonly pointer: string,
  ) {
    super(detail);
    this.name = "ReportError";
  }
}

/** Pointer prefix of the request body's attributes. */
export const ATTRIBUTES = "/data/attributes";

export type Attrs = Record<string, unknown>;

export const pointerTo = (...path: Array<string | number>): string =>
  [ATTRIBUTES, ...path].join("/");

/** The member's value; absent and null are the same to Klaviyo for optional members. */
export function optional(attrs: Attrs, key: string): unknown {
  const value = attrs[key];
  return value === null ? undefined : value;
}

export function required(attrs: Attrs, key: string): unknown {
  const value = optional(attrs, key);
  if (value === undefined) throw new ReportError(`'${key}' is a required field`, pointerTo(key));
  return value;
}

export function requiredString(attrs: Attrs, key: string): string {
  const value = required(attrs, key);
  if (typeof value !== "string" || value === "") {
    throw new ReportError(`'${key}' must be a non-empty string`, pointerTo(key));
  }
  return value;
}

/** A string member restricted to `allowed`; `fallback` when absent. */
export function choice<T extends string>(
  attrs: Attrs,
  key: string,
  allowed: readonly T[],
  fallback?: T,
): T {
  const value = fallback === undefined ? required(attrs, key) : (optional(attrs, key) ?? fallback);
  return member(value, allowed, `a valid '${key}'`, pointerTo(key));
}

/** An array member whose items all come from `allowed` (or pass `accept`). */
export function choiceList<T extends string>(
  attrs: Attrs,
  key: string,
  allowed: readonly T[],
  options: { required?: boolean; accept?: (item: string) => boolean } = {},
): T[] | undefined {
  const value = options.required ? required(attrs, key) : optional(attrs, key);
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new ReportError(`'${key}' must be an array`, pointerTo(key));
  if (options.required && value.length === 0) {
    throw new ReportError(`'${key}' must contain at least one item`, pointerTo(key));
  }
  return value.map((item, index) => {
    if (typeof item === "string" && options.accept?.(item)) return item as T;
    return member(item, allowed, `a valid '${key}' item`, pointerTo(key, index));
  });
}

export function member<T extends string>(
  value: unknown,
  allowed: readonly T[],
  what: string,
  pointer: string,
): T {
  if (typeof value === "string" && (allowed as readonly string[]).includes(value))
    return value as T;
  const shown = typeof value === "string" ? `'${value}'` : JSON.stringify(value);
  throw new ReportError(`${shown} is not ${what}. Allowed values: ${allowed.join(", ")}`, pointer);
}

/** The metric named by `attrs[key]`; unknown ids are a 400 on that member. */
export function requireMetric(
  store: { get(type: string, id: string): unknown },
  attrs: Attrs,
  key: string,
): string {
  const id = requiredString(attrs, key);
  if (!store.get("metric", id)) {
    throw new ReportError(
      `Metric '${id}' does not exist; use an id from GET /api/metrics`,
      pointerTo(key),
    );
  }
  return id;
}
