/** Catalog mode's search over every tool, as the eval test and bench/search.ts run it. */

import type { ToolDefinition } from "../../src/engine/definition.js";
import { searchTools } from "../../src/engine/surface/catalog-mode.js";
import { readersOfJobs } from "../../src/engine/surface/check-with.js";
import { betaTools } from "../../tools/beta/index.js";
import { allTools } from "../../tools/index.js";

export interface SearchCatalog {
  tools: readonly ToolDefinition[];
  all: readonly ToolDefinition[];
  byName: ReadonlyMap<string, ToolDefinition>;
  checkJobWith: ReadonlyMap<string, string>;
}

function catalogOf(tools: readonly ToolDefinition[]): SearchCatalog {
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  return { tools, all: tools, byName, checkJobWith: readersOfJobs(tools) };
}

/** Every stable tool, as a server without --beta offers them. */
export const STABLE_SEARCH_CATALOG = catalogOf(allTools);
/** Every tool with --beta, in the listing's order. */
export const BETA_SEARCH_CATALOG = catalogOf(
  [...allTools, ...betaTools].sort((a, b) => (a.name < b.name ? -1 : 1)),
);

/** The names search_tools answers for a request, as a client reads them. */
export function searchedNames(request: string, catalog: SearchCatalog, limit = 5): string[] {
  const result = searchTools({ query: request, limit }, catalog);
  const text = (result.content[0] as { text: string }).text;
  return (JSON.parse(text) as { tools: Array<{ name: string }> }).tools.map((tool) => tool.name);
}
