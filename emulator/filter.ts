/**
 * Klaviyo's `filter` query parameter: parse it, check it against an endpoint's
 * `x-klaviyo-filters` rules, and evaluate it against in-memory resources.
 * Grammar: https://developers.klaviyo.com/en/docs/filtering_
 *
 *   filter := expr ("," expr)*                  top-level commas mean "and"
 *   expr   := "and(" filter ")" | op "(" field ["," value] ")"
 *   value  := string | bare | "[" [scalar ("," scalar)*] "]"
 */

export type FilterValue = string | number | boolean | null | Date | FilterValue[];

export interface FilterRule {
  /** "list" operators take an array value, "single" a scalar, "none" (`has`) no value. */
  operators: { single?: string[]; list?: string[]; none?: string[] };
  value?: { type?: string; format?: string; enum?: string[] };
}

/** Field (may contain dots) -> rule, as in the OpenAPI extension `x-klaviyo-filters`. */
export type AllowedFilters = Record<string, FilterRule>;

export interface FilterCondition {
  operator: string;
  field: string;
  value?: FilterValue;
}

/** A bad filter; `detail` is written for the API user. */
export class FilterError extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = "FilterError";
  }
}

/** Parses `text` into a conjunction of conditions valid for `allowed`. Throws FilterError. */
export function parseFilter(text: string, allowed: AllowedFilters): FilterCondition[] {
  return new Parser(text).parse().map((call) => validate(call, allowed));
}

/** True when the resource (seen through `read`) satisfies every condition. */
export function matchesFilter(
  conditions: FilterCondition[],
  read: (field: string) => unknown,
): boolean {
  return conditions.every(({ operator, field, value }) => {
    const values = Array.isArray(value) ? value : [value ?? null];
    return OPERATORS[operator]?.(read(field), values) ?? false;
  });
}

// ---------------------------------------------------------------------------------------------
// Parsing

type Literal =
  | { kind: "string"; value: string; raw: string }
  | { kind: "datetime"; value: Date; raw: string }
  | { kind: "number"; value: number; raw: string }
  | { kind: "boolean"; value: boolean; raw: string }
  | { kind: "null"; value: null; raw: string };
type Argument = Literal | { kind: "list"; items: Literal[] };
type Call = { operator: string; field: string; argument?: Argument };

const WORD = /[A-Za-z0-9_.$-]+/y;
// Bare values stop at the grammar's punctuation; quotes can only start a string.
const BARE = /[^\s,()[\]"']+/y;
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
// A quoted string with backslash escapes; unambiguous, so matching is linear.
const STRINGS: Record<string, RegExp> = {
  '"': /"((?:[^"\\]|\\[\s\S])*)"/y,
  "'": /'((?:[^'\\]|\\[\s\S])*)'/y,
};
const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f" };

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parse(): Call[] {
    this.skipSpace();
    if (this.pos >= this.text.length) throw syntaxError("the filter is empty");
    const calls = this.expressions();
    this.skipSpace();
    if (this.pos < this.text.length) throw this.unexpected("',' between conditions");
    return calls;
  }

  private expressions(): Call[] {
    const calls = this.expression();
    while (this.eat(",")) calls.push(...this.expression());
    return calls;
  }

  private expression(): Call[] {
    const operator = this.word("an operator such as equals(...)");
    if (operator === "or" || operator === "not") {
      throw new FilterError(
        `'${operator}' is not supported by this endpoint; combine conditions with and(...) or commas`,
      );
    }
    this.expect("(");
    if (operator === "and") {
      const calls = this.expressions();
      this.expect(")");
      return calls;
    }
    const field = this.word("a field name");
    const argument = this.eat(",") ? this.argument() : undefined;
    this.expect(")");
    return [{ operator, field, argument }];
  }

  private argument(): Argument {
    if (!this.eat("[")) return this.scalar();
    const items: Literal[] = [];
    if (!this.eat("]")) {
      do items.push(this.scalar());
      while (this.eat(","));
      this.expect("]");
    }
    return { kind: "list", items };
  }

  private scalar(): Literal {
    this.skipSpace();
    const start = this.pos;
    const char = this.text[start];
    if (char === '"' || char === "'") return this.quoted(char);
    if (char === "[") throw syntaxError(`nested lists are not allowed (position ${start})`);
    BARE.lastIndex = start;
    const raw = BARE.exec(this.text)?.[0];
    if (!raw) throw this.unexpected("a value");
    this.pos += raw.length;
    if (raw === "true" || raw === "false") return { kind: "boolean", value: raw === "true", raw };
    if (raw === "null") return { kind: "null", value: null, raw };
    if (NUMBER.test(raw)) return { kind: "number", value: Number(raw), raw };
    const date = parseDateTime(raw);
    if (date) return { kind: "datetime", value: date, raw };
    if (/^\d{4}-\d\d-\d\d/.test(raw))
      throw syntaxError(`invalid datetime '${raw}' at position ${start}`);
    throw syntaxError(
      `unquoted value '${raw}' at position ${start}; strings must be quoted, e.g. "${raw}"`,
    );
  }

  private quoted(quote: string): Literal {
    const pattern = STRINGS[quote] as RegExp;
    pattern.lastIndex = this.pos;
    const match = pattern.exec(this.text);
    if (!match) throw syntaxError(`unterminated string starting at position ${this.pos}`);
    this.pos += match[0].length;
    // \uXXXX, \n and friends; any other escaped char (\" \' \\) stands for itself.
    const value = (match[1] ?? "").replace(/\\(u[0-9a-fA-F]{4}|[\s\S])/g, (_, code: string) =>
      code.length === 5
        ? String.fromCharCode(Number.parseInt(code.slice(1), 16))
        : (ESCAPES[code] ?? code),
    );
    return { kind: "string", value, raw: match[0] };
  }

  private word(expected: string): string {
    this.skipSpace();
    WORD.lastIndex = this.pos;
    const word = WORD.exec(this.text)?.[0];
    if (!word) throw this.unexpected(expected);
    this.pos += word.length;
    return word;
  }

  private eat(char: string): boolean {
    this.skipSpace();
    if (this.text[this.pos] !== char) return false;
    this.pos++;
    return true;
  }

  private expect(char: string): void {
    if (!this.eat(char)) throw this.unexpected(`'${char}'`);
  }

  private skipSpace(): void {
    while (/\s/.test(this.text[this.pos] ?? "")) this.pos++;
  }

  private unexpected(expected: string): FilterError {
    const char = this.text[this.pos];
    if (char === undefined) return syntaxError(`unexpected end of filter, expected ${expected}`);
    return syntaxError(`unexpected '${char}' at position ${this.pos}, expected ${expected}`);
  }
}

function syntaxError(message: string): FilterError {
  return new FilterError(`Invalid filter: ${message}`);
}

const DATETIME =
  /^(\d{4})-(\d\d)-(\d\d)(?:[Tt](\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?(?:[Zz]|([+-])(\d\d):?(\d\d))?)?$/;

/** RFC 3339 datetime, or a plain date (midnight); no offset means UTC. Undefined if invalid. */
export function parseDateTime(text: string): Date | undefined {
  const match = DATETIME.exec(text);
  if (!match) return undefined;
  const part = (index: number) => Number(match[index] ?? 0);
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = [1, 2, 3, 4, 5, 6].map(
    part,
  );
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // unlike Date.UTC, keeps years 0-99 as written
  date.setUTCHours(hour, minute, second, Number((match[7] ?? "").padEnd(3, "0").slice(0, 3)));
  // Date silently rolls 2024-02-30 over to March and 24:00 to the next day: a round trip catches it.
  const roundTrips =
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  if (!roundTrips || part(9) > 23 || part(10) > 59) return undefined;
  const offsetMinutes = (match[8] === "-" ? -1 : 1) * (part(9) * 60 + part(10));
  return new Date(date.getTime() - offsetMinutes * 60_000);
}

// ---------------------------------------------------------------------------------------------
// Validation against the endpoint's rules

function validate(call: Call, allowed: AllowedFilters): FilterCondition {
  const { operator, field, argument } = call;
  const fields = Object.keys(allowed);
  if (fields.length === 0) throw new FilterError("This endpoint does not support filtering");
  const rule = Object.hasOwn(allowed, field) ? allowed[field] : undefined;
  if (!rule) {
    throw new FilterError(
      `'${field}' is not a valid field for the resource. Allowed fields: ${fields.join(", ")}`,
    );
  }
  const { single = [], list = [], none = [] } = rule.operators;
  const all = [...new Set([...single, ...list, ...none])];
  if (!all.includes(operator)) {
    throw new FilterError(
      `'${operator}' is not a valid operator for '${field}'. Allowed: ${all.join(", ")}`,
    );
  }
  if (!Object.hasOwn(OPERATORS, operator)) {
    throw new FilterError(`'${operator}' is not supported by the emulator yet`);
  }
  // Klaviyo's own examples write equals(coupon.id,'10OFF') where equals is listed for lists
  // only: a single value stands for a list of one.
  if (
    operator === "equals" &&
    argument !== undefined &&
    argument.kind !== "list" &&
    !single.includes(operator) &&
    list.includes(operator)
  ) {
    return { operator, field, value: [checkValue(argument, call, rule)] };
  }
  // The operator exists for this field; check it is used with the right kind of value.
  const arity = argument === undefined ? none : argument.kind === "list" ? list : single;
  if (!arity.includes(operator) || (operator === "any" && argument?.kind !== "list")) {
    const example = list.includes(operator)
      ? `${field},["a","b"]`
      : none.includes(operator)
        ? field
        : `${field},value`;
    throw new FilterError(`'${operator}' on '${field}' must be written ${operator}(${example})`);
  }
  if (argument === undefined) return { operator, field };
  if (argument.kind !== "list") return { operator, field, value: checkValue(argument, call, rule) };
  if (argument.items.length === 0) {
    throw new FilterError(`'${operator}' on '${field}' needs a non-empty list`);
  }
  return { operator, field, value: argument.items.map((item) => checkValue(item, call, rule)) };
}

function checkValue(literal: Literal, call: Call, rule: FilterRule): FilterValue {
  const { type, format, enum: choices } = rule.value ?? {};
  const invalid = (expected: string) =>
    new FilterError(`Invalid value ${literal.raw} for '${call.field}': expected ${expected}`);
  // null stands for "no value", which only makes sense as an equality.
  if (literal.kind === "null") {
    if (call.operator === "equals") return null;
    throw new FilterError(`null can only be used with equals, not '${call.operator}'`);
  }
  if (format === "date-time" || format === "date") {
    if (literal.kind === "datetime") return literal.value;
    // Klaviyo rejects quoted datetimes, a common mistake: say so rather than "invalid".
    if (literal.kind === "string" && parseDateTime(literal.value)) {
      throw invalid(`an unquoted datetime, e.g. ${call.operator}(${call.field},${literal.value})`);
    }
    throw invalid("a datetime such as 2024-01-01T00:00:00Z");
  }
  switch (type) {
    case "number":
    case "integer":
      if (literal.kind === "number" && (type === "number" || Number.isInteger(literal.value))) {
        return literal.value;
      }
      throw invalid(type === "number" ? "a number" : "an integer");
    case "boolean":
      if (literal.kind !== "boolean") throw invalid("true or false");
      return literal.value;
    case "string":
      if (literal.kind !== "string") throw invalid(`a quoted string, e.g. "${literal.raw}"`);
      if (choices && !choices.includes(literal.value)) {
        throw new FilterError(
          `${literal.raw} is not a valid value for '${call.field}'. Allowed: ${choices.join(", ")}`,
        );
      }
      return literal.value;
    default:
      return literal.value; // the rule does not say: accept any literal
  }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

type Test = (actual: unknown, values: FilterValue[]) => boolean;

/** A field with several values (every suppression's timestamp) matches when any one does. */
const anyElement =
  (test: Test): Test =>
  (actual, values) =>
    Array.isArray(actual) ? actual.some((one) => test(one, values)) : test(actual, values);
const ordered = (test: (sign: number) => boolean): Test =>
  anyElement((actual, [expected]) => {
    const sign = compare(actual, expected ?? null);
    return sign !== undefined && test(sign); // a missing or unordered value never matches
  });
const textual = (test: (actual: string, expected: string) => boolean): Test =>
  anyElement(
    (actual, [expected]) =>
      typeof actual === "string" && typeof expected === "string" && test(actual, expected),
  );
const anyOf: Test = (actual, values) => values.some((v) => equalsOrIncludes(actual, v));
const containsAny: Test = (actual, values) => values.some((v) => contains(actual, v));

/** Operator -> test of the resource's value against the condition's value(s). */
const OPERATORS: Record<string, Test> = {
  has: (actual) => (Array.isArray(actual) ? actual.length > 0 : actual != null),
  equals: anyOf, // a list value means "any of"
  any: anyOf,
  contains: containsAny,
  "contains-any": containsAny,
  "contains-all": (actual, values) => values.every((v) => contains(actual, v)),
  "starts-with": textual((actual, expected) => actual.startsWith(expected)),
  "ends-with": textual((actual, expected) => actual.endsWith(expected)),
  "greater-than": ordered((sign) => sign > 0),
  "greater-or-equal": ordered((sign) => sign >= 0),
  "less-than": ordered((sign) => sign < 0),
  "less-or-equal": ordered((sign) => sign <= 0),
};

/** Klaviyo's equals on an array-valued field (e.g. messages.channel) matches any element. */
function equalsOrIncludes(actual: unknown, expected: FilterValue): boolean {
  if (Array.isArray(actual) && expected !== null) return actual.some((a) => same(a, expected));
  return same(actual, expected);
}

function same(actual: unknown, expected: FilterValue): boolean {
  if (expected === null) return actual == null;
  if (expected instanceof Date) return toTime(actual) === expected.getTime();
  return actual === expected;
}

function contains(actual: unknown, expected: FilterValue): boolean {
  if (typeof actual === "string") return typeof expected === "string" && actual.includes(expected);
  return Array.isArray(actual) && actual.some((a) => same(a, expected));
}

/** Sign of actual - expected, or undefined when they cannot be ordered (e.g. missing). */
function compare(actual: unknown, expected: FilterValue): number | undefined {
  if (expected instanceof Date) return compare(toTime(actual), expected.getTime());
  if (typeof expected !== "number" && typeof expected !== "string") return undefined;
  if (typeof actual !== typeof expected || Number.isNaN(actual)) return undefined;
  const value = actual as typeof expected;
  return value < expected ? -1 : value > expected ? 1 : 0;
}

/** Milliseconds for a Date or an ISO string from a resource; numbers are not guessed at. */
function toTime(value: unknown): number | undefined {
  const time =
    value instanceof Date
      ? value.getTime()
      : typeof value === "string"
        ? (parseDateTime(value)?.getTime() ?? Date.parse(value))
        : Number.NaN;
  return Number.isNaN(time) ? undefined : time;
}
