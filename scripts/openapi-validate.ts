/**
 * A small validator for the OpenAPI 3.0 schema subset Klaviyo's spec uses ($ref, allOf, oneOf,
 * anyOf, nullable, enum, required, properties, items, additionalProperties, date-time). It
 * reports every mismatch with a JSON path, which is what check:emulator needs; it is not a
 * general JSON Schema implementation.
 */
import type { Schema, Spec } from "./generate/spec.js";

export interface Mismatch {
  path: string;
  problem: string;
}

export function validate(spec: Spec, schema: Schema, value: unknown, path = "$"): Mismatch[] {
  const resolved = resolve(spec, schema);
  if (value === null) {
    return resolved.nullable || schema.nullable || isAnything(resolved)
      ? []
      : [{ path, problem: "is null but the schema is not nullable" }];
  }
  if (resolved.allOf) {
    return resolved.allOf.flatMap((part) => validate(spec, part, value, path));
  }
  const alternatives = resolved.oneOf ?? resolved.anyOf;
  if (alternatives) {
    const results = alternatives.map((alt) => validate(spec, alt, value, path));
    if (results.some((r) => r.length === 0)) return [];
    // Report the closest alternative, so the message points at something concrete.
    return results.sort((a, b) => a.length - b.length)[0] ?? [];
  }
  if (resolved.enum && !resolved.enum.includes(value)) {
    return [
      { path, problem: `${JSON.stringify(value)} is not one of ${JSON.stringify(resolved.enum)}` },
    ];
  }
  switch (resolved.type) {
    case "string":
      if (typeof value !== "string")
        return [{ path, problem: `expected a string, got ${typeName(value)}` }];
      if (resolved.format === "date-time" && Number.isNaN(Date.parse(value))) {
        return [{ path, problem: `'${value}' is not a date-time` }];
      }
      return [];
    case "integer":
      return Number.isInteger(value)
        ? []
        : [{ path, problem: `expected an integer, got ${typeName(value)}` }];
    case "number":
      return typeof value === "number"
        ? []
        : [{ path, problem: `expected a number, got ${typeName(value)}` }];
    case "boolean":
      return typeof value === "boolean"
        ? []
        : [{ path, problem: `expected a boolean, got ${typeName(value)}` }];
    case "array":
      if (!Array.isArray(value))
        return [{ path, problem: `expected an array, got ${typeName(value)}` }];
      return resolved.items
        ? value.flatMap((item, i) =>
            validate(spec, resolved.items as Schema, item, `${path}[${i}]`),
          )
        : [];
    default:
      return validateObject(spec, resolved, value, path);
  }
}

function validateObject(spec: Spec, schema: Schema, value: unknown, path: string): Mismatch[] {
  if (!schema.properties && !schema.required && schema.type !== "object") return [];
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return [{ path, problem: `expected an object, got ${typeName(value)}` }];
  }
  const record = value as Record<string, unknown>;
  const problems: Mismatch[] = [];
  for (const name of schema.required ?? []) {
    if (record[name] === undefined)
      problems.push({ path: `${path}.${name}`, problem: "is required but missing" });
  }
  for (const [name, item] of Object.entries(record)) {
    const property = schema.properties?.[name];
    if (property) problems.push(...validate(spec, property, item, `${path}.${name}`));
    else if (typeof schema.additionalProperties === "object") {
      problems.push(...validate(spec, schema.additionalProperties, item, `${path}.${name}`));
    } else if (schema.additionalProperties === false) {
      problems.push({
        path: `${path}.${name}`,
        problem: "is not allowed (additionalProperties: false)",
      });
    }
  }
  return problems;
}

function resolve(spec: Spec, schema: Schema): Schema {
  let current = schema;
  for (let hops = 0; current.$ref && hops < 20; hops++) {
    const target = spec.components.schemas[current.$ref.split("/").pop() ?? ""];
    if (!target) throw new Error(`Unresolvable $ref ${current.$ref}`);
    current = { ...target, nullable: target.nullable || current.nullable };
  }
  return current;
}

function isAnything(schema: Schema): boolean {
  return (
    !schema.type &&
    !schema.properties &&
    !schema.allOf &&
    !schema.oneOf &&
    !schema.anyOf &&
    !schema.enum
  );
}

function typeName(value: unknown): string {
  return Array.isArray(value) ? "an array" : value === null ? "null" : typeof value;
}
