/**
 * Zod's validation issues rewritten for a model to read in one go: an unknown key comes with the
 * keys valid there, the bad items of one array become one issue naming every bad value, and a
 * list of options is given once and shortened (the 152 dotted field paths of a flow action read
 * as their 4 top-level names). The whole stays around 2 KB however wrong the call was.
 */
import type { z } from "zod";
import { snakeCase } from "../naming.js";
import { formatPath } from "./trim.js";

/** What the rewriting needs of an issue; zod's issues carry these and more. */
export interface ValidationIssue {
  path: PropertyKey[];
  message: string;
  code?: string;
  /** invalid_value: the values allowed. */
  values?: readonly unknown[];
  /** unrecognized_keys: the keys not allowed. */
  keys?: readonly string[];
  /** The value at fault, when zod parsed with `reportInput`. */
  input?: unknown;
  /** invalid_union: each branch's issues, their paths relative to the union's. */
  errors?: readonly (readonly ValidationIssue[])[];
}

export interface DescribedIssue {
  argument?: string;
  message: string;
}

const MAX_LISTED = 30;
/** A list of options stops short of this many characters, so that one list cannot fill 2 KB. */
const MAX_LIST_CHARS = 600;
const MAX_BAD_VALUES = 10;
const MAX_VALUE_CHARS = 40;
const MAX_SUGGESTIONS = 5;
/** The issues kept in one answer, in characters of JSON: the first ones teach the fix. */
export const MAX_ISSUES_CHARS = 1600;

// ---- The schema at an issue's path (zod 4 internals: `_zod.def`) ----

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  getter?: () => z.ZodType;
  element?: z.ZodType;
  items?: z.ZodType[];
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, unknown>;
}

const WRAPPERS = new Set([
  "optional",
  "nullable",
  "default",
  "prefault",
  "nonoptional",
  "readonly",
]);

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Through optional/nullable/default/pipe/lazy wrappers to the schema that decides the shape. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  // Bounded: a lazy schema may return itself.
  for (let step = 0; step < 32; step++) {
    const def = defOf(current);
    const next =
      WRAPPERS.has(def.type) || def.type === "catch"
        ? def.innerType
        : def.type === "pipe"
          ? def.in
          : def.type === "lazy"
            ? def.getter?.()
            : undefined;
    if (!next) return current;
    current = next;
  }
  return current;
}

/** The schema that validates the value at `path`, when the path leads somewhere definite. */
export function schemaAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = unwrap(schema);
  for (const [index, key] of path.entries()) {
    if (!current) return undefined;
    const def = defOf(current);
    if (def.type === "union") {
      // The first option where the rest of the path leads somewhere.
      const rest = path.slice(index);
      for (const option of def.options ?? []) {
        const found = schemaAt(option, rest);
        if (found) return found;
      }
      return undefined;
    }
    let next: z.ZodType | undefined;
    if (typeof key === "number") next = def.type === "array" ? def.element : def.items?.[key];
    else if (def.type === "object") next = def.shape?.[String(key)];
    else if (def.type === "record") next = def.valueType;
    current = next && unwrap(next);
  }
  return current;
}

/** The keys an object schema accepts. */
export function objectKeys(schema: z.ZodType | undefined): string[] | undefined {
  const def = schema && defOf(unwrap(schema));
  return def?.type === "object" && def.shape ? Object.keys(def.shape) : undefined;
}

/** The values an enum schema accepts. */
export function enumValues(schema: z.ZodType | undefined): string[] | undefined {
  const def = schema && defOf(unwrap(schema));
  if (def?.type !== "enum" || !def.entries) return undefined;
  return Object.values(def.entries).filter((value) => typeof value === "string");
}

// ---- Wording ----

/** A value as the model wrote it, cut short when long. */
export function quote(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : String(JSON.stringify(value));
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 4)}..."` : text;
}

/** A valid value in a list: bare when plain, quoted otherwise. */
function listed(value: unknown): string {
  return typeof value === "string" && /^[\w.$:-]+$/.test(value) ? value : quote(value);
}

/** At most MAX_LISTED items and MAX_LIST_CHARS characters, then how many were left out. */
export function shortList(values: readonly unknown[]): string {
  const shown: string[] = [];
  let chars = 0;
  for (const value of values) {
    const text = listed(value);
    if (shown.length === MAX_LISTED || chars + text.length > MAX_LIST_CHARS) break;
    shown.push(text);
    chars += text.length + 2;
  }
  const more = values.length - shown.length;
  return `${shown.join(", ")}${more > 0 ? ` (${more} more)` : ""}`;
}

/** The one valid value meant, when only case, `-` vs `_` or camelCase set them apart. */
export function closest(wrong: unknown, valid: readonly unknown[]): string | undefined {
  if (typeof wrong !== "string") return undefined;
  const folded = snakeCase(wrong);
  const lower = wrong.toLowerCase();
  const strings = valid.filter((value): value is string => typeof value === "string");
  const sameCase = strings.filter((value) => value.toLowerCase() === lower);
  if (sameCase.length === 1) return sameCase[0];
  const same = strings.filter((value) => snakeCase(value) === folded);
  return same.length === 1 ? same[0] : undefined;
}

/** `; did you mean "live"?`, or `; did you mean "live" (for "Live"), ...?` for several. */
function suggestions(wrong: readonly unknown[], valid: readonly unknown[]): string {
  const pairs = wrong
    .flatMap((value) => {
      const meant = closest(value, valid);
      return meant === undefined ? [] : [[value, meant] as const];
    })
    .slice(0, MAX_SUGGESTIONS);
  // The valid value in full (never cut short): it is what the model should copy.
  const exact = (meant: string) => JSON.stringify(meant);
  if (pairs.length === 0) return "";
  if (wrong.length === 1) return `; did you mean ${exact(pairs[0]?.[1] ?? "")}?`;
  return `; did you mean ${pairs.map(([value, meant]) => `${exact(meant)} (for ${quote(value)})`).join(", ")}?`;
}

/** `head` ended by its suggestion's question mark, or by a full stop. */
function sentence(head: string, suggestion: string): string {
  return suggestion ? `${head}${suggestion}` : `${head}.`;
}

const DOTTED = /^[A-Za-z_$][\w$-]*(\.[A-Za-z_$][\w$-]*)+$/;

/** The valid values, once: dotted paths by their top-level names, with a sub-path as example. */
function validValues(values: readonly unknown[]): string {
  const subPath = values.find((value) => typeof value === "string" && DOTTED.test(value));
  if (typeof subPath !== "string") return `Valid values: ${shortList(values)}.`;
  const topLevel = [...new Set(values.map((value) => String(value).split(".")[0]))];
  return `Valid values: ${shortList(topLevel)}; sub-paths such as ${subPath} are accepted too.`;
}

function argumentOf(path: readonly PropertyKey[], message: string): DescribedIssue {
  const argument = formatPath(path);
  // A root-level issue (an unknown key, say) names the field in its message.
  return argument ? { argument, message } : { message };
}

function unknownKeys(issue: ValidationIssue, keys: readonly string[], schema?: z.ZodType) {
  const where = formatPath(issue.path);
  const valid = schema ? keysOfBranch(schemaAt(schema, issue.path), issue.input, keys) : undefined;
  const names = keys.slice(0, MAX_BAD_VALUES).map(quote).join(", ");
  const more = keys.length > MAX_BAD_VALUES ? ` and ${keys.length - MAX_BAD_VALUES} more` : "";
  let message = `Unknown key${keys.length > 1 ? "s" : ""} ${names}${more}${where ? ` in ${where}` : ""}`;
  if (valid) {
    message = sentence(message, suggestions(keys, valid));
    message += valid.length > 0 ? ` Valid keys: ${shortList(valid)}.` : " No key is accepted here.";
  } else {
    message += ".";
  }
  return argumentOf(issue.path, message);
}

/**
 * The keys valid where an unknown key was given. Under a union of objects (send_strategy), the
 * branch that takes every other key the model gave, e.g. the one whose `method` it named.
 */
function keysOfBranch(
  schema: z.ZodType | undefined,
  input: unknown,
  unknown: readonly string[],
): string[] | undefined {
  const def = schema && defOf(unwrap(schema));
  if (def?.type !== "union") return objectKeys(schema);
  const given =
    input && typeof input === "object"
      ? Object.keys(input).filter((k) => !unknown.includes(k))
      : [];
  const options = (def.options ?? []).map((option) => objectKeys(option)).filter((k) => k);
  return (options.find((keys) => given.every((key) => keys?.includes(key))) ?? options[0]) as
    | string[]
    | undefined;
}

/** Invalid values of one argument (the items of one array, or one value) against one option set. */
interface ValueGroup {
  path: readonly PropertyKey[];
  values: readonly unknown[];
  inputs: unknown[];
  count: number;
}

function invalidValues(group: ValueGroup): DescribedIssue {
  const seen = new Set<string>();
  const wrong = group.inputs.filter((value) => {
    const key = typeof value === "string" ? value : `\u0000${String(JSON.stringify(value))}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  let head: string;
  if (wrong.length === 0) {
    head = group.count > 1 ? `${group.count} items are not valid` : "Invalid value";
  } else {
    const names = wrong.slice(0, MAX_BAD_VALUES).map(quote).join(", ");
    const more = wrong.length > MAX_BAD_VALUES ? ` and ${wrong.length - MAX_BAD_VALUES} more` : "";
    head = `${names}${more} ${wrong.length > 1 ? "are" : "is"} not valid`;
  }
  const meant = suggestions(wrong.slice(0, MAX_BAD_VALUES), group.values);
  return argumentOf(group.path, `${sentence(head, meant)} ${validValues(group.values)}`);
}

/** Same argument (array index dropped) and same option set: one issue. */
function groupKey(path: readonly PropertyKey[], values: readonly unknown[]): string {
  const options = values.map((value) => `${typeof value}:${String(value)}`).join("\u0000");
  return `${formatPath(path)}\u0001${options}`;
}

/**
 * The issues as the model should read them. `schema` (the tool's input) lets an unknown key
 * come with the valid ones; `input` on the issues (zod's `reportInput`) names the bad values.
 */
export function describeIssues(
  issues: readonly ValidationIssue[],
  schema?: z.ZodType,
): DescribedIssue[] {
  const entries: Array<DescribedIssue | ValueGroup> = [];
  const groups = new Map<string, ValueGroup>();
  for (const issue of issues.flatMap(unionIssues)) {
    if (issue.code === "unrecognized_keys" && issue.keys && issue.keys.length > 0) {
      entries.push(unknownKeys(issue, issue.keys, schema));
    } else if (issue.code === "invalid_value" && issue.values && issue.values.length > 0) {
      const last = issue.path.at(-1);
      const path = typeof last === "number" ? issue.path.slice(0, -1) : issue.path;
      const key = groupKey(path, issue.values);
      let group = groups.get(key);
      if (!group) {
        group = { path, values: issue.values, inputs: [], count: 0 };
        groups.set(key, group);
        entries.push(group);
      }
      group.count += 1;
      if ("input" in issue) group.inputs.push(issue.input);
    } else {
      entries.push(argumentOf(issue.path, issue.message));
    }
  }
  return entries.map((entry) => ("count" in entry ? invalidValues(entry) : entry));
}

/**
 * A union that matched no branch, as the issues of the branch the model meant. zod reports
 * "Invalid input" with every branch's issues: a union of literals becomes one invalid value with
 * all of them; branches told apart by one key (send_strategy's `method`) give the branch the
 * value named, or, when it names none, that key's valid values; otherwise the closest branch
 * (fewest issues) speaks.
 */
function unionIssues(issue: ValidationIssue): ValidationIssue[] {
  const branches = issue.code === "invalid_union" ? (issue.errors ?? []) : [];
  if (branches.length === 0) return [issue];
  const at = (inner: ValidationIssue): ValidationIssue => ({
    ...inner,
    path: [...issue.path, ...inner.path],
  });
  const flat = branches.map((branch) => branch.flatMap((inner) => unionIssues(at(inner))));
  // A union of literals (a throttle percentage): one value, any of theirs.
  const single = flat.map((branch) => (branch.length === 1 ? branch[0] : undefined));
  if (single.every((inner) => inner?.code === "invalid_value" && inner.values)) {
    const first = single[0] as ValidationIssue;
    const samePlace = single.every(
      (inner) => formatPath(inner?.path ?? []) === formatPath(first.path),
    );
    if (samePlace) {
      const values = single.flatMap((inner) => inner?.values ?? []);
      return [{ ...first, values: [...new Set(values)] }];
    }
  }
  // The key whose literal tells the branches apart, wrong in some of them.
  const tag = (branch: readonly ValidationIssue[]) =>
    branch.find(
      (inner) =>
        inner.code === "invalid_value" &&
        inner.values?.length === 1 &&
        inner.path.length === issue.path.length + 1,
    );
  const tags = flat.map(tag);
  const key = tags.find((found) => found)?.path.at(-1);
  const tagged = key !== undefined && tags.every((found) => !found || found.path.at(-1) === key);
  if (tagged) {
    const meant = flat.filter((_, index) => !tags[index]);
    if (meant.length === 0) {
      const first = tags[0] as ValidationIssue;
      const values = tags.flatMap((found) => found?.values ?? []);
      return [{ ...first, values: [...new Set(values)] }];
    }
    return closestBranch(meant);
  }
  return closestBranch(flat);
}

function closestBranch(branches: readonly ValidationIssue[][]): ValidationIssue[] {
  return [...branches].sort((a, b) => a.length - b.length)[0] ?? [];
}

/** The first issues, within MAX_ISSUES_CHARS of JSON (always at least one); how many were left. */
export function fitIssues(issues: readonly DescribedIssue[]): {
  kept: DescribedIssue[];
  left: number;
} {
  const kept: DescribedIssue[] = [];
  let chars = 0;
  for (const issue of issues) {
    chars += JSON.stringify(issue).length + 1;
    if (kept.length > 0 && chars > MAX_ISSUES_CHARS) break;
    kept.push(issue);
  }
  return { kept, left: issues.length - kept.length };
}
