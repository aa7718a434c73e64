/**
 * Relationships of object schemas: to other object schemas (each named, e.g. `warranty`) and to
 * the profile (at most one per schema). They are part of the schema, so only a draft's change;
 * a type shows those of its current schema (else its draft). Klaviyo shows them as compound
 * ids: `<related schema id>:::<name>` on a schema, `<related type id>:::<name>` or
 * `profile:::<name>` on a type, with the relationship's id and name in `meta` when included.
 */
import { ApiError, invalidPointer } from "../../api-error.js";
import { isObject, type JsonObject } from "../../body.js";
import type {
  EmulatorRequest,
  EmulatorState,
  Handler,
  HandlerResult,
} from "../../handler-types.js";
import { readQuery, selfLink } from "../../listing.js";
import type { Store, StoredResource } from "../../store.js";
import { genericHandler } from "../generic.js";
import {
  effectiveSchema,
  existing,
  OBJECT_SCHEMA,
  OBJECT_TYPE,
  relationshipsOf,
  SCHEMA_RELATIONSHIP,
  type SchemaRelationship,
  typeOfSchema,
} from "./model.js";
import { dropRelationshipMappings } from "./schemas.js";

type Kind = "object" | "profile";
const PROFILE_SCHEMA_TYPE = "profile-object-schema";

interface Linkage {
  type: string;
  id: string;
  meta: { relationship_id: string; name: string; description: string | null };
}

/** A schema's relationships as its endpoints and `include` show them. */
function schemaLinkage(store: Store, schemaId: string, kind: Kind): Linkage[] {
  return relationshipsOf(store, schemaId, kind).map(({ attributes: r }) => ({
    type: kind === "profile" ? PROFILE_SCHEMA_TYPE : OBJECT_SCHEMA,
    id: kind === "profile" ? "profile" : `${r.related_schema_id}:::${r.name}`,
    meta: { relationship_id: r.relationship_id, name: r.name, description: r.description },
  }));
}

/** A type's relationships: its effective schema's, naming related types. */
function typeLinkage(store: Store, typeId: string, kind: Kind): Linkage[] {
  const schema = effectiveSchema(store, typeId);
  if (!schema) return [];
  return relationshipsOf(store, schema.id, kind).map(({ attributes: r }) => {
    const related = r.related_schema_id ? typeOfSchema(store, r.related_schema_id)?.id : "profile";
    return {
      type: kind === "profile" ? "profile-object-type" : OBJECT_TYPE,
      id: `${related ?? r.related_schema_id}:::${r.name}`,
      meta: { relationship_id: r.relationship_id, name: r.name, description: r.description },
    };
  });
}

function linkageResult(request: EmulatorRequest, state: EmulatorState, items: Linkage[]) {
  readQuery(request, state);
  return {
    status: 200,
    body: {
      data: items.map(({ type, id }) => ({ type, id })),
      links: { self: selfLink(state.baseUrl, request) },
    },
  };
}

/** The generic GET, with the compound relationships filled in where `include` asks. */
function withRelationships(
  path: string,
  linkage: (store: Store, id: string, name: string) => Linkage[] | undefined,
): Handler {
  const base = genericHandler("GET", path) as Handler;
  return async (request, state) => {
    const result: HandlerResult = await base(request, state);
    const include = readQuery(request, state).include ?? [];
    const doc = result.body as { data: JsonObject; included?: JsonObject[] };
    const relationships = doc.data.relationships as Record<string, JsonObject>;
    for (const name of include) {
      const items = linkage(state.store, String(doc.data.id), name);
      if (!items) continue;
      relationships[name] = {
        ...relationships[name],
        data: items.map(({ type: t, id }) => ({ type: t, id })),
      };
      for (const item of items) {
        doc.included = doc.included ?? [];
        if (doc.included.some((i) => i.type === item.type && i.id === item.id)) continue;
        const collection =
          item.type === OBJECT_TYPE || item.type === "profile-object-type"
            ? "object-types"
            : "object-schemas";
        doc.included.push({
          type: item.type,
          id: item.id,
          attributes: { meta: item.meta },
          links: { self: `${state.baseUrl}/api/${collection}/${encodeURIComponent(item.id)}/` },
        });
      }
    }
    return result;
  };
}

/** The schema named in the path, which must be a draft to change. */
function draftFromPath(request: EmulatorRequest, state: EmulatorState): StoredResource {
  readQuery(request, state);
  const schema = existing(state.store, OBJECT_SCHEMA, request.params.id ?? "");
  if (schema.attributes.status !== "draft") {
    throw invalidPointer(
      "/data",
      `Schema ${schema.id} is active; relationships belong to the schema, so change them on a new draft version (create_object_schema).`,
    );
  }
  return schema;
}

function items(
  request: EmulatorRequest,
  kind: Kind,
  many: boolean,
): Array<{ at: string; item: JsonObject }> {
  const body = request.body;
  const data = isObject(body) ? body.data : undefined;
  const list = many ? data : [data];
  if (!Array.isArray(list) || (many && !Array.isArray(data))) {
    throw invalidPointer(
      "/data",
      many ? "'data' must be an array of {type, id, meta}." : "'data' must be {type, id, meta}.",
    );
  }
  const type = kind === "profile" ? PROFILE_SCHEMA_TYPE : OBJECT_SCHEMA;
  return list.map((item, index) => {
    const at = many ? `/data/${index}` : "/data";
    if (!isObject(item)) throw invalidPointer(at, "Expected {type, id, meta}.");
    if (item.type !== type) throw invalidPointer(`${at}/type`, `'type' must be '${type}'.`);
    if (typeof item.id !== "string" || item.id === "") {
      throw invalidPointer(`${at}/id`, "'id' must be a non-empty string.");
    }
    if (item.meta !== undefined && !isObject(item.meta)) {
      throw invalidPointer(`${at}/meta`, "'meta' must be an object.");
    }
    return { at, item };
  });
}

/** A name from a title: `Warranty Registration` → `warranty_registration`. */
function nameFrom(title: unknown): string {
  return String(title ?? "related")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");
}

function create(kind: Kind): Handler {
  return (request, state) => {
    const { store } = state;
    const schema = draftFromPath(request, state);
    for (const { at, item } of items(request, kind, true)) {
      const meta = (item.meta ?? {}) as JsonObject;
      let relatedId: string | null = null;
      if (kind === "profile") {
        if (item.id !== "profile") {
          throw invalidPointer(`${at}/id`, "The profile schema's id is always 'profile'.");
        }
        if (relationshipsOf(store, schema.id, "profile").length > 0) {
          throw new ApiError(
            409,
            `Schema ${schema.id} already has a profile relationship.`,
            { pointer: at },
            { code: "conflict" },
          );
        }
      } else {
        relatedId = item.id as string;
        if (!store.get(OBJECT_SCHEMA, relatedId)) {
          throw new ApiError(404, `A object-schema with id ${relatedId} does not exist.`, {
            pointer: `${at}/id`,
          });
        }
      }
      if (meta.name !== undefined && (typeof meta.name !== "string" || meta.name.trim() === "")) {
        throw invalidPointer(`${at}/meta/name`, "'name' must be a non-empty string.");
      }
      // The spec's meta is optional; without a name the relationship takes the related title's.
      const name =
        (meta.name as string | undefined) ??
        (relatedId ? nameFrom(store.get(OBJECT_SCHEMA, relatedId)?.attributes.title) : "profile");
      if (relationshipsOf(store, schema.id).some((r) => r.attributes.name === name)) {
        throw new ApiError(
          409,
          `Schema ${schema.id} already has a relationship named '${name}'.`,
          { pointer: `${at}/meta/name` },
          { code: "conflict" },
        );
      }
      const relationship: SchemaRelationship = {
        object_schema_id: schema.id,
        relationship_id: store.newId(SCHEMA_RELATIONSHIP),
        related_schema_id: relatedId,
        name,
        description: (meta.description as string | null | undefined) ?? "",
      };
      store.insert(SCHEMA_RELATIONSHIP, { ...relationship }, relationship.relationship_id);
    }
    return { status: 204 };
  };
}

function findRelationship(
  store: Store,
  schemaId: string,
  kind: Kind,
  meta: JsonObject,
  at: string,
) {
  const id = meta.relationship_id;
  if (typeof id !== "string" || id === "") {
    throw invalidPointer(
      `${at}/meta/relationship_id`,
      "'relationship_id' is required: the relationship's id.",
    );
  }
  const found = relationshipsOf(store, schemaId, kind).find(
    (r) => r.attributes.relationship_id === id,
  );
  if (!found) {
    throw new ApiError(404, `Schema ${schemaId} has no ${kind} relationship with id ${id}.`, {
      pointer: `${at}/meta/relationship_id`,
    });
  }
  return found;
}

function update(kind: Kind): Handler {
  return (request, state) => {
    const { store } = state;
    const schema = draftFromPath(request, state);
    const [{ at, item }] = items(request, kind, false) as [{ at: string; item: JsonObject }];
    const meta = (item.meta ?? {}) as JsonObject;
    const found = findRelationship(store, schema.id, kind, meta, at);
    const related = found.attributes.related_schema_id ?? "profile";
    if (item.id !== related) {
      throw invalidPointer(
        `${at}/id`,
        `Relationship ${found.attributes.relationship_id} relates to '${related}', not '${String(item.id)}'.`,
      );
    }
    const stored = store.get(SCHEMA_RELATIONSHIP, found.id);
    if (!stored) return { status: 204 };
    if (typeof meta.name === "string") {
      if (meta.name.trim() === "")
        throw invalidPointer(`${at}/meta/name`, "'name' must be a non-empty string.");
      const clash = relationshipsOf(store, schema.id).some(
        (r) => r.id !== found.id && r.attributes.name === meta.name,
      );
      if (clash) {
        throw new ApiError(
          409,
          `Schema ${schema.id} already has a relationship named '${meta.name}'.`,
          { pointer: `${at}/meta/name` },
          { code: "conflict" },
        );
      }
      stored.attributes.name = meta.name;
    }
    if (meta.description !== undefined) stored.attributes.description = meta.description ?? "";
    return { status: 204 };
  };
}

function remove(kind: Kind): Handler {
  return (request, state) => {
    const { store } = state;
    const schema = draftFromPath(request, state);
    for (const { at, item } of items(request, kind, true)) {
      const meta = (item.meta ?? {}) as JsonObject;
      // With a relationship id, that one; without, every relationship to the named schema.
      const doomed =
        meta.relationship_id !== undefined
          ? [findRelationship(store, schema.id, kind, meta, at)]
          : relationshipsOf(store, schema.id, kind).filter(
              (r) => kind === "profile" || r.attributes.related_schema_id === item.id,
            );
      for (const relationship of doomed) {
        dropRelationshipMappings(store, schema.id, relationship.attributes.relationship_id);
        store.delete(SCHEMA_RELATIONSHIP, relationship.id);
      }
    }
    return { status: 204 };
  };
}

const schemaFromPath = (request: EmulatorRequest, state: EmulatorState) =>
  existing(state.store, OBJECT_SCHEMA, request.params.id ?? "").id;
const typeFromPath = (request: EmulatorRequest, state: EmulatorState) =>
  existing(state.store, OBJECT_TYPE, request.params.id ?? "").id;

export const relationshipHandlers: Record<string, Handler> = {
  create_object_schema_relationship: create("object"),
  create_profile_schema_relationship: create("profile"),
  update_object_schema_relationship: update("object"),
  update_profile_schema_relationship: update("profile"),
  delete_object_schema_relationship: remove("object"),
  delete_profile_schema_relationship: remove("profile"),
  get_object_schema_relationships: (request, state) =>
    linkageResult(
      request,
      state,
      schemaLinkage(state.store, schemaFromPath(request, state), "object"),
    ),
  get_profile_schema_relationships: (request, state) =>
    linkageResult(
      request,
      state,
      schemaLinkage(state.store, schemaFromPath(request, state), "profile"),
    ),
  get_object_type_relationships: (request, state) =>
    linkageResult(request, state, typeLinkage(state.store, typeFromPath(request, state), "object")),
  get_profile_type_relationships: (request, state) =>
    linkageResult(
      request,
      state,
      typeLinkage(state.store, typeFromPath(request, state), "profile"),
    ),
  get_object_type: withRelationships("/api/object-types/{id}", (store, id, name) =>
    name === "object-types"
      ? typeLinkage(store, id, "object")
      : name === "profile-object-types"
        ? typeLinkage(store, id, "profile")
        : undefined,
  ),
  get_object_schema: withRelationships("/api/object-schemas/{id}", (store, id, name) =>
    name === "object-schemas"
      ? schemaLinkage(store, id, "object")
      : name === "profile-object-schemas"
        ? schemaLinkage(store, id, "profile")
        : undefined,
  ),
};
