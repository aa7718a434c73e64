/**
 * Query parameters as tool arguments: filter (with the fields and operators Klaviyo allows),
 * sort, sparse fields, includes, and paging (page_size, page_cursor, max_items).
 */
import type { FilterField, Paging } from "../../src/engine/definition.js";
import { responseShape } from "./emulator-operations.js";
import { type FilterRule, filterValues } from "./filter-values.js";
import type { Operation, Parameter, Schema, Spec } from "./spec.js";
import { cleanText, snakeCase } from "./text.js";
import { addArg, type ToolPlan } from "./tool-plan.js";
import { describe, enumZod } from "./zod-code.js";

/** Collections whose items are this large get a smaller default page (tokens matter). */
const SMALL_PAGE_TYPES = new Set(["profile", "event"]);
const SMALL_PAGE_SIZE = 20;

/**
 * Paging from the spec: `page[size]` bounds (the default capped at 20 for profile and event
 * collections), or the fixed size stated in prose ("Returns a maximum of 200 results per page").
 * Only GET collections collect pages (max_items); reports page with page_cursor alone.
 */
export function pagingFor(
  spec: Spec,
  op: Operation,
  params: Parameter[],
  method: string,
): Paging | undefined {
  const cursor = params.find((p) => p.name === "page[cursor]" || p.name === "page_cursor");
  if (!cursor) return undefined;
  const paging: Paging = { cursor: cursor.name as Paging["cursor"] };
  const size = params.find((p) => p.name === "page[size]")?.schema;
  if (size) {
    const min = Number(size.minimum ?? 1);
    const max = Number(size.maximum ?? 100);
    let fallback = Number(size.default ?? Math.min(max, SMALL_PAGE_SIZE));
    const shape = responseShape(spec, op, 200);
    if (shape?.type && SMALL_PAGE_TYPES.has(shape.type) && !shape.linkage) {
      fallback = Math.min(fallback, SMALL_PAGE_SIZE);
    }
    paging.size = { default: Math.max(min, fallback), min, max };
  } else if (cursor.name === "page[cursor]") {
    const stated = /maximum of (\d+) \w+ per (?:page|request)/i.exec(op.description)?.[1];
    paging.fixed = Number(stated ?? 100);
  }
  if (method === "GET" && cursor.name === "page[cursor]") paging.collect = true;
  return paging;
}

export function addQueryParams(
  plan: ToolPlan,
  op: Operation,
  params: Parameter[],
  paging: Paging | undefined,
): void {
  const fieldTypes: Record<string, string> = {};
  const fieldCodes: string[] = [];
  for (const param of params) {
    const { name, schema } = param;
    const optional = param.required ? "" : ".optional()";
    if (name.startsWith("fields[")) {
      const type = name.slice(7, -1);
      const key = snakeCase(type);
      fieldTypes[key] = type;
      fieldCodes.push(`${key}: z.array(${enumZod(schema.items?.enum ?? [])}).min(1).optional()`);
    } else if (name.startsWith("additional-fields[")) {
      const type = name.slice(18, -1);
      const code = describe(
        `z.array(${enumZod(schema.items?.enum ?? [])}).min(1)`,
        `Extra ${type} fields to return (not included by default).`,
      );
      addArg(plan, "additional_fields", { in: "additional_fields", type }, code + optional);
    } else if (name === "filter") {
      addArg(
        plan,
        "filter",
        { in: "query", name },
        describe("z.string().min(1)", filterDescription(op, schema), 2000) + optional,
      );
    } else if (name === "sort") {
      addArg(
        plan,
        "sort",
        { in: "query", name },
        describe(enumZod(schema.enum ?? []), "Sort field; prefix with - for descending.") +
          optional,
      );
    } else if (name === "include") {
      addArg(
        plan,
        "include",
        { in: "query", name },
        describe(
          `z.array(${enumZod(schema.items?.enum ?? [])}).min(1)`,
          "Related resources to include in the result.",
        ) + optional,
      );
    } else if (name === "page[cursor]" || name === "page_cursor") {
      addArg(
        plan,
        "page_cursor",
        { in: "query", name },
        describe(
          "z.string().min(1)",
          "Cursor from a previous result's next_cursor, to get the next page.",
        ) + optional,
      );
    } else if (name === "page[size]") {
      const text = `Results per page (${schema.minimum}-${schema.maximum}, default ${paging?.size?.default ?? schema.default}).`;
      addArg(
        plan,
        "page_size",
        { in: "query", name },
        describe(`z.number().int().min(${schema.minimum}).max(${schema.maximum})`, text) + optional,
      );
    } else if (name === "company_id") {
      addArg(
        plan,
        "company_id",
        { in: "company_id" },
        `${describe(
          "z.string().min(1)",
          "Public API key (site id); defaults to KLAVIYO_PUBLIC_KEY.",
        )}.optional()`,
      );
    } else if (
      /^[a-z_]+$/.test(name) &&
      ["string", "integer", "boolean"].includes(schema.type ?? "")
    ) {
      // A parameter of one endpoint (a report's group_by, timeframe): sent as it is named.
      addArg(
        plan,
        name,
        { in: "query", name },
        describe(scalarZod(schema), cleanText(param.description ?? schema.description), 200) +
          optional,
      );
    } else {
      throw new Error(`${plan.name}: unhandled query parameter ${name}`);
    }
  }
  if (fieldCodes.length > 0) {
    const code = describe(
      `z.strictObject({ ${fieldCodes.join(", ")} })`,
      "Sparse fieldsets: for each resource type, only the attributes to return.",
    );
    addArg(plan, "fields", { in: "fields", types: fieldTypes }, `${code}.optional()`);
  }
  if (paging?.collect) {
    // Not sent to Klaviyo: the engine pages until it has this many items.
    plan.fields.push(
      `max_items: ${describe(
        `z.number().int().min(1).max(${MAX_ITEMS})`,
        "Page through until this many items are collected; the result says truncated, with next_cursor if more remain.",
      )}.optional()`,
    );
  }
}

function scalarZod(schema: Schema): string {
  if (schema.enum) return enumZod(schema.enum);
  if (schema.type === "integer") return "z.number().int()";
  if (schema.type === "boolean") return "z.boolean()";
  return "z.string().min(1)";
}

/** Largest max_items: ten pages of 100. */
const MAX_ITEMS = 1000;

/** `x-klaviyo-filters` -> "email: any, equals; created: greater-than (date-time)". */
function filterDescription(op: Operation, schema: Schema): string {
  const filters = op["x-klaviyo-filters"] ?? {};
  const allowed = Object.entries(filters).map(([field, rule]) => {
    const ops = [...new Set(Object.values(rule.operators).flat())];
    const type = rule.value?.format ?? rule.value?.type;
    return `${field}: ${ops.join(", ")}${type && type !== "string" ? ` (${type})` : ""}`;
  });
  const example = typeof schema.example === "string" ? ` Example: ${schema.example}.` : "";
  return `Klaviyo filter expression; combine conditions with and(...).${example} Allowed fields and operators: ${allowed.join("; ")}.`;
}

/** The operator groups Klaviyo's rules use, in the order a definition lists them. */
const OPERATOR_GROUPS = ["single", "list", "none"] as const;

/**
 * `x-klaviyo-filters` as data, for the engine to check a filter before sending it: each field's
 * operators as the spec groups them, its value type, and its values when the set is finite.
 * Undefined when the operation takes no `filter` query parameter (reports filter in the body).
 */
export function filterFields(
  spec: Spec,
  op: Operation,
  params: Parameter[],
): Record<string, FilterField> | undefined {
  const rules = op["x-klaviyo-filters"];
  if (!rules || !params.some((param) => param.name === "filter")) return undefined;
  const fields: Record<string, FilterField> = {};
  for (const [name, rule] of Object.entries(rules) as Array<[string, FilterRule]>) {
    const operators: FilterField["operators"] = {};
    for (const group of OPERATOR_GROUPS) {
      const list = rule.operators[group];
      if (list?.length) operators[group] = list;
    }
    const unknown = Object.keys(rule.operators).filter(
      (group) => !(OPERATOR_GROUPS as readonly string[]).includes(group),
    );
    if (unknown.length) {
      throw new Error(
        `${op.operationId}: filter field ${name} has operator group ${unknown.join(", ")}: teach OPERATOR_GROUPS and src/engine/call/filter-check.ts what it takes`,
      );
    }
    const field: FilterField = { operators };
    const format = rule.value?.format;
    const type = format === "date-time" || format === "date" ? format : rule.value?.type;
    if (type) field.type = type;
    const values = filterValues(spec, op, name, rule);
    if (values) field.values = values;
    fields[name] = field;
  }
  return fields;
}
