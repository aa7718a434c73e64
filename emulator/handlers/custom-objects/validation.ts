/**
 * Checks of custom object requests against the spec's shapes and Klaviyo's rules: schema
 * properties (positive integer ids, unique names, one of the five types), `required` naming
 * properties, and source mappings whose property ids, data sources, JSONPaths and relationships
 * exist. Each failure is a 400 (404 for a missing data source) pointing at the value.
 */
import { ApiError, invalidPointer } from "../../api-error.js";
import { isObject, type JsonObject } from "../../body.js";
import type { Store } from "../../store.js";
import { parsePath } from "./json-path.js";
import { DATA_SOURCE, PROPERTY_TYPES, relationshipsOf, type SchemaProperty } from "./model.js";

export function checkProperties(value: unknown, pointer: string): SchemaProperty[] {
  if (!Array.isArray(value)) throw invalidPointer(pointer, "'properties' must be an array.");
  const ids = new Set<number>();
  const names = new Set<string>();
  return value.map((item, index) => {
    const at = `${pointer}/${index}`;
    if (!isObject(item)) throw invalidPointer(at, "Expected {id, name, type, description?}.");
    const { id, name, type, description } = item;
    if (!Number.isInteger(id) || (id as number) < 1) {
      throw invalidPointer(`${at}/id`, "'id' must be a positive integer.");
    }
    if (ids.has(id as number)) {
      throw invalidPointer(`${at}/id`, `Property id ${String(id)} is used twice.`);
    }
    if (typeof name !== "string" || name.trim() === "") {
      throw invalidPointer(`${at}/name`, "'name' is required and must be a non-empty string.");
    }
    if (names.has(name))
      throw invalidPointer(`${at}/name`, `Property name '${name}' is used twice.`);
    if (!PROPERTY_TYPES.includes(type as SchemaProperty["type"])) {
      throw invalidPointer(`${at}/type`, `'type' must be one of ${PROPERTY_TYPES.join(", ")}.`);
    }
    if (description !== undefined && description !== null && typeof description !== "string") {
      throw invalidPointer(`${at}/description`, "'description' must be a string.");
    }
    ids.add(id as number);
    names.add(name);
    return {
      id: id as number,
      name,
      type: type as SchemaProperty["type"],
      description: (description as string | null | undefined) ?? "",
    };
  });
}

export function checkRequired(
  value: unknown,
  properties: SchemaProperty[],
  pointer: string,
): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw invalidPointer(pointer, "'required' must be an array of property names.");
  }
  value.forEach((name, index) => {
    if (!properties.some((p) => p.name === name)) {
      throw invalidPointer(`${pointer}/${index}`, `'${name}' is not a property of the schema.`);
    }
  });
  return value as string[];
}

/** A data source id that must exist: 404 pointing at it otherwise. */
function checkSource(store: Store, value: unknown, pointer: string): string {
  if (typeof value !== "string" || value === "") {
    throw invalidPointer(pointer, "'source_id' is required: the data source's id.");
  }
  if (!store.get(DATA_SOURCE, value)) {
    throw new ApiError(404, `A data-source with id ${value} does not exist.`, { pointer });
  }
  return value;
}

function checkPath(value: unknown, pointer: string): void {
  if (typeof value !== "string" || !parsePath(value)) {
    throw invalidPointer(
      pointer,
      "Expected a JSONPath into the record, such as $.id, $.owner.email or $['pet name'].",
    );
  }
}

/**
 * The source mapping attributes of a create or update, checked against the schema's properties
 * and (for an existing schema) its relationships. `null` or absent lists stay empty.
 */
export function checkMapping(
  store: Store,
  attributes: JsonObject,
  properties: SchemaProperty[],
  schemaId: string | undefined,
  pointer: string,
): { property_mappings: JsonObject[]; relationship_mappings: JsonObject[] } {
  const propertyMappings = attributes.property_mappings ?? [];
  const relationshipMappings = attributes.relationship_mappings ?? [];
  if (!Array.isArray(propertyMappings)) {
    throw invalidPointer(`${pointer}/property_mappings`, "'property_mappings' must be an array.");
  }
  if (!Array.isArray(relationshipMappings)) {
    throw invalidPointer(
      `${pointer}/relationship_mappings`,
      "'relationship_mappings' must be an array.",
    );
  }
  const mapped = new Set<number>();
  propertyMappings.forEach((item, index) => {
    const at = `${pointer}/property_mappings/${index}`;
    if (!isObject(item))
      throw invalidPointer(at, "Expected {id, type, value} or {id, type, source}.");
    const property = properties.find((p) => p.id === item.id);
    if (!property) {
      throw invalidPointer(`${at}/id`, `The schema has no property with id ${String(item.id)}.`);
    }
    if (mapped.has(property.id)) {
      throw invalidPointer(`${at}/id`, `Property ${property.id} is mapped twice.`);
    }
    mapped.add(property.id);
    if (item.type === "constant") {
      if (!["string", "number", "boolean"].includes(typeof item.value)) {
        throw invalidPointer(
          `${at}/value`,
          "A constant's 'value' must be a string, number or boolean.",
        );
      }
    } else if (item.type === "simple") {
      const source = item.source;
      if (!isObject(source)) {
        throw invalidPointer(
          `${at}/source`,
          "'source' is required: {source_id, id_path, data_path}.",
        );
      }
      checkSource(store, source.source_id, `${at}/source/source_id`);
      checkPath(source.id_path, `${at}/source/id_path`);
      checkPath(source.data_path, `${at}/source/data_path`);
    } else {
      throw invalidPointer(`${at}/type`, "'type' must be 'constant' or 'simple'.");
    }
  });
  relationshipMappings.forEach((item, index) => {
    checkRelationshipMapping(store, item, schemaId, `${pointer}/relationship_mappings/${index}`);
  });
  return {
    property_mappings: propertyMappings as JsonObject[],
    relationship_mappings: relationshipMappings as JsonObject[],
  };
}

function checkRelationshipMapping(
  store: Store,
  item: unknown,
  schemaId: string | undefined,
  at: string,
): void {
  if (!isObject(item)) throw invalidPointer(at, "Expected {relationship_id, type, source}.");
  if (item.type !== "simple") throw invalidPointer(`${at}/type`, "'type' must be 'simple'.");
  const source = item.source;
  if (!isObject(source)) throw invalidPointer(`${at}/source`, "'source' is required.");
  checkSource(store, source.source_id, `${at}/source/source_id`);
  checkPath(source.id_path, `${at}/source/id_path`);
  const kind = source.type === "profile" ? "profile" : "object";
  if (source.type === "profile") {
    const paths = source.related_id_paths;
    if (!Array.isArray(paths) || paths.length === 0) {
      throw invalidPointer(
        `${at}/source/related_id_paths`,
        "'related_id_paths' must list {identifier_type, path} entries.",
      );
    }
    paths.forEach((entry, i) => {
      const types = ["anonymous", "email", "external-id", "klaviyo-id", "phone"];
      if (!isObject(entry) || !types.includes(entry.identifier_type as string)) {
        throw invalidPointer(
          `${at}/source/related_id_paths/${i}/identifier_type`,
          `'identifier_type' must be one of ${types.join(", ")}.`,
        );
      }
      checkPath(entry.path, `${at}/source/related_id_paths/${i}/path`);
    });
  } else if (source.type === "custom-object") {
    checkPath(source.related_id_path, `${at}/source/related_id_path`);
  } else {
    throw invalidPointer(`${at}/source/type`, "'type' must be 'custom-object' or 'profile'.");
  }
  const known = schemaId ? relationshipsOf(store, schemaId, kind) : [];
  if (!known.some((r) => r.attributes.relationship_id === item.relationship_id)) {
    throw invalidPointer(
      `${at}/relationship_id`,
      `The schema has no ${kind === "profile" ? "profile" : "object"} relationship with id ${String(item.relationship_id)}.`,
    );
  }
}
