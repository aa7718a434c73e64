/**
 * Klaviyo's Custom Objects API: data sources, object types with schema versions and source
 * mappings, schema relationships, record ingestion (with its logs) and record deletion. Reads of
 * plain resources and links (records, schema versions, mappings) are the generic handler's.
 */
import type { Handler } from "../handler-types.js";
import { dataSourceHandlers } from "./custom-objects/data-sources.js";
import { ingestionHandlers } from "./custom-objects/ingestion.js";
import { relationshipHandlers } from "./custom-objects/relationships.js";
import { schemaHandlers } from "./custom-objects/schemas.js";

export const customObjectHandlers: Record<string, Handler> = {
  ...dataSourceHandlers,
  ...schemaHandlers,
  ...relationshipHandlers,
  ...ingestionHandlers,
};
