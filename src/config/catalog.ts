/**
 * The catalog a server offers: the stable tools, plus Klaviyo's beta operations with --beta.
 * The beta definitions and their schemas are imported only then: without the flag they cost
 * nothing at start-up. Everything that needs "every tool" (selection, listing, catalog mode,
 * readers of writes, OAuth scope checks) gets the catalog built here, through the runtime.
 */
import { allTools, toolGroups } from "../../tools/index.js";
import type { ToolDefinition } from "../engine/definition.js";

export interface ToolCatalog {
  /** Every tool the server can offer, sorted by name: the order of tools/list. */
  definitions: readonly ToolDefinition[];
  /** Their toolsets, sorted. */
  groups: readonly string[];
}

export const STABLE_CATALOG: ToolCatalog = { definitions: allTools, groups: toolGroups };

let withBeta: Promise<ToolCatalog> | undefined;

export function loadToolCatalog(beta: boolean): Promise<ToolCatalog> {
  if (!beta) return Promise.resolve(STABLE_CATALOG);
  withBeta ??= import("../../tools/beta/index.js").then(({ betaTools, betaToolGroups }) => ({
    definitions: [...allTools, ...betaTools].sort((a, b) => (a.name < b.name ? -1 : 1)),
    groups: [...new Set<string>([...toolGroups, ...betaToolGroups])].sort(),
  }));
  return withBeta;
}
