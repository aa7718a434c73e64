/**
 * How the query parameters of a read tool are listed: paging, sparse fields, sort and filter.
 * Each says, in few tokens, everything a model needs to use it without the server instructions
 * (which many clients never show): bounds, keys, the values each accepts, the syntax by example.
 * Value lists are written as plain strings ("created,email,id"), which cost a third of a JSON enum.
 */
import { isRecord } from "../../json.js";
import type { FilterField } from "../definition.js";

type JsonSchema = Record<string, unknown>;

/** page_size with its bounds; page_cursor says where cursors come from; max_items its limit. */
export function pagingProperty(name: string, schema: JsonSchema): JsonSchema | undefined {
  if (name === "page_size") {
    const out: JsonSchema = { type: "integer" };
    if (typeof schema.minimum === "number" && schema.minimum !== 1) out.minimum = schema.minimum;
    if (typeof schema.maximum === "number") out.maximum = schema.maximum;
    return out;
  }
  // A result's next_cursor says where cursors come from.
  if (name === "page_cursor") return { type: "string" };
  // Beside page_size, a total reads as what it is: pages followed. Its ceiling (1000) is the
  // same on every list tool, and a larger value is refused saying so: not worth 5 tokens a tool.
  if (name === "max_items") return { type: "integer" };
  return undefined;
}

/** A `fields` key's top-level attribute names: sub-paths (`location.city`) go with their parent. */
function attributeNames(value: unknown): string[] {
  const items = isRecord(value) && isRecord(value.items) ? value.items : undefined;
  const names = Array.isArray(items?.enum) ? (items.enum as string[]) : [];
  // `id` comes with every resource: asking for it changes nothing.
  return [...new Set(names.map((n) => n.split(".")[0] as string))].filter((n) => n !== "id");
}

/** `profile=created,email,…`: tools whose key takes the same names list them once between them. */
export function fieldsSignatures(schema: JsonSchema): Map<string, string> {
  const keys = isRecord(schema.properties) ? schema.properties : {};
  return new Map(
    Object.entries(keys).map(([key, value]) => [key, `${key}=${attributeNames(value).join(",")}`]),
  );
}

/**
 * `fields`: `{profile:[created,email,…],list:[as get_lists]}`, the top-level attribute names of
 * each key (sub-paths such as `location.city` are accepted too). A key whose names another
 * listed tool states (its `home`, in `homes` by signature) refers to it instead of repeating them.
 */
export function fieldsProperty(
  schema: JsonSchema,
  toolName = "",
  homes: ReadonlyMap<string, string> = new Map(),
): JsonSchema {
  const keys = isRecord(schema.properties) ? schema.properties : {};
  const signatures = fieldsSignatures(schema);
  const parts: string[] = [];
  for (const [key, value] of Object.entries(keys)) {
    const home = homes.get(signatures.get(key) ?? "");
    const names = home && home !== toolName ? `as ${home}` : attributeNames(value).join(",");
    parts.push(`${key}:[${names}]`);
  }
  return { type: "object", description: `{${parts.join(",")}}` };
}

/**
 * `sort`: the field names once, and how to descend. Fields that are all the values of another
 * parameter (a report's `by`) are named by it.
 */
export function sortProperty(schema: JsonSchema, siblings: JsonSchema): JsonSchema | undefined {
  const values = Array.isArray(schema.enum) ? (schema.enum as string[]) : [];
  let fields = values.filter((v) => !v.startsWith("-"));
  if (fields.length === 0) return undefined;
  const descending = values.some((v) => v.startsWith("-"));
  for (const [name, sibling] of Object.entries(siblings)) {
    const items = isRecord(sibling) && isRecord(sibling.items) ? sibling.items : sibling;
    const options = isRecord(items) && Array.isArray(items.enum) ? (items.enum as string[]) : [];
    if (name !== "sort" && options.length > 3 && options.every((o) => fields.includes(o))) {
      fields = [`any ${name} value`, ...fields.filter((f) => !options.includes(f))];
    }
  }
  const first = fields.find((f) => !f.startsWith("any ")) ?? fields[0];
  const how = descending ? ` (-${first} for descending)` : "";
  return { type: "string", description: `${fields.join("|")}${how}` };
}

const DATE = "2026-01-01T00:00:00Z";

/**
 * `filter` from the tool's filter fields: operators by field (fields that take the same
 * operators grouped), the values of enumerable fields, and one example in Klaviyo's syntax
 * built from this tool's own fields.
 */
export function filterProperty(filters: Readonly<Record<string, FilterField>>): JsonSchema {
  const groups = new Map<string, string[]>();
  for (const [field, rule] of Object.entries(filters)) {
    const operators = [
      ...new Set([
        ...(rule.operators.list ?? []),
        ...(rule.operators.single ?? []),
        ...(rule.operators.none ?? []),
      ]),
    ].sort();
    let clause = operators.join("|");
    if (rule.values) clause += ` ${rule.values.map(quoteIfSpaced).join("|")}`;
    groups.set(clause, [...(groups.get(clause) ?? []), field]);
  }
  const clauses = [...groups].map(([clause, fields]) => `${fields.join(",")}: ${clause}`);
  return { type: "string", description: `${clauses.join("; ")}. E.g. ${filterExample(filters)}` };
}

const quoteIfSpaced = (value: string) => (/[\s|,;]/.test(value) ? `'${value}'` : value);

/** One or two conditions written as Klaviyo expects: strings quoted, datetimes not, lists. */
function filterExample(filters: Readonly<Record<string, FilterField>>): string {
  const entries = Object.entries(filters);
  const single = (rule: FilterField, op: string) => rule.operators.single?.includes(op) === true;
  const text =
    entries.find(([, rule]) => rule.values !== undefined && single(rule, "equals")) ??
    entries.find(
      ([field, rule]) =>
        field !== "id" &&
        rule.type !== "date-time" &&
        rule.type !== "date" &&
        single(rule, "equals"),
    ) ??
    entries.find(
      ([, rule]) => rule.type !== "date-time" && rule.type !== "date" && single(rule, "equals"),
    );
  const date = entries.find(
    ([, rule]) =>
      (rule.type === "date-time" || rule.type === "date") && single(rule, "greater-than"),
  );
  const conditions: string[] = [];
  if (text) {
    const [field, rule] = text;
    const value =
      rule.type === "boolean"
        ? "true"
        : typeof rule.type === "string" && /number|integer/.test(rule.type)
          ? "1"
          : `"${rule.values?.[0] ?? "…"}"`;
    conditions.push(`equals(${field},${value})`);
  }
  if (date) conditions.push(`greater-than(${date[0]},${DATE})`);
  // One condition teaches the syntax (strings quoted, datetimes not): a string one if any.
  if (conditions.length > 1) conditions.splice(1);
  if (conditions.length === 0) {
    const [field, rule] = entries[0] ?? ["id", { operators: {} }];
    const op = rule.operators.list?.[0] ?? rule.operators.single?.[0] ?? "has";
    conditions.push(
      rule.operators.list?.[0]
        ? `${op}(${field},["…","…"])`
        : op === "has"
          ? `has(${field})`
          : `${op}(${field},"…")`,
    );
  }
  return conditions.length > 1 ? `and(${conditions.join(",")})` : (conditions[0] as string);
}
