/**
 * Ingestion: records sent to a data source become object records of every object type whose
 * current (active) schema maps that source, by the source mapping's JSONPaths. A record that
 * fails the schema (a missing required property, a value of the wrong type) writes an ingestion
 * log instead, as Klaviyo's validation errors. The jobs have no resource to poll: their effect
 * appears after the job delay. Records a source received before a type's first schema was
 * activated are processed when it is.
 */
import { invalidPointer } from "../../api-error.js";
import { isObject, type JsonObject, relationshipIds, resourceData } from "../../body.js";
import type { EmulatorRequest, EmulatorState, Handler } from "../../handler-types.js";
import { listDocument } from "../../listing.js";
import type { Store, StoredResource } from "../../store.js";
import { existingRelated, readEntries } from "../jobs/common.js";
import { evaluatePath } from "./json-path.js";
import {
  currentSchema,
  DATA_SOURCE,
  existing,
  INGESTION_LOG,
  mappingOf,
  now,
  OBJECT_RECORD,
  OBJECT_TYPE,
  propertiesOf,
  RAW_RECORD,
  type SchemaProperty,
  sourcesOf,
  typeOfSchema,
  uuidId,
} from "./model.js";

const MAX_RECORDS = 500;
const MAX_RECORD_BYTES = 512 * 1024;
/** Klaviyo keeps ingestion logs for 14 days. */
const LOG_RETENTION_MS = 14 * 86_400_000;

/** Stores the raw records and processes them for every active schema that maps the source. */
export function ingest(store: Store, dataSourceId: string, records: JsonObject[]): void {
  for (const record of records) {
    store.insert(RAW_RECORD, { data_source_id: dataSourceId, record, received_at: now(store) });
  }
  for (const type of store.all(OBJECT_TYPE)) {
    const schema = currentSchema(store, type.id);
    if (!schema || !sourcesOf(mappingOf(store, schema.id)).includes(dataSourceId)) continue;
    for (const record of records) processRecord(store, type.id, schema, dataSourceId, record);
  }
}

/** Processes what the mapped sources already received, when a type's first schema is activated. */
export function backfill(store: Store, schema: StoredResource): void {
  const type = typeOfSchema(store, schema.id);
  if (!type) return;
  for (const source of sourcesOf(mappingOf(store, schema.id))) {
    for (const raw of store.all(RAW_RECORD)) {
      if (raw.attributes.data_source_id !== source) continue;
      processRecord(store, type.id, schema, source, raw.attributes.record as JsonObject);
    }
  }
}

interface IngestionError {
  code: string;
  message: string;
  property: string;
  invalid_value: string | null;
}

/** One raw record through one schema's mapping: an object record, or a log of why not. */
function processRecord(
  store: Store,
  typeId: string,
  schema: StoredResource,
  sourceId: string,
  raw: JsonObject,
): void {
  const mappings = (mappingOf(store, schema.id)?.attributes.property_mappings ??
    []) as JsonObject[];
  const fromSource = mappings.filter(
    (m) => m.type === "simple" && (m.source as JsonObject).source_id === sourceId,
  );
  const idPath = String((fromSource[0]?.source as JsonObject | undefined)?.id_path ?? "$.id");
  const externalId = evaluatePath(raw, idPath);
  if (
    (typeof externalId !== "string" && typeof externalId !== "number") ||
    String(externalId) === ""
  ) {
    writeLog(store, typeId, undefined, [
      {
        code: "missing",
        message: `Field required: the record has no id at ${idPath}`,
        property: idPath,
        invalid_value: null,
      },
    ]);
    return;
  }
  const recordId = `${typeId}:::${String(externalId)}`;
  const properties = propertiesOf(schema);
  const values: JsonObject = {};
  for (const mapping of mappings) {
    const property = properties.find((p) => p.id === mapping.id);
    if (!property) continue;
    let value: unknown;
    if (mapping.type === "constant") value = mapping.value;
    else if (fromSource.includes(mapping)) {
      value = evaluatePath(raw, String((mapping.source as JsonObject).data_path));
    }
    if (value !== undefined && value !== null) values[property.name] = value;
  }
  const required = (schema.attributes.required as string[] | undefined) ?? [];
  const errors: IngestionError[] = [];
  for (const property of properties) {
    const value = values[property.name];
    if (value === undefined) {
      if (required.includes(property.name)) {
        errors.push({
          code: "missing",
          message: "Field required",
          property: property.name,
          invalid_value: null,
        });
      }
      continue;
    }
    const converted = convert(property, value);
    if (converted.ok) values[property.name] = converted.value;
    else errors.push({ ...converted.error, property: property.name });
  }
  if (errors.length > 0) {
    writeLog(store, typeId, recordId, errors);
    return;
  }
  const record = store.get(OBJECT_RECORD, recordId);
  // Each payload carries the complete object: it replaces what the record had.
  if (record) record.attributes.record_properties = values;
  else {
    store.insert(OBJECT_RECORD, { record_properties: values }, recordId);
    store.link(OBJECT_TYPE, typeId, "object-records", [recordId]);
  }
}

type Converted =
  | { ok: true; value: unknown }
  | { ok: false; error: Omit<IngestionError, "property"> };

/** A value checked (and normalized) against its property's type, as Klaviyo's validator words it. */
function convert(property: SchemaProperty, value: unknown): Converted {
  const fail = (code: string, message: string): Converted => ({
    ok: false,
    error: { code, message, invalid_value: JSON.stringify(value) },
  });
  switch (property.type) {
    case "string":
      return typeof value === "string"
        ? { ok: true, value }
        : fail("string_type", "Input should be a valid string");
    case "int":
      return Number.isInteger(value)
        ? { ok: true, value }
        : fail("int_type", "Input should be a valid integer");
    case "float":
      return typeof value === "number" && Number.isFinite(value)
        ? { ok: true, value }
        : fail("float_type", "Input should be a valid number");
    case "boolean":
      return typeof value === "boolean"
        ? { ok: true, value }
        : fail("bool_type", "Input should be a valid boolean");
    case "timestamp": {
      const ms =
        typeof value === "number"
          ? value * 1000
          : typeof value === "string"
            ? Date.parse(value)
            : NaN;
      return Number.isFinite(ms)
        ? { ok: true, value: new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+00:00") }
        : fail("datetime_parsing", "Input should be a valid datetime");
    }
  }
}

function writeLog(
  store: Store,
  typeId: string,
  recordId: string | undefined,
  errors: IngestionError[],
): void {
  const label = recordId?.split(":::").slice(1).join(":::") ?? "a record without an id";
  const log = store.insert(
    INGESTION_LOG,
    {
      status: "error",
      event_type: "validation_error",
      timestamp: now(store),
      summary: `${errors.length} validation error${errors.length === 1 ? "" : "s"} for ${label}`,
      errors,
    },
    uuidId(store, INGESTION_LOG),
  );
  store.setLinks(INGESTION_LOG, log.id, OBJECT_TYPE, [typeId]);
  if (recordId) store.setLinks(INGESTION_LOG, log.id, OBJECT_RECORD, [recordId]);
  store.link(OBJECT_TYPE, typeId, "object-ingestion-logs", [log.id]);
}

function checkRecord(value: unknown, pointer: string): JsonObject {
  if (!isObject(value)) throw invalidPointer(pointer, "'record' must be a JSON object.");
  if (JSON.stringify(value).length > MAX_RECORD_BYTES) {
    throw invalidPointer(pointer, "A record may be at most 512KB.");
  }
  return value;
}

function dataSourceOf(state: EmulatorState, relationships: JsonObject): string {
  const id = existingRelated(state, relationships, "data-source", DATA_SOURCE);
  if (!id) {
    throw invalidPointer(
      "/data/relationships/data-source",
      "Name the data source the records belong to: relationships.data-source.",
    );
  }
  return id;
}

const createRecord: Handler = (request, state) => {
  const data = resourceData(request);
  const sourceId = dataSourceOf(state, data.relationships);
  const base = "/data/attributes/data-source-record";
  const wrapper = data.attributes["data-source-record"];
  if (!isObject(wrapper) || !isObject(wrapper.data)) {
    throw invalidPointer(base, `'data-source-record' is required: {"data": {...}}.`);
  }
  if (wrapper.data.type !== "data-source-record") {
    throw invalidPointer(`${base}/data/type`, "'type' must be 'data-source-record'.");
  }
  const attributes = wrapper.data.attributes;
  const record = checkRecord(
    isObject(attributes) ? attributes.record : undefined,
    `${base}/data/attributes/record`,
  );
  state.jobs.defer(() => {
    ingest(state.store, sourceId, [record]);
    return undefined;
  });
  return { status: request.op.status };
};

const bulkCreateRecords: Handler = (request, state) => {
  const data = resourceData(request);
  const sourceId = dataSourceOf(state, data.relationships);
  const records = readEntries(data.attributes, "data-source-records", {
    type: "data-source-record",
    max: MAX_RECORDS,
  }).map((entry) => checkRecord(entry.attributes.record, `${entry.pointer}/attributes/record`));
  state.jobs.defer(() => {
    ingest(state.store, sourceId, records);
    return undefined;
  });
  return { status: request.op.status };
};

const bulkDeleteRecords: Handler = (request, state) => {
  const data = resourceData(request);
  const ids = relationshipIds(data.relationships, "object-records", OBJECT_RECORD);
  if (!ids?.length) {
    throw invalidPointer(
      "/data/relationships/object-records",
      "Name the object records to delete: relationships.object-records.data.",
    );
  }
  if (ids.length > MAX_RECORDS) {
    throw invalidPointer(
      "/data/relationships/object-records/data",
      `At most ${MAX_RECORDS} object records per job; got ${ids.length}.`,
    );
  }
  ids.forEach((id, index) => {
    if (!/^[^:]+:::.+$/.test(id)) {
      throw invalidPointer(
        `/data/relationships/object-records/data/${index}/id`,
        `'${id}' is not an object record id ('<object type id>:::<record id>').`,
      );
    }
  });
  state.jobs.defer(() => {
    for (const id of ids) state.store.delete(OBJECT_RECORD, id);
    return undefined;
  });
  return { status: request.op.status };
};

/** The type's logs of the last 14 days, newest first. */
function logs(request: EmulatorRequest, state: EmulatorState, linkage: boolean) {
  const type = existing(state.store, OBJECT_TYPE, request.params.id ?? "");
  const since = state.store.now() - LOG_RETENTION_MS;
  const items = state.store
    .related(OBJECT_TYPE, type.id, "object-ingestion-logs")
    .map((id) => state.store.get(INGESTION_LOG, id))
    .filter((log): log is StoredResource => log !== undefined)
    .filter((log) => Date.parse(String(log.attributes.timestamp)) >= since)
    .reverse();
  return { status: 200, body: listDocument(request, state, items, { linkage }) };
}

export const ingestionHandlers: Record<string, Handler> = {
  create_data_source_record: createRecord,
  bulk_create_data_source_records: bulkCreateRecords,
  bulk_delete_object_records: bulkDeleteRecords,
  get_ingestion_logs_for_object_type: (request, state) => logs(request, state, false),
  get_ingestion_log_ids_for_object_type: (request, state) => logs(request, state, true),
};
