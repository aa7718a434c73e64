/**
 * How custom objects sit in the store. An object type has schema versions (at most one draft,
 * and a current one once a version is activated); each schema has one source mapping and its
 * relationships. Links, not attributes, tie them together, so that every stored attribute is one
 * the API returns:
 *
 *   object-type   -current-schema / draft-schema / schema-versions-> object-schema
 *   object-schema -object-type-> object-type   -source-mapping-> source-mapping
 *   source-mapping -object-schema-> object-schema
 *   object-type   -object-records / object-ingestion-logs-> records (`<type id>:::<id>`), logs
 *
 * Two internal types are never served as such: the raw records a data source received (kept so
 * that a schema activated later processes them) and a schema's relationships (the API shows them
 * as compound ids, `<related id>:::<name>`).
 */
import { createHash } from "node:crypto";
import { ApiError, notFound } from "../../api-error.js";
import type { JsonObject } from "../../body.js";
import type { EmulatorState } from "../../handler-types.js";
import { isoTime } from "../../jobs.js";
import type { Attributes, Store, StoredResource } from "../../store.js";

export const DATA_SOURCE = "data-source";
export const OBJECT_TYPE = "object-type";
export const OBJECT_SCHEMA = "object-schema";
export const SOURCE_MAPPING = "source-mapping";
export const OBJECT_RECORD = "object-record";
export const INGESTION_LOG = "object-ingestion-log";
/** Internal: a record as a data source received it (`data_source_id`, `record`). */
export const RAW_RECORD = "data-source-record";
/** Internal: one relationship of a schema (see SchemaRelationship). */
export const SCHEMA_RELATIONSHIP = "object-schema-relationship";

export const DEFAULT_NAMESPACE = "custom-objects";
export const PROPERTY_TYPES = ["boolean", "float", "int", "string", "timestamp"] as const;

export interface SchemaProperty {
  id: number;
  name: string;
  type: (typeof PROPERTY_TYPES)[number];
  description?: string | null;
}

export interface SchemaRelationship {
  object_schema_id: string;
  relationship_id: string;
  /** The related schema, or null for the profile. */
  related_schema_id: string | null;
  name: string;
  description: string | null;
}

export const now = (store: Store) => isoTime(store.now());

/** A 32-hex id (Klaviyo's custom metric and metric property ids), deterministic per store. */
export function hexId(store: Store, type: string): string {
  return createHash("md5").update(store.newId(type)).digest("hex");
}

/** A UUID (Klaviyo's ingestion log ids), deterministic per store. */
export function uuidId(store: Store, type: string): string {
  const hex = hexId(store, type);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function existing(store: Store, type: string, id: string): StoredResource {
  const found = store.get(type, id);
  if (!found) throw notFound(type, id);
  return found;
}

export function typeOfSchema(store: Store, schemaId: string): StoredResource | undefined {
  const typeId = store.relatedOne(OBJECT_SCHEMA, schemaId, OBJECT_TYPE);
  return typeId ? store.get(OBJECT_TYPE, typeId) : undefined;
}

export function schemaOfMapping(store: Store, mappingId: string): StoredResource | undefined {
  const schemaId = store.relatedOne(SOURCE_MAPPING, mappingId, OBJECT_SCHEMA);
  return schemaId ? store.get(OBJECT_SCHEMA, schemaId) : undefined;
}

export function mappingOf(store: Store, schemaId: string): StoredResource | undefined {
  const id = store.relatedOne(OBJECT_SCHEMA, schemaId, SOURCE_MAPPING);
  return id ? store.get(SOURCE_MAPPING, id) : undefined;
}

export function currentSchema(store: Store, typeId: string): StoredResource | undefined {
  const id = store.relatedOne(OBJECT_TYPE, typeId, "current-schema");
  return id ? store.get(OBJECT_SCHEMA, id) : undefined;
}

export function draftSchema(store: Store, typeId: string): StoredResource | undefined {
  const id = store.relatedOne(OBJECT_TYPE, typeId, "draft-schema");
  return id ? store.get(OBJECT_SCHEMA, id) : undefined;
}

/** The schema that defines a type's relationships: the current one, else the draft. */
export function effectiveSchema(store: Store, typeId: string): StoredResource | undefined {
  return currentSchema(store, typeId) ?? draftSchema(store, typeId);
}

export function propertiesOf(schema: StoredResource): SchemaProperty[] {
  return (schema.attributes.properties as SchemaProperty[] | undefined) ?? [];
}

export function relationshipsOf(
  store: Store,
  schemaId: string,
  kind?: "object" | "profile",
): Array<{ id: string; attributes: SchemaRelationship }> {
  return store
    .all(SCHEMA_RELATIONSHIP)
    .filter((r) => r.attributes.object_schema_id === schemaId)
    .map((r) => ({ id: r.id, attributes: r.attributes as unknown as SchemaRelationship }))
    .filter(
      (r) =>
        kind === undefined || (kind === "profile") === (r.attributes.related_schema_id === null),
    );
}

/** Stores a schema version of `typeId` with its source mapping; returns the schema. */
export function insertSchema(
  store: Store,
  typeId: string,
  attributes: Attributes,
  mapping: Attributes,
): StoredResource {
  const schema = store.insert(OBJECT_SCHEMA, {
    description: "",
    visibility: "private",
    status: "draft",
    required: [],
    published_at: null,
    ...attributes,
  });
  store.link(OBJECT_SCHEMA, schema.id, OBJECT_TYPE, [typeId]);
  const stored = store.insert(SOURCE_MAPPING, {
    property_mappings: [],
    relationship_mappings: [],
    ...mapping,
  });
  store.link(SOURCE_MAPPING, stored.id, OBJECT_SCHEMA, [schema.id]);
  store.setLinks(OBJECT_SCHEMA, schema.id, SOURCE_MAPPING, [stored.id]);
  store.link(OBJECT_TYPE, typeId, "schema-versions", [schema.id]);
  if (schema.attributes.status === "draft") {
    store.setLinks(OBJECT_TYPE, typeId, "draft-schema", [schema.id]);
  }
  syncTypeStatus(store, typeId);
  return schema;
}

/** An object type's status follows its schemas: active once one is current, else draft. */
export function syncTypeStatus(store: Store, typeId: string): void {
  const type = store.get(OBJECT_TYPE, typeId);
  if (!type) return;
  type.attributes.status = currentSchema(store, typeId)
    ? "active"
    : draftSchema(store, typeId)
      ? "draft"
      : "undefined";
  type.attributes.updated_at = now(store);
}

/** The data sources a mapping reads (its simple property mappings' `source_id`s). */
export function sourcesOf(mapping: StoredResource | undefined): string[] {
  const mappings = (mapping?.attributes.property_mappings as JsonObject[] | undefined) ?? [];
  const ids = mappings
    .map((m) => (m.type === "simple" ? (m.source as JsonObject | undefined)?.source_id : undefined))
    .filter((id): id is string => typeof id === "string");
  return [...new Set(ids)];
}

/** 409 when another object type or data source of the namespace has this title. */
export function checkUniqueTitle(
  state: EmulatorState,
  type: string,
  title: string,
  namespace: string,
): void {
  const taken = state.store
    .all(type)
    .some((r) => r.attributes.title === title && r.attributes.namespace === namespace);
  if (taken) {
    throw new ApiError(
      409,
      `A ${type} titled '${title}' already exists in the namespace '${namespace}'.`,
      { pointer: "/data/attributes/title" },
      { code: "duplicate" },
    );
  }
}
