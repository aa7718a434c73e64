/**
 * The tools/list entries of a selection. A stable tool's entry reads the same with or without
 * --beta: its id sources, `fields` homes and "As in" references are found among stable tools
 * only. Beta tools are listed after, and may refer to stable tools as well as to beta ones.
 */
import type { ToolDefinition } from "../definition.js";
import { type CompactTool, compactTool, fieldHomes, idSources } from "./registry.js";
import { referRepeats } from "./repeats.js";

/**
 * `all`: every tool of the catalog (id sources may name a tool the selection leaves out, as
 * without --beta); `tools`: the selected ones, in the order of the listing.
 */
export function listTools(
  all: readonly ToolDefinition[],
  tools: readonly ToolDefinition[],
): CompactTool[] {
  const stableAll = all.filter((tool) => !tool.beta);
  const stable = tools.filter((tool) => !tool.beta);
  const beta = tools.filter((tool) => tool.beta);
  const stableContext = { idSources: idSources(stableAll), fieldHomes: fieldHomes(stable) };
  const stableListed = stable.map((tool) => compactTool(tool, stableContext));
  const stableEntries = referRepeats(stableListed);
  if (beta.length === 0) return stableEntries;
  const betaContext = {
    // A beta tool's ids come from the beta listing where it has one (the same shape).
    idSources: idSources([...stableAll, ...all.filter((tool) => tool.beta)]),
    // Where a stable tool states a `fields` type, beta tools refer to it too.
    fieldHomes: new Map([...fieldHomes([...stable, ...beta]), ...stableContext.fieldHomes]),
  };
  const betaListed = beta.map((tool) => compactTool(tool, betaContext));
  // The combined pass picks as a home the shortest name, which among stable tools is the one
  // the stable pass picked: stable entries are taken from the stable pass, unchanged.
  const entries = new Map(
    [
      ...stableEntries,
      ...referRepeats([...stableListed, ...betaListed]).slice(stableListed.length),
    ].map((entry) => [entry.name, entry]),
  );
  return tools.map((tool) => entries.get(tool.name) as CompactTool);
}
