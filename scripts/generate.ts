/**
 * npm run generate: reads spec/ (Klaviyo's OpenAPI spec and the seed map, kept in the repository)
 * and the hand-written tool policy (tools/policy.ts), and writes tools/<group>.ts, schemas/<group>.ts, the emulator's operation table (emulator/operations/),
 * the untrusted-attribute table (src/engine/call/untrusted-attributes.ts) and the request
 * schemas every request is checked against before it is sent (schemas/requests/). The
 * output is committed; neither the server nor the emulator reads spec/ at run time.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { policyByName } from "../tools/policy.js";
import { buildTool } from "./generate/build-tool.js";
import { catalogEndpoints } from "./generate/catalog.js";
import { emitFiles } from "./generate/emit.js";
import { buildEmulatorOperations } from "./generate/emulator-operations.js";
import { applyRequestErrata } from "./generate/request-errata.js";
import { buildRequestSchemas } from "./generate/request-schemas.js";
import { loadInputs } from "./generate/spec.js";
import { buildUntrustedAttributes } from "./generate/untrusted-attributes.js";

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** Klaviyo's OpenAPI spec and the seed map (spec/README.md says where they come from). */
export const specDir = resolve(projectRoot, "spec");
const REVISION = "2026-07-15";
const BETA_REVISION = "2026-07-15.pre";

export function generate(): Map<string, string> {
  const { spec, beta, seed } = loadInputs(specDir);
  const endpoints = catalogEndpoints(spec, seed, beta);
  checkPolicyNames(new Set(endpoints.map((e) => e.tool_name)));
  const stableEndpoints = endpoints.filter((e) => !e.beta);
  const betaEndpoints = endpoints.filter((e) => e.beta);
  const missing = stableEndpoints
    .filter((e) => !policyByName.has(e.tool_name))
    .map((e) => e.tool_name);
  if (missing.length)
    console.warn(
      `warning: no entry in tools/policy/ (so the spec's description) for ${missing.length} tools: ${missing.slice(0, 5).join(", ")}...`,
    );
  return emitFiles(
    {
      stable: {
        plans: stableEndpoints.map((e) => buildTool(spec, e, policyByName.get(e.tool_name))),
        operations: buildEmulatorOperations(spec, stableEndpoints),
        requests: buildRequestSchemas(applyRequestErrata(spec, "stable"), stableEndpoints),
        revision: REVISION,
      },
      beta: {
        plans: betaEndpoints.map((e) =>
          buildTool(beta, e, policyByName.get(e.tool_name), BETA_REVISION),
        ),
        operations: buildEmulatorOperations(beta, betaEndpoints),
        requests: buildRequestSchemas(applyRequestErrata(beta, "beta"), betaEndpoints, "beta/"),
        revision: BETA_REVISION,
      },
    },
    buildUntrustedAttributes(spec),
    projectRoot,
  );
}

/** A policy entry or checkWith naming no tool is a typo: it would silently do nothing. */
function checkPolicyNames(toolNames: ReadonlySet<string>): void {
  const unknown: string[] = [];
  for (const [name, policy] of policyByName) {
    if (!toolNames.has(name)) unknown.push(name);
    if (policy.checkWith && !toolNames.has(policy.checkWith)) unknown.push(policy.checkWith);
  }
  if (unknown.length > 0) {
    throw new Error(`tools/policy.ts names tools that do not exist: ${unknown.join(", ")}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = generate();
  for (const [path, text] of files) {
    mkdirSync(dirname(resolve(projectRoot, path)), { recursive: true });
    writeFileSync(resolve(projectRoot, path), text);
  }
  console.error(`Generated ${files.size} files.`);
}
