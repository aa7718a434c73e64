/**
 * Klaviyo's OpenAPI spec -> the request schemas the engine checks every request against before
 * sending it (src/engine/call/request-check.ts): per operation, its path and query parameters
 * and its JSON body, with `$ref`s resolved into one deduplicated table of nodes per toolset
 * (schemas/requests/<group>.ts, beta ones under schemas/requests/beta/). Only what validation
 * reads is kept; descriptions and examples are dropped. The server loads a toolset's module on
 * the first request of one of its operations, so start-up does not grow with the catalog.
 */
import type {
  OperationSchema,
  ParameterSchema,
  RequestTable,
  SchemaNode,
} from "../../src/engine/call/request-schema.js";
import type { CatalogEndpoint } from "./catalog.js";
import { deref, type Schema, type Spec } from "./spec.js";

/** The modules of one spec, by module name (`profiles`, `beta/campaigns`). */
export type RequestSchemas = Map<string, RequestTable>;

const CHECKED_FORMATS = new Set(["date-time", "date", "time", "uri"]);
const TYPES = new Set(["string", "integer", "number", "boolean", "array", "object"]);

/** `spec` with its errata applied (request-errata.ts); `dir` names the modules of beta ones. */
export function buildRequestSchemas(
  spec: Spec,
  endpoints: readonly CatalogEndpoint[],
  dir: "" | "beta/" = "",
): RequestSchemas {
  const byModule = new Map<string, CatalogEndpoint[]>();
  for (const endpoint of endpoints) {
    const name = `${dir}${endpoint.group}`;
    byModule.set(name, [...(byModule.get(name) ?? []), endpoint]);
  }
  const modules: RequestSchemas = new Map();
  for (const name of [...byModule.keys()].sort()) {
    const nodes = new NodeTable(spec);
    const operations: Record<string, OperationSchema> = {};
    const members = [...(byModule.get(name) ?? [])].sort((a, b) =>
      a.operation_id.localeCompare(b.operation_id),
    );
    for (const endpoint of members) {
      operations[endpoint.operation_id] = operationSchema(spec, endpoint, nodes);
    }
    modules.set(name, nodes.finish(operations));
  }
  return modules;
}

function operationSchema(spec: Spec, endpoint: CatalogEndpoint, nodes: NodeTable): OperationSchema {
  const op = spec.paths[endpoint.path]?.[endpoint.method.toLowerCase()];
  if (!op) throw new Error(`${endpoint.operation_id}: no ${endpoint.method} ${endpoint.path}`);
  const schema: OperationSchema = { path: endpoint.path };
  const pathParameters: Record<string, number> = {};
  const query: Record<string, ParameterSchema> = {};
  for (const param of op.parameters ?? []) {
    if (param.in === "path") pathParameters[param.name] = nodes.compile(param.schema);
    if (param.in === "query") {
      query[param.name] = {
        node: nodes.compile(param.schema),
        ...(param.required ? { required: true as const } : {}),
      };
    }
  }
  if (Object.keys(pathParameters).length > 0) schema.pathParameters = pathParameters;
  if (Object.keys(query).length > 0) schema.query = query;
  const [contentType, media] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
  if (media) {
    schema.body = {
      ...(contentType === "multipart/form-data"
        ? { multipart: true as const }
        : { node: nodes.compile(media.schema) }),
      ...(op.requestBody?.required ? { required: true as const } : {}),
    };
  }
  return schema;
}

/** Nodes of one module: components compiled once each, identical nodes merged at the end. */
class NodeTable {
  private readonly nodes: Array<SchemaNode | undefined> = [];
  private readonly byComponent = new Map<string, number>();

  constructor(private readonly spec: Spec) {}

  compile(raw: Schema | undefined): number {
    const schema = raw ?? {};
    if (!schema.$ref) return this.add(this.node(schema));
    const name = schema.$ref.split("/").pop() ?? "";
    let index = this.byComponent.get(name);
    if (index === undefined) {
      index = this.nodes.length;
      // Reserved first: a recursive schema refers to itself while it is being compiled.
      this.nodes.push(undefined);
      this.byComponent.set(name, index);
      this.nodes[index] = this.node(deref(this.spec, { $ref: schema.$ref }));
    }
    if (!schema.nullable) return index;
    const target = this.nodes[index];
    // Still being compiled (a recursive ref): wrap it instead of copying it.
    return this.add(target ? { ...target, nullable: true } : { allOf: [index], nullable: true });
  }

  private add(node: SchemaNode): number {
    this.nodes.push(node);
    return this.nodes.length - 1;
  }

  private node(schema: Schema): SchemaNode {
    const node: SchemaNode = {};
    if (schema.nullable) node.nullable = true;
    const branches = schema.oneOf ?? schema.anyOf;
    if (branches) {
      node.oneOf = branches.map((branch) => this.compile(branch));
      const key = discriminator(this.spec, branches);
      if (key) node.discriminator = key;
      return node;
    }
    if (schema.allOf) return { ...this.allOf(schema.allOf), ...node };
    if (schema.type && TYPES.has(schema.type)) node.type = schema.type as SchemaNode["type"];
    if (schema.enum) node.enum = schema.enum as SchemaNode["enum"];
    const bounds = schema as Schema & Partial<Record<BoundKey, number>> & { pattern?: string };
    for (const key of BOUND_KEYS) {
      if (typeof bounds[key] === "number") node[key] = bounds[key];
    }
    if (bounds.pattern) node.pattern = bounds.pattern;
    if (schema.format && CHECKED_FORMATS.has(schema.format)) {
      node.format = schema.format as SchemaNode["format"];
    }
    if (schema.type === "array" && schema.items) node.items = this.compile(schema.items);
    if (schema.properties && Object.keys(schema.properties).length > 0) {
      node.type = "object";
      node.properties = Object.fromEntries(
        Object.entries(schema.properties).map(([key, value]) => [key, this.compile(value)]),
      );
      if (schema.required?.length) node.required = schema.required;
      const extra = schema.additionalProperties;
      if (extra === true) node.additionalProperties = true;
      else if (typeof extra === "object") node.additionalProperties = this.compile(extra);
    }
    return node;
  }

  /** Object parts merge into one object (each alone would refuse the others' keys). */
  private allOf(parts: Schema[]): SchemaNode {
    const resolved = parts.map((part) => deref(this.spec, part));
    if (resolved.every((part) => part.properties && !part.oneOf && !part.anyOf)) {
      return this.node({
        type: "object",
        properties: Object.assign({}, ...resolved.map((part) => part.properties)),
        required: resolved.flatMap((part) => part.required ?? []),
      });
    }
    return { allOf: parts.map((part) => this.compile(part)) };
  }

  /** The table: identical nodes merged, unreachable ones dropped, numbered from the roots. */
  finish(operations: Record<string, OperationSchema>): RequestTable {
    const nodes = this.nodes.map((node) => node ?? {});
    const canonical = mergeIdentical(nodes);
    const order = new Map<number, number>();
    const kept: SchemaNode[] = [];
    const visit = (index: number): number => {
      const root = canonical[index] ?? index;
      const known = order.get(root);
      if (known !== undefined) return known;
      const at = kept.length;
      order.set(root, at);
      kept.push({});
      kept[at] = remap(nodes[root] ?? {}, visit);
      return at;
    };
    const renumbered: Record<string, OperationSchema> = {};
    for (const [id, op] of Object.entries(operations)) {
      const out: OperationSchema = { path: op.path };
      if (op.pathParameters) {
        out.pathParameters = Object.fromEntries(
          Object.entries(op.pathParameters).map(([key, index]) => [key, visit(index)]),
        );
      }
      if (op.query) {
        out.query = Object.fromEntries(
          Object.entries(op.query).map(([key, param]) => [
            key,
            { ...param, node: visit(param.node) },
          ]),
        );
      }
      if (op.body) {
        out.body = op.body.node === undefined ? op.body : { ...op.body, node: visit(op.body.node) };
      }
      renumbered[id] = out;
    }
    return { nodes: kept, operations: renumbered };
  }
}

const BOUND_KEYS = [
  "minimum",
  "maximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "maxProperties",
] as const;
type BoundKey = (typeof BOUND_KEYS)[number];

/** The node with its child indices passed through `map`. */
function remap(node: SchemaNode, map: (index: number) => number): SchemaNode {
  const out: SchemaNode = { ...node };
  if (node.items !== undefined) out.items = map(node.items);
  if (typeof node.additionalProperties === "number") {
    out.additionalProperties = map(node.additionalProperties);
  }
  if (node.properties) {
    out.properties = Object.fromEntries(
      Object.entries(node.properties).map(([key, index]) => [key, map(index)]),
    );
  }
  if (node.oneOf) out.oneOf = node.oneOf.map(map);
  if (node.allOf) out.allOf = node.allOf.map(map);
  return out;
}

/**
 * For each node, the index of the first node identical to it once its children are replaced by
 * their own canonical nodes; repeated until nothing changes (merges propagate to parents).
 */
function mergeIdentical(nodes: readonly SchemaNode[]): number[] {
  let canonical = nodes.map((_, index) => index);
  for (let round = 0; round < 50; round++) {
    const seen = new Map<string, number>();
    const next = nodes.map((node, index) => {
      const key = JSON.stringify(remap(node, (child) => canonical[child] ?? child));
      const first = seen.get(key);
      if (first !== undefined) return first;
      seen.set(key, index);
      return index;
    });
    if (next.every((value, index) => value === canonical[index])) return next;
    canonical = next;
  }
  return canonical;
}

/**
 * The property every branch requires with a one-value enum (`type: "profile-metric"`), so that
 * a value is checked against the branches it names and an error can list the choices.
 */
function discriminator(spec: Spec, branches: Schema[]): string | undefined {
  const resolved = branches.map((branch) => deref(spec, branch));
  const first = resolved[0];
  if (!first?.properties) return undefined;
  const candidates = Object.keys(first.properties).filter((key) =>
    resolved.every((branch) => {
      const property = branch.properties?.[key];
      return (
        property !== undefined &&
        branch.required?.includes(key) &&
        deref(spec, property).enum?.length === 1
      );
    }),
  );
  return candidates.includes("type") ? "type" : candidates[0];
}

/** schemas/requests/<module>.ts for each module, and the index that loads them on demand. */
export function requestSchemaFiles(
  modules: ReadonlyArray<{ schemas: RequestSchemas; header: string }>,
): Map<string, string> {
  const files = new Map<string, string>();
  const moduleOf: Record<string, string> = {};
  const loaders: string[] = [];
  for (const { schemas, header } of modules) {
    for (const [name, table] of schemas) {
      const up = "../".repeat(name.split("/").length + 1);
      files.set(
        `schemas/requests/${name}.ts`,
        `${header}import type { RequestTable } from "${up}src/engine/call/request-schema.js";\n\nexport const table: RequestTable = ${JSON.stringify(table)};\n`,
      );
      for (const id of Object.keys(table.operations)) moduleOf[id] = name;
      loaders.push(`${JSON.stringify(name)}: () => import("./${name}.js")`);
    }
  }
  const header = modules[0]?.header ?? "";
  files.set(
    "schemas/requests/index.ts",
    `${header}import type { RequestTable } from "../../src/engine/call/request-schema.js";\n\n/** The module (toolset) that holds each operation's request schema. */\nexport const MODULE_OF_OPERATION: Readonly<Record<string, string>> = ${JSON.stringify(moduleOf)};\n\n/** Each module, imported on the first request of one of its operations. */\nexport const LOAD_MODULE: Readonly<Record<string, () => Promise<{ table: RequestTable }>>> = { ${loaders.join(", ")} };\n`,
  );
  return files;
}
