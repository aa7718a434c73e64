/** Handlers for the operations the generic JSON:API handler cannot serve, by operation id. */
import type { Handler } from "../context.js";
import { contentHandlers } from "./content.js";
import { jobHandlers } from "./jobs.js";
import { profileHandlers } from "./profiles.js";

export const specialHandlers: Readonly<Record<string, Handler>> = {
  ...jobHandlers,
  ...profileHandlers,
  ...contentHandlers,
};
