/**
 * The smallest valid arguments for any tool: only required keys, with the simplest value each
 * schema accepts. Derived from the tool's input JSON Schema (what the model sees in tools/list),
 * so it needs no knowledge of zod internals; callers can check the result with tool.input.
 */
import { z } from "zod";
import type { ToolDefinition } from "../../src/engine/definition.js";

/** A 1x1 transparent PNG, for upload_image_from_file. */
export const TINY_PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  minLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  format?: string;
}

/** Extra arguments for tools whose handler needs more than their schema requires. */
const SPECIAL_ARGS: Record<string, Record<string, unknown>> = {
  upload_image_from_file: { file_base64: TINY_PNG_BASE64, filename: "pixel.png" },
  remove_profile_from_list: { profile_ids: ["x"] },
};

export function minimalArgs(tool: ToolDefinition): Record<string, unknown> {
  const schema = z.toJSONSchema(tool.input, { io: "input" }) as JsonSchema;
  const args = minimalValue(schema) as Record<string, unknown>;
  return { ...args, ...SPECIAL_ARGS[tool.name] };
}

/** The simplest value that a (zod-generated) JSON Schema accepts. */
export function minimalValue(schema: JsonSchema): unknown {
  if ("const" in schema) return schema.const;
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  const options = schema.anyOf ?? schema.oneOf;
  if (options) {
    const option = options.find((o) => o.type !== "null") ?? options[0];
    return option ? minimalValue(option) : null;
  }
  if (schema.allOf?.[0]) return minimalValue(schema.allOf[0]);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const type = types.find((t) => t !== "null") ?? types[0];
  switch (type) {
    case "object": {
      // Records (propertyNames/additionalProperties only) have no required keys: {}.
      const value: Record<string, unknown> = {};
      for (const key of schema.required ?? []) {
        const property = schema.properties?.[key];
        if (property) value[key] = minimalValue(property);
      }
      return value;
    }
    case "array": {
      const count = schema.minItems ?? 0;
      return Array.from({ length: count }, () => minimalValue(schema.items ?? {}));
    }
    case "string":
      if (schema.format === "email") return "someone@example.com";
      return "x".repeat(Math.max(1, schema.minLength ?? 1));
    case "integer":
    case "number":
      return minimalNumber(schema);
    case "boolean":
      return false;
    case "null":
      return null;
    default:
      return "x"; // unknown: anything goes
  }
}

function minimalNumber(schema: JsonSchema): number {
  if (schema.minimum !== undefined) return Math.ceil(schema.minimum);
  if (schema.exclusiveMinimum !== undefined) return Math.floor(schema.exclusiveMinimum) + 1;
  return schema.maximum !== undefined ? Math.min(1, Math.floor(schema.maximum)) : 1;
}
