/**
 * The words of the request check's messages (request-check-value.ts): values quoted short, the
 * kind of a value, what a schema node accepts, lists cut at a readable length. Only called once
 * a request has failed, to explain it.
 */
import { closest } from "./error-result-validation.js";
import type { SchemaNode } from "./request-schema.js";

const MAX_LISTED = 30;
const MAX_QUOTED = 40;

/** A value as the model wrote it, cut short. */
export function short(value: unknown): string {
  const text = String(JSON.stringify(value));
  return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED - 4)}..."` : text;
}

/** `the string "x"`, `the number 1.5`, `an array`. */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `the string ${short(value)}`;
  return `${typeof value === "number" ? "the number" : typeof value} ${short(value)}`;
}

/** Plain words bare, anything else quoted; at most MAX_LISTED, then how many more. */
export function listOf(values: readonly unknown[]): string {
  const shown = values
    .slice(0, MAX_LISTED)
    .map((value) =>
      typeof value === "string" && /^[\w.$:-]+$/.test(value) ? value : short(value),
    );
  const more = values.length - shown.length;
  return `${shown.join(", ")}${more > 0 ? ` (${more} more)` : ""}`;
}

export function unknownKey(key: string, valid: readonly string[]): string {
  const meant = closest(key, valid);
  const suggestion = meant ? `; did you mean ${JSON.stringify(meant)}?` : ".";
  return `Unknown key ${short(key)}${suggestion} Valid keys: ${listOf(valid)}.`;
}

const FORMAT_HINTS: Readonly<Record<string, string>> = {
  "date-time": 'a date-time: use ISO 8601, e.g. "2025-01-31T09:00:00Z"',
  date: 'a date: use YYYY-MM-DD, e.g. "2025-01-31"',
  time: 'a time: use HH:MM or HH:MM:SS, e.g. "09:30"',
  uri: 'a URL: give it with its scheme, e.g. "https://example.com/a"',
};

export function notFormat(value: string, format: string): string {
  return `${short(value)} is not ${FORMAT_HINTS[format] ?? `in the format ${format}`}.`;
}

/** The JSON kind a node takes: `an object`, `a string`, `one of a, b`. */
export function kindName(nodes: readonly SchemaNode[], index: number): string {
  const node = nodes[index] ?? {};
  if (node.oneOf) {
    return [...new Set(node.oneOf.map((branch) => kindName(nodes, branch)))].join(" or ");
  }
  return node.type === "object" ? "an object" : shapeOf(node);
}

/** What a scalar or array node accepts, in a few words: `a date-time string`, `one of a, b`. */
export function shapeOf(node: SchemaNode): string {
  if (node.enum)
    return node.enum.length === 1 ? short(node.enum[0]) : `one of ${listOf(node.enum)}`;
  if (node.oneOf) return `one of ${node.oneOf.length} shapes`;
  switch (node.type) {
    case "string":
      return node.format ? `a ${node.format} string` : "a string";
    case "integer":
      return "an integer";
    case "array":
    case "object":
      return `an ${node.type}`;
    case "number":
    case "boolean":
      return `a ${node.type}`;
    default:
      return "a value";
  }
}

/** Which branch of a union was explained: by its keys when it is an object. */
export function branchName(node: SchemaNode): string {
  const keys = Object.keys(node.properties ?? {});
  return keys.length > 0 ? `the one with keys ${listOf(keys)}` : shapeOf(node);
}

/**
 * The issue, with a note on where it applies before its full stop. An enum mismatch becomes
 * plain text with its values (error-result-validation.ts would rewrite it, losing the note).
 */
export function noted<
  Issue extends { message: string; code?: string; values?: readonly unknown[] },
>(issue: Issue, note: string): Issue {
  const message = `${issue.message.replace(/\.$/, "")} (${note}).`;
  if (issue.code !== "invalid_value") return { ...issue, message };
  const { code: _code, values = [], ...rest } = issue;
  return { ...rest, message: `${message} Valid values: ${listOf(values)}.` } as Issue;
}
