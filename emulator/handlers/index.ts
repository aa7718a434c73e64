/**
 * Handlers dedicated to one operation each, by operation id: the operations the generic JSON:API
 * handler cannot serve (bulk jobs, profile upserts and merges, events, push tokens, the client
 * endpoints, template rendering, image uploads, reports).
 */
import type { Handler } from "../handler-types.js";
import { betaHandlers } from "./beta/index.js";
import { contentHandlers } from "./content.js";
import { customDataHandlers } from "./custom-data.js";
import { jobHandlers } from "./jobs.js";
import { marketingAdditionHandlers } from "./marketing-additions.js";
import { profileHandlers } from "./profiles.js";

export const dedicatedHandlers: Readonly<Record<string, Handler>> = {
  ...jobHandlers,
  ...profileHandlers,
  ...contentHandlers,
  ...customDataHandlers,
  ...marketingAdditionHandlers,
  ...betaHandlers,
};
