/**
 * The untrusted-attribute table (src/engine/call/untrusted-attributes.ts), decided from the data model:
 * for every JSON:API resource type, the attributes of its responses that hold free text someone
 * other than the server's operator can write.
 *
 * - Writers: every create and update of the spec (POST, PATCH, PUT with a JSON:API body), whether
 *   or not a tool calls it: integrations with a private key, and customers and storefronts
 *   through the /client/ endpoints (public key: events, profiles, subscriptions, back-in-stock,
 *   reviews, push tokens).
 * - A resource nested in a request (`{data: {type, attributes}}`: the profile and metric of an
 *   event, the items of a bulk job, the messages of a campaign) writes the attributes of its own
 *   type. That is how a client event's metric name becomes a metric's `name`.
 * - Free text: a string that is neither an enum nor a date or time (Klaviyo parses those), an
 *   open object or a value of any type (either can hold strings), and arrays and objects holding
 *   any of these. Emails and URLs count: they can spell words. Strings Klaviyo confines in other
 *   ways (E.164 phone numbers, ids, values listed only in prose) are the errata's CONFINED.
 * - Derived: every `errors` attribute (a job's errors quote the items sent), and the errata's
 *   DERIVED (attributes returned under another name, or written inside another resource).
 * - Only attributes that some response carries are listed: the table is what results hold.
 */

import { deref, type Schema, type Spec } from "./spec.js";
import { CONFINED, DERIVED, type Erratum } from "./untrusted-errata.js";

export interface UntrustedPlan {
  /** Type -> attributes holding writable free text, in response order. */
  attributes: Record<string, string[]>;
  /** Type -> attribute -> why a written string-valued attribute holds no free text. */
  confined: Record<string, Record<string, string>>;
}

type TextKind = "text" | "format" | "none";

const WRITES = new Set(["post", "patch", "put"]);
/** Formats Klaviyo parses: such a string cannot carry words. */
const PARSED_FORMATS = new Set(["date", "date-time", "time"]);
const FORMAT_REASON = "dates and times only (Klaviyo parses them)";

export function buildUntrustedAttributes(spec: Spec): UntrustedPlan {
  const written = writtenAttributes(spec);
  const returned = responseAttributes(spec);
  const attributes: Record<string, string[]> = {};
  const confined: Record<string, Record<string, string>> = {};
  const confine = (type: string, attribute: string, reason: string) => {
    confined[type] = { ...confined[type], [attribute]: reason };
  };
  for (const type of [...returned.keys()].sort()) {
    const kinds = written.get(type);
    for (const attribute of returned.get(type) ?? []) {
      const kind = kinds?.get(attribute) ?? "none";
      const erratum = CONFINED.find((e) => e.type === type && e.attribute === attribute);
      const derived = DERIVED.some((e) => e.type === type && e.attribute === attribute);
      if ((kind === "text" && !erratum) || attribute === "errors" || derived) {
        attributes[type] = [...(attributes[type] ?? []), attribute];
      } else if (kind === "text" && erratum) confine(type, attribute, erratum.reason);
      else if (kind === "format") confine(type, attribute, FORMAT_REASON);
    }
  }
  checkErrata(written, returned, attributes);
  return { attributes, confined };
}

/** An erratum that no longer matches the spec is an error: fix or drop it. */
function checkErrata(
  written: Map<string, Map<string, TextKind>>,
  returned: Map<string, string[]>,
  attributes: Record<string, string[]>,
): void {
  const stale = (e: Erratum, why: string) =>
    new Error(`untrusted-errata: ${e.type}.${e.attribute} ${why}; update the errata.`);
  for (const e of DERIVED) {
    if (!returned.get(e.type)?.includes(e.attribute)) throw stale(e, "is in no response");
    if (written.get(e.type)?.get(e.attribute) === "text") throw stale(e, "is written directly");
  }
  for (const e of CONFINED) {
    if (written.get(e.type)?.get(e.attribute) !== "text") throw stale(e, "is not written as text");
    if (!returned.get(e.type)?.includes(e.attribute)) throw stale(e, "is in no response");
  }
  if (Object.keys(attributes).length === 0) throw new Error("untrusted: no attributes found");
}

/** Merges `allOf` members so that properties spread across them are seen together. */
function flatten(spec: Spec, schema: Schema | undefined): Schema {
  const resolved = deref(spec, schema);
  if (!resolved.allOf) return resolved;
  const merged: Schema = { type: "object", properties: {} };
  for (const part of resolved.allOf.map((p) => flatten(spec, p))) {
    Object.assign(merged.properties as object, part.properties);
  }
  return merged;
}

function typeOf(spec: Spec, resource: Schema): string | undefined {
  const typeSchema = flatten(spec, flatten(spec, resource).properties?.type);
  const value = typeSchema.enum?.[0];
  return typeof value === "string" ? value : undefined;
}

/** `{data: resource | resource[]}` -> the resource schemas and their type. */
function resourcesIn(spec: Spec, schema: Schema | undefined): Array<[string, Schema]> {
  const data = flatten(spec, flatten(spec, schema).properties?.data);
  const items = data.type === "array" ? flatten(spec, data.items) : data;
  const out: Array<[string, Schema]> = [];
  for (const candidate of items.oneOf ?? items.anyOf ?? [items]) {
    const resource = flatten(spec, candidate);
    const type = typeOf(spec, resource);
    if (type) out.push([type, resource]);
  }
  return out;
}

function attributeSchemas(spec: Spec, resource: Schema): Record<string, Schema> {
  return flatten(spec, flatten(spec, resource).properties?.attributes).properties ?? {};
}

/** Type -> attribute -> what the attribute can hold, over every write of the spec. */
function writtenAttributes(spec: Spec): Map<string, Map<string, TextKind>> {
  const written = new Map<string, Map<string, TextKind>>();
  const record = (type: string, attribute: string, kind: TextKind) => {
    const kinds = written.get(type) ?? new Map<string, TextKind>();
    written.set(type, kinds);
    kinds.set(attribute, strongest(kinds.get(attribute) ?? "none", kind));
  };
  const writeResource = (type: string, resource: Schema, path: Set<Schema>) => {
    for (const [name, property] of Object.entries(attributeSchemas(spec, resource))) {
      record(type, name, textKind(spec, property, path, writeResource));
    }
  };
  for (const methods of Object.values(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!WRITES.has(method)) continue;
      for (const media of Object.values(op.requestBody?.content ?? {})) {
        for (const [type, resource] of resourcesIn(spec, media.schema)) {
          writeResource(type, resource, new Set());
        }
      }
    }
  }
  return written;
}

function strongest(a: TextKind, b: TextKind): TextKind {
  if (a === "text" || b === "text") return "text";
  return a === "format" || b === "format" ? "format" : "none";
}

/**
 * What a request value can hold. A nested resource is written as its own type (through
 * `nested`) and adds nothing to the attribute that carries it. `path` stops recursive schemas.
 */
function textKind(
  spec: Spec,
  raw: Schema | undefined,
  path: Set<Schema>,
  nested: (type: string, resource: Schema, path: Set<Schema>) => void,
): TextKind {
  // Identity by the referenced schema itself: resolving and flattening make new objects.
  const target = raw?.$ref ? spec.components.schemas[raw.$ref.split("/").pop() ?? ""] : raw;
  const identity: Schema = target ?? {};
  if (path.has(identity)) return "none";
  const inner = new Set(path).add(identity);
  const schema = flatten(spec, raw);
  const kindOf = (part: Schema | undefined) => textKind(spec, part, inner, nested);
  const union = schema.oneOf ?? schema.anyOf;
  if (union) return union.map(kindOf).reduce(strongest, "none");
  if (schema.enum) return "none";
  if (schema.properties?.data) {
    const resources = resourcesIn(spec, schema);
    if (resources.length > 0) {
      for (const [type, resource] of resources) nested(type, resource, inner);
      return "none";
    }
  }
  switch (schema.type) {
    case "string":
      return PARSED_FORMATS.has(schema.format ?? "") ? "format" : "text";
    case "integer":
    case "number":
    case "boolean":
      return "none";
    case "array":
      return kindOf(schema.items);
  }
  const properties = Object.values(schema.properties ?? {});
  const open = properties.length === 0 || schema.additionalProperties !== undefined;
  // An object without declared properties, or a value of no stated type, can hold anything.
  if (open && schema.additionalProperties !== false) return "text";
  return properties.map(kindOf).reduce(strongest, "none");
}

/** Type -> attribute names of every resource a successful response can carry, in order. */
function responseAttributes(spec: Spec): Map<string, string[]> {
  const returned = new Map<string, string[]>();
  const add = (type: string, resource: Schema) => {
    const names = returned.get(type) ?? [];
    returned.set(type, names);
    for (const name of Object.keys(attributeSchemas(spec, resource))) {
      if (!names.includes(name)) names.push(name);
    }
  };
  // Resource schemas first, so that attributes come in the order the emulator's operation table uses.
  const names = Object.keys(spec.components.schemas).filter((n) => /ObjectResource$/.test(n));
  for (const name of names.sort()) {
    if (!/Response/.test(name)) continue;
    const resource = flatten(spec, spec.components.schemas[name]);
    const type = typeOf(spec, resource);
    if (type) add(type, resource);
  }
  for (const methods of Object.values(spec.paths)) {
    for (const op of Object.values(methods)) {
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        if (!status.startsWith("2")) continue;
        const content = (response as { content?: Record<string, { schema: Schema }> }).content;
        for (const media of Object.values(content ?? {})) {
          for (const [type, resource] of resourcesIn(spec, media.schema)) add(type, resource);
          const included = flatten(spec, flatten(spec, media.schema).properties?.included);
          for (const [type, resource] of resourcesIn(spec, { properties: { data: included } })) {
            add(type, resource);
          }
        }
      }
    }
  }
  return returned;
}

/** The generated module: the runtime table, and the confined attributes the tests check with. */
export function untrustedAttributesFile(plan: UntrustedPlan, header: string): string {
  return `${header}
/**
 * Attributes holding free text that someone other than the operator can write (a customer, a
 * storefront or an integration), by JSON:API resource type: what results mark as untrusted.
 * Decided from the spec by scripts/generate/untrusted-attributes.ts (its comment states the
 * rules) with the hand-kept scripts/generate/untrusted-errata.ts.
 */
export const UNTRUSTED_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = ${JSON.stringify(plan.attributes)};

/**
 * Written attributes with string values that hold no free text, and why: dates and times, or a
 * confinement the errata state. Not used at run time; the tests check the table with it.
 */
export const CONFINED_ATTRIBUTES: Readonly<Record<string, Readonly<Record<string, string>>>> = ${JSON.stringify(plan.confined)};
`;
}
