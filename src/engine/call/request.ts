/**
 * Definition + validated arguments -> the HTTP request Klaviyo expects. Pure: no I/O, so every
 * tool's request building is unit-tested without a server.
 */

import type { JsonObject } from "../../json.js";
import type { ArgMapping, NestedResource, ToolDefinition } from "../definition.js";
import { pathBeyondDepth } from "./deep-json.js";
import { checkFilter } from "./filter-check.js";

export interface BuiltRequest {
  operationId: string;
  method: ToolDefinition["operation"]["method"];
  /** Path with parameters substituted and percent-encoded. */
  path: string;
  /** Wire-named query parameters, arrays already comma-joined (Klaviyo's explode: false). */
  query: Array<[string, string]>;
  body?: { kind: "json"; value: unknown };
  auth: ToolDefinition["auth"];
  rateLimit: ToolDefinition["rateLimit"];
  /** A beta tool's revision header, in place of the client's (--revision). */
  revision?: string;
  /** A beta twin's rate-limit bucket: its stable operation's (KlaviyoRequest.throttleKey). */
  throttleKey?: string;
}

export interface RequestContext {
  /** Public key used by the /client/ endpoints when the call gives no company_id. */
  publicKey?: string;
}

/** A problem with the arguments that zod cannot express (e.g. a missing public key). */
export class ArgumentError extends Error {
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(message);
    this.name = "ArgumentError";
  }
}

/**
 * How deep an argument may nest (objects and arrays, the argument itself being level 1). The
 * deepest body in Klaviyo's spec (create_flow) needs 23 levels with its JSON:API wrapping, so
 * this leaves room for custom properties while staying far from where serializing fails.
 */
export const MAX_ARGUMENT_DEPTH = 64;

/** The first argument nested deeper than MAX_ARGUMENT_DEPTH, as an error naming it. */
export function tooDeepArgument(args: unknown): ArgumentError | undefined {
  if (typeof args !== "object" || args === null || Array.isArray(args)) return undefined;
  for (const [name, value] of Object.entries(args)) {
    if (pathBeyondDepth(value, MAX_ARGUMENT_DEPTH) === undefined) continue;
    return new ArgumentError(
      name,
      `Nested more than ${MAX_ARGUMENT_DEPTH} levels deep (objects and arrays); at most ${MAX_ARGUMENT_DEPTH} are accepted. Flatten the value, or pass a deep structure as a JSON string.`,
    );
  }
  return undefined;
}

type Args = Record<string, unknown>;

export function buildRequest(
  tool: ToolDefinition,
  args: Args,
  context: RequestContext = {},
): BuiltRequest {
  let path = tool.operation.path;
  const query: Array<[string, string]> = [];
  const attributes: JsonObject = {};
  const relationships: JsonObject = {};
  let identifiers: Array<{ type: string; id: string; meta?: unknown }> | undefined;
  let bodyId: string | undefined;
  let meta: unknown;

  // Klaviyo answers a filter on a wrong value with an empty page, not an error: check it first.
  if (tool.filters && typeof args.filter === "string") {
    const problem = checkFilter(args.filter, tool.filters);
    if (problem) throw new ArgumentError("filter", problem);
  }

  for (const [name, mapping] of Object.entries(tool.args) as Array<[string, ArgMapping]>) {
    const value = args[name];
    if (mapping.in === "company_id") {
      const companyId = (value as string | undefined) ?? context.publicKey;
      if (!companyId) {
        throw new ArgumentError(
          "company_id",
          "This client endpoint needs the account's public API key: pass company_id, or set KLAVIYO_PUBLIC_KEY.",
        );
      }
      query.push(["company_id", companyId]);
      continue;
    }
    if (value === undefined) continue;
    switch (mapping.in) {
      case "path":
        // "." and ".." survive encoding and would let an id climb to another endpoint.
        if (value === "." || value === "..") {
          throw new ArgumentError(name, `${name} must be an id, not "${value}".`);
        }
        path = path.replace(`{${mapping.name}}`, encodeURIComponent(String(value)));
        if (tool.body.kind === "resource" && tool.body.idArg === name) bodyId = String(value);
        break;
      case "query":
        query.push([mapping.name, wireValue(value)]);
        break;
      case "fields":
        for (const [key, list] of Object.entries(value as JsonObject)) {
          if (list !== undefined)
            query.push([`fields[${mapping.types[key] ?? key}]`, wireValue(list)]);
        }
        break;
      case "additional_fields":
        query.push([`additional-fields[${mapping.type}]`, wireValue(value)]);
        break;
      case "body_id":
        bodyId = String(value);
        break;
      case "meta":
        meta = value;
        break;
      case "attribute":
        attributes[mapping.name] = mapping.nested ? wrapNested(mapping.nested, value) : value;
        break;
      case "relationship":
        relationships[mapping.name] = { data: linkage(mapping.type, value) };
        break;
      case "identifiers":
        identifiers = mapping.withMeta
          ? (value as Array<{ id: string; meta?: unknown }>).map(({ id, meta }) => ({
              type: mapping.type,
              id,
              ...(meta === undefined ? {} : { meta }),
            }))
          : (value as string[]).map((id) => ({ type: mapping.type, id }));
        break;
      case "form":
        break; // multipart tools are built by their special handler
    }
  }

  // Without page_size, the engine's default page (modest for profiles and events) is explicit.
  const size = tool.paging?.size;
  const pageSize = tool.args.page_size;
  if (size && args.page_size === undefined && pageSize?.in === "query") {
    query.push([pageSize.name, String(size.default)]);
  }

  const request: BuiltRequest = { ...requestBase(tool), path, query };
  if (tool.body.kind === "resource") {
    const data: JsonObject = { type: tool.body.type };
    if (bodyId !== undefined) data.id = bodyId;
    // Klaviyo requires `attributes` on resource documents even when no attribute is set.
    data.attributes = attributes;
    if (Object.keys(relationships).length > 0) data.relationships = relationships;
    if (meta !== undefined) data.meta = meta;
    request.body = { kind: "json", value: { data } };
  } else if (tool.body.kind === "identifiers") {
    request.body = { kind: "json", value: { data: identifiers ?? [] } };
  }
  return request;
}

/** Arrays are comma-joined (explode: false); everything else is its string form. */
function wireValue(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(",") : String(value);
}

function linkage(type: string, value: unknown): unknown {
  return Array.isArray(value) ? value.map((id) => ({ type, id })) : { type, id: value };
}

/** A plain object (or id) from the model -> the nested JSON:API document Klaviyo expects. */
function wrapNested(nested: NestedResource, value: unknown): unknown {
  const wrapOne = (item: unknown): JsonObject => {
    if (nested.idOnly) return { type: nested.type, id: item };
    const { id, meta, ...rest } = item as JsonObject;
    const resource: JsonObject = { type: nested.type };
    if (id !== undefined) resource.id = id;
    const rels: JsonObject = {};
    for (const [argName, rel] of Object.entries(nested.relationships ?? {})) {
      if (rest[argName] === undefined) continue;
      rels[rel.name] = { data: linkage(rel.type, rest[argName]) };
      delete rest[argName];
    }
    resource.attributes = rest;
    if (Object.keys(rels).length > 0) resource.relationships = rels;
    if (nested.meta && meta !== undefined) resource.meta = meta;
    else if (meta !== undefined) resource.attributes = { ...rest, meta };
    return resource;
  };
  return { data: nested.many ? (value as unknown[]).map(wrapOne) : wrapOne(value) };
}

/**
 * What every request of a tool carries, whoever builds it (buildRequest, a handler): its
 * operation, auth and rate limit, and a beta tool's revision and shared limits.
 */
export function requestBase(tool: ToolDefinition): Omit<BuiltRequest, "query" | "body"> {
  const base: Omit<BuiltRequest, "query" | "body"> = {
    operationId: tool.operation.id,
    method: tool.operation.method,
    path: tool.operation.path,
    auth: tool.auth,
    rateLimit: tool.rateLimit,
  };
  if (tool.beta) base.revision = tool.beta.revision;
  // Klaviyo limits an endpoint, whichever revision calls it.
  if (tool.beta?.stableTwin) base.throttleKey = tool.beta.stableTwin;
  return base;
}
