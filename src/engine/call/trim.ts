/**
 * A JSON:API document as the model reads it: `{id, ...attributes, <rel>_id(s)}` per resource,
 * nulls and empties dropped, links gone, a homogeneous list without its repeated type, included
 * resources grouped by type. Bounded in depth: from MAX_RESULT_DEPTH on, a value is kept as its
 * JSON text, so no walk here can overflow the stack.
 */
import { isRecord, type JsonObject as Json } from "../../json.js";
import { singular, snakeCase } from "../naming.js";
import { safeStringify } from "./deep-json.js";

const FIELD = { enumerable: true, writable: true, configurable: true };
/** Assigns without tripping the `__proto__` setter (custom properties can use any key). */
export function setKey(target: Json, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { ...FIELD, value });
  else target[key] = value;
}

export function relationshipKey(name: string, many: boolean): string {
  return many ? `${snakeCase(singular(name))}_ids` : `${snakeCase(name)}_id`;
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/** `["profiles", 0, "email"]` -> `profiles[0].email`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    const name = String(key);
    if (typeof key === "number") out += `[${key}]`;
    else if (!IDENTIFIER.test(name)) out += `[${JSON.stringify(name)}]`;
    else out += out ? `.${name}` : name;
  }
  return out;
}

/** `2026-01-28T18:45:39+00:00` -> `2026-01-28T18:45:39Z`: the same instant, 3 tokens fewer. */
const UTC_OFFSET = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?)\+00:00$/;

function shortenTimestamp(value: string): string {
  return value.length <= 32 && value.endsWith("+00:00") ? value.replace(UTC_OFFSET, "$1Z") : value;
}

/**
 * How deep a shaped result may nest. Klaviyo's own documents need about 25 levels and arguments
 * are refused beyond MAX_ARGUMENT_DEPTH, so only data written some other way goes deeper; there,
 * the rest is kept as its JSON text (a string), which JSON.stringify and the budget handle.
 */
export const MAX_RESULT_DEPTH = 128;

/** What a walk over one answer found: how many subtrees it gave as JSON text. */
interface Walk {
  flattened: number;
}

function flatten(value: object, walk: Walk): string {
  walk.flattened++;
  return safeStringify(value);
}

/**
 * Drops null, undefined, "", [] and {} recursively (an object emptied this way goes too).
 * Array elements keep their positions, since report values line up with their dates: only the
 * objects inside an array are compacted, and null or falsy elements stay. UTC timestamps are
 * written with `Z`. `depth` is how deep `value` sits in the result: at MAX_RESULT_DEPTH a
 * container becomes its JSON text, so the recursion is bounded.
 */
export function compact(value: unknown, depth = 0, walk: Walk = { flattened: 0 }): unknown {
  if (value === null || value === undefined || value === "") return undefined;
  if (typeof value === "string") return shortenTimestamp(value);
  if (typeof value !== "object") return value;
  if (depth >= MAX_RESULT_DEPTH) return flatten(value, walk);
  if (Array.isArray(value)) {
    return value.length === 0
      ? undefined
      : value.map((item) => compactElement(item, depth + 1, walk));
  }
  const out: Json = {};
  let empty = true;
  // for...in with hasOwn visits what Object.entries would, in its order, without the arrays.
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const kept = compact((value as Json)[key], depth + 1, walk);
    if (kept === undefined) continue;
    setKey(out, key, kept);
    empty = false;
  }
  return empty ? undefined : out;
}

function compactElement(value: unknown, depth: number, walk: Walk): unknown {
  if (typeof value === "string") return shortenTimestamp(value);
  if (typeof value !== "object" || value === null) return value;
  if (depth >= MAX_RESULT_DEPTH) return flatten(value, walk);
  if (Array.isArray(value)) return value.map((item) => compactElement(item, depth + 1, walk));
  return compact(value, depth, walk) ?? {};
}

function isResource(value: unknown): value is Json {
  return isRecord(value) && typeof value.type === "string";
}

/** `{type, id, attributes, relationships, links, meta}` -> `{id, type, ...attributes, <rel>_id(s)}`. */
function trimResource(resource: Json, depth: number, walk: Walk): Json {
  const out: Json = {};
  if (resource.id != null) out.id = resource.id;
  out.type = resource.type;
  // Colliding keys are nested rather than lost: the resource's own id/type and attributes win.
  // Made only when a key collides (rarely).
  let clashingAttributes: Json | undefined;
  let clashingRelationships: Json | undefined;

  // Attributes are lifted into the resource itself, so they sit at its depth.
  const attributes = compact(resource.attributes, depth, walk);
  if (isRecord(attributes)) {
    dropDuplicateTimestamp(attributes);
    for (const key in attributes) {
      if (!Object.hasOwn(attributes, key)) continue;
      const value = attributes[key];
      if (!Object.hasOwn(out, key)) setKey(out, key, value);
      else {
        clashingAttributes ??= {};
        setKey(clashingAttributes, key, value);
      }
    }
  }
  if (isRecord(resource.relationships)) {
    for (const [name, relationship] of Object.entries(resource.relationships)) {
      // Relationships with only `links` (or no related resource) say nothing the model can use.
      const data = isRecord(relationship) ? relationship.data : undefined;
      const ids = Array.isArray(data)
        ? data.map((item) => (isRecord(item) ? item.id : item)).filter((id) => id != null)
        : isRecord(data)
          ? data.id
          : undefined;
      if (ids == null || (Array.isArray(ids) && ids.length === 0)) continue;
      const key = relationshipKey(name, Array.isArray(data));
      if (!Object.hasOwn(out, key)) setKey(out, key, ids);
      else {
        clashingRelationships ??= {};
        setKey(clashingRelationships, key, ids);
      }
    }
  }
  if (clashingAttributes) out.attributes = clashingAttributes;
  if (clashingRelationships) out.relationships = clashingRelationships;
  const meta = compact(resource.meta, depth + 1, walk);
  if (meta !== undefined && !Object.hasOwn(out, "meta")) out.meta = meta;
  // A resource that is only its link (an export's download) is that URL: keep it.
  const self = isRecord(resource.links) ? resource.links.self : undefined;
  if (resource.id == null && resource.attributes == null && typeof self === "string") {
    out.url = self;
  }
  return out;
}

/**
 * An event states its time twice: `timestamp` (Unix seconds) and `datetime` (ISO 8601). When
 * both name the same instant, only `datetime` is kept.
 */
function dropDuplicateTimestamp(attributes: Json): void {
  const { timestamp, datetime } = attributes;
  if (typeof timestamp !== "number" || typeof datetime !== "string") return;
  if (Date.parse(datetime) === timestamp * 1000) delete attributes.timestamp;
}

/** `depth`: where `data` sits in the result. */
function trimData(data: unknown, depth: number, walk: Walk): unknown {
  if (Array.isArray(data)) {
    return data.map((item) =>
      isResource(item)
        ? trimResource(item, depth + 1, walk)
        : compactElement(item, depth + 1, walk),
    );
  }
  if (isResource(data)) return trimResource(data, depth, walk);
  return compact(data, depth, walk) ?? null;
}

/**
 * A list whose items all share one type does not repeat it: the endpoint (the tool) fixes it.
 * Items that are only linkage (`{id, type}`, relationship endpoints) become bare ids. Mixed
 * lists keep `type` on every item.
 */
function hoistType(items: unknown[]): { type?: string; data: unknown[] } {
  const first = items[0];
  const type = isRecord(first) ? first.type : undefined;
  if (typeof type !== "string" || !items.every((item) => isRecord(item) && item.type === type)) {
    return { data: items };
  }
  const records = items as Json[];
  const linkage = records.every(
    (item) => item.id != null && Object.keys(item).every((key) => key === "id" || key === "type"),
  );
  if (linkage) return { type, data: records.map((item) => item.id) };
  return { type, data: records.map(({ type: _type, ...rest }) => rest) };
}

/** The `page[cursor]` (or `page_cursor`, used by some report endpoints) of `links.next`. */
export function nextCursor(links: unknown): string | undefined {
  const next = isRecord(links) ? links.next : undefined;
  if (typeof next !== "string" || next === "") return undefined;
  try {
    // URLSearchParams decodes both `page%5Bcursor%5D` and `page[cursor]` to the same name.
    const params = new URL(next, "https://a.klaviyo.com").searchParams;
    return params.get("page[cursor]") || params.get("page_cursor") || undefined;
  } catch {
    return undefined;
  }
}

/** The type of every item of a trimmed homogeneous list (not serialized: the tool implies it). */
const LIST_TYPES = new WeakMap<object, string>();

export function listItemType(trimmed: object): string | undefined {
  return LIST_TYPES.get(trimmed);
}

/** How many subtrees of a trimmed answer nested too deep and were given as JSON text. */
const FLATTENED = new WeakMap<object, number>();

export function flattenedCount(trimmed: unknown): number {
  return typeof trimmed === "object" && trimmed !== null ? (FLATTENED.get(trimmed) ?? 0) : 0;
}

function noteFlattened<T>(trimmed: T, walk: Walk): T {
  if (walk.flattened > 0 && typeof trimmed === "object" && trimmed !== null) {
    FLATTENED.set(trimmed, walk.flattened);
  }
  return trimmed;
}

/** `[{id, type: "profile", ...}]` -> `{profile: [{id, ...}]}`, when every item has a type. */
function groupByType(items: unknown[]): unknown {
  const groups: Json = {};
  for (const item of items) {
    if (!isRecord(item) || typeof item.type !== "string") return items;
    const { type, ...rest } = item;
    const group = (Object.hasOwn(groups, type) ? groups[type] : undefined) as unknown[] | undefined;
    if (group) group.push(rest);
    else setKey(groups, type, [rest]);
  }
  return groups;
}

/**
 * A JSON:API document -> compact JSON: `{next_cursor?, data, included?, meta?}`. Links and
 * nulls/empties are dropped; `data` itself is always kept (`null` or `[]` is an answer); the
 * items of a homogeneous list drop their common `type`, a list of linkage is a list of ids, and
 * `included` is grouped by type (`{profile: [...]}`). Any other body is returned with nulls and
 * empties dropped.
 */
export function trimDocument(body: unknown): unknown {
  const walk: Walk = { flattened: 0 };
  if (!isRecord(body) || !Object.hasOwn(body, "data")) {
    return noteFlattened(compact(body, 0, walk), walk);
  }
  const out: Json = {};
  // First, so that it survives hosts that truncate long tool output.
  const cursor = nextCursor(body.links);
  if (cursor !== undefined) out.next_cursor = cursor;
  const data = trimData(body.data, 1, walk);
  if (Array.isArray(data)) {
    const hoisted = hoistType(data);
    if (hoisted.type !== undefined) LIST_TYPES.set(out, hoisted.type);
    out.data = hoisted.data;
  } else out.data = data;
  for (const [key, value] of Object.entries(body)) {
    if (key === "data" || key === "links" || key === "jsonapi") continue;
    if (key === "included" && Array.isArray(value)) {
      // Grouped by type, its resources sit one level deeper than its own items.
      if (value.length > 0) out.included = groupByType(trimData(value, 2, walk) as unknown[]);
      continue;
    }
    const kept = compact(value, 1, walk);
    if (kept !== undefined) setKey(out, key, kept);
  }
  return noteFlattened(out, walk);
}
