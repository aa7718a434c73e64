/**
 * The JSON:API conventions every Klaviyo resource shares: collections, single resources,
 * related resources, relationship linkage, create, update and delete. Resource-specific rules
 * (required attributes, unique keys, ids) come from resources.ts.
 */
import { ApiError, invalidPointer, notFound } from "../api-error.js";
import { isObject, linkageData, relationshipIds, resourceData } from "../body.js";
import type { EmulatorRequest, EmulatorState, Handler, HandlerResult } from "../handler-types.js";
import { isoTime } from "../jobs.js";
import { listDocument, readQuery, selfLink } from "../listing.js";
import { RESOURCE_TYPES } from "../operations/index.js";
import { relationOf } from "../relations.js";
import { document, linkageDocument, typeOfCollection } from "../render.js";
import { hooksFor } from "../resources.js";
import type { Attributes, StoredResource } from "../store.js";

/** Where an operation's path puts it: `/api/<collection>[/{id}[/relationships]/<rel>]`. */
export interface Route {
  collection: string;
  type: string;
  hasId: boolean;
  relationship?: string;
  linkage: boolean;
}

export function routeOf(path: string): Route | undefined {
  const match = /^\/api\/([a-z-]+)(?:\/\{(\w+)\}(?:\/(relationships\/)?([a-z-]+))?)?$/.exec(path);
  if (!match?.[1]) return undefined;
  return {
    collection: match[1],
    type: typeOfCollection(match[1]),
    hasId: match[2] !== undefined,
    relationship: match[4],
    linkage: match[3] !== undefined,
  };
}

function pathId(request: EmulatorRequest): string {
  return request.params.id ?? request.params.job_id ?? "";
}

function existing(state: EmulatorState, type: string, id: string): StoredResource {
  const resource = state.store.get(type, id);
  if (!resource) throw notFound(type, id);
  return resource;
}

/** The generic handler for an operation, or undefined when only a special one can serve it. */
export function genericHandler(method: string, path: string): Handler | undefined {
  const route = routeOf(path);
  if (!route) return undefined;
  if (route.relationship) {
    if (method === "GET") return (request, state) => related(request, state, route);
    if (route.linkage) return (request, state) => changeLinks(request, state, route, method);
    return undefined;
  }
  if (route.hasId) {
    if (method === "GET") return (request, state) => getOne(request, state, route);
    if (method === "PATCH") return (request, state) => update(request, state, route);
    if (method === "DELETE") return (request, state) => remove(request, state, route);
    return undefined;
  }
  if (method === "GET") {
    return (request, state) => ({
      status: 200,
      body: listDocument(request, state, state.store.all(request.op.response?.type ?? route.type)),
    });
  }
  if (method === "POST") return (request, state) => create(request, state, route);
  return undefined;
}

function getOne(request: EmulatorRequest, state: EmulatorState, route: Route): HandlerResult {
  const options = readQuery(request, state);
  const resource = existing(state, request.op.response?.type ?? route.type, pathId(request));
  return {
    status: 200,
    body: document(state.store, resource, options, { self: selfLink(state.baseUrl, request) }),
  };
}

function related(request: EmulatorRequest, state: EmulatorState, route: Route): HandlerResult {
  const { store } = state;
  const owner = existing(state, route.type, pathId(request));
  const relationship = route.relationship as string;
  const targetType =
    request.op.response?.type ?? relationOf(route.type, relationship)?.target ?? "";
  const items = store
    .related(owner.type, owner.id, relationship)
    .map((id) => store.get(targetType, id))
    .filter((r): r is StoredResource => r !== undefined);
  if (request.op.response?.many) {
    // Members of a list or segment carry when they joined it.
    const joined =
      (owner.type === "list" || owner.type === "segment") && relationship === "profiles"
        ? (profile: StoredResource) => {
            const at = store.linkedAt(owner.type, owner.id, "profiles", profile.id);
            return { joined_group_at: at === undefined ? null : isoTime(at) };
          }
        : undefined;
    return {
      status: 200,
      body: listDocument(request, state, items, {
        linkage: route.linkage,
        contextAttributes: joined,
      }),
    };
  }
  const links = { self: selfLink(state.baseUrl, request) };
  const one = items[0] ?? null;
  if (route.linkage) return { status: 200, body: linkageDocument(one, links) };
  const options = readQuery(request, state);
  return {
    status: 200,
    body: one ? document(store, one, options, links) : { data: null, links },
  };
}

function changeLinks(
  request: EmulatorRequest,
  state: EmulatorState,
  route: Route,
  method: string,
): HandlerResult {
  readQuery(request, state);
  const owner = existing(state, route.type, pathId(request));
  const relationship = route.relationship as string;
  const identifiers = linkageData(request);
  identifiers.forEach(({ type, id }, index) => {
    if (!state.store.get(type, id)) {
      throw new ApiError(404, `A ${type} with id ${id} does not exist.`, {
        pointer: `/data/${index}/id`,
      });
    }
  });
  const ids = identifiers.map((i) => i.id);
  if (method === "POST") state.store.link(owner.type, owner.id, relationship, ids);
  else if (method === "DELETE") state.store.unlink(owner.type, owner.id, relationship, ids);
  else state.store.setLinks(owner.type, owner.id, relationship, ids);
  return { status: request.op.status };
}

function create(request: EmulatorRequest, state: EmulatorState, route: Route): HandlerResult {
  const options = readQuery(request, state);
  const type = request.op.response?.type ?? request.op.requestType ?? route.type;
  const data = resourceData(request);
  const hooks = hooksFor(type);
  const prepared = hooks.create?.(state, data.attributes, data.relationships) ?? {
    attributes: data.attributes,
  };
  const attributes = stamp(type, { ...prepared.attributes }, true, state.store.now());
  const links = readRelationships(state, type, data.relationships);
  const resource = state.store.insert(type, attributes, prepared.id);
  for (const [name, ids] of links) state.store.link(type, resource.id, name, ids);
  hooks.afterCreate?.(state, resource);
  return {
    status: request.op.status,
    body: document(state.store, resource, options, { self: selfLink(state.baseUrl, request) }),
  };
}

function update(request: EmulatorRequest, state: EmulatorState, route: Route): HandlerResult {
  const options = readQuery(request, state);
  const type = request.op.requestType ?? route.type;
  const resource = existing(state, type, pathId(request));
  const data = resourceData(request);
  if (data.id !== undefined && data.id !== resource.id) {
    throw invalidPointer(
      "/data/id",
      `'id' (${data.id}) must match the id in the path (${resource.id}).`,
    );
  }
  const hooks = hooksFor(type);
  const changes = hooks.update?.(state, resource, data.attributes) ?? data.attributes;
  const links = readRelationships(state, type, data.relationships);
  applyChanges(resource, changes, state.store.now());
  for (const [name, ids] of links) state.store.setLinks(type, resource.id, name, ids);
  if (request.op.status === 204 || !request.op.response) return { status: 204 };
  return {
    status: 200,
    body: document(state.store, resource, options, { self: selfLink(state.baseUrl, request) }),
  };
}

/** Attributes a PATCH replaces outright: a definition is one document, not a set of fields. */
const REPLACED_WHOLE = new Set([
  "segment.definition",
  "template.definition",
  "form.definition",
  "template-universal-content.definition",
]);

/**
 * PATCH semantics, shared by every update (bulk jobs and upserts too): `null` clears, nested
 * objects merge field by field, arrays and scalars replace; then the update stamp is set.
 */
export function applyChanges(resource: StoredResource, changes: Attributes, nowMs: number): void {
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (value === null) delete resource.attributes[name];
    else if (REPLACED_WHOLE.has(`${resource.type}.${name}`)) resource.attributes[name] = value;
    else resource.attributes[name] = merged(resource.attributes[name], value);
  }
  stamp(resource.type, resource.attributes, false, nowMs);
}

/** Nested objects merge field by field; arrays and scalars replace. */
function merged(current: unknown, change: unknown): unknown {
  if (!isObject(current) || !isObject(change)) return change;
  const out: Attributes = { ...current };
  for (const [key, value] of Object.entries(change)) out[key] = merged(current[key], value);
  return out;
}

function remove(request: EmulatorRequest, state: EmulatorState, route: Route): HandlerResult {
  readQuery(request, state);
  const resource = existing(state, route.type, pathId(request));
  hooksFor(route.type).beforeDelete?.(state, resource);
  state.store.delete(resource.type, resource.id);
  return { status: 204 };
}

/** Relationship ids named in a request body, checked to exist. */
function readRelationships(
  state: EmulatorState,
  type: string,
  relationships: Record<string, unknown>,
): Map<string, string[]> {
  // e.g. a campaign's audiences have no target: handled by the type's hooks.
  return linkedIds(
    state,
    relationships,
    (name) => relationOf(type, name)?.target ?? RESOURCE_TYPES[type]?.relationships[name]?.type,
  );
}

/**
 * The ids of each relationship a request body names, by name, each checked to exist (a 404
 * pointing at it otherwise); `targetOf` gives a relationship's type, or nothing to skip it.
 */
export function linkedIds(
  state: EmulatorState,
  relationships: Record<string, unknown>,
  targetOf: (name: string) => string | undefined,
): Map<string, string[]> {
  const links = new Map<string, string[]>();
  for (const name of Object.keys(relationships)) {
    const target = targetOf(name);
    if (!target) continue;
    const ids = relationshipIds(relationships, name, target) ?? [];
    ids.forEach((id, index) => {
      if (!state.store.get(target, id)) {
        throw new ApiError(404, `A ${target} with id ${id} does not exist.`, {
          pointer: `/data/relationships/${name}/data${ids.length > 1 ? `/${index}` : ""}/id`,
        });
      }
    });
    links.set(name, ids);
  }
  return links;
}

/** Sets the creation and update stamps a type documents. */
export function stamp(
  type: string,
  attributes: Attributes,
  creating: boolean,
  nowMs: number,
): Attributes {
  const names = RESOURCE_TYPES[type]?.attributes ?? [];
  const now = isoTime(nowMs);
  for (const name of creating ? ["created", "created_at"] : []) {
    if (names.includes(name) && attributes[name] === undefined) attributes[name] = now;
  }
  for (const name of ["updated", "updated_at"]) {
    if (names.includes(name)) attributes[name] = now;
  }
  return attributes;
}
