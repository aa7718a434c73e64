/**
 * npm run generate: reads ../shared (Klaviyo's OpenAPI spec and the seed map) and writes
 * tools/<group>.ts, schemas/<group>.ts, the emulator catalog (emulator/catalog/) and the
 * untrusted-attribute table (src/engine/call/untrusted-attributes.ts). The
 * output is committed; neither the server nor the emulator reads
 * ../shared at run time.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildTool } from "./generate/build-tool.js";
import { emitFiles } from "./generate/emit.js";
import { buildEmulatorCatalog } from "./generate/emulator-catalog.js";
import { loadInputs } from "./generate/spec.js";
import { buildUntrustedAttributes } from "./generate/untrusted-attributes.js";

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const sharedDir = resolve(
  process.env.KLAVIYO_SHARED_DIR ?? resolve(projectRoot, "../shared"),
);
const REVISION = "2026-07-15";

export function generate(): Map<string, string> {
  const { spec, endpoints } = loadInputs(sharedDir);
  const descriptionFile = resolve(projectRoot, "scripts/descriptions.json");
  const descriptions = existsSync(descriptionFile)
    ? (JSON.parse(readFileSync(descriptionFile, "utf8")) as Record<string, string>)
    : {};
  const plans = endpoints.map((seed) => buildTool(spec, seed, descriptions[seed.tool_name]));
  const missing = endpoints.filter((e) => !descriptions[e.tool_name]).map((e) => e.tool_name);
  if (missing.length)
    console.warn(
      `warning: no hand-written description for ${missing.length} tools: ${missing.slice(0, 5).join(", ")}...`,
    );
  const catalog = buildEmulatorCatalog(spec, endpoints);
  return emitFiles(plans, catalog, buildUntrustedAttributes(spec), REVISION, projectRoot);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!existsSync(sharedDir)) {
    console.error(
      `Cannot generate: ${sharedDir} is absent. Set KLAVIYO_SHARED_DIR to the folder holding klaviyo/.`,
    );
    process.exit(1);
  }
  const files = generate();
  for (const [path, text] of files) {
    mkdirSync(dirname(resolve(projectRoot, path)), { recursive: true });
    writeFileSync(resolve(projectRoot, path), text);
  }
  console.error(`Generated ${files.size} files.`);
}
