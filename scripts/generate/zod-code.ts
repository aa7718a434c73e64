/**
 * OpenAPI schema -> zod source code. The output is what a person would write by hand: strict
 * objects (an unknown key is an error, never silently dropped), enums, bounds and short
 * descriptions. Very large unions (segment conditions, template definitions) become open
 * objects: Klaviyo validates those and its errors name the exact pointer.
 */
import { deref, type Schema, type Spec } from "./spec.js";
import { shortText } from "./text.js";

const MAX_DEPTH = 7;
const MAX_UNION_BRANCHES = 6;

export interface ZodContext {
  spec: Spec;
  /** null means "clear this value" only in updates; in creates it is the same as leaving it out. */
  allowNull: boolean;
  depth: number;
  /** Refs on the current path, to stop recursive schemas. */
  stack: string[];
}

export function describe(code: string, description: string | undefined, max = 160): string {
  const text = shortText(description, max);
  return text ? `${code}.describe(${JSON.stringify(text)})` : code;
}

const openObject = "z.record(z.string(), z.unknown())";

export function zodFor(raw: Schema | undefined, ctx: ZodContext): string {
  const refName = raw?.$ref?.split("/").pop();
  if (refName && ctx.stack.includes(refName)) return openObject;
  const schema = deref(ctx.spec, raw);
  const inner: ZodContext = {
    ...ctx,
    depth: ctx.depth + 1,
    stack: refName ? [...ctx.stack, refName] : ctx.stack,
  };
  let code = baseZod(schema, inner);
  if (schema.nullable && ctx.allowNull) code += ".nullable()";
  return code;
}

function baseZod(schema: Schema, ctx: ZodContext): string {
  if (ctx.depth > MAX_DEPTH) return shallowZod(schema, ctx);
  const union = schema.oneOf ?? schema.anyOf;
  if (union) return unionZod(union, ctx);
  if (schema.allOf) return zodFor(mergeAllOf(ctx.spec, schema.allOf), ctx);
  if (schema.enum) return enumZod(schema.enum);
  switch (schema.type) {
    case "string":
      return "z.string()";
    case "integer":
      return `z.number().int()${bounds(schema)}`;
    case "number":
      return `z.number()${bounds(schema)}`;
    case "boolean":
      return "z.boolean()";
    case "array": {
      let code = `z.array(${zodFor(schema.items, ctx)})`;
      if (schema.minItems !== undefined) code += `.min(${schema.minItems})`;
      if (schema.maxItems !== undefined) code += `.max(${schema.maxItems})`;
      return code;
    }
    default:
      if (schema.properties && Object.keys(schema.properties).length > 0) {
        return objectZod(schema, ctx);
      }
      return schema.type === "object" || schema.additionalProperties ? openObject : "z.unknown()";
  }
}

/**
 * Past the depth limit: the value's type without its inner structure; an enum, and a union of
 * scalars, cost nothing to keep exact.
 */
function shallowZod(schema: Schema, ctx: ZodContext): string {
  if (schema.enum) return enumZod(schema.enum);
  const branches = (schema.oneOf ?? schema.anyOf)?.map((branch) => deref(ctx.spec, branch));
  const scalar = (b: Schema) => ["string", "integer", "number", "boolean"].includes(b.type ?? "");
  if (branches?.length && branches.every(scalar)) {
    const codes = [...new Set(branches.map((b) => shallowZod(b, ctx)))];
    return codes.length === 1 ? (codes[0] as string) : `z.union([${codes.join(", ")}])`;
  }
  if (schema.type === "array") return "z.array(z.unknown())";
  if (schema.type === "string" || schema.type === "boolean") return `z.${schema.type}()`;
  if (schema.type === "integer" || schema.type === "number") return "z.number()";
  return openObject;
}

function bounds(schema: Schema): string {
  let code = "";
  if (schema.minimum !== undefined) code += `.min(${schema.minimum})`;
  if (schema.maximum !== undefined) code += `.max(${schema.maximum})`;
  return code;
}

export function enumZod(values: unknown[]): string {
  if (values.every((v) => typeof v === "string")) {
    return `z.enum(${JSON.stringify(values)})`;
  }
  const literals = values.map((v) => `z.literal(${JSON.stringify(v)})`);
  return literals.length === 1 ? (literals[0] as string) : `z.union([${literals.join(", ")}])`;
}

function unionZod(branches: Schema[], ctx: ZodContext): string {
  if (branches.length > MAX_UNION_BRANCHES) return openObject;
  const codes = [...new Set(branches.map((b) => zodFor(b, ctx)))];
  return codes.length === 1 ? (codes[0] as string) : `z.union([${codes.join(", ")}])`;
}

function mergeAllOf(spec: Spec, parts: Schema[]): Schema {
  const merged: Schema = { type: "object", properties: {}, required: [] };
  for (const part of parts.map((p) => deref(spec, p))) {
    Object.assign(merged.properties as object, part.properties);
    merged.required?.push(...(part.required ?? []));
  }
  return merged;
}

/** `key: zod` lines of an object, with optionality and descriptions. */
export function objectFields(schema: Schema, ctx: ZodContext, skip: string[] = []): string[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {})
    .filter(([key]) => !skip.includes(key))
    .map(([key, prop]) => {
      const resolved = deref(ctx.spec, prop);
      let code = describe(zodFor(prop, ctx), prop.description ?? resolved.description);
      if (!required.has(key)) code += ".optional()";
      return `${propertyKey(key)}: ${code}`;
    });
}

function objectZod(schema: Schema, ctx: ZodContext): string {
  return `z.strictObject({ ${objectFields(schema, ctx).join(", ")} })`;
}

export function propertyKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}
