/**
 * Create and update for the beta's resources: the generic JSON:API handler's conventions, with
 * the request checked against the rules of the beta table (required attributes, enums),
 * relationships written both ways (beta/links.ts), and the creation and update stamps the beta
 * type documents. Reads, relationship reads and deletes are the generic handler's.
 */
import { ApiError, invalidPointer, notFound } from "../../api-error.js";
import { connect } from "../../beta/links.js";
import { betaAttributes, betaRelationship } from "../../beta/shapes.js";
import { checkAttributes } from "../../beta/validate.js";
import { type JsonObject, relationshipIds, resourceData } from "../../body.js";
import type {
  EmulatorRequest,
  EmulatorState,
  Handler,
  HandlerResult,
} from "../../handler-types.js";
import { isoTime } from "../../jobs.js";
import { readQuery, selfLink } from "../../listing.js";
import { document } from "../../render.js";
import type { Attributes, StoredResource } from "../../store.js";
import { applyChanges, linkedIds } from "../generic.js";

/** Sets the creation and update stamps the beta type documents. */
export function betaStamp(type: string, attributes: Attributes, creating: boolean, nowMs: number) {
  const names = betaAttributes(type);
  const now = isoTime(nowMs);
  for (const name of creating ? ["created", "created_at"] : []) {
    if (names.includes(name) && attributes[name] === undefined) attributes[name] = now;
  }
  for (const name of ["updated", "updated_at"]) if (names.includes(name)) attributes[name] = now;
  return attributes;
}

export function existing(state: EmulatorState, type: string, id: string): StoredResource {
  const resource = state.store.get(type, id);
  if (!resource) throw notFound(type, id);
  return resource;
}

/** The request's data, its attributes checked against the operation's beta rules. */
export function checkedData(request: EmulatorRequest) {
  const data = resourceData(request);
  checkAttributes(request.op, data.attributes);
  return data;
}

/** Ids of each relationship the body names, checked to exist, by relationship name. */
export function bodyLinks(
  state: EmulatorState,
  type: string,
  relationships: JsonObject,
): Map<string, string[]> {
  return linkedIds(state, relationships, (name) => betaRelationship(type, name)?.type);
}

/** The one id a required to-one relationship of the body names, checked to exist. */
export function requiredLink(
  state: EmulatorState,
  relationships: JsonObject,
  name: string,
  target: string,
): StoredResource {
  const id = relationshipIds(relationships, name, target)?.[0];
  if (!id) {
    throw invalidPointer(
      `/data/relationships/${name}`,
      `'${name}' is required: {"data": {"type": "${target}", "id": ...}}.`,
    );
  }
  const found = state.store.get(target, id);
  if (!found) {
    throw new ApiError(404, `A ${target} with id ${id} does not exist.`, {
      pointer: `/data/relationships/${name}/data/id`,
    });
  }
  return found;
}

/** The document of one stored resource, as the operation answers it. */
export function answer(
  request: EmulatorRequest,
  state: EmulatorState,
  resource: StoredResource,
  status = request.op.status,
): HandlerResult {
  const options = readQuery(request, state);
  return {
    status,
    body: document(state.store, resource, options, { self: selfLink(state.baseUrl, request) }),
  };
}

type Prepare = (
  state: EmulatorState,
  attributes: JsonObject,
  relationships: JsonObject,
) => { id?: string; attributes: Attributes };

type After = (state: EmulatorState, resource: StoredResource) => void;

/** POST of a beta resource: checked, stored with its stamps and links, answered as stored. */
export function betaCreate(type: string, prepare?: Prepare, after?: After): Handler {
  return (request, state) => {
    readQuery(request, state);
    const data = checkedData(request);
    const links = bodyLinks(state, type, data.relationships);
    const prepared = prepare?.(state, data.attributes, data.relationships) ?? {
      attributes: { ...data.attributes },
    };
    const attributes = betaStamp(type, prepared.attributes, true, state.store.now());
    if (prepared.id && state.store.get(type, prepared.id)) {
      throw new ApiError(409, `A ${type} with id ${prepared.id} already exists.`, undefined, {
        code: "duplicate",
      });
    }
    const resource = state.store.insert(type, attributes, prepared.id);
    for (const [name, ids] of links) connect(state.store, type, resource.id, name, ids);
    after?.(state, resource);
    return answer(request, state, resource);
  };
}

type Change = (
  state: EmulatorState,
  resource: StoredResource,
  attributes: JsonObject,
) => Attributes;

/** PATCH of a beta resource: checked, merged (PATCH semantics), its links replaced. */
export function betaUpdate(type: string, change?: Change, after?: After): Handler {
  return (request, state) => {
    readQuery(request, state);
    const resource = existing(state, type, request.params.id ?? "");
    const data = checkedData(request);
    if (data.id !== undefined && data.id !== resource.id) {
      throw invalidPointer(
        "/data/id",
        `'id' (${data.id}) must match the id in the path (${resource.id}).`,
      );
    }
    const links = bodyLinks(state, type, data.relationships);
    applyChanges(
      resource,
      change?.(state, resource, data.attributes) ?? data.attributes,
      state.store.now(),
    );
    betaStamp(type, resource.attributes, false, state.store.now());
    for (const [name, ids] of links) connect(state.store, type, resource.id, name, ids, true);
    after?.(state, resource);
    if (request.op.status === 204 || !request.op.response) return { status: 204 };
    return answer(request, state, resource, 200);
  };
}
