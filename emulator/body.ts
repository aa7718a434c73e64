/** Reading JSON:API request bodies, with Klaviyo's 400s (and `source.pointer`) when malformed. */
import { invalidPointer } from "./api-error.js";
import type { EmulatorRequest } from "./handler-types.js";

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * How deeply a request body may nest, like the recursion limit of a JSON decoder: four times
 * the depth klaviyo-mcp lets its arguments reach, and far from where serializing fails, so no
 * stored resource can break a later listing, filter, merge or answer.
 */
export const MAX_BODY_DEPTH = 256;

/** A 400 pointing at the first value nested deeper than MAX_BODY_DEPTH. Iterative. */
export function checkBodyDepth(body: unknown): void {
  type Frame = { node: object; depth: number; key?: string; parent?: Frame };
  if (typeof body !== "object" || body === null) return;
  const stack: Frame[] = [{ node: body, depth: 1 }];
  for (let frame = stack.pop(); frame; frame = stack.pop()) {
    if (frame.depth > MAX_BODY_DEPTH) {
      const keys: string[] = [];
      for (let at: Frame | undefined = frame; at?.key !== undefined; at = at.parent) {
        keys.push(at.key);
      }
      // The start of the path is enough to find the value; the whole would be very long.
      const pointer = `/${keys.reverse().slice(0, 4).map(escapePointer).join("/")}`;
      throw invalidPointer(
        pointer,
        `The request body is nested more than ${MAX_BODY_DEPTH} levels deep; flatten it.`,
      );
    }
    for (const [key, child] of Object.entries(frame.node)) {
      if (typeof child === "object" && child !== null) {
        stack.push({ node: child, depth: frame.depth + 1, key, parent: frame });
      }
    }
  }
}

function escapePointer(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}

/** The request's primary data object, checked to carry the operation's type. */
export function resourceData(request: EmulatorRequest): {
  id?: string;
  attributes: JsonObject;
  relationships: JsonObject;
} {
  const body = request.body;
  if (!isObject(body)) throw invalidPointer("/", "The request body must be a JSON:API document.");
  const data = body.data;
  if (!isObject(data)) {
    throw invalidPointer("/data", "'data' must be an object with 'type' and 'attributes'.");
  }
  checkType(data.type, request.op.requestType, "/data/type");
  if (data.id !== undefined && typeof data.id !== "string") {
    throw invalidPointer("/data/id", "'id' must be a string.");
  }
  const attributes = data.attributes ?? {};
  if (!isObject(attributes))
    throw invalidPointer("/data/attributes", "'attributes' must be an object.");
  const relationships = data.relationships ?? {};
  if (!isObject(relationships)) {
    throw invalidPointer("/data/relationships", "'relationships' must be an object.");
  }
  return { id: data.id as string | undefined, attributes, relationships };
}

/** Resource identifiers of a relationship request (`{data: [{type, id}]}` or one object). */
export function linkageData(request: EmulatorRequest): Array<{ type: string; id: string }> {
  const body = request.body;
  if (!isObject(body) || body.data === undefined) {
    throw invalidPointer("/data", "The request body must have 'data': resource identifiers.");
  }
  const list = Array.isArray(body.data) ? body.data : [body.data];
  return list.map((item, index) => {
    const pointer = Array.isArray(body.data) ? `/data/${index}` : "/data";
    if (!isObject(item)) throw invalidPointer(pointer, "Expected {type, id}.");
    checkType(item.type, request.op.requestType, `${pointer}/type`);
    if (typeof item.id !== "string" || item.id === "") {
      throw invalidPointer(`${pointer}/id`, "'id' must be a non-empty string.");
    }
    return { type: item.type as string, id: item.id };
  });
}

/**
 * Linked ids of `relationships[name]` in a request body ({data: {type,id}} or a list). `base`
 * is where the resource object sits: `/data`, or an entry of a bulk job's list.
 */
export function relationshipIds(
  relationships: JsonObject,
  name: string,
  expectedType?: string,
  base = "/data",
): string[] | undefined {
  const entry = relationships[name];
  if (entry === undefined) return undefined;
  const pointer = `${base}/relationships/${name}`;
  if (!isObject(entry) || !("data" in entry)) {
    throw invalidPointer(pointer, `'${name}' must be {"data": ...}.`);
  }
  if (entry.data === null) return [];
  const list = Array.isArray(entry.data) ? entry.data : [entry.data];
  return list.map((item, index) => {
    const at = Array.isArray(entry.data) ? `${pointer}/data/${index}` : `${pointer}/data`;
    if (!isObject(item)) throw invalidPointer(at, "Expected a resource identifier {type, id}.");
    if (expectedType) checkType(item.type, expectedType, `${at}/type`);
    if (typeof item.id !== "string" || item.id === "") {
      throw invalidPointer(`${at}/id`, "'id' is required and must be a non-empty string.");
    }
    return item.id;
  });
}

function checkType(actual: unknown, expected: string | undefined, pointer: string): void {
  if (expected && actual !== expected) {
    throw invalidPointer(
      pointer,
      actual === undefined
        ? `'type' is required and must be '${expected}'.`
        : `'${String(actual)}' is not a valid type here; expected '${expected}'.`,
    );
  }
}

export function requireString(
  attributes: JsonObject,
  name: string,
  pointerBase = "/data/attributes",
): string {
  const value = attributes[name];
  if (typeof value !== "string" || value.trim() === "") {
    throw invalidPointer(
      `${pointerBase}/${name}`,
      `'${name}' is required and must be a non-empty string.`,
    );
  }
  return value;
}
