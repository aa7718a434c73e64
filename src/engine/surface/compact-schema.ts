/**
 * The input schema as tools/list shows it: every argument a tool accepts, with what a model
 * needs to call it right from the listing alone (many clients never show the server's
 * instructions), in as few tokens as possible. With 223 tools the listing is paid for in every
 * conversation, so:
 * - paging, `fields`, `sort` and `filter` are listed in compact encodings (query-listing.ts):
 *   bounds, keys, values and syntax as short strings rather than JSON enums;
 * - an id parameter says which tool lists such ids ("From get_lists.");
 * - nested objects keep their shape and enums, not their prose, two levels down; deeper, a
 *   worked example from the tool's policy (`hints`) says what the schema cannot;
 *   `X or null` shows as X; validation keywords the server enforces anyway (minLength,
 *   minItems, additionalProperties: false, safe-integer bounds) are dropped.
 * Validation is unchanged: the zod schema checks every call and names what was wrong.
 */
import { isRecord } from "../../json.js";
import type { FilterField } from "../definition.js";
import { fieldsProperty, filterProperty, pagingProperty, sortProperty } from "./query-listing.js";

type JsonSchema = Record<string, unknown>;

/** Parameters listed without prose: their enums say what they take. */
const SHARED = new Set(["include", "additional_fields"]);

export interface CompactContext {
  /** The tool being listed: words of its name make a description redundant too. */
  toolName?: string;
  /** `list_id` -> "get_lists": the tool that lists ids of that kind. */
  idSources: ReadonlyMap<string, string>;
  /** `fields` signature -> the listed tool that states its attribute names (see registry.ts). */
  fieldHomes?: ReadonlyMap<string, string>;
  /** The fields the tool's query `filter` accepts, from its definition. */
  filters?: Readonly<Record<string, FilterField>>;
  /**
   * What the listing says at an argument path (`profiles[].subscriptions`, `group_by`) where
   * the schema alone cannot: a rule or a worked example, from the tool's policy.
   */
  hints?: Readonly<Record<string, string>>;
}

export function compactInputSchema(schema: JsonSchema, context: CompactContext): JsonSchema {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const out: JsonSchema = { type: "object" };
  const compacted: JsonSchema = {};
  for (const [name, value] of Object.entries(properties)) {
    if (!isRecord(value)) continue;
    compacted[name] =
      queryProperty(name, value, properties, context) ?? compactParameter(name, value, context);
  }
  out.properties = context.hints ? applyHints(compacted, context.hints) : compacted;
  if (Array.isArray(schema.required) && schema.required.length > 0) out.required = schema.required;
  return out;
}

/** Paging, fields, sort and the query filter, in their compact encodings. */
function queryProperty(
  name: string,
  schema: JsonSchema,
  siblings: JsonSchema,
  context: CompactContext,
): JsonSchema | undefined {
  if (name === "fields" && isRecord(schema.properties)) {
    return fieldsProperty(schema, context.toolName, context.fieldHomes);
  }
  if (name === "sort") return sortProperty(schema, siblings);
  if (name === "filter" && schema.type === "string") {
    const filters = context.filters;
    // Not the query filter (a report's body filter, say): listed as any other parameter.
    return filters && Object.keys(filters).length > 0 ? filterProperty(filters) : undefined;
  }
  return pagingProperty(name, schema);
}

/**
 * Sets the description at each hinted path (`a.b`, `a[].b`): a worked example or a rule, kept
 * even where the compact schema drops prose.
 */
function applyHints(properties: JsonSchema, hints: Readonly<Record<string, string>>): JsonSchema {
  const out = structuredClone(properties);
  for (const [path, hint] of Object.entries(hints)) {
    let node: unknown = { properties: out };
    for (const step of path.split(/\.|(?=\[\])/)) {
      if (!isRecord(node)) break;
      node =
        step === "[]" ? node.items : isRecord(node.properties) ? node.properties[step] : undefined;
    }
    if (!isRecord(node)) throw new Error(`Listing hint for a path the schema lacks: ${path}`);
    node.description = hint;
  }
  return out;
}

/**
 * `X or null` as X, with the description of either: the prose is tightened once, here, not
 * kept verbatim from the inner branch.
 */
function withoutNull(schema: JsonSchema): JsonSchema {
  if (!Array.isArray(schema.anyOf) || schema.anyOf.length !== 2) return schema;
  const kept = schema.anyOf.filter((branch) => !(isRecord(branch) && branch.type === "null"));
  if (kept.length !== 1 || !isRecord(kept[0])) return schema;
  const merged: JsonSchema = { ...kept[0] };
  if (schema.description !== undefined) merged.description = schema.description;
  return merged;
}

/** `conversion_metric_id` -> get_metrics: the longest `<kind>_id` suffix with a known source. */
function idSource(name: string, sources: ReadonlyMap<string, string>): string | undefined {
  const parts = name.split("_");
  for (let i = 0; i < parts.length - 1; i++) {
    const source = sources.get(parts.slice(i).join("_"));
    if (source) return source;
  }
  return undefined;
}

function compactParameter(name: string, given: JsonSchema, context: CompactContext): JsonSchema {
  const schema = withoutNull(given);
  const source = idSource(name, context.idSources);
  const { description: prose, ...rest } = schema;
  let description: string | undefined;
  if (source && /_ids?$/.test(name)) {
    description = `From ${source}`;
  } else if (typeof prose === "string" && !SHARED.has(name)) {
    description = tightenDescription(prose, Array.isArray(schema.enum), name, context.toolName);
    // An object whose description only lists its keys: the properties say it already.
    if (isRecord(schema.properties)) {
      const keys = Object.keys(schema.properties);
      const listed = keys.filter((k) => (description as string).includes(k)).length;
      if (keys.length >= 3 && listed >= Math.min(3, keys.length)) description = undefined;
    }
  }
  return compactNode(description ? { ...rest, description } : rest, 0);
}

/** Deeper than this, an object or array of objects is shown as just that: describe_tool has it all. */
const MAX_DEPTH = 1;
const SAFE_INTEGER = 9007199254740991;

/** Drops each object branch whose properties and required keys another branch covers. */
function withoutSubsumed(branches: unknown[]): unknown[] {
  const keys = (b: unknown) =>
    isRecord(b) && b.type === "object" && isRecord(b.properties)
      ? Object.keys(b.properties)
      : undefined;
  const required = (b: unknown) =>
    isRecord(b) && Array.isArray(b.required) ? (b.required as string[]) : [];
  return branches.filter((branch, i) => {
    const own = keys(branch);
    if (!own) return true;
    return !branches.some((other, j) => {
      const theirs = keys(other);
      if (j === i || !theirs || theirs.length <= own.length) return false;
      // The same keys with the same schemas: a branch told apart by a value is kept.
      const props = (b: unknown) => (b as { properties: JsonSchema }).properties;
      const same = own.every(
        (k) =>
          theirs.includes(k) &&
          JSON.stringify(props(branch)[k]) === JSON.stringify(props(other)[k]),
      );
      return same && required(other).every((k) => required(branch).includes(k));
    });
  });
}

/** A deep shape longer than this is left to hints and errors: it would cost more than it helps. */
const MAX_SHAPE_CHARS = 360;

const isScalarArray = (schema: JsonSchema) =>
  isRecord(schema.items) &&
  typeof schema.items.type === "string" &&
  !["object", "array"].includes(schema.items.type);

/** The one type of a node or of all its union's branches; undefined when they differ. */
function deepType(schema: JsonSchema): string | undefined {
  if (typeof schema.type === "string") return schema.type;
  if (!Array.isArray(schema.anyOf)) return undefined;
  const types = new Set(schema.anyOf.map((b) => (isRecord(b) ? b.type : undefined)));
  types.delete("null");
  const [only] = types;
  return types.size === 1 && typeof only === "string" ? only : undefined;
}

function hasEnum(schema: JsonSchema): boolean {
  if (Array.isArray(schema.enum) || schema.const !== undefined) return true;
  const children = [
    ...(isRecord(schema.properties) ? Object.values(schema.properties) : []),
    schema.items,
    ...(Array.isArray(schema.anyOf) ? schema.anyOf : []),
  ];
  return children.some((child) => isRecord(child) && hasEnum(child));
}

/** `{method:static,datetime:string,options?:object}`: a structure in a few tokens. */
function shapeText(schema: JsonSchema, depth: number): string {
  if (depth > 8) return "object";
  if (Array.isArray(schema.enum)) return schema.enum.map(String).join("|");
  if (schema.const !== undefined) return String(schema.const);
  if (Array.isArray(schema.anyOf)) {
    const branches = schema.anyOf.filter((b) => isRecord(b) && b.type !== "null");
    return branches.map((b) => shapeText(b as JsonSchema, depth + 1)).join(" | ");
  }
  if (isRecord(schema.items)) return `[${shapeText(schema.items, depth + 1)}]`;
  if (isRecord(schema.properties)) {
    const required = new Set(Array.isArray(schema.required) ? schema.required : []);
    const members = Object.entries(schema.properties).map(
      ([key, value]) =>
        `${key}${required.has(key) ? "" : "?"}:${isRecord(value) ? shapeText(value, depth + 1) : "any"}`,
    );
    return `{${members.join(",")}}`;
  }
  return typeof schema.type === "string" ? schema.type : "any";
}

/** Removes what the server enforces anyway, and prose below the top level. */
function compactNode(schema: JsonSchema, depth: number, member = false): JsonSchema {
  // A union of constants of one type (1 | 2 | 5) is an enum.
  if (Array.isArray(schema.anyOf) && schema.anyOf.length > 1) {
    const branches = schema.anyOf.filter(isRecord);
    const type = branches[0]?.type;
    if (
      branches.length === schema.anyOf.length &&
      branches.every((b) => b.const !== undefined && b.type === type && Object.keys(b).length === 2)
    ) {
      return { type, enum: branches.map((b) => b.const) };
    }
  }
  // `X or null`: null (to clear a value) is still accepted; the listing shows X.
  if (Array.isArray(schema.anyOf) && schema.anyOf.length === 2) {
    const kept = schema.anyOf.filter((branch) => !(isRecord(branch) && branch.type === "null"));
    if (kept.length === 1 && isRecord(kept[0])) {
      const merged = { ...kept[0] } as JsonSchema;
      if (schema.description !== undefined) merged.description = schema.description;
      return compactNode(merged, depth, member);
    }
  }
  // Object branches whose properties another branch has too (email vs SMS tracking options)
  // are listed once, as the larger branch: the validator still takes either.
  if (Array.isArray(schema.anyOf) && schema.anyOf.length > 1) {
    const kept = withoutSubsumed(schema.anyOf);
    if (kept.length < schema.anyOf.length) {
      const merged: JsonSchema =
        kept.length === 1 && isRecord(kept[0]) ? { ...kept[0] } : { ...schema, anyOf: kept };
      if (schema.description !== undefined) merged.description = schema.description;
      return compactNode(merged, depth, member);
    }
  }
  if (depth > MAX_DEPTH && (schema.type === "object" || isRecord(schema.items) || schema.anyOf)) {
    // A deep structure as a short shape, `{platform:android|ios,token:string}`, when it holds
    // values to choose from and is small; else just its type (a hint in the tool's policy, or
    // the error that lists the allowed values, says the rest).
    const text = hasEnum(schema) ? shapeText(schema, 0) : undefined;
    const type = deepType(schema);
    if (text !== undefined && text.length <= MAX_SHAPE_CHARS) {
      return type === undefined
        ? { type: "object", description: text }
        : { type, description: text };
    }
    if (type !== undefined)
      return schema.type === "array" && isScalarArray(schema)
        ? { type, items: { type: (schema.items as JsonSchema).type } }
        : { type };
    const types = [
      ...new Set((schema.anyOf as unknown[]).map((b) => (isRecord(b) ? b.type : undefined))),
    ];
    return { anyOf: types.filter((t) => typeof t === "string").map((t) => ({ type: t })) };
  }
  if (depth > 0 && schema.description !== undefined && !isFoldNote(schema.description)) {
    const { description: _prose, ...rest } = schema;
    return compactNode(rest, depth, member);
  }
  const folded = foldPlainKeys(schema);
  if (folded !== schema) return compactNode(folded, depth, member);
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "minLength" && value === 1) continue;
    if (key === "minItems" && value === 1) continue;
    if (key === "additionalProperties" && value === false) continue;
    if ((key === "minimum" || key === "maximum") && Math.abs(Number(value)) === SAFE_INTEGER)
      continue;
    // A long enum on a member of an object parameter is left to the error that lists the
    // allowed values on a wrong one; a parameter's own enum (or its items') is kept.
    if (key === "enum" && member && Array.isArray(value) && value.length > 16) continue;
    if (key === "properties" && isRecord(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [
          k,
          isRecord(v) ? compactNode(v, depth + 1, true) : v,
        ]),
      );
    } else if ((key === "anyOf" || key === "oneOf" || key === "allOf") && Array.isArray(value)) {
      out[key] = value.map((v) => (isRecord(v) ? compactNode(v, depth + 1, member) : v));
    } else if ((key === "items" || key === "additionalProperties") && isRecord(value)) {
      out[key] = compactNode(value, depth + 1);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * An object's optional plain properties (strings and numbers without enum or prose) cost ~7
 * tokens each as `"city":{"type":"string"}`, ~2 as a name in a list: they are folded into the
 * description ("Also: address1,address2,city,…"). Objects stay open, so they are still allowed;
 * required properties and everything with an enum, a shape or prose stay listed.
 */
const FOLD_NOTE = "Also: ";
const isFoldNote = (text: unknown) => typeof text === "string" && text.startsWith(FOLD_NOTE);

function foldPlainKeys(schema: JsonSchema): JsonSchema {
  if (schema.type !== "object" || !isRecord(schema.properties)) return schema;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  // Prose below a parameter is dropped anyway, so it does not keep a property listed.
  const scalars: readonly unknown[] = ["string", "number", "integer", "null"];
  const plain = (v: unknown): boolean =>
    isRecord(v) &&
    ((scalars.includes(v.type) &&
      v.enum === undefined &&
      v.const === undefined &&
      v.format === undefined) ||
      (Array.isArray(v.anyOf) && v.anyOf.every(plain)));
  const entries = Object.entries(schema.properties);
  const folded = entries.filter(([k, v]) => !required.has(k) && plain(v)).map(([k]) => k);
  if (folded.length < 3) return schema;
  const kept = Object.fromEntries(entries.filter(([k]) => !folded.includes(k)));
  const note = `${FOLD_NOTE}${folded.join(",")}`;
  const { properties: _p, description, ...rest } = schema;
  const out: JsonSchema = { ...rest, description: description ? `${description} ${note}` : note };
  if (Object.keys(kept).length > 0) out.properties = kept;
  return out;
}

/**
 * First sentence of the spec's prose, without what the schema already says (valid values) or
 * what every id says ("Generated by Klaviyo").
 */
export function tightenDescription(
  text: string,
  hasEnum: boolean,
  name = "",
  toolName = "",
): string {
  let out = text.replace(/\s+/g, " ").trim();
  if (hasEnum) out = out.replace(/\s*Valid values:[^.]*(\.|$)/i, "");
  // "Aggregation interval, e.g. hour, day, week": the enum lists them already.
  if (hasEnum && /\be\.g\./.test(out)) out = out.replace(/,?\s*e\.g\..*$/, "");
  out = out.replace(/\s*Generated by Klaviyo\.?/i, "");
  const sentence = firstSentence(out);
  if (sentence.length >= 20) out = sentence;
  if (restatesName(out, name, toolName)) return "";
  // Long prose that only elaborates the name ("URL pointing to the location of the catalog
  // item on your website") is dropped; prose that carries a rule or a format is kept, cut at
  // a word if it runs long.
  const rule =
    /\b(E\.164|ISO|IETF|IANA|must|at most|only|not|default|e\.g\.|format|max|true|false)\b/i;
  if (out.length > 48 && !rule.test(out)) return "";
  if (out.length > 72) out = `${out.slice(0, 69).replace(/\s+\S*$/, "")}…`;
  return out;
}

/** The text's first sentence, whole ("e.g." and "i.e." do not end one); all of it if none ends. */
export function firstSentence(text: string): string {
  return /^(.+?(?<!\be\.g|\bi\.e)[.!?])(\s+[A-Z(`]|$)/.exec(text)?.[1] ?? text;
}

/**
 * "Individual's first name" for first_name, or "The SKU of the catalog item variant." for sku
 * on create_catalog_variant, says nothing the names do not: every word but one at most is in
 * the parameter's or the tool's name, or is filler.
 */
const FILLER = new Set(
  "the a an of to be for with and or is are this that which when used associated individual s profile name id value object array list whether indicating boolean given attribute data field".split(
    " ",
  ),
);

function restatesName(description: string, name: string, toolName: string): boolean {
  if (!name) return false;
  const stem = (w: string) => w.replace(/(ies|s)$/, (m) => (m === "ies" ? "y" : ""));
  // "Individual's" leaves an "s" that stems to nothing: not a word.
  const words = (description.toLowerCase().match(/[a-z0-9]+/g) ?? []).map(stem).filter(Boolean);
  const own = name.toLowerCase().split("_").filter(Boolean).map(stem);
  const known = new Set([...own, ...toolName.toLowerCase().split("_").map(stem)]);
  const extra = words.filter((w) => !known.has(w) && !FILLER.has(w));
  return own.every((p) => words.includes(p)) && extra.length <= 1;
}

/**
 * A tool description as listed: without the parts its schema already states (the filter
 * fields, the sort fields, what include adds), which the generated descriptions spell out.
 */
export function compactDescription(text: string, listsPaging = false): string {
  // Paging, filter and sort are in the schema (page_size with its maximum): not said twice.
  const paging = listsPaging
    ? text
        .replace(/,? with (?:filtering, )?(?:sorting and )?paging(?= \(|\.|$)/g, "")
        .replace(/,? \(at most \d+ per page\)/g, "")
        .replace(/, paged with page_cursor and page_size(?=\.)/g, "")
    : text;
  return (
    paging
      .replace(/ Use include to add [^.]*\./g, "")
      // Relationship tools: "Ids of X (full: get_y_x)." says what "Get only the ids of X. For
      // full X, use get_y_x." does.
      .replace(
        /^Get only the ids of (.*?)\. For full [^,.]*, use (\w+)\.$/,
        "Ids of $1 (full: $2).",
      )
      .replace(/,? paged(?= \(|\.|$)/g, "")
      .replace(/ Also filterable by [^.]*\./g, "")
      .replace(/ with the given (\w+_ids?)\b/g, " by $1")
      .replace(/ in the account(?=[,.( ]|$)/g, "")
      .replace(
        /,? (?:filterable(?: and sortable)?|sortable) by [^.(;]*?(?=, sortable| sortable|, with| with|, and paged| and paged|, at most| \(|, and \(full|\.|;)/g,
        "",
      )
      .replace(/,? and paged(?= \(|\.)/g, "")
      .replace(/,? and (?=\(full)/g, " ")
      // The ids-only tools say "Ids of": the others need not say they return resources.
      .replace(/,? as full resources(?=[,.])/g, "")
      // The schema marks it required.
      .replace(/ Requires a (\w+)\.$/, "")
      // What every client-side tool says of company_id: its listing states it once.
      .replace(
        / (?:Client-side(?: only)?: t|T)akes company_id \([^)]*\)(?:, defaulting to KLAVIYO_PUBLIC_KEY)?\./g,
        "",
      )
      .replace(/\(at most (\d+) per page\)/g, "(max $1 per page)")
      .replace(/ +,/g, ",")
      .replace(/,\s*,/g, ",")
      .replace(/, \(/g, " (")
      .replace(/\s{2,}/g, " ")
      .trim()
  );
}
