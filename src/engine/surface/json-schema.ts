/**
 * zod 4's JSON Schema, made portable across model providers (MCP Inspector's --strict rules):
 * type lists (`["string", "null"]`) become `anyOf` of single types, and free-form
 * objects say so (`additionalProperties: true`) instead of carrying an empty schema.
 */
type JsonSchema = Record<string, unknown>;

const isSchema = (value: unknown): value is JsonSchema =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function portableJsonSchema(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "properties" && isSchema(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, isSchema(v) ? portableJsonSchema(v) : v]),
      );
    } else if ((key === "anyOf" || key === "oneOf" || key === "allOf") && Array.isArray(value)) {
      out[key] = value.map((v) => (isSchema(v) ? portableJsonSchema(v) : v));
    } else if (key === "additionalProperties" && isSchema(value)) {
      out.additionalProperties = Object.keys(value).length === 0 ? true : portableJsonSchema(value);
    } else if (key === "items" && isSchema(value)) {
      out.items = Object.keys(value).length === 0 ? {} : portableJsonSchema(value);
    } else if (
      key === "propertyNames" &&
      isSchema(value) &&
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
