/**
 * The words of the request check's messages (request-check-value.ts): the kind of a value, what
 * a schema node accepts (values quoted and lists cut as error-result-validation.ts does). Only called once
 * a request has failed, to explain it.
 */
import { closest, quote, shortList } from "./error-result-validation.js";
import type { SchemaNode } from "./request-schema.js";

/** `the string "x"`, `the number 1.5`, `an array`. */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `the string ${quote(value)}`;
  return `${typeof value === "number" ? "the number" : typeof value} ${quote(value)}`;
}

export function unknownKey(key: string, valid: readonly string[]): string {
  const meant = closest(key, valid);
  const suggestion = meant ? `; did you mean ${JSON.stringify(meant)}?` : ".";
  return `Unknown key ${quote(key)}${suggestion} Valid keys: ${shortList(valid)}.`;
}

const FORMAT_HINTS: Readonly<Record<string, string>> = {
  "date-time": 'a date-time: use ISO 8601, e.g. "2025-01-31T09:00:00Z"',
  date: 'a date: use YYYY-MM-DD, e.g. "2025-01-31"',
  time: 'a time: use HH:MM or HH:MM:SS, e.g. "09:30"',
  uri: 'a URL: give it with its scheme, e.g. "https://example.com/a"',
};

export function notFormat(value: string, format: string): string {
  return `${quote(value)} is not ${FORMAT_HINTS[format] ?? `in the format ${format}`}.`;
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
    return node.enum.length === 1 ? quote(node.enum[0]) : `one of ${shortList(node.enum)}`;
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
  return keys.length > 0 ? `the one with keys ${shortList(keys)}` : shapeOf(node);
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
  return { ...rest, message: `${message} Valid values: ${shortList(values)}.` } as Issue;
}
