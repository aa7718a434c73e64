/**
 * Vitest setup: every toolset's input schemas, stable and beta, loaded before a test file runs,
 * so that tests may read a definition's `input` and `inputJsonSchema` at once, as they did when
 * start-up loaded them all (the server itself imports a toolset's on its first call).
 */

import { loadSchemas } from "../../src/engine/definition.js";
import { betaTools } from "../../tools/beta/index.js";
import { allTools } from "../../tools/index.js";

await loadSchemas([...allTools, ...betaTools]);
