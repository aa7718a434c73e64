/**
 * zod 4's JSON Schema, made portable across model providers (MCP Inspector's --strict rules):
 * type lists (`["string", "null"]`) become `anyOf` of single types, and free-form
 * objects say so (`additionalProperties: true`) instead of carrying an empty schema.
 */
import type { z } from "zod";
import { isRecord } from "../../json.js";

type JsonSchema = Record<string, unknown>;

/**
 * A tool's input as tools/list and describe_tool show it: zod 4's JSON Schema of the input,
 * portable, always an object. The generator writes it into schemas/ (a listing then builds no
 * zod schema); the registry computes it for a definition that carries none.
 */
export function toListedJsonSchema(input: z.ZodObject): JsonSchema & { type: "object" } {
  const { $schema: _ignored, ...schema } = input.toJSONSchema({ io: "input" }) as JsonSchema;
  return { ...portableJsonSchema(schema), type: "object" };
}

export function portableJsonSchema(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "properties" && isRecord(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, isRecord(v) ? portableJsonSchema(v) : v]),
      );
    } else if ((key === "anyOf" || key === "oneOf" || key === "allOf") && Array.isArray(value)) {
      out[key] = value.map((v) => (isRecord(v) ? portableJsonSchema(v) : v));
    } else if (key === "additionalProperties" && isRecord(value)) {
      out.additionalProperties = Object.keys(value).length === 0 ? true : portableJsonSchema(value);
    } else if (key === "items" && isRecord(value)) {
      out.items = Object.keys(value).length === 0 ? {} : portableJsonSchema(value);
    } else if (
      key === "propertyNames" &&
      isRecord(value) &&
      value.type === "string" &&
      Object.keys(value).length === 1
    ) {
      // JSON object keys are always strings: the constraint says nothing.
    } else {
      out[key] = value;
    }
  }
  const type = out.type;
  if (Array.isArray(type)) {
    // One `type` per branch: some providers map schemas onto a single-type dialect.
    const { type: _t, description, ...rest } = out;
    const branches = (type as string[]).map((t): JsonSchema => {
      if (t === "null") return { type: "null" };
      const branch: JsonSchema = { type: t, ...rest };
      if (Array.isArray(branch.enum))
        branch.enum = (branch.enum as unknown[]).filter((v) => v !== null);
      return branch;
    });
    return description === undefined ? { anyOf: branches } : { anyOf: branches, description };
  }
  return out;
}
