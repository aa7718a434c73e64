/**
 * The fullest arguments for any tool: every optional key too, as deep as the input schema goes,
 * with values of the right type and enum (the counterpart of minimal-args.ts). `variant` picks
 * which branch of each union and which enum value is used, so that calling with variants
 * 0..fullArgsVariants(tool)-1 takes every branch of every union at least once. Derived from the
 * tool's input JSON Schema (what the model sees). Strings whose key names a date, a time, a URL
 * or a phone number get one; open objects (records) get one key.
 */
import { z } from "zod";
import type { FilterField, ToolDefinition } from "../../src/engine/definition.js";
import { type JsonSchema, TINY_PNG_BASE64 } from "./minimal-args.js";

/** Arguments the schema cannot fill sensibly: a handler's one-of-two inputs, a file. */
const SPECIAL_ARGS: Record<string, Record<string, unknown>> = {
  upload_image_from_file: {
    file_base64: TINY_PNG_BASE64,
    filename: "pixel.png",
    file_path: undefined,
  },
};

export function fullArgs(tool: ToolDefinition, variant = 0): Record<string, unknown> {
  const schema = inputSchema(tool);
  const args = fullValue(schema, "", variant) as Record<string, unknown>;
  if (tool.filters && "filter" in args) args.filter = fullFilter(tool.filters, variant);
  // A cursor from a previous page: any opaque string.
  if ("page_cursor" in args) args.page_cursor = "cursor-from-a-previous-page";
  return { ...args, ...SPECIAL_ARGS[tool.name] };
}

/** How many variants take every union branch and enum value of the tool's input (at most 12). */
export function fullArgsVariants(tool: ToolDefinition): number {
  let most = 1;
  const visit = (schema: JsonSchema | boolean | undefined) => {
    if (!schema || typeof schema !== "object") return;
    const options = (schema.anyOf ?? schema.oneOf ?? []).filter((o) => o.type !== "null");
    most = Math.max(most, options.length, schema.enum?.length ?? 0);
    for (const option of options) visit(option);
    for (const part of schema.allOf ?? []) visit(part);
    for (const property of Object.values(schema.properties ?? {})) visit(property);
    visit(schema.items);
    visit(schema.additionalProperties);
  };
  visit(inputSchema(tool));
  return Math.min(most, 12);
}

/** Converted once per tool: every variant walks the same schema. */
const inputSchemas = new WeakMap<ToolDefinition, JsonSchema>();

function inputSchema(tool: ToolDefinition): JsonSchema {
  let schema = inputSchemas.get(tool);
  if (!schema) {
    schema = z.toJSONSchema(tool.input, { io: "input" }) as JsonSchema;
    inputSchemas.set(tool, schema);
  }
  return schema;
}

/** A full value of `schema`; `at` is where it goes (`definition.actions.0.type`). */
export function fullValue(schema: JsonSchema, at: string, variant: number): unknown {
  if ("const" in schema) return schema.const;
  if (schema.enum && schema.enum.length > 0) return schema.enum[variant % schema.enum.length];
  const options = (schema.anyOf ?? schema.oneOf)?.filter((o) => o.type !== "null");
  if (options && options.length > 0) {
    return fullValue(options[variant % options.length] as JsonSchema, at, variant);
  }
  if (schema.allOf?.[0]) return fullValue(schema.allOf[0], at, variant);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const type = types.find((t) => t !== "null") ?? types[0];
  const key = at.split(".").pop() ?? "";
  switch (type) {
    case "object": {
      const value: Record<string, unknown> = {};
      const where = (name: string) => (at === "" ? name : `${at}.${name}`);
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        value[name] = fullValue(property, where(name), variant);
      }
      // A record: one entry of the value type it declares.
      if (!schema.properties && schema.additionalProperties !== false) {
        const inner =
          typeof schema.additionalProperties === "object" ? schema.additionalProperties : {};
        value[`${key || "key"}_key`] = fullValue(inner, where(`${key || "key"}_key`), variant);
      }
      return value;
    }
    case "array": {
      const count = Math.max(1, schema.minItems ?? 0);
      return Array.from({ length: Math.min(count, schema.maxItems ?? count) }, (_, i) =>
        fullValue(schema.items ?? {}, `${at}.${i}`, variant),
      );
    }
    case "string":
      return fullString(schema, at, key);
    case "integer":
    case "number":
      return fullNumber(schema);
    case "boolean":
      return variant % 2 === 0;
    case "null":
      return null;
    default:
      return at; // any value: a string says where it came from
  }
}

function fullString(schema: JsonSchema, at: string, key: string): string {
  if (schema.format === "email" || /email$/i.test(key)) {
    return `${at.replace(/[^A-Za-z0-9]+/g, "-")}@example.com`;
  }
  const pick = (value: string) =>
    value.length >= (schema.minLength ?? 0) && value.length <= (schema.maxLength ?? Infinity)
      ? value
      : undefined;
  const named =
    (/(^|_)(datetime|timestamp|time|at|since|until|start|end)$/i.test(key) &&
      pick("2026-01-01T09:00:00Z")) ||
    (/(^|_)date(_|$)/i.test(key) && pick("2026-01-01")) ||
    (/(^|_)(url|uri|href|link)$/i.test(key) && pick(`https://example.com/${at}`)) ||
    (/phone/i.test(key) && pick("+15555550100"));
  if (named) return named;
  const name = at.padEnd(schema.minLength ?? 1, "x");
  return schema.maxLength === undefined ? name : name.slice(0, schema.maxLength);
}

function fullNumber(schema: JsonSchema): number {
  if (schema.minimum !== undefined) return Math.ceil(schema.minimum);
  if (schema.exclusiveMinimum !== undefined) return Math.floor(schema.exclusiveMinimum) + 1;
  return schema.maximum !== undefined ? Math.min(1, Math.floor(schema.maximum)) : 1;
}

/** One condition per filter field (commas mean "and"), each with a value of the field's type. */
function fullFilter(filters: Readonly<Record<string, FilterField>>, variant: number): string {
  return Object.entries(filters)
    .map(([field, rule]) => {
      const { single = [], list = [], none = [] } = rule.operators;
      const value = filterValue(rule, variant);
      if (single[0]) return `${single[variant % single.length]}(${field},${value})`;
      if (list[0]) return `${list[0]}(${field},[${value}])`;
      return `${none[0] ?? "has"}(${field})`;
    })
    .join(",");
}

function filterValue(rule: FilterField, variant: number): string {
  switch (rule.type) {
    case "date-time":
    case "date":
      return "2026-01-01T00:00:00Z";
    case "boolean":
      return variant % 2 === 0 ? "true" : "false";
    case "number":
    case "integer":
      return "10";
    default:
      return JSON.stringify(rule.values?.[variant % rule.values.length] ?? "value");
  }
}
