/**
 * A value against a compiled request schema (request-schema.ts): the subset Klaviyo's spec uses.
 * Two modes in one walk: without an issue list it answers valid or not at the first mismatch,
 * allocating nothing (every request that is fine goes this way); with one it explains, naming
 * the wire path and what was expected, in the words of error-result-validation.ts. Objects that
 * list their properties accept no other key, as the zod inputs do (strict objects).
 */

import { isRecord } from "../../json.js";
import { quote, shortList } from "./error-result-validation.js";
import {
  branchName,
  kindName,
  kindOf,
  noted,
  notFormat,
  unknownKey,
} from "./request-check-words.js";
import type { SchemaNode } from "./request-schema.js";

export type WirePath = Array<string | number>;

/** A mismatch at a path of the request (`data.attributes.name`), before it is named by argument. */
export interface WireIssue {
  path: WirePath;
  message: string;
  /** An enum mismatch: error-result-validation.ts lists the values and suggests the one meant. */
  code?: "invalid_value";
  values?: readonly unknown[];
  input?: unknown;
}

/** Issues kept per explanation: the first ones teach the fix. */
const MAX_ISSUES = 5;
const FORMATS: Readonly<Record<string, RegExp>> = {
  "date-time": /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/i,
  date: /^\d{4}-\d{2}-\d{2}$/,
  time: /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/i,
  uri: /^[a-z][a-z0-9+.-]*:\S+$/i,
};
const patterns = new Map<string, RegExp>();
const NONE: readonly string[] = [];

/**
 * Where a walk reports: nothing (checking: the first mismatch ends it) or an issue list and the
 * path walked so far (explaining). A message is a function, only called when explaining.
 */
type Report = { path: WirePath; issues: WireIssue[] } | undefined;

export class ValueChecker {
  constructor(private readonly nodes: readonly SchemaNode[]) {}

  /** Whether `value` matches node `index`; nothing is allocated on the way. */
  valid(index: number, value: unknown): boolean {
    return this.walk(index, value, undefined);
  }

  /** The mismatches of `value` (empty when it is valid), at most a few, with their paths. */
  explain(index: number, value: unknown, at: WirePath = []): WireIssue[] {
    const report = { path: [...at], issues: [] };
    this.walk(index, value, report);
    return report.issues.slice(0, MAX_ISSUES);
  }

  /** The node's type and items, to read a query string as the value it describes. */
  typeOf(index: number): SchemaNode["type"] {
    return this.node(index).type;
  }

  itemsOf(index: number): number | undefined {
    return this.node(index).items;
  }

  private node(index: number): SchemaNode {
    const node = this.nodes[index];
    if (!node) throw new Error(`request schema node ${index} is missing`);
    return node;
  }

  private fail(report: Report, message: () => string, key?: string | number): false {
    if (!report) return false;
    const path = key === undefined ? [...report.path] : [...report.path, key];
    report.issues.push({ path, message: message() });
    return false;
  }

  private walk(index: number, value: unknown, report: Report): boolean {
    const node = this.node(index);
    if (value === null) {
      if (node.nullable || node.enum?.includes(null) || isAnything(node)) return true;
      return this.fail(report, () => `Expected ${kindName(this.nodes, index)}, got null.`);
    }
    if (node.oneOf) return this.oneOf(node, value, report);
    if (node.allOf) {
      let ok = true;
      for (const part of node.allOf) {
        ok = this.walk(part, value, report) && ok;
        if (!ok && !report) return false;
      }
      return ok;
    }
    if (node.enum && !node.enum.includes(value as string)) {
      if (report) {
        const { enum: values } = node;
        report.issues.push({
          path: [...report.path],
          message: `${quote(value)} is not valid.`,
          ...{ code: "invalid_value", values, input: value },
        });
      }
      return false;
    }
    if (
      !typeFits(this.nodes, node, value) ||
      (node.type === "integer" && !Number.isInteger(value))
    ) {
      return this.fail(
        report,
        () => `Expected ${kindName(this.nodes, index)}, got ${kindOf(value)}.`,
      );
    }
    if (typeof value === "string") return this.string(node, value, report);
    if (typeof value === "number") return this.number(node, value, report);
    if (Array.isArray(value)) return this.array(node, value, report);
    if (node.type === "object") return this.object(node, value as Record<string, unknown>, report);
    return true;
  }

  private number(node: SchemaNode, value: number, report: Report): boolean {
    if (!Number.isFinite(value)) return this.fail(report, () => `Expected a finite number.`);
    if (node.minimum !== undefined && value < node.minimum) {
      return this.fail(report, () => `Must be at least ${node.minimum}; got ${value}.`);
    }
    if (node.maximum !== undefined && value > node.maximum) {
      return this.fail(report, () => `Must be at most ${node.maximum}; got ${value}.`);
    }
    return true;
  }

  private string(node: SchemaNode, value: string, report: Report): boolean {
    const { minLength, maxLength, pattern, format } = node;
    if (minLength !== undefined && value.length < minLength) {
      return this.fail(report, () => `At least ${minLength} characters; got ${value.length}.`);
    }
    if (maxLength !== undefined && value.length > maxLength) {
      return this.fail(report, () => `At most ${maxLength} characters; got ${value.length}.`);
    }
    if (pattern !== undefined && !patternOf(pattern).test(value)) {
      return this.fail(report, () => `${quote(value)} does not match ${pattern}.`);
    }
    const expected = format && FORMATS[format];
    const fits =
      !expected ||
      (expected.test(value) && (format !== "date-time" || !Number.isNaN(Date.parse(value))));
    return fits || this.fail(report, () => notFormat(value, format ?? ""));
  }

  private array(node: SchemaNode, value: unknown[], report: Report): boolean {
    const { minItems, maxItems, items } = node;
    if (minItems !== undefined && value.length < minItems) {
      return this.fail(report, () => `At least ${minItems} item(s); got ${value.length}.`);
    }
    if (maxItems !== undefined && value.length > maxItems) {
      return this.fail(report, () => `At most ${maxItems} items; got ${value.length}.`);
    }
    if (items === undefined) return true;
    let ok = true;
    for (let i = 0; i < value.length; i++) {
      report?.path.push(i);
      ok = this.walk(items, value[i], report) && ok;
      report?.path.pop();
      if (!ok && (!report || report.issues.length >= MAX_ISSUES)) return false;
    }
    return ok;
  }

  private object(node: SchemaNode, value: Record<string, unknown>, report: Report): boolean {
    const { properties, additionalProperties: extra } = node;
    let ok = true;
    for (const key of node.required ?? NONE) {
      if (value[key] === undefined) ok = this.fail(report, () => "Required, missing.", key);
      if (!ok && !report) return false;
    }
    let count = 0;
    for (const key in value) {
      count++;
      const item = value[key];
      if (item === undefined) continue; // JSON drops it: not sent
      const child = properties?.[key] ?? (typeof extra === "number" ? extra : undefined);
      if (child === undefined) {
        if (!properties || extra === true) continue;
        ok = this.fail(report, () => unknownKey(key, Object.keys(properties)));
      } else {
        report?.path.push(key);
        ok = this.walk(child, item, report) && ok;
        report?.path.pop();
      }
      if (!ok && (!report || report.issues.length >= MAX_ISSUES)) return false;
    }
    const most = node.maxProperties;
    if (most !== undefined && count > most) {
      ok = this.fail(report, () => (most === 0 ? "Must be empty." : `At most ${most} keys.`));
    }
    return ok;
  }

  /**
   * One of several shapes. With a discriminator (`type`), only the branches its value names are
   * tried, and a wrong value is reported with the choices; otherwise the closest branch is
   * explained, and named.
   */
  private oneOf(node: SchemaNode, value: unknown, report: Report): boolean {
    const branches = node.oneOf ?? [];
    const key = node.discriminator;
    const tag = key !== undefined && isRecord(value) ? value[key] : undefined;
    let named = 0;
    for (const branch of branches) {
      if (key !== undefined && isRecord(value) && this.tagOf(branch, key) !== tag) continue;
      named++;
      if (this.walk(branch, value, undefined)) return true;
    }
    if (!report) return false;
    if (key === undefined || !isRecord(value)) {
      report.issues.push(...this.closest(branches, value, report.path));
      return false;
    }
    if (named === 0) {
      const values = [...new Set(branches.map((branch) => this.tagOf(branch, key)))];
      const path = [...report.path, key];
      report.issues.push(
        tag === undefined
          ? { path, message: `Required, missing: one of ${shortList(values)}.` }
          : {
              path,
              message: `${quote(tag)} is not valid.`,
              code: "invalid_value",
              values,
              input: tag,
            },
      );
      return false;
    }
    const candidates = branches.filter((branch) => this.tagOf(branch, key) === tag);
    // A tag every branch shares tells nothing: then the closest branch is named instead.
    const label = named < branches.length ? `for ${key} ${quote(tag)}` : undefined;
    report.issues.push(...this.closest(candidates, value, report.path, label));
    return false;
  }

  /**
   * The issues of the branch with the fewest, with a note saying which branch they are about;
   * when no branch takes a value of this JSON type, one issue naming the kinds accepted.
   */
  private closest(
    candidates: readonly number[],
    value: unknown,
    path: WirePath,
    label?: string,
  ): WireIssue[] {
    const fitting = candidates.filter((branch) => typeFits(this.nodes, this.node(branch), value));
    if (fitting.length === 0) {
      const kinds = [...new Set(candidates.map((branch) => kindName(this.nodes, branch)))];
      return [
        { path: [...path], message: `Expected ${kinds.join(" or ")}, got ${kindOf(value)}.` },
      ];
    }
    let best: { branch: number; issues: WireIssue[] } | undefined;
    for (const branch of fitting) {
      const report = { path: [...path], issues: [] };
      this.walk(branch, value, report);
      if (!best || report.issues.length < best.issues.length)
        best = { branch, issues: report.issues };
    }
    const issues = best?.issues ?? [];
    const first = issues[0];
    const note =
      label ??
      (candidates.length > 1 && best
        ? `closest of ${candidates.length} shapes: ${branchName(this.node(best.branch))}`
        : undefined);
    if (first && note) issues[0] = noted(first, note);
    return issues;
  }

  private tagOf(branch: number, key: string): unknown {
    const property = this.node(branch).properties?.[key];
    return property === undefined ? undefined : this.node(property).enum?.[0];
  }
}

/** Whether the node takes values of the value's JSON type (whatever their content). */
function typeFits(nodes: readonly SchemaNode[], node: SchemaNode, value: unknown): boolean {
  if (value === null) return node.nullable === true;
  if (node.oneOf) return node.oneOf.some((branch) => typeFits(nodes, nodes[branch] ?? {}, value));
  if (node.enum) return node.enum.some((option) => typeof option === typeof value);
  switch (node.type) {
    case "string":
    case "boolean":
      return typeof value === node.type;
    case "integer":
    case "number":
      return typeof value === "number";
    case "array":
      return Array.isArray(value);
    case "object":
      return isRecord(value);
    default:
      return true;
  }
}

function isAnything(node: SchemaNode): boolean {
  return !node.type && !node.enum && !node.oneOf && !node.allOf && !node.properties;
}

function patternOf(source: string): RegExp {
  let pattern = patterns.get(source);
  if (!pattern) {
    pattern = new RegExp(source, "u");
    patterns.set(source, pattern);
  }
  return pattern;
}
