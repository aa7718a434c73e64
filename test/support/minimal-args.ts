/**
 * The smallest valid arguments for any tool: only required keys, with the simplest value each
 * schema accepts. Derived from the tool's input JSON Schema (what the model sees in tools/list),
 * so it needs no knowledge of zod internals; callers can check the result with tool.input.
 * Free strings name where they are (`list_id` gets "list_id", an item's `url` "items.0.url"),
 * so no two arguments share a value and a test sees which argument went where.
 */
import { z } from "zod";
import type { ToolDefinition } from "../../src/engine/definition.js";

/** A 1x1 transparent PNG, for upload_image_from_file. */
export const TINY_PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

/** The JSON Schema subset of the tools' input schemas (full-args.ts reads it too). */
export interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  format?: string;
}

/** Extra arguments for tools whose handler needs more than their schema requires. */
const SPECIAL_ARGS: Record<string, Record<string, unknown>> = {
  upload_image_from_file: { file_base64: TINY_PNG_BASE64, filename: "pixel.png" },
  remove_profile_from_list: { profile_ids: ["profile_ids.0"] },
  // A required filter must pass the engine's check (src/engine/call/filter-check.ts).
  get_campaigns: { filter: 'equals(messages.channel,"email")' },
  get_coupon_codes: { filter: 'equals(coupon.id,"filter")' },
};

export function minimalArgs(tool: ToolDefinition): Record<string, unknown> {
  const schema = z.toJSONSchema(tool.input, { io: "input" }) as JsonSchema;
  const args = minimalValue(schema, "") as Record<string, unknown>;
  return { ...args, ...SPECIAL_ARGS[tool.name] };
}

/** The simplest value that a (zod-generated) JSON Schema accepts; `at` names where it goes. */
export function minimalValue(schema: JsonSchema, at = "value"): unknown {
  if ("const" in schema) return schema.const;
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  const options = schema.anyOf ?? schema.oneOf;
  if (options) {
    const option = options.find((o) => o.type !== "null") ?? options[0];
    return option ? minimalValue(option, at) : null;
  }
  if (schema.allOf?.[0]) return minimalValue(schema.allOf[0], at);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const type = types.find((t) => t !== "null") ?? types[0];
  switch (type) {
    case "object": {
      // Records (propertyNames/additionalProperties only) have no required keys: {}.
      const value: Record<string, unknown> = {};
      for (const key of schema.required ?? []) {
        const property = schema.properties?.[key];
        if (property) value[key] = minimalValue(property, at === "" ? key : `${at}.${key}`);
      }
      return value;
    }
    case "array": {
      const count = schema.minItems ?? 0;
      return Array.from({ length: count }, (_, i) =>
        minimalValue(schema.items ?? {}, `${at}.${i}`),
      );
    }
    case "string":
      if (schema.format === "email") return `${at.replace(/[^A-Za-z0-9]+/g, "-")}@example.com`;
      return minimalString(schema, at);
    case "integer":
    case "number":
      return minimalNumber(schema);
    case "boolean":
      return false;
    case "null":
      return null;
    default:
      return at; // unknown: anything goes
  }
}

/** The place's name, within the length the schema allows. */
function minimalString(schema: JsonSchema, at: string): string {
  const name = at.padEnd(schema.minLength ?? 1, "x");
  return schema.maxLength === undefined ? name : name.slice(0, schema.maxLength);
}

function minimalNumber(schema: JsonSchema): number {
  if (schema.minimum !== undefined) return Math.ceil(schema.minimum);
  if (schema.exclusiveMinimum !== undefined) return Math.floor(schema.exclusiveMinimum) + 1;
  return schema.maximum !== undefined ? Math.min(1, Math.floor(schema.maximum)) : 1;
}
