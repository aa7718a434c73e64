/**
 * Data sources: where records are sent. A title is unique within its namespace; a source that
 * the current or draft mapping of an object type reads cannot be deleted (map another source or
 * delete the type first). Deleting one drops the records it had received.
 */
import { ApiError, invalidPointer } from "../../api-error.js";
import { requireString, resourceData } from "../../body.js";
import type { Handler } from "../../handler-types.js";
import { readQuery } from "../../listing.js";
import { checkAttributes } from "../jobs/common.js";
import {
  checkUniqueTitle,
  currentSchema,
  DATA_SOURCE,
  DEFAULT_NAMESPACE,
  draftSchema,
  existing,
  mappingOf,
  OBJECT_TYPE,
  RAW_RECORD,
  sourcesOf,
} from "./model.js";
import { respond, VISIBILITY } from "./schemas.js";

const createDataSource: Handler = (request, state) => {
  readQuery(request, state);
  const { attributes } = resourceData(request);
  checkAttributes(
    attributes,
    {
      title: { kind: "string", required: true },
      visibility: { kind: VISIBILITY, nullable: true },
      description: { kind: "string", nullable: true },
      namespace: { kind: "string", nullable: true },
    },
    "/data/attributes",
    DATA_SOURCE,
  );
  const title = requireString(attributes, "title");
  if (title.length > 255) {
    throw invalidPointer("/data/attributes/title", "'title' may be at most 255 characters.");
  }
  const namespace = (attributes.namespace as string | null | undefined) ?? DEFAULT_NAMESPACE;
  checkUniqueTitle(state, DATA_SOURCE, title, namespace);
  const source = state.store.insert(DATA_SOURCE, {
    title,
    visibility: attributes.visibility ?? "private",
    description: attributes.description ?? "",
    namespace,
  });
  return respond(request, state, source);
};

const deleteDataSource: Handler = (request, state) => {
  readQuery(request, state);
  const { store } = state;
  const source = existing(store, DATA_SOURCE, request.params.id ?? "");
  for (const type of store.all(OBJECT_TYPE)) {
    for (const schema of [currentSchema(store, type.id), draftSchema(store, type.id)]) {
      if (schema && sourcesOf(mappingOf(store, schema.id)).includes(source.id)) {
        throw new ApiError(
          409,
          `Data source ${source.id} is read by the source mapping of object type ${type.id} (schema ${schema.id}); map another source or delete the object type first.`,
          undefined,
          { code: "conflict" },
        );
      }
    }
  }
  for (const raw of store.all(RAW_RECORD)) {
    if (raw.attributes.data_source_id === source.id) store.delete(RAW_RECORD, raw.id);
  }
  store.delete(DATA_SOURCE, source.id);
  return { status: 204 };
};

export const dataSourceHandlers: Record<string, Handler> = {
  create_data_source: createDataSource,
  delete_data_source: deleteDataSource,
};
