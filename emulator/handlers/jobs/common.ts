/**
 * What every bulk-job handler shares: reading the `attributes.<name>.data[]` list of a job
 * request with precise `source.pointer`s, type-checking entry attributes against the spec's
 * shapes, the job attributes Klaviyo returns, and turning per-entry failures into the job's
 * `errors`.
 */
import { ApiError, invalidPointer } from "../../api-error.js";
import { isObject, type JsonObject, relationshipIds } from "../../body.js";
import type { EmulatorRequest, EmulatorState, HandlerResult } from "../../handler-types.js";
import { isoTime } from "../../jobs.js";
import { readQuery } from "../../listing.js";
import { collectionOf, document } from "../../render.js";
import type { Attributes, StoredResource } from "../../store.js";

/** How long Klaviyo keeps a finished bulk job around (its `expires_at`). */
const JOB_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** One resource object of a job's list, and where it sits in the request. */
export interface Entry {
  index: number;
  /** `/data/attributes/<name>/data/<index>`. */
  pointer: string;
  id?: string;
  attributes: JsonObject;
  relationships: JsonObject;
  meta: JsonObject;
  raw: JsonObject;
}

/**
 * The entries of `data.attributes[name].data`, each checked to be a `{type, attributes}`
 * resource object of `type` (and to carry an `id` when `needId`).
 */
export function readEntries(
  attributes: JsonObject,
  name: string,
  options: {
    type: string;
    max: number;
    needId?: boolean;
    needAttributes?: boolean;
    optional?: boolean;
  },
): Entry[] {
  const base = `/data/attributes/${name}`;
  const wrapper = attributes[name];
  if (wrapper === undefined || wrapper === null) {
    if (options.optional) return [];
    throw invalidPointer(base, `'${name}' is required: {"data": [...]}.`);
  }
  if (!isObject(wrapper)) throw invalidPointer(base, `'${name}' must be {"data": [...]}.`);
  const list = wrapper.data;
  if (!Array.isArray(list)) throw invalidPointer(`${base}/data`, `'data' must be an array.`);
  if (list.length === 0 && !options.optional) {
    throw invalidPointer(`${base}/data`, `'data' must contain at least one ${options.type}.`);
  }
  if (list.length > options.max) {
    throw invalidPointer(
      `${base}/data`,
      `At most ${options.max} ${options.type} resources are accepted per job; got ${list.length}.`,
    );
  }
  return list.map((raw, index) => {
    const pointer = `${base}/data/${index}`;
    if (!isObject(raw))
      throw invalidPointer(pointer, `Expected a ${options.type} resource object.`);
    if (raw.type !== options.type) {
      throw invalidPointer(
        `${pointer}/type`,
        raw.type === undefined
          ? `'type' is required and must be '${options.type}'.`
          : `'${String(raw.type)}' is not a valid type here; expected '${options.type}'.`,
      );
    }
    if (raw.id !== undefined && raw.id !== null && typeof raw.id !== "string") {
      throw invalidPointer(`${pointer}/id`, "'id' must be a string.");
    }
    if (options.needId && (typeof raw.id !== "string" || raw.id === "")) {
      throw invalidPointer(`${pointer}/id`, "'id' is required and must be a non-empty string.");
    }
    const entryAttributes = raw.attributes ?? (options.needAttributes === false ? {} : undefined);
    if (!isObject(entryAttributes)) {
      throw invalidPointer(
        `${pointer}/attributes`,
        "'attributes' is required and must be an object.",
      );
    }
    const relationships = raw.relationships ?? {};
    if (!isObject(relationships)) {
      throw invalidPointer(`${pointer}/relationships`, "'relationships' must be an object.");
    }
    const meta = raw.meta ?? {};
    if (!isObject(meta)) throw invalidPointer(`${pointer}/meta`, "'meta' must be an object.");
    return {
      index,
      pointer,
      id: typeof raw.id === "string" ? raw.id : undefined,
      attributes: entryAttributes,
      relationships,
      meta,
      raw,
    };
  });
}

/** Ids of `relationships[name]` of an entry, with pointers under `base` (the entry). */
export function entryRelationshipIds(
  relationships: JsonObject,
  name: string,
  type: string,
  base: string,
  many: boolean,
): string[] | undefined {
  const entry = relationships[name];
  // Bulk entries must use the documented arity: a list for to-many, one object for to-one.
  if (isObject(entry) && entry.data !== null && entry.data !== undefined) {
    if (many !== Array.isArray(entry.data)) {
      throw invalidPointer(
        `${base}/relationships/${name}/data`,
        many ? "'data' must be an array of {type, id}." : "'data' must be one {type, id} object.",
      );
    }
  }
  return relationshipIds(relationships, name, type, base);
}

/** A top-level `data.relationships[name]` to-one id, checked to exist (404 otherwise). */
export function existingRelated(
  state: EmulatorState,
  relationships: JsonObject,
  name: string,
  type: string,
): string | undefined {
  const ids = entryRelationshipIds(relationships, name, type, "/data", false);
  const id = ids?.[0];
  if (id !== undefined && !state.store.get(type, id)) {
    throw new ApiError(404, `A ${type} with id ${id} does not exist.`, {
      pointer: `/data/relationships/${name}/data/id`,
    });
  }
  return id;
}

/** A JSON type an attribute must have; `nullable` allows null. */
export type FieldKind =
  | "string"
  | "number"
  | "integer"
  | "boolean"
  | "object"
  | "strings"
  | "datetime"
  /** A string or a number (coordinates). */
  | "scalar"
  | { enum: readonly unknown[] };

export interface FieldRule {
  kind: FieldKind;
  required?: boolean;
  nullable?: boolean;
}

export type FieldRules = Record<string, FieldRule>;

const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export function isDateTime(value: unknown): value is string {
  return typeof value === "string" && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
}

function matches(kind: FieldKind, value: unknown): boolean {
  if (typeof kind === "object") return kind.enum.includes(value);
  switch (kind) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "object":
      return isObject(value);
    case "strings":
      return Array.isArray(value) && value.every((v) => typeof v === "string");
    case "datetime":
      return isDateTime(value);
    case "scalar":
      return typeof value === "string" || (typeof value === "number" && Number.isFinite(value));
  }
}

function describe(kind: FieldKind): string {
  if (typeof kind === "object")
    return `one of ${kind.enum.map((v) => JSON.stringify(v)).join(", ")}`;
  return {
    string: "a string",
    number: "a number",
    integer: "an integer",
    boolean: "a boolean",
    object: "an object",
    strings: "an array of strings",
    datetime: "an ISO 8601 date-time",
    scalar: "a string or a number",
  }[kind];
}

/**
 * Checks `attributes` against the spec's attribute shapes: required ones present, types and
 * enums respected, no attribute the resource doesn't document (`resource` names it).
 */
export function checkAttributes(
  attributes: JsonObject,
  rules: FieldRules,
  pointer: string,
  resource: string,
): void {
  for (const [name, value] of Object.entries(attributes)) {
    const rule = rules[name];
    if (!rule) {
      throw invalidPointer(
        `${pointer}/${name}`,
        `'${name}' is not a valid field for the resource '${resource}'.`,
      );
    }
    if (value === null && (rule.nullable || !rule.required)) continue;
    if (!matches(rule.kind, value)) {
      throw invalidPointer(`${pointer}/${name}`, `'${name}' must be ${describe(rule.kind)}.`);
    }
  }
  for (const [name, rule] of Object.entries(rules)) {
    if (rule.required && (attributes[name] === undefined || attributes[name] === null)) {
      throw invalidPointer(`${pointer}/${name}`, `'${name}' is required.`);
    }
  }
}

/** An entry of a job's `errors` attribute, in the spec's shape. */
export interface JobError {
  id: string;
  code: string;
  title: string;
  detail: string;
  source: { pointer: string };
}

/** A failure of one entry; `pointer` is where in the job request it happened. */
export function jobError(error: ApiError, pointer: string): JobError {
  const object = error.toObject();
  return {
    id: object.id,
    code: object.code,
    title: object.title,
    detail: object.detail,
    source: { pointer },
  };
}

/** Re-roots a `/data/...` pointer from a single-resource hook under a job entry. */
export function underEntry(entryPointer: string, error: ApiError): string {
  const pointer = error.source && "pointer" in error.source ? error.source.pointer : undefined;
  if (!pointer?.startsWith("/data")) return entryPointer;
  return `${entryPointer}${pointer.slice("/data".length)}`;
}

/** The attributes a freshly queued bulk job has. */
export function queuedJobAttributes(
  state: EmulatorState,
  total: number,
  options: { errors?: boolean; failed?: boolean; skipped?: boolean; expires?: boolean } = {},
): Attributes {
  return {
    total_count: total,
    completed_count: 0,
    ...(options.failed === false ? {} : { failed_count: 0 }),
    ...(options.skipped ? { skipped_count: 0 } : {}),
    completed_at: null,
    ...(options.errors === false ? {} : { errors: [] }),
    ...(options.expires === false ? {} : { expires_at: isoTime(state.store.now() + JOB_TTL_MS) }),
  };
}

/** The 202 answer with the job resource, as Klaviyo sends it when a job is created. */
export function jobResponse(
  request: EmulatorRequest,
  state: EmulatorState,
  job: StoredResource,
): HandlerResult {
  const options = readQuery(request, state);
  const self = `${state.baseUrl}/api/${collectionOf(job.type)}/${encodeURIComponent(job.id)}/`;
  return { status: request.op.status, body: document(state.store, job, options, { self }) };
}

/** Runs `work` and turns an ApiError into a job error under `pointer`; rethrows bugs. */
export function attempt<T>(
  pointer: string,
  work: () => T,
): { ok: true; value: T } | { ok: false; error: JobError } {
  try {
    return { ok: true, value: work() };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { ok: false, error: jobError(error, underEntry(pointer, error)) };
  }
}
