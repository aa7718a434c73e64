/** Which tools a server exposes, and how each is listed in tools/list (computed once). */
import { policyByName } from "../../../tools/policy.js";
import type { ToolDefinition } from "../definition.js";
import { type CompactContext, compactDescription, compactInputSchema } from "./compact-schema.js";
import { toListedJsonSchema } from "./json-schema.js";
import { fieldsSignatures } from "./query-listing.js";
import { CORE_TOOLS, CORE_TOOLSET } from "./toolsets.js";

export interface ToolSelection {
  toolsets: readonly string[];
  readOnly: boolean;
  /** Single tools exposed on top of the toolsets. */
  tools?: readonly string[];
  /** Tools never exposed. */
  excludeTools?: readonly string[];
  /** The API key's scopes; when given, only tools they allow (write implies read). */
  scopes?: readonly string[];
}

/**
 * The tools a server exposes: those of the toolsets (groups, or `core`) plus single tools, minus
 * exclusions; then only reads in read-only mode, and only what the key's scopes allow.
 */
export function selectTools(
  all: readonly ToolDefinition[],
  selection: ToolSelection,
): ToolDefinition[] {
  const core = selection.toolsets.includes(CORE_TOOLSET);
  const extra = new Set(selection.tools ?? []);
  const excluded = new Set(selection.excludeTools ?? []);
  const granted = selection.scopes ?? [];
  return all.filter(
    (tool) =>
      (selection.toolsets.includes(tool.group) ||
        (core && CORE_TOOLS.includes(tool.name)) ||
        extra.has(tool.name)) &&
      !excluded.has(tool.name) &&
      (!selection.readOnly || tool.annotations.readOnlyHint) &&
      (granted.length === 0 || tool.scopes.every((scope) => scopesAllow(granted, scope))),
  );
}

/** `lists:write` grants `lists:read` too, as Klaviyo's full-access scopes do. */
export function scopesAllow(granted: readonly string[], scope: string): boolean {
  if (granted.includes(scope)) return true;
  const [resource, access] = scope.split(":");
  return access === "read" && granted.includes(`${resource}:write`);
}

export interface ListedTool {
  name: string;
  title: string;
  description: string;
  inputSchema: { type: "object"; [key: string]: unknown };
  annotations: ToolDefinition["annotations"] & { title: string };
  _meta: Record<string, unknown>;
}

/** Each tool's full input schema, made once. */
const fullSchemas = new WeakMap<ToolDefinition, ListedTool["inputSchema"]>();

/** The tool's full input schema: zod 4's own converter (at generation), without `$schema` noise. */
export function fullInputSchema(tool: ToolDefinition): ListedTool["inputSchema"] {
  let schema = fullSchemas.get(tool);
  if (!schema) {
    // Generated definitions carry it: building every zod schema at start-up would cost more.
    schema = (tool.inputJsonSchema as ListedTool["inputSchema"]) ?? toListedJsonSchema(tool.input);
    fullSchemas.set(tool, schema);
  }
  return schema;
}

/** The tool in full, with its Klaviyo details: what describe_tool answers. */
export function listedTool(tool: ToolDefinition): ListedTool {
  const inputSchema = fullInputSchema(tool);
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema,
    annotations: { title: tool.title, ...tool.annotations },
    _meta: {
      "klaviyo/operation": `${tool.operation.method} ${tool.operation.path}`,
      "klaviyo/scopes": tool.scopes,
      "klaviyo/rateLimit": tool.rateLimit,
      "klaviyo/group": tool.group,
      ...(tool.beta ? { "klaviyo/beta": true, "klaviyo/revision": tool.beta.revision } : {}),
    },
  };
}

/** A tools/list entry as sent: compact schema, only the annotations that differ from MCP's defaults. */
export interface CompactTool {
  name: string;
  description: string;
  inputSchema: { type: "object"; [key: string]: unknown };
  annotations: Partial<ToolDefinition["annotations"]>;
  outputSchema?: { type: "object"; [key: string]: unknown };
  /** Beta tools only (`klaviyo/beta`): a stable tool's entry has none. */
  _meta?: Record<string, unknown>;
}

export function compactTool(tool: ToolDefinition, context: CompactContext): CompactTool {
  // No title: "Get Lists" says nothing "get_lists" does not (describe_tool has it).
  return {
    name: tool.name,
    description: compactDescription(tool.description, tool.paging?.size !== undefined),
    inputSchema: compactInputSchema(fullInputSchema(tool), {
      ...context,
      toolName: tool.name,
      idSources: idSourcesOf(tool, context),
      filters: tool.filters,
      hints: policyByName.get(tool.name)?.hints,
    }) as CompactTool["inputSchema"],
    annotations: compactAnnotations(tool.annotations),
    ...(tool.beta ? { _meta: { "klaviyo/beta": true } } : {}),
  };
}

/**
 * MCP's defaults are readOnlyHint false, destructiveHint true, idempotentHint false and
 * openWorldHint true, and the last two but one mean nothing for a read: state only the rest.
 */
export function compactAnnotations(
  annotations: ToolDefinition["annotations"],
): Partial<ToolDefinition["annotations"]> {
  const out: Partial<ToolDefinition["annotations"]> = {};
  if (annotations.readOnlyHint) {
    out.readOnlyHint = true;
  } else {
    if (!annotations.destructiveHint) out.destructiveHint = false;
    if (annotations.idempotentHint) out.idempotentHint = true;
  }
  if (!annotations.openWorldHint) out.openWorldHint = false;
  return out;
}

/**
 * `list_id` -> "get_lists": for each id parameter, the tool that lists such ids, found from
 * the paths: an id in /api/lists/{id} comes from GET /api/lists.
 */
export function idSources(all: readonly ToolDefinition[]): Map<string, string> {
  const collections = new Map<string, string>();
  for (const tool of all) {
    if (tool.operation.method === "GET" && !tool.operation.path.includes("{")) {
      collections.set(tool.operation.path, tool.name);
      // The JSON:API type of its items: /api/catalog-items -> catalog-item.
      const plural = tool.operation.path.split("/").pop() ?? "";
      collections.set(`type:${plural.replace(/ies$/, "y").replace(/s$/, "")}`, tool.name);
    }
  }
  const out = new Map<string, string>();
  for (const [key, name] of collections) {
    if (key.startsWith("type:")) out.set(key, name);
    else out.set(`path:${key}`, name);
  }
  // A collection Klaviyo lists nowhere (jobs): its ids come from the tool that creates one.
  for (const tool of all) {
    const path = tool.operation.path;
    if (tool.operation.method === "POST" && !path.includes("{") && !collections.has(path)) {
      out.set(`path:${path}`, tool.name);
    }
  }
  for (const tool of all) {
    const match = /^(\/(?:api|client)\/[^/{]+)\/\{id\}/.exec(tool.operation.path);
    const source = match?.[1] ? collections.get(match[1]) : undefined;
    if (!source) continue;
    for (const [arg, mapping] of Object.entries(tool.args)) {
      if (mapping.in === "path" && mapping.name === "id" && arg.endsWith("_id")) {
        out.set(arg, source);
        out.set(`${arg}s`, source);
      }
    }
  }
  return out;
}

/**
 * The id sources for one tool: its own path id from the collection its path names (a `job_id`
 * is a different job's on every job tool), other ids by name, relationship ids by type.
 */
function idSourcesOf(tool: ToolDefinition, context: CompactContext): Map<string, string> {
  const out = new Map(context.idSources);
  const collection = /^(\/(?:api|client)\/[^/{]+)\/\{/.exec(tool.operation.path)?.[1];
  const own = collection ? context.idSources.get(`path:${collection}`) : undefined;
  for (const [arg, mapping] of Object.entries(tool.args)) {
    if (mapping.in === "path" && own && own !== tool.name) out.set(arg, own);
    if (mapping.in !== "relationship") continue;
    const source = context.idSources.get(`type:${mapping.type}`);
    if (source) out.set(arg, source);
  }
  return out;
}

/**
 * For each `fields` key and its attribute names, the listed tool that states them; the others
 * refer to it. The home is the tool that reads that type's collection (`get_lists` for `list`),
 * else the one that reads one of them, else the first: where a model looks for a type.
 */
export function fieldHomes(tools: readonly ToolDefinition[]): Map<string, string> {
  const best = new Map<string, { tool: string; rank: number }>();
  for (const tool of tools) {
    const mapping = tool.args.fields;
    if (mapping?.in !== "fields") continue;
    const properties = fullInputSchema(tool).properties as Record<string, unknown> | undefined;
    const fields = properties?.fields as Record<string, unknown> | undefined;
    if (!fields) continue;
    for (const [key, signature] of fieldsSignatures(fields)) {
      // A write's fields describe what it returns: a read is where a model looks.
      const rank =
        homeRank(tool.operation.path, mapping.types[key] ?? key) +
        (tool.operation.method === "GET" ? 0 : 10);
      const current = best.get(signature);
      if (!current || rank < current.rank) best.set(signature, { tool: tool.name, rank });
    }
  }
  return new Map([...best].map(([signature, { tool }]) => [signature, tool]));
}

/** 0: GET /api/<types>; 1: GET /api/<types>/{id}; 2: anything else. */
function homeRank(path: string, type: string): number {
  const plural = type.endsWith("y") ? `${type.slice(0, -1)}ies` : `${type}s`;
  if (path.endsWith(`/${plural}`) && path.split("/").length === 3) return 0;
  if (path.endsWith(`/${plural}/{id}`) && path.split("/").length === 4) return 1;
  return 2;
}
