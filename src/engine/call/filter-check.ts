/**
 * A tool's `filter` argument checked against its fields (ToolDefinition.filters) before anything
 * is sent: Klaviyo answers a wrong value with a silent empty page, not an error.
 *
 *   filter     := condition ("," condition)*          commas mean "and"
 *   condition  := "and(" filter ")" | op "(" field ["," argument] ")"
 *   argument   := scalar | "[" scalar ("," scalar)* "]"
 *   scalar     := "double" or 'single' quoted string (backslash escapes) | unquoted datetime,
 *                 number, true, false or null
 *
 * Independent of the emulator's parser (emulator/filter.ts) on purpose: each checks the other.
 * One left-to-right pass with sticky, non-backtracking patterns, and `and(` nesting capped, so
 * the time is linear in the text and the stack bounded whatever a caller sends.
 */
import type { FilterField } from "../definition.js";

/** and(...) inside and(...): real filters need one or two levels. */
export const MAX_FILTER_NESTING = 8;
/** At most this many allowed values are listed in a message. */
const MAX_LISTED_VALUES = 30;
/** Text the caller sent is echoed at most this long. */
const MAX_ECHO = 40;

type Filters = Readonly<Record<string, FilterField>>;

type Scalar =
  | { kind: "string"; value: string; raw: string }
  | { kind: "datetime" | "number" | "boolean" | "null"; raw: string };
type Argument = Scalar | { kind: "list"; items: Scalar[] };
interface Condition {
  operator: string;
  field: string;
  argument?: Argument;
}

/** The problem with `text` for a tool with these fields, written for the model; else undefined. */
export function checkFilter(text: string, filters: Filters): string | undefined {
  let conditions: Condition[];
  try {
    conditions = new Parser(text).parse();
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) throw error;
    return `${error.message} ${exampleSentence(filters)}`;
  }
  for (const condition of conditions) {
    const problem = conditionProblem(condition, filters);
    if (problem) return problem;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Parsing

class SyntaxProblem extends Error {}

const SPACE = /\s*/y;
const OPERATOR = /[A-Za-z][A-Za-z-]*/y;
const FIELD = /[A-Za-z0-9_.$-]+/y;
/** An unquoted value runs until the grammar's punctuation or a quote. */
const BARE = /[^\s,()[\]"']+/y;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;
const ESCAPES: Readonly<Record<string, string>> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f" };

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parse(): Condition[] {
    this.skipSpace();
    if (this.pos >= this.text.length) throw new SyntaxProblem("The filter is empty.");
    const conditions: Condition[] = [];
    this.conditions(conditions, 0);
    this.skipSpace();
    if (this.pos < this.text.length) throw this.unexpected("',' between conditions, or the end");
    return conditions;
  }

  private conditions(into: Condition[], depth: number): void {
    do this.condition(into, depth);
    while (this.eat(","));
  }

  private condition(into: Condition[], depth: number): void {
    const operator = this.match(OPERATOR, "an operator, e.g. equals(");
    if (operator === "or" || operator === "not") {
      throw new SyntaxProblem(
        `${operator}(...) is not supported: conditions combine only with and(...) or commas, and all must hold.`,
      );
    }
    this.expect("(");
    if (operator === "and") {
      if (depth >= MAX_FILTER_NESTING) {
        throw new SyntaxProblem(
          `and(...) is nested more than ${MAX_FILTER_NESTING} levels deep at character ${this.pos}; list the conditions in one and(...).`,
        );
      }
      this.conditions(into, depth + 1);
      this.expect(")");
      return;
    }
    const field = this.match(FIELD, "a field name");
    const argument = this.eat(",") ? this.argument() : undefined;
    this.expect(")");
    into.push(argument ? { operator, field, argument } : { operator, field });
  }

  private argument(): Argument {
    if (!this.eat("[")) return this.scalar();
    const items: Scalar[] = [];
    this.skipSpace();
    if (this.eat("]")) return { kind: "list", items };
    do items.push(this.scalar());
    while (this.eat(","));
    this.expect("]");
    return { kind: "list", items };
  }

  private scalar(): Scalar {
    this.skipSpace();
    const char = this.text[this.pos];
    if (char === '"' || char === "'") return this.quoted(char);
    if (char === "[") throw this.problem("a list cannot hold another list");
    const raw = this.match(BARE, "a value");
    if (raw === "true" || raw === "false") return { kind: "boolean", raw };
    if (raw === "null") return { kind: "null", raw };
    if (NUMBER.test(raw)) return { kind: "number", raw };
    if (isDateTime(raw)) return { kind: "datetime", raw };
    const start = this.pos - raw.length;
    if (/^\d{4}-\d/.test(raw)) {
      throw new SyntaxProblem(
        `${echo(raw)} at character ${start + 1} is not a valid datetime: write e.g. 2026-01-01T00:00:00Z.`,
      );
    }
    throw new SyntaxProblem(
      `Unquoted value ${echo(raw)} at character ${start + 1}: quote strings, e.g. "${shorten(raw)}".`,
    );
  }

  /** A quoted string, decoding backslash escapes, in one scan. */
  private quoted(quote: string): Scalar {
    const start = this.pos;
    let value = "";
    let at = start + 1;
    for (;;) {
      const char = this.text[at];
      if (char === undefined) {
        throw new SyntaxProblem(`The string starting at character ${start + 1} is never closed.`);
      }
      if (char === quote) break;
      if (char === "\\") {
        const next = this.text[at + 1] ?? "";
        const hex = this.text.slice(at + 2, at + 6);
        if (next === "u" && /^[0-9a-fA-F]{4}$/.test(hex)) {
          value += String.fromCharCode(Number.parseInt(hex, 16));
          at += 6;
        } else {
          value += ESCAPES[next] ?? next;
          at += 2;
        }
        continue;
      }
      value += char;
      at += 1;
    }
    this.pos = at + 1;
    return { kind: "string", value, raw: this.text.slice(start, this.pos) };
  }

  private match(pattern: RegExp, expected: string): string {
    this.skipSpace();
    pattern.lastIndex = this.pos;
    const found = pattern.exec(this.text)?.[0];
    if (!found) throw this.unexpected(expected);
    this.pos += found.length;
    return found;
  }

  private eat(char: string): boolean {
    this.skipSpace();
    if (this.text[this.pos] !== char) return false;
    this.pos += 1;
    return true;
  }

  private expect(char: string): void {
    if (!this.eat(char)) throw this.unexpected(`'${char}'`);
  }

  private skipSpace(): void {
    SPACE.lastIndex = this.pos;
    SPACE.exec(this.text);
    this.pos = SPACE.lastIndex;
  }

  private unexpected(expected: string): SyntaxProblem {
    if (this.pos >= this.text.length) {
      return new SyntaxProblem(`The filter ends too early: expected ${expected}.`);
    }
    return this.problem(`expected ${expected}`);
  }

  private problem(what: string): SyntaxProblem {
    const near = this.text.slice(this.pos, this.pos + 20);
    return new SyntaxProblem(
      `Invalid filter at character ${this.pos + 1} (at ${JSON.stringify(near)}): ${what}.`,
    );
  }
}

/** RFC 3339 (or a bare date) whose parts are in range: 2024-02-30 and 24:00 are not. */
function isDateTime(raw: string): boolean {
  const parts = DATETIME.exec(raw);
  if (!parts) return false;
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map((p) => Number(p ?? 0));
  const date = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1));
  return (
    date.getUTCMonth() === (month ?? 1) - 1 &&
    date.getUTCDate() === day &&
    (hour ?? 0) < 24 &&
    (minute ?? 0) < 60 &&
    (second ?? 0) < 61
  );
}

// ---------------------------------------------------------------------------------------------
// Checking one condition against the tool's fields

function conditionProblem(
  { operator, field, argument }: Condition,
  filters: Filters,
): string | undefined {
  const rule = Object.hasOwn(filters, field) ? filters[field] : undefined;
  if (!rule) {
    const names = Object.keys(filters);
    if (names.length === 0) return "This tool takes no filter fields.";
    const guess = caseInsensitive(field, names);
    const hint = guess ? ` Did you mean ${guess}?` : "";
    return `${echo(field)} cannot be filtered on here.${hint} Filterable fields: ${names.join(", ")}.`;
  }
  const { single = [], list = [], none = [] } = rule.operators;
  if (![...single, ...list, ...none].includes(operator)) {
    return `${echo(operator)} cannot be used on ${field}. Write one of: ${forms(field, rule).join(", ")}.`;
  }
  if (!argument) {
    if (none.includes(operator)) return undefined;
    return `${operator} on ${field} needs a value: ${formOf(field, rule, operator)}.`;
  }
  if (argument.kind === "list") {
    if (!list.includes(operator)) {
      return `${operator} on ${field} takes one value, not a list: ${formOf(field, rule, operator)}.`;
    }
    if (argument.items.length === 0) {
      return `${operator} on ${field} needs at least one value: ${formOf(field, rule, operator)}.`;
    }
    for (const item of argument.items) {
      const problem = valueProblem(item, operator, field, rule);
      if (problem) return problem;
    }
    return undefined;
  }
  // The spec's own example for get_coupon_codes is equals(coupon.id,'10OFF') where equals is
  // listed as a list operator only: a single value stands for a list of one.
  if (!single.includes(operator) && !(operator === "equals" && list.includes(operator))) {
    const takes = none.includes(operator) ? "takes no value" : "takes a list";
    return `${operator} on ${field} ${takes}: ${formOf(field, rule, operator)}.`;
  }
  return valueProblem(argument, operator, field, rule);
}

function valueProblem(
  value: Scalar,
  operator: string,
  field: string,
  rule: FilterField,
): string | undefined {
  const type = rule.type;
  if (value.kind === "null") {
    return operator === "equals" || operator === "any"
      ? undefined
      : `null can only be compared with equals, not ${operator} (on ${field}).`;
  }
  if (type === "date-time" || type === "date") {
    if (value.kind === "datetime") return undefined;
    const unquoted =
      value.kind === "string" && isDateTime(value.value) ? value.value : "2026-01-01T00:00:00Z";
    const quoted = value.kind === "string" ? " without quotes" : "";
    return `${field} takes a datetime${quoted}, e.g. ${operator}(${field},${unquoted}); got ${echo(value.raw)}.`;
  }
  if (type === "boolean") {
    if (value.kind === "boolean") return undefined;
    return `${field} takes true or false, unquoted, e.g. ${operator}(${field},true); got ${echo(value.raw)}.`;
  }
  if (type === "number" || type === "integer") {
    const integer = type === "integer";
    if (value.kind === "number" && (!integer || Number.isInteger(Number(value.raw)))) {
      return undefined;
    }
    const what = integer ? "a whole number" : "a number";
    return `${field} takes ${what}, unquoted, e.g. ${operator}(${field},10); got ${echo(value.raw)}.`;
  }
  if (type !== "string") return undefined; // the rule does not say: any value goes
  if (value.kind !== "string") {
    return `${field} takes a quoted string, e.g. ${operator}(${field},"${shorten(value.raw)}"); got ${echo(value.raw)} unquoted.`;
  }
  // contains/starts-with on a field with values would take a part of one: only whole values are checked.
  const values = rule.values;
  if (!values || (operator !== "equals" && operator !== "any") || values.includes(value.value)) {
    return undefined;
  }
  const guess = caseInsensitive(value.value, values);
  const hint = guess ? `; did you mean ${JSON.stringify(guess)}?` : ".";
  return `${echo(JSON.stringify(value.value))} is not a ${field}${hint} Allowed: ${listed(values)}.`;
}

// ---------------------------------------------------------------------------------------------
// Examples built from the tool's own fields

/** Every operator of a field in the form it is written. */
function forms(field: string, rule: FilterField): string[] {
  const { single = [], list = [], none = [] } = rule.operators;
  return [...new Set([...single, ...list, ...none])].map((op) => formOf(field, rule, op));
}

function formOf(field: string, rule: FilterField, operator: string): string {
  const { single = [], list = [] } = rule.operators;
  if (single.includes(operator)) return `${operator}(${field},${sample(rule, 0)})`;
  if (list.includes(operator))
    return `${operator}(${field},[${sample(rule, 0)},${sample(rule, 1)}])`;
  return `${operator}(${field})`;
}

function sample(rule: FilterField, index: number): string {
  switch (rule.type) {
    case "date-time":
    case "date":
      return index === 0 ? "2026-01-01T00:00:00Z" : "2026-02-01T00:00:00Z";
    case "boolean":
      return index === 0 ? "true" : "false";
    case "number":
    case "integer":
      return String(10 * (index + 1));
    default: {
      const value = rule.values?.[index] ?? rule.values?.[0] ?? ["a", "b"][index] ?? "a";
      return JSON.stringify(value);
    }
  }
}

/** One valid filter for this tool: two of its fields in and(...), when it has two. */
function exampleSentence(filters: Filters): string {
  const entries = Object.entries(filters);
  const first = entries.find(([, rule]) => rule.values) ?? entries[0];
  if (!first) return "";
  const simple = (field: string, rule: FilterField) => {
    const { single = [], list = [], none = [] } = rule.operators;
    // A datetime is compared, not matched: greater-than(created,...) is the example worth giving.
    const range = ["greater-than", "greater-or-equal"].find((op) => single.includes(op));
    return formOf(field, rule, range ?? single[0] ?? list[0] ?? none[0] ?? "equals");
  };
  const second =
    entries.find(([name, rule]) => name !== first[0] && rule.type === "date-time") ??
    entries.find(([name]) => name !== first[0]);
  const example = second ? `and(${simple(...first)},${simple(...second)})` : simple(...first);
  return `Write conditions as operator(field,value), combined with and(...) or commas, e.g. ${example}.`;
}

// ---------------------------------------------------------------------------------------------
// Message helpers

function caseInsensitive(given: string, choices: readonly string[]): string | undefined {
  const lower = given.toLowerCase();
  return choices.find((choice) => choice.toLowerCase() === lower);
}

function listed(values: readonly string[]): string {
  const shown = values.slice(0, MAX_LISTED_VALUES).join(", ");
  const more = values.length - MAX_LISTED_VALUES;
  return more > 0 ? `${shown} (and ${more} more)` : shown;
}

/** Text from the caller, quoted and cut short: a 100 KB value is not worth repeating. */
function echo(text: string): string {
  return text.startsWith('"') || text.startsWith("'") ? shorten(text) : `"${shorten(text)}"`;
}

function shorten(text: string): string {
  return text.length > MAX_ECHO ? `${text.slice(0, MAX_ECHO)}...` : text;
}
