/**
 * The emulator's operation table: for every operation, the facts the emulator needs to
 * behave like Klaviyo (route, scopes, rate-limit tier, success status, response shape, query
 * rules), and for every resource type its attribute names and relationships. Written to
 * emulator/operations/ so the emulator never reads the spec at run time.
 */

import type { EmulatedOperation, ResourceTypeInfo } from "../../emulator/operation-types.js";
import type { RateLimit } from "../../src/engine/definition.js";
import type { CatalogEndpoint } from "./catalog.js";
import { operationRateLimit } from "./rate-limit.js";
import { deref, type Operation, type Schema, type Spec } from "./spec.js";

type FilterRule = NonNullable<EmulatedOperation["query"]["filters"]>[string];

export interface EmulatorOperations {
  operations: EmulatedOperation[];
  types: Record<string, ResourceTypeInfo>;
}

export function buildEmulatorOperations(
  spec: Spec,
  endpoints: CatalogEndpoint[],
): EmulatorOperations {
  const operations = endpoints.map((seed) => operationPlan(spec, seed));
  return {
    operations: operations.sort((a, b) => (a.id < b.id ? -1 : 1)),
    types: withResponseTypes(spec, endpoints, typePlans(spec), operations),
  };
}

function findOperation(spec: Spec, seed: CatalogEndpoint): Operation {
  const op = spec.paths[seed.path]?.[seed.method.toLowerCase()];
  if (!op) throw new Error(`No operation for ${seed.method} ${seed.path}`);
  return op;
}

function operationPlan(spec: Spec, seed: CatalogEndpoint): EmulatedOperation {
  const op = findOperation(spec, seed);
  const successCodes = Object.keys(op.responses)
    .filter((code) => code.startsWith("2"))
    .map(Number);
  const status = successCodes[0] ?? 200;
  const query: EmulatedOperation["query"] = {};
  for (const param of op.parameters ?? []) {
    if (param.in !== "query") continue;
    const schema = deref(spec, param.schema);
    const values = enumValues(spec, schema);
    if (param.required) query.required = [...(query.required ?? []), param.name];
    if (param.name === "filter" && op["x-klaviyo-filters"]) {
      query.filters = op["x-klaviyo-filters"] as Record<string, FilterRule>;
    } else if (param.name === "sort") query.sort = values;
    else if (param.name === "include") query.include = values;
    else if (param.name === "page[size]") {
      query.page = {
        default: Number(schema.default ?? 20),
        max: Number(schema.maximum ?? 100),
        min: Number(schema.minimum ?? 1),
      };
    } else if (param.name.startsWith("fields[")) {
      query.fields = [...(query.fields ?? []), param.name.slice(7, -1)];
    } else if (param.name.startsWith("additional-fields[")) {
      query.additionalFields = {
        ...query.additionalFields,
        [param.name.slice(18, -1)]: values ?? [],
      };
    } else if (param.name !== "page[cursor]" && param.name !== "company_id") {
      // Anything else the endpoint documents (the reports' page_cursor) is accepted as is.
      query.other = [...(query.other ?? []), param.name];
    }
  }
  const names = (op.parameters ?? []).map((p) => p.name);
  if (names.includes("page[cursor]") && !names.includes("page[size]")) {
    // A fixed page size, stated only in prose: "Returns a maximum of 200 results per page."
    const size = Number(
      /maximum of (\d+) \w+ per (?:page|request)/i.exec(op.description)?.[1] ?? 100,
    );
    query.page = { default: size, max: size, min: size, fixed: true };
  }
  const requestType = requestDataType(spec, op);
  // The beta table states every request's rules: its handlers check them from the table, where
  // the stable handlers' checks are written per resource (resources.ts).
  const enums = enumsOf(spec, requestAttributes(spec, op));
  const requestEnums = REPORT_RESPONSE.test(responseType(spec, op, status) ?? "")
    ? enums
    : seed.beta && Object.keys(enums).length > 0
      ? enums
      : undefined;
  const requestRequired = seed.beta ? requiredOf(spec, requestAttributes(spec, op)) : [];
  return {
    id: op.operationId,
    tool: seed.tool_name,
    method: seed.method,
    path: seed.path,
    scopes: op["x-klaviyo-scopes"] ?? seed.scopes ?? [],
    rateLimit: parseTier(
      operationRateLimit(spec, op, (seed.rate_limit ?? {}) as Record<string, string>),
    ),
    status,
    response: pagedAsList(responseShape(spec, op, status), names),
    ...(requestType ? { requestType } : {}),
    ...(requestEnums ? { requestEnums } : {}),
    ...(requestRequired.length > 0 ? { requestRequired } : {}),
    query,
  };
}

function enumValues(spec: Spec, schema: Schema): string[] | undefined {
  const items = schema.type === "array" ? deref(spec, schema.items) : schema;
  return items.enum?.map(String);
}

/**
 * "75/s", "750/m", "100/d" -> counts per the emulator's 1 s, 60 s and 1 day windows. A condition
 * missing a burst or steady limit takes the operation's: it is no tighter there.
 */
export function parseTier(limits: RateLimit): EmulatedOperation["rateLimit"] {
  const count = (value: string | undefined) => (value ? Number(value.split("/")[0]) : undefined);
  const daily = count(limits.daily);
  const burst = count(limits.burst) ?? 1;
  const steady = count(limits.steady) ?? 1;
  const conditions = (limits.conditions ?? []).map((c) => ({
    parameter: c.parameter,
    value: c.value,
    burst: count(c.burst) ?? burst,
    steady: count(c.steady) ?? steady,
  }));
  return {
    burst,
    steady,
    ...(daily ? { daily } : {}),
    ...(conditions.length > 0 ? { conditions } : {}),
  };
}

/** Merges `allOf` members so properties spread across them are seen together. */
function flatten(spec: Spec, schema: Schema | undefined): Schema {
  const resolved = deref(spec, schema);
  if (!resolved.allOf) return resolved;
  const merged: Schema = { type: "object", properties: {}, required: [] };
  for (const part of resolved.allOf.map((p) => flatten(spec, p))) {
    for (const [key, value] of Object.entries(part.properties ?? {})) {
      const existing = merged.properties?.[key];
      (merged.properties as Record<string, Schema>)[key] = existing
        ? { allOf: [existing, value] }
        : value;
    }
    merged.required?.push(...(part.required ?? []));
  }
  return merged;
}

function typeOf(spec: Spec, resource: Schema): string | undefined {
  const typeSchema = deref(spec, flatten(spec, resource).properties?.type);
  const first = typeSchema.allOf?.[0];
  if (first) return typeOf(spec, { properties: { type: first } });
  return typeSchema.enum?.[0] as string | undefined;
}

/** Shape of an operation's primary data: its type, one or many, and whether only linkage. */
export function responseShape(
  spec: Spec,
  op: Operation,
  status: number,
): EmulatedOperation["response"] {
  const content = (op.responses[String(status)] as { content?: Record<string, { schema: Schema }> })
    ?.content;
  const schema = content && Object.values(content)[0]?.schema;
  if (!schema) return null;
  const data = deref(spec, flatten(spec, schema).properties?.data);
  const many = data.type === "array";
  const resource = flatten(spec, many ? data.items : data);
  const linkage = !resource.properties?.attributes;
  const type = typeOf(spec, resource);
  return { ...(type ? { type } : {}), many, linkage };
}

/**
 * A read that takes `page[cursor]` answers a page of resources, even where the spec's schema
 * states one object (a few beta collections: `GET /api/agent-tools`); scripts/check-emulator.ts
 * then checks each resource of the page against that object schema.
 */
function pagedAsList(
  shape: EmulatedOperation["response"],
  parameters: string[],
): EmulatedOperation["response"] {
  return shape && !shape.many && parameters.includes("page[cursor]")
    ? { ...shape, many: true }
    : shape;
}

/**
 * Dotted attribute paths a request must carry (`definition`, `style.background_color`), each
 * required where its parent is present; through lists (`messages[].name`) each entry is
 * checked. Alternatives (`oneOf`) are left to the handler, which knows the branch.
 */
function requiredOf(spec: Spec, schema: Schema | undefined, path = ""): string[] {
  const resolved = flatten(spec, schema);
  const out: string[] = [];
  for (const name of resolved.required ?? []) out.push(path ? `${path}.${name}` : name);
  for (const [name, property] of Object.entries(resolved.properties ?? {})) {
    const child = flatten(spec, property);
    const at = path ? `${path}.${name}` : name;
    if (child.type === "array") out.push(...requiredOf(spec, child.items, `${at}[]`));
    else if (child.properties || child.allOf) out.push(...requiredOf(spec, child, at));
  }
  return out;
}

/** Reports validate their request against the spec's enums (statistics, `by`, timeframe keys). */
const REPORT_RESPONSE = /-report$|^metric-aggregate$/;

function responseType(spec: Spec, op: Operation, status: number): string | undefined {
  return responseShape(spec, op, status)?.type;
}

function requestAttributes(spec: Spec, op: Operation): Schema | undefined {
  const content = op.requestBody?.content;
  const schema = content && Object.values(content)[0]?.schema;
  const data = schema && deref(spec, flatten(spec, schema).properties?.data);
  return data && flatten(spec, data).properties?.attributes;
}

/** Dotted attribute path → allowed values, for every enum in a request (through unions). */
function enumsOf(spec: Spec, schema: Schema | undefined, path = ""): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const resolved = flatten(spec, schema);
  const add = (key: string, values: string[]) => {
    out[key] = [...new Set([...(out[key] ?? []), ...values])].sort();
  };
  for (const branch of resolved.oneOf ?? resolved.anyOf ?? []) {
    for (const [key, values] of Object.entries(enumsOf(spec, branch, path))) add(key, values);
  }
  const items = resolved.type === "array" ? deref(spec, resolved.items) : resolved;
  if (items.enum && path) add(path, items.enum.map(String));
  for (const [name, property] of Object.entries(resolved.properties ?? {})) {
    for (const [key, values] of Object.entries(
      enumsOf(spec, property, path ? `${path}.${name}` : name),
    )) {
      add(key, values);
    }
  }
  return out;
}

function requestDataType(spec: Spec, op: Operation): string | undefined {
  const content = op.requestBody?.content;
  const schema = content && Object.values(content)[0]?.schema;
  if (!schema) return undefined;
  const data = deref(spec, flatten(spec, schema).properties?.data);
  return typeOf(spec, data.type === "array" ? deref(spec, data.items) : data);
}

/** Every `*ResponseObjectResource` schema, merged per JSON:API type. */
function typePlans(spec: Spec): Record<string, ResourceTypeInfo> {
  const types: Record<string, ResourceTypeInfo> = {};
  // Reviews are the one resource whose schemas end in `ResponseDTOObjectResource`.
  const names = Object.keys(spec.components.schemas).filter(
    (n) => n.endsWith("ResponseObjectResource") || n.endsWith("ResponseDTOObjectResource"),
  );
  for (const name of names.sort()) {
    const resource = flatten(spec, spec.components.schemas[name]);
    const type = typeOf(spec, resource);
    if (!type) continue;
    types[type] = mergeType(spec, types[type], resource);
  }
  return Object.fromEntries(Object.entries(types).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Types only the operations' responses name (the beta agents' `AgentToolResponseData`, without
 * a `*ResponseObjectResource` schema), read from each success response's primary data. The beta
 * table also takes the attributes only some response states (an export job's `created_at`, in
 * its create response); the stable table keeps its types as its handlers know them. Additional
 * fields (`additional-fields[api-key]=redacted_key`) are never default attributes.
 */
function withResponseTypes(
  spec: Spec,
  endpoints: CatalogEndpoint[],
  types: Record<string, ResourceTypeInfo>,
  operations: EmulatedOperation[],
): Record<string, ResourceTypeInfo> {
  const beta = endpoints.some((e) => e.beta);
  const found: Record<string, ResourceTypeInfo> = {};
  for (const seed of endpoints) {
    const op = findOperation(spec, seed);
    for (const [code, response] of Object.entries(op.responses)) {
      if (!code.startsWith("2")) continue;
      const content = (response as { content?: Record<string, { schema: Schema }> }).content;
      const schema = content && Object.values(content)[0]?.schema;
      const data = schema && deref(spec, flatten(spec, schema).properties?.data);
      const resource = data && flatten(spec, data.type === "array" ? data.items : data);
      const type = resource && typeOf(spec, resource);
      if (!resource?.properties?.attributes || !type || (types[type] && !beta)) continue;
      found[type] = mergeType(spec, found[type] ?? structuredClone(types[type]), resource);
    }
  }
  for (const [type, plan] of Object.entries(found)) {
    const extra = new Set(operations.flatMap((op) => op.query.additionalFields?.[type] ?? []));
    plan.attributes = plan.attributes.filter((name) => !extra.has(name));
  }
  return Object.fromEntries(
    Object.entries({ ...types, ...found }).sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

/** Adds a resource schema's attribute names and relationships to a type's. */
function mergeType(
  spec: Spec,
  plan: ResourceTypeInfo = { attributes: [], relationships: {} },
  resource: Schema,
): ResourceTypeInfo {
  const attributes = flatten(spec, resource.properties?.attributes).properties ?? {};
  for (const key of Object.keys(attributes)) {
    if (!plan.attributes.includes(key)) plan.attributes.push(key);
  }
  const relationships = flatten(spec, resource.properties?.relationships).properties ?? {};
  for (const [rel, relSchema] of Object.entries(relationships)) {
    const data = deref(spec, flatten(spec, relSchema).properties?.data);
    const many = data.type === "array";
    const target = typeOf(spec, many ? deref(spec, data.items) : data);
    if (target) plan.relationships[rel] = { type: target, many };
  }
  return plan;
}

/** Keeps each generated file to a few hundred lines, readable in review. */
const MAX_OPERATIONS_PER_FILE = 32;

/**
 * A group too large for one file is cut along lines that say what each part holds: its bulk-job
 * endpoints (`/api/catalog-item-bulk-create-jobs`, ...) go to `<group>-bulk-jobs`, then its
 * relationship endpoints (`.../relationships/...`) to `<group>-relationships`, then the reads of
 * a resource's related resources (`/api/campaign-messages/{id}/campaign`) to `<group>-related`.
 */
const SPLITS = [
  {
    suffix: "bulk-jobs",
    holds: (op: EmulatedOperation) => /-bulk-[a-z-]*jobs(\/|$)/.test(op.path),
  },
  {
    suffix: "relationships",
    holds: (op: EmulatedOperation) => op.path.includes("/relationships/"),
  },
  { suffix: "related", holds: (op: EmulatedOperation) => /\}\/[a-z-]+$/.test(op.path) },
];

function splitLargeGroups(
  groups: Map<string, EmulatedOperation[]>,
): Map<string, EmulatedOperation[]> {
  const files = new Map<string, EmulatedOperation[]>();
  for (const [group, ops] of groups) {
    let rest = ops;
    for (const split of SPLITS) {
      if (rest.length <= MAX_OPERATIONS_PER_FILE) break;
      const part = rest.filter(split.holds);
      rest = rest.filter((op) => !split.holds(op));
      if (part.length > 0) files.set(`${group}-${split.suffix}`, part);
    }
    for (const [name, part] of files) {
      if (part.length > MAX_OPERATIONS_PER_FILE) throw tooLarge(name, part.length);
    }
    if (rest.length > MAX_OPERATIONS_PER_FILE) throw tooLarge(group, rest.length);
    files.set(group, rest);
  }
  return files;
}

function tooLarge(name: string, count: number): Error {
  return new Error(
    `emulator/operations/${name}.ts would hold ${count} operations (at most ${MAX_OPERATIONS_PER_FILE}): add a split that says what each part holds to SPLITS in scripts/generate/emulator-operations.ts.`,
  );
}

/**
 * The table as files: emulator/operations/<group>.ts per tool group (the same groups as tools/),
 * resource-types.ts, and index.ts, which joins the groups sorted by operation id.
 */
export function emulatorOperationFiles(
  table: EmulatorOperations,
  groupOf: (tool: string) => string,
  header: string,
  dir: "" | "beta/" = "",
): Map<string, string> {
  const up = dir ? "../../" : "../";
  const files = new Map<string, string>();
  const groups = new Map<string, EmulatedOperation[]>();
  for (const op of table.operations) {
    const group = groupOf(op.tool);
    groups.set(group, [...(groups.get(group) ?? []), op]);
  }
  const parts = splitLargeGroups(groups);
  const names = [...parts.keys()].sort();
  // data_privacy -> dataPrivacyOperations, catalogs-bulk-jobs -> catalogsBulkJobsOperations
  const variable = (name: string) =>
    `${name.replace(/[_-]([a-z0-9])/g, (_, c: string) => c.toUpperCase())}Operations`;
  for (const name of names) {
    const ops = (parts.get(name) ?? []).map((op) => `${JSON.stringify(op)},`).join("\n");
    files.set(
      `emulator/operations/${dir}${name}.ts`,
      `${header}import type { EmulatedOperation } from "${up}operation-types.js";\n\nexport const ${variable(name)}: readonly EmulatedOperation[] = [\n${ops}\n];\n`,
    );
  }
  files.set(
    `emulator/operations/${dir}resource-types.ts`,
    `${header}import type { ResourceTypeInfo } from "${up}operation-types.js";\n\n/** Response attributes and relationships of every JSON:API resource type. */\nexport const RESOURCE_TYPES: Readonly<Record<string, ResourceTypeInfo>> = ${JSON.stringify(table.types)};\n`,
  );
  const imports = names
    .map((name) => `import { ${variable(name)} } from "./${name}.js";`)
    .join("\n");
  files.set(
    `emulator/operations/${dir}index.ts`,
    `${header}import type { EmulatedOperation } from "${up}operation-types.js";\n${imports}\n\nexport { RESOURCE_TYPES } from "./resource-types.js";\n\n/** Every operation the emulator serves${dir ? " for the beta revision" : ""}, sorted by operation id. */\nexport const OPERATIONS: readonly EmulatedOperation[] = [${names.map((g) => `...${variable(g)}`).join(", ")}].sort((a, b) => (a.id < b.id ? -1 : 1));\n`,
  );
  return files;
}
