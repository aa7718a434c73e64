/**
 * JSON:API list-query helpers for the emulator: `sort`, `page[size]`, `page[cursor]` and sparse
 * fieldsets (`fields[type]`). Pure functions; the endpoints turn QueryError into a 400.
 */
import { createHash } from "node:crypto";

/** A bad query parameter; `parameter` is its wire name, e.g. "page[cursor]". */
export class QueryError extends Error {
  constructor(
    readonly parameter: string,
    readonly detail: string,
  ) {
    super(detail);
    this.name = "QueryError";
  }
}

export interface Sort {
  field: string;
  descending: boolean;
}

/** `sort=created` / `sort=-created`; `allowed` lists both spellings, as Klaviyo's spec does. */
export function parseSort(value: string | undefined, allowed: string[]): Sort | undefined {
  if (value === undefined) return undefined;
  const sort = value.trim();
  if (!allowed.includes(sort)) {
    const choices =
      allowed.length > 0 ? `Allowed: ${allowed.join(", ")}` : "Sorting is not supported";
    throw new QueryError("sort", `'${value}' is not a valid sort option. ${choices}`);
  }
  return sort.startsWith("-")
    ? { field: sort.slice(1), descending: true }
    : { field: sort, descending: false };
}

/**
 * A sorted copy; equal keys keep their input order, in both directions. Missing values
 * (null/undefined) count as larger than any value, as in Postgres: last ascending, first
 * descending.
 */
export function sortResources<T>(
  items: T[],
  sort: Sort | undefined,
  read: (item: T, field: string) => unknown,
): T[] {
  if (!sort) return [...items];
  const direction = sort.descending ? -1 : 1;
  const keyed = items.map((item) => ({ item, key: read(item, sort.field) }));
  keyed.sort((a, b) => direction * compareKeys(a.key, b.key)); // Array#sort is stable
  return keyed.map(({ item }) => item);
}

function compareKeys(a: unknown, b: unknown): number {
  if (a == null || b == null) return (a == null ? 1 : 0) - (b == null ? 1 : 0);
  if (a instanceof Date && b instanceof Date) return Math.sign(a.getTime() - b.getTime());
  if (typeof a === "number" && typeof b === "number") return Math.sign(a - b);
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  // Strings (uniform ISO datetimes included) by code unit, not locale: deterministic everywhere.
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

// Cursors ------------------------------------------------------------------------------------

const CURSOR_VERSION = "c1";

/** Hex digest of the parts of a query that a cursor must stay tied to (filter, sort, ...). */
export function queryFingerprint(...parts: Array<string | undefined>): string {
  return digest(JSON.stringify(parts.map((part) => part ?? null)));
}

/**
 * Opaque base64url token for `offset`, bound to the query's fingerprint. The checksum catches
 * edited tokens; it is not a secret, so this guards against mistakes, not attackers.
 */
export function encodeCursor(offset: number, fingerprint: string): string {
  const query = digest(fingerprint).slice(0, 12);
  const body = `${CURSOR_VERSION}.${offset}.${query}`;
  return Buffer.from(`${body}.${digest(body).slice(0, 12)}`).toString("base64url");
}

/** The offset in a token from `encodeCursor` for the same fingerprint; else QueryError. */
export function decodeCursor(cursor: string, fingerprint: string): number {
  const invalid = (why: string) =>
    new QueryError(
      "page[cursor]",
      `Invalid page cursor: ${why}. Use the links from a previous page.`,
    );
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid("it is not a cursor from this API");
  const parts = Buffer.from(cursor, "base64url").toString("utf8").split(".");
  const [version, offsetText = "", query, checksum] = parts;
  if (parts.length !== 4 || version !== CURSOR_VERSION || !/^\d{1,15}$/.test(offsetText)) {
    throw invalid("it is not a cursor from this API");
  }
  if (checksum !== digest(`${version}.${offsetText}.${query}`).slice(0, 12)) {
    throw invalid("it has been altered");
  }
  if (query !== digest(fingerprint).slice(0, 12)) {
    throw invalid("it belongs to a request with a different filter or sort");
  }
  return Number(offsetText);
}

function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

// Pages --------------------------------------------------------------------------------------

/** `page[size]`: an integer in [min (default 1), max]; `default` when absent. */
export function parsePageSize(
  value: string | undefined,
  bounds: { default: number; max: number; min?: number },
): number {
  if (value === undefined) return bounds.default;
  const min = bounds.min ?? 1;
  const size = /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!(size >= min && size <= bounds.max)) {
    throw new QueryError(
      "page[size]",
      `page[size] must be an integer between ${min} and ${bounds.max}, got '${value}'`,
    );
  }
  return size;
}

/** One page from `offset`; the neighbouring offsets are set only when such a page exists. */
export function paginate<T>(
  items: T[],
  offset: number,
  size: number,
): { page: T[]; nextOffset?: number; prevOffset?: number } {
  const end = offset + size;
  return {
    page: items.slice(offset, end),
    ...(end < items.length ? { nextOffset: end } : {}),
    ...(offset > 0 ? { prevOffset: Math.max(0, Math.min(offset, items.length) - size) } : {}),
  };
}

// Sparse fieldsets ---------------------------------------------------------------------------

/**
 * A comma list such as `fields[profile]=email,subscriptions.email`: trimmed, duplicates
 * dropped. With `allowed`, unknown names are rejected.
 */
export function parseFieldList(
  value: string | undefined,
  parameter: string,
  allowed: string[] | undefined,
): string[] | undefined {
  if (value === undefined) return undefined;
  const fields = [
    ...new Set(
      value
        .split(",")
        .map((field) => field.trim())
        .filter(Boolean),
    ),
  ];
  if (fields.length === 0)
    throw new QueryError(parameter, `${parameter} must name at least one field`);
  const unknown = allowed ? fields.filter((field) => !allowed.includes(field)) : [];
  if (allowed && unknown.length > 0) {
    const names = `'${unknown.join("', '")}' ${unknown.length === 1 ? "is" : "are"}`;
    throw new QueryError(
      parameter,
      `${names} not valid for ${parameter}. Allowed: ${allowed.join(", ")}`,
    );
  }
  return fields;
}

/** Field path tree: `true` keeps the whole value at that point. */
type Selection = Map<string, Selection | true>;

/**
 * Sparse fieldset over attributes: "email" keeps a top-level attribute, "location.city" only
 * that nested path. Key order follows the attributes, not `fields`. A path through a missing
 * or non-object value is left out; an explicit null parent is kept as null.
 */
export function pickFields(
  attributes: Record<string, unknown>,
  fields: string[],
): Record<string, unknown> {
  const selection: Selection = new Map();
  for (const field of fields) {
    const keys = field.split(".");
    const leaf = keys.pop() as string;
    let node: Selection | undefined = selection;
    for (const key of keys) {
      const next: Selection | true | undefined = node.get(key);
      if (next === true) {
        node = undefined; // a shorter path already keeps everything below
        break;
      }
      node = next ?? (node.set(key, new Map()).get(key) as Selection);
    }
    node?.set(leaf, true);
  }
  return pick(attributes, selection);
}

function pick(source: Record<string, unknown>, selection: Selection): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    const wanted = selection.get(key);
    if (wanted === true || (wanted && value === null)) result[key] = value;
    else if (wanted && isPlainObject(value)) {
      const nested = pick(value, wanted);
      if (Object.keys(nested).length > 0) result[key] = nested; // nothing under it was found
    }
  }
  return result;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
