/**
 * Object types, their schema versions and source mappings. Creating an object type makes its
 * first schema (a draft unless it asks for `active`) and an empty source mapping. Only a draft
 * can change; activating it makes it the type's current schema (the first one also processes
 * the records its sources already received) and brings the type's title along. A new version
 * starts from the current one's relationships and mapping. Deleting a type deletes its schemas,
 * records and logs.
 */
import { ApiError, invalidPointer } from "../../api-error.js";
import { isObject, type JsonObject, requireString, resourceData } from "../../body.js";
import type {
  EmulatorRequest,
  EmulatorState,
  Handler,
  HandlerResult,
} from "../../handler-types.js";
import { readQuery, selfLink } from "../../listing.js";
import { document } from "../../render.js";
import type { Attributes, Store, StoredResource } from "../../store.js";
import { checkAttributes, existingRelated } from "../jobs/common.js";
import { backfill } from "./ingestion.js";
import {
  checkUniqueTitle,
  currentSchema,
  DEFAULT_NAMESPACE,
  draftSchema,
  existing,
  INGESTION_LOG,
  insertSchema,
  mappingOf,
  now,
  OBJECT_RECORD,
  OBJECT_SCHEMA,
  OBJECT_TYPE,
  propertiesOf,
  relationshipsOf,
  SCHEMA_RELATIONSHIP,
  SOURCE_MAPPING,
  schemaOfMapping,
  syncTypeStatus,
  typeOfSchema,
} from "./model.js";
import { checkMapping, checkProperties, checkRequired } from "./validation.js";

const NAMESPACE = /^(custom-objects|applications\/[0-9A-HJKMNP-TV-Z]{26})$/;

export function respond(
  request: EmulatorRequest,
  state: EmulatorState,
  resource: StoredResource,
  status = request.op.status,
): HandlerResult {
  const options = readQuery(request, state);
  const self = selfLink(state.baseUrl, request);
  return { status, body: document(state.store, resource, options, { self }) };
}

function namespaceOf(attributes: JsonObject): string {
  const namespace = (attributes.namespace as string | null | undefined) ?? DEFAULT_NAMESPACE;
  if (!NAMESPACE.test(namespace)) {
    throw invalidPointer(
      "/data/attributes/namespace",
      "'namespace' must be 'custom-objects' or 'applications/<application id>'.",
    );
  }
  return namespace;
}

export const VISIBILITY = { enum: ["private", "shared"] } as const;

interface SchemaInput {
  attributes: Attributes;
  mapping: Attributes;
  activate: boolean;
}

/**
 * A schema's attributes and source mapping from a request; `basis` is the schema whose
 * relationships the new version inherits (the type's current one), for the mapping's check.
 */
function readSchema(
  store: Store,
  attributes: JsonObject,
  pointer: string,
  basis: StoredResource | undefined,
  propertiesRequired: boolean,
): SchemaInput {
  if (propertiesRequired && attributes.properties === undefined) {
    throw invalidPointer(`${pointer}/properties`, "'properties' is required.");
  }
  const properties = checkProperties(attributes.properties ?? [], `${pointer}/properties`);
  const required = checkRequired(attributes.required, properties, `${pointer}/required`);
  const status = attributes.status ?? "draft";
  if (status !== "draft" && status !== "active") {
    throw invalidPointer(`${pointer}/status`, "'status' must be 'draft' or 'active'.");
  }
  const embedded = attributes["source-mapping"];
  let mapping: Attributes = basis ? copyMapping(store, basis) : {};
  if (embedded !== undefined && embedded !== null) {
    const at = `${pointer}/source-mapping/data`;
    const data = isObject(embedded) ? embedded.data : undefined;
    if (!isObject(data) || data.type !== SOURCE_MAPPING) {
      throw invalidPointer(at, "Expected {type: 'source-mapping', attributes: {...}}.");
    }
    const mappingAttributes = isObject(data.attributes) ? data.attributes : {};
    mapping = checkMapping(store, mappingAttributes, properties, basis?.id, `${at}/attributes`);
  }
  return {
    attributes: { properties, required, status: "draft" },
    mapping,
    activate: status === "active",
  };
}

function copyMapping(store: Store, schema: StoredResource): Attributes {
  const mapping = mappingOf(store, schema.id);
  return mapping ? structuredClone(mapping.attributes) : {};
}

/** Makes `schema` its type's current version (Klaviyo checks it can hold records first). */
export function activate(store: Store, schema: StoredResource, pointer: string): void {
  const properties = propertiesOf(schema);
  if (properties.length === 0) {
    throw invalidPointer(pointer, "A schema needs at least one property before it is activated.");
  }
  const mapped = (mappingOf(store, schema.id)?.attributes.property_mappings ?? []) as JsonObject[];
  const orphan = mapped.find((m) => !properties.some((p) => p.id === m.id));
  if (orphan) {
    throw invalidPointer(
      pointer,
      `The source mapping maps property id ${String(orphan.id)}, which the schema does not have; update the mapping first.`,
    );
  }
  const type = typeOfSchema(store, schema.id);
  if (!type) return;
  const first = !currentSchema(store, type.id);
  schema.attributes.status = "active";
  schema.attributes.published_at = now(store);
  store.setLinks(OBJECT_TYPE, type.id, "current-schema", [schema.id]);
  if (store.relatedOne(OBJECT_TYPE, type.id, "draft-schema") === schema.id) {
    store.setLinks(OBJECT_TYPE, type.id, "draft-schema", []);
  }
  followTitle(store, type, schema);
  syncTypeStatus(store, type.id);
  // The first version processes what its sources received so far; later versions keep the
  // records as they are (so deleted ones stay deleted) and apply to what comes next.
  if (first) backfill(store, schema);
}

/** The type's title and description move with its current schema (or its only draft). */
function followTitle(store: Store, type: StoredResource, schema: StoredResource): void {
  const current = currentSchema(store, type.id);
  if (current && current.id !== schema.id) return;
  type.attributes.title = schema.attributes.title;
  type.attributes.description = schema.attributes.description;
}

/** Copies the relationships of `from` onto the new version `to` (same relationship ids). */
function inheritRelationships(store: Store, from: StoredResource, to: StoredResource): void {
  for (const { attributes } of relationshipsOf(store, from.id)) {
    store.insert(SCHEMA_RELATIONSHIP, { ...attributes, object_schema_id: to.id });
  }
}

const createObjectType: Handler = (request, state) => {
  readQuery(request, state);
  const { store } = state;
  const { attributes } = resourceData(request);
  checkAttributes(
    attributes,
    {
      title: { kind: "string", required: true },
      description: { kind: "string", nullable: true },
      visibility: { kind: VISIBILITY, nullable: true },
      namespace: { kind: "string", nullable: true },
      "object-schema": { kind: "object", nullable: true },
    },
    "/data/attributes",
    OBJECT_TYPE,
  );
  const title = requireString(attributes, "title");
  const namespace = namespaceOf(attributes);
  checkUniqueTitle(state, OBJECT_TYPE, title, namespace);
  const embedded = attributes["object-schema"];
  let schemaAttributes: JsonObject = {};
  if (embedded !== undefined && embedded !== null) {
    const data = (embedded as JsonObject).data;
    if (!isObject(data) || data.type !== OBJECT_SCHEMA) {
      throw invalidPointer(
        "/data/attributes/object-schema/data",
        "Expected {type: 'object-schema', attributes: {...}}.",
      );
    }
    schemaAttributes = isObject(data.attributes) ? data.attributes : {};
  }
  const pointer = "/data/attributes/object-schema/data/attributes";
  const input = readSchema(store, schemaAttributes, pointer, undefined, false);
  if (input.activate && (input.attributes.properties as unknown[]).length === 0) {
    throw invalidPointer(
      `${pointer}/status`,
      "A schema needs at least one property before it is activated.",
    );
  }
  const description = (attributes.description as string | null | undefined) ?? "";
  const stamp = now(store);
  const type = store.insert(OBJECT_TYPE, {
    title,
    description,
    status: "draft",
    namespace,
    created_at: stamp,
    updated_at: stamp,
  });
  const schema = insertSchema(
    store,
    type.id,
    {
      ...input.attributes,
      title,
      description,
      visibility: attributes.visibility ?? "private",
    },
    input.mapping,
  );
  if (input.activate) activate(store, schema, `${pointer}/status`);
  return respond(request, state, type);
};

const createObjectSchema: Handler = (request, state) => {
  readQuery(request, state);
  const { store } = state;
  const { attributes, relationships } = resourceData(request);
  // `properties` is an array, which checkProperties reads.
  const { properties: _properties, ...others } = attributes;
  checkAttributes(
    others,
    {
      title: { kind: "string", required: true },
      description: { kind: "string", nullable: true },
      status: { kind: { enum: ["active", "draft"] }, nullable: true },
      required: { kind: "strings", nullable: true },
      "source-mapping": { kind: "object", nullable: true },
    },
    "/data/attributes",
    OBJECT_SCHEMA,
  );
  const title = requireString(attributes, "title");
  const typeId = existingRelated(state, relationships, "object-type", OBJECT_TYPE);
  let type = typeId ? store.get(OBJECT_TYPE, typeId) : undefined;
  const draft = type ? draftSchema(store, type.id) : undefined;
  if (type && draft) {
    throw new ApiError(
      409,
      `Object type ${type.id} already has a draft schema (${draft.id}): change it with update_object_schema, or activate it before creating another version.`,
      { pointer: "/data/relationships/object-type/data/id" },
      { code: "conflict" },
    );
  }
  const basis = type ? currentSchema(store, type.id) : undefined;
  const input = readSchema(store, attributes, "/data/attributes", basis, true);
  const description = (attributes.description as string | null | undefined) ?? "";
  if (!type) {
    // A schema without an object type brings its own, titled alike.
    checkUniqueTitle(state, OBJECT_TYPE, title, DEFAULT_NAMESPACE);
    const stamp = now(store);
    type = store.insert(OBJECT_TYPE, {
      title,
      description,
      status: "draft",
      namespace: DEFAULT_NAMESPACE,
      created_at: stamp,
      updated_at: stamp,
    });
  }
  const schema = insertSchema(
    store,
    type.id,
    {
      ...input.attributes,
      title,
      description,
      visibility: basis?.attributes.visibility ?? "private",
    },
    input.mapping,
  );
  if (basis) inheritRelationships(store, basis, schema);
  followTitle(store, type, schema);
  if (input.activate) activate(store, schema, "/data/attributes/status");
  return respond(request, state, schema);
};

const updateObjectSchema: Handler = (request, state) => {
  readQuery(request, state);
  const { store } = state;
  const schema = existing(store, OBJECT_SCHEMA, request.params.id ?? "");
  const data = resourceData(request);
  if (data.id !== undefined && data.id !== schema.id) {
    throw invalidPointer(
      "/data/id",
      `'id' (${data.id}) must match the id in the path (${schema.id}).`,
    );
  }
  const { attributes } = data;
  const { properties: _properties, ...others } = attributes;
  checkAttributes(
    others,
    {
      title: { kind: "string", nullable: true },
      description: { kind: "string", nullable: true },
      status: { kind: { enum: ["active", "draft"] }, nullable: true },
      required: { kind: "strings", nullable: true },
    },
    "/data/attributes",
    OBJECT_SCHEMA,
  );
  const changes = Object.entries(attributes).filter(
    ([name, value]) => value !== null && name !== "status",
  );
  if (schema.attributes.status !== "draft") {
    if (changes.length > 0 || attributes.status === "draft") {
      throw invalidPointer(
        "/data/attributes",
        `Schema ${schema.id} is active and can no longer change. Create a new version with create_object_schema (relationships.object-type) and activate it.`,
      );
    }
    return respond(request, state, schema);
  }
  const properties =
    attributes.properties === undefined || attributes.properties === null
      ? propertiesOf(schema)
      : checkProperties(attributes.properties, "/data/attributes/properties");
  const required =
    attributes.required === undefined || attributes.required === null
      ? ((schema.attributes.required as string[]).filter((name) =>
          properties.some((p) => p.name === name),
        ) as string[])
      : checkRequired(attributes.required, properties, "/data/attributes/required");
  if (typeof attributes.title === "string") requireString(attributes, "title");
  Object.assign(schema.attributes, {
    properties,
    required,
    ...(typeof attributes.title === "string" ? { title: attributes.title } : {}),
    ...(typeof attributes.description === "string" ? { description: attributes.description } : {}),
  });
  const type = typeOfSchema(store, schema.id);
  if (type) {
    followTitle(store, type, schema);
    syncTypeStatus(store, type.id);
  }
  if (attributes.status === "active") activate(store, schema, "/data/attributes/status");
  return respond(request, state, schema);
};

const updateSourceMapping: Handler = (request, state) => {
  readQuery(request, state);
  const { store } = state;
  const mapping = existing(store, SOURCE_MAPPING, request.params.id ?? "");
  const data = resourceData(request);
  if (data.id !== undefined && data.id !== mapping.id) {
    throw invalidPointer(
      "/data/id",
      `'id' (${data.id}) must match the id in the path (${mapping.id}).`,
    );
  }
  const schema = schemaOfMapping(store, mapping.id);
  if (schema && schema.attributes.status !== "draft") {
    throw invalidPointer(
      "/data/attributes",
      `Source mapping ${mapping.id} belongs to the active schema ${schema.id} and can no longer change. Create a new schema version (create_object_schema) and map it.`,
    );
  }
  const merged = {
    property_mappings: data.attributes.property_mappings ?? mapping.attributes.property_mappings,
    relationship_mappings:
      data.attributes.relationship_mappings ?? mapping.attributes.relationship_mappings,
  };
  const checked = checkMapping(
    store,
    merged,
    schema ? propertiesOf(schema) : [],
    schema?.id,
    "/data/attributes",
  );
  Object.assign(mapping.attributes, checked);
  return respond(request, state, mapping);
};

const deleteObjectType: Handler = (request, state) => {
  readQuery(request, state);
  const { store } = state;
  const type = existing(store, OBJECT_TYPE, request.params.id ?? "");
  const schemas = store.related(OBJECT_TYPE, type.id, "schema-versions");
  for (const relationship of store.all(SCHEMA_RELATIONSHIP)) {
    const { object_schema_id: owner, related_schema_id: related } = relationship.attributes;
    if (schemas.includes(owner as string)) store.delete(SCHEMA_RELATIONSHIP, relationship.id);
    else if (schemas.includes(related as string)) {
      dropRelationshipMappings(store, owner as string, relationship.attributes.relationship_id);
      store.delete(SCHEMA_RELATIONSHIP, relationship.id);
    }
  }
  for (const schemaId of schemas) {
    const mapping = mappingOf(store, schemaId);
    if (mapping) store.delete(SOURCE_MAPPING, mapping.id);
    store.delete(OBJECT_SCHEMA, schemaId);
  }
  for (const id of store.related(OBJECT_TYPE, type.id, "object-records")) {
    store.delete(OBJECT_RECORD, id);
  }
  for (const id of store.related(OBJECT_TYPE, type.id, "object-ingestion-logs")) {
    store.delete(INGESTION_LOG, id);
  }
  store.delete(OBJECT_TYPE, type.id);
  return { status: 204 };
};

/** Removes a mapping's entries for a relationship that no longer exists. */
export function dropRelationshipMappings(store: Store, schemaId: string, relationshipId: unknown) {
  const mapping = mappingOf(store, schemaId);
  if (!mapping) return;
  mapping.attributes.relationship_mappings = (
    (mapping.attributes.relationship_mappings as JsonObject[] | undefined) ?? []
  ).filter((m) => m.relationship_id !== relationshipId);
}

export const schemaHandlers: Record<string, Handler> = {
  create_object_type: createObjectType,
  delete_object_type: deleteObjectType,
  create_object_schema: createObjectSchema,
  update_object_schema: updateObjectSchema,
  update_source_mapping: updateSourceMapping,
};
