/**
 * npm run docs: writes docs/tools.md, docs/beta-tools.md and the README's configuration tables from the code (the
 * tool definitions and src/config/options.ts). npm run check:docs (part of npm run lint) fails
 * when either is stale. Only the regions between the README's GENERATED markers are rewritten.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type ConfigOption, OPTIONS } from "../src/config.js";
import { loadSchemas } from "../src/engine/definition.js";
import { CATALOG_TOOL_NAMES } from "../src/engine/surface/catalog-mode.js";
import { selectTools } from "../src/engine/surface/registry.js";
import { CORE_TOOLSET } from "../src/engine/surface/toolsets.js";
import { betaToolGroups, betaTools, KLAVIYO_BETA_REVISION } from "../tools/beta/index.js";
import { allTools, toolGroups } from "../tools/index.js";
import { replaceRegion } from "./docs/markdown.js";
import { meaningTable, optionsTable } from "./docs/options-table.js";
import { toolReference } from "./docs/tool-reference.js";

// Argument tables read the input schemas, which the definitions import on demand.
await loadSchemas([...allTools, ...betaTools]);

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The options "Choosing tools" presents, in its order. */
const TOOL_SELECTION_OPTIONS: readonly ConfigOption["key"][] = [
  "toolsets",
  "tools",
  "excludeTools",
  "readOnly",
  "scopes",
  "toolMode",
];

/** Every generated document: path -> its text as it should be, given the current files. */
export function renderDocs(root = projectRoot): Map<string, string> {
  const core = selectTools(allTools, { toolsets: [CORE_TOOLSET], readOnly: false });
  const selection = TOOL_SELECTION_OPTIONS.map((key) => {
    const option = OPTIONS.find((o) => o.key === key);
    if (!option) throw new Error(`no option ${key}`);
    return option;
  });
  let readme = readFileSync(resolve(root, "README.md"), "utf8");
  readme = replaceRegion(readme, "options", optionsTable(OPTIONS));
  readme = replaceRegion(readme, "tool-selection", meaningTable(selection));
  return new Map([
    ["README.md", readme],
    [
      "docs/tools.md",
      toolReference({
        tools: allTools,
        groups: toolGroups,
        core: new Set(core.map((t) => t.name)),
        catalogTools: CATALOG_TOOL_NAMES,
      }),
    ],
    [
      "docs/beta-tools.md",
      toolReference({
        tools: betaTools,
        groups: betaToolGroups,
        core: new Set(),
        catalogTools: CATALOG_TOOL_NAMES,
        betaRevision: KLAVIYO_BETA_REVISION,
      }),
    ],
  ]);
}

/** The documents that differ from what renderDocs makes. */
export function staleDocs(root = projectRoot): string[] {
  return [...renderDocs(root)]
    .filter(([path, text]) => read(resolve(root, path)) !== text)
    .map(([path]) => path);
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--check")) {
    const stale = staleDocs();
    if (stale.length > 0) {
      console.error(`Generated docs are out of date: ${stale.join(", ")}. Run: npm run docs`);
      process.exit(1);
    }
    console.error("Generated docs are current (docs/tools.md, README.md tables).");
  } else {
    for (const [path, text] of renderDocs()) writeFileSync(resolve(projectRoot, path), text);
    console.error("Wrote docs/tools.md and the README's configuration tables.");
  }
}
