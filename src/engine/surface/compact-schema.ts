/**
 * The input schema as tools/list shows it: everything a model needs to call the tool, in as few
 * tokens as possible. With 223 tools the listing is paid for in every conversation, so:
 * - the shared parameters (paging, fields, sort, include, additional_fields) carry no prose;
 *   the server's instructions explain them once;
 * - `fields` (the same shape on every read tool) is left to the instructions, and `sort` names
 *   its fields once ("-" descends); attribute names are in describe_tool and in every
 *   "invalid value" error;
 * - an id parameter says which tool lists such ids ("From get_lists.");
 * - a filter states its fields and operators tersely, grouped by operators;
 * - nested objects keep their shape and enums, not their prose, two levels down; `X or null`
 *   shows as X; validation keywords the server enforces anyway (minLength, minItems,
 *   additionalProperties: false, safe-integer bounds) are dropped.
 * Validation is unchanged: the zod schema checks every call and names what was wrong.
 */
type JsonSchema = Record<string, unknown>;

const isSchema = (value: unknown): value is JsonSchema =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Parameters explained once, in the server instructions, and left out of each listing. */
const LEFT_OUT = new Set(["fields", "page_cursor", "page_size", "max_items"]);
/** Parameters listed without prose: their enums say what they take. */
const SHARED = new Set(["include", "additional_fields", "company_id"]);

/**
 * Enums that several report tools share verbatim: listed once, in the server instructions
 * (see sharedEnumsNote), instead of in each tool.
 */
export const SHARED_ENUMS = ["statistics"] as const;

export interface CompactContext {
  /** The tool being listed: words of its name make a description redundant too. */
  toolName?: string;
  /** `list_id` -> "get_lists": the tool that lists ids of that kind. */
  idSources: ReadonlyMap<string, string>;
}

export function compactInputSchema(schema: JsonSchema, context: CompactContext): JsonSchema {
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const out: JsonSchema = { type: "object" };
  const compacted: JsonSchema = {};
  for (const [name, value] of Object.entries(properties)) {
    // The same on every list tool: the instructions state them once.
    if (!isSchema(value) || LEFT_OUT.has(name)) continue;
    compacted[name] =
      name === "sort" ? compactSort(value, properties) : compactParameter(name, value, context);
  }
  out.properties = compacted;
  if (Array.isArray(schema.required) && schema.required.length > 0) out.required = schema.required;
  return out;
}

function compactParameter(name: string, schema: JsonSchema, context: CompactContext): JsonSchema {
  if ((SHARED_ENUMS as readonly string[]).includes(name) && isSchema(schema.items)) {
    return {
      type: "array",
      items: { type: "string" },
      description: `Names: see ${name} in the instructions`,
    };
  }
  if (name === "filter" && schema.type === "string") return compactFilter(schema, context);
  const source = context.idSources.get(name);
  const { description: prose, ...rest } = schema;
  let description: string | undefined;
  if (source && /_ids?$/.test(name)) {
    description = `From ${source}`;
  } else if (typeof prose === "string" && !SHARED.has(name)) {
    description = tightenDescription(prose, Array.isArray(schema.enum), name, context.toolName);
    // An object whose description only lists its keys: the properties say it already.
    if (isSchema(schema.properties)) {
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

/** Removes what the server enforces anyway, and prose below the top level. */
function compactNode(schema: JsonSchema, depth: number, member = false): JsonSchema {
  // A union of constants of one type (1 | 2 | 5) is an enum.
  if (Array.isArray(schema.anyOf) && schema.anyOf.length > 1) {
    const branches = schema.anyOf.filter(isSchema);
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
    const kept = schema.anyOf.filter((branch) => !(isSchema(branch) && branch.type === "null"));
    if (kept.length === 1 && isSchema(kept[0])) {
      const merged = { ...kept[0] } as JsonSchema;
      if (schema.description !== undefined) merged.description = schema.description;
      return compactNode(merged, depth, member);
    }
  }
  if (depth > MAX_DEPTH && (schema.type === "object" || isSchema(schema.items) || schema.anyOf)) {
    if (!Array.isArray(schema.anyOf)) return { type: schema.type === "array" ? "array" : "object" };
    // A deep union keeps only what its branches are (every schema names a type, for portability).
    const types = [...new Set(schema.anyOf.map((b) => (isSchema(b) ? b.type : undefined)))];
    if (types.length === 1 && typeof types[0] === "string") return { type: types[0] };
    return { anyOf: types.filter((t) => typeof t === "string").map((type) => ({ type })) };
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
    if (key === "properties" && isSchema(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [
          k,
          isSchema(v) ? compactNode(v, depth + 1, true) : v,
        ]),
      );
    } else if ((key === "anyOf" || key === "oneOf" || key === "allOf") && Array.isArray(value)) {
      out[key] = value.map((v) => (isSchema(v) ? compactNode(v, depth + 1, member) : v));
    } else if ((key === "items" || key === "additionalProperties") && isSchema(value)) {
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
  if (schema.type !== "object" || !isSchema(schema.properties)) return schema;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  // Prose below a parameter is dropped anyway, so it does not keep a property listed.
  const scalars: readonly unknown[] = ["string", "number", "integer", "null"];
  const plain = (v: unknown): boolean =>
    isSchema(v) &&
    ((scalars.includes(v.type) && v.enum === undefined && v.format === undefined) ||
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
 * `sort`: the field names once; "-" before one sorts descending (the instructions say so).
 * Fields that are all the values of another parameter (a report's `by`) are named by it.
 */
function compactSort(schema: JsonSchema, siblings: JsonSchema): JsonSchema {
  const values = Array.isArray(schema.enum) ? (schema.enum as string[]) : [];
  let fields = values.filter((v) => !v.startsWith("-"));
  if (fields.length === 0) return compactNode(schema, 0);
  for (const [name, sibling] of Object.entries(siblings)) {
    const items = isSchema(sibling) && isSchema(sibling.items) ? sibling.items : sibling;
    const options = isSchema(items) && Array.isArray(items.enum) ? (items.enum as string[]) : [];
    if (name !== "sort" && options.length > 3 && options.every((o) => fields.includes(o))) {
      fields = [`any ${name} value`, ...fields.filter((f) => !options.includes(f))];
    }
  }
  return { type: "string", description: fields.join("|") };
}

const COMPARISONS = "greater-or-equal|greater-than|less-or-equal|less-than";

/**
 * `filter`: "name,id: any|equals; created,updated: greater-than" from the generated
 * "Allowed fields and operators: name: any, equals; id: any, equals; ..." prose.
 */
function compactFilter(schema: JsonSchema, context: CompactContext): JsonSchema {
  const text = typeof schema.description === "string" ? schema.description : "";
  const allowed = /Allowed fields and operators: (.*?)\.?$/.exec(text)?.[1];
  if (!allowed) {
    // Not the generated query filter (a report's body filter, say): keep its own prose.
    const { filter: _f, ...rest } = { filter: undefined, ...schema };
    return compactParameter("filter_", rest, context);
  }
  const byOperators = new Map<string, string[]>();
  for (const clause of allowed.split(/;\s*/)) {
    const match = /^([^:]+):\s*(.*)$/.exec(clause.trim());
    if (!match?.[1] || match[2] === undefined) continue;
    let operators = match[2]
      .replace(/\s*\([^)]*\)/g, "")
      .split(/,\s*/)
      .filter(Boolean)
      .join("|");
    // The four comparisons go together: "compare" names them (the instructions say so).
    operators = operators.replace(COMPARISONS, "compare");
    byOperators.set(operators, [...(byOperators.get(operators) ?? []), match[1].trim()]);
  }
  const terse = [...byOperators].map(([ops, fields]) => `${fields.join(",")}: ${ops}`).join("; ");
  return { type: "string", description: terse };
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
  // The first sentence; "e.g." and "i.e." do not end one.
  const sentence = /^(.+?(?<!\be\.g|\bi\.e)[.!?])(\s+[A-Z(`]|$)/.exec(out)?.[1];
  if (sentence && sentence.length >= 20) out = sentence;
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
  const words = (description.toLowerCase().match(/[a-z0-9]+/g) ?? []).map(stem);
  const own = name.toLowerCase().split("_").filter(Boolean).map(stem);
  const known = new Set([...own, ...toolName.toLowerCase().split("_").map(stem)]);
  const extra = words.filter((w) => !known.has(w) && !FILLER.has(w));
  return own.every((p) => words.includes(p)) && extra.length <= 1;
}

/**
 * A tool description as listed: without the parts its schema already states (the filter
 * fields, the sort fields, what include adds), which the generated descriptions spell out.
 */
export function compactDescription(text: string): string {
  return (
    text
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
        /,? (?:filterable(?: and sortable)?|sortable) by [^.(;]*?(?=, sortable| sortable|, with| with|, and paged| and paged|, at most| \(at most|\.|;)/g,
        "",
      )
      .replace(/,? and paged(?= \(|\.)/g, "")
      .replace(/\(at most (\d+) per page\)/g, "(max $1 per page)")
      .replace(/ +,/g, ",")
      .replace(/,\s*,/g, ",")
      .replace(/, \(/g, " (")
      .replace(/\s{2,}/g, " ")
      .trim()
  );
}

/** The shared enums' values, for the instructions: "statistics: average_order_value, …". */
export function sharedEnumsNote(schemas: readonly JsonSchema[]): string {
  const lines: string[] = [];
  for (const name of SHARED_ENUMS) {
    const values = new Set<string>();
    for (const schema of schemas) {
      const property = isSchema(schema.properties) ? schema.properties[name] : undefined;
      const items = isSchema(property) && isSchema(property.items) ? property.items : undefined;
      for (const value of Array.isArray(items?.enum) ? items.enum : []) values.add(String(value));
    }
    if (values.size > 0) lines.push(`${name}: ${[...values].sort().join(", ")}.`);
  }
  return lines.join(" ");
}
