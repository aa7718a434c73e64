/**
 * The catalog a server offers: the stable tools, plus Klaviyo's beta operations with --beta.
 * The beta definitions and their schemas are imported only then: without the flag they cost
 * nothing at start-up. Everything that needs "every tool" (selection, listing, catalog mode,
 * readers of writes, OAuth scope checks) gets the catalog built here, through the runtime.
 */
import { allTools, toolGroups } from "../../tools/index.js";
import type { ToolDefinition } from "../engine/definition.js";
import type { CompactTool } from "../engine/surface/registry.js";
import { PREBUILT_LISTING } from "./prebuilt-listing.js";

export interface ToolCatalog {
  /** Every tool the server can offer, sorted by name: the order of tools/list. */
  definitions: readonly ToolDefinition[];
  /** Their toolsets, sorted. */
  groups: readonly string[];
  /**
   * The tools/list entries of all `definitions`, in their order, when the build made them (the
   * bundle): a server that offers every tool lists these instead of computing them.
   */
  prebuiltListing?: readonly CompactTool[];
}

export const STABLE_CATALOG: ToolCatalog = {
  definitions: allTools,
  groups: toolGroups,
  prebuiltListing: PREBUILT_LISTING,
};

let withBeta: Promise<ToolCatalog> | undefined;

export function loadToolCatalog(beta: boolean): Promise<ToolCatalog> {
  if (!beta) return Promise.resolve(STABLE_CATALOG);
  withBeta ??= Promise.all([
    import("../../tools/beta/index.js"),
    import("./prebuilt-beta-listing.js"),
  ]).then(([{ betaTools, betaToolGroups }, { PREBUILT_BETA_LISTING }]) => {
    const definitions = [...allTools, ...betaTools].sort((a, b) => (a.name < b.name ? -1 : 1));
    return {
      definitions,
      groups: [...new Set<string>([...toolGroups, ...betaToolGroups])].sort(),
      prebuiltListing: inOrderOf(definitions, [
        ...(PREBUILT_LISTING ?? []),
        ...(PREBUILT_BETA_LISTING ?? []),
      ]),
    };
  });
  return withBeta;
}

/** The entries in the definitions' order; undefined unless there is one for each. */
function inOrderOf(
  definitions: readonly ToolDefinition[],
  entries: readonly CompactTool[],
): CompactTool[] | undefined {
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  const ordered = definitions.flatMap((tool) => byName.get(tool.name) ?? []);
  return ordered.length === definitions.length ? ordered : undefined;
}
