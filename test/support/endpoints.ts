/**
 * Every Klaviyo operation the project exposes, one tool each, read here from Klaviyo's own spec
 * (spec/) rather than from the generator: every operation of the stable spec, named as in the
 * seed map (spec/endpoints.json) when the seed has it, else by its operationId; and every
 * operation of the beta spec. Tests take their counts, names and operations from here, so an
 * operation added to or dropped from the spec changes no assertion.
 */

import { BETA_SHORT_NAMES } from "../../scripts/generate/catalog.js";
import seedMap from "../../spec/endpoints.json" with { type: "json" };
import betaSpec from "../../spec/openapi-beta-2026-07-15.pre.json" with { type: "json" };
import stableSpec from "../../spec/openapi-stable-2026-07-15.json" with { type: "json" };

export interface Endpoint {
  tool_name: string;
  operation_id: string;
  method: string;
  path: string;
  /** In the seed map (spec/endpoints.json), the project's first 223 tools. */
  seed: boolean;
}

type Paths = Record<string, Record<string, { operationId?: string }>>;

function operationsOf(paths: Paths) {
  return Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).flatMap(([method, op]) =>
      op.operationId ? [{ method: method.toUpperCase(), path, operation_id: op.operationId }] : [],
    ),
  );
}

const seedByRoute = new Map(seedMap.endpoints.map((e) => [`${e.method} ${e.path}`, e]));

export const SPEC_REVISION: string = seedMap.spec_revision;
/** The stable operations, as tools listed without --beta. */
export const ENDPOINTS: readonly Endpoint[] = operationsOf(stableSpec.paths as Paths).map((op) => {
  const seeded = seedByRoute.get(`${op.method} ${op.path}`);
  return { ...op, tool_name: seeded?.tool_name ?? op.operation_id, seed: seeded !== undefined };
});
/** The beta operations, as tools listed only with --beta. */
export const BETA_ENDPOINTS: readonly Endpoint[] = operationsOf(betaSpec.paths as Paths).map(
  (op) => ({ ...op, tool_name: BETA_SHORT_NAMES[op.operation_id] ?? op.operation_id, seed: false }),
);
/** One tool per stable operation: how many tools a server with every toolset lists. */
export const ENDPOINT_COUNT = ENDPOINTS.length;
export const BETA_ENDPOINT_COUNT = BETA_ENDPOINTS.length;
/** The count the seed map states about itself (checked against its list). */
export const STATED_SEED_COUNT: number = seedMap.count;
export const SEED_ENDPOINTS: readonly Endpoint[] = ENDPOINTS.filter((e) => e.seed);

const byToolName = new Map([...ENDPOINTS, ...BETA_ENDPOINTS].map((e) => [e.tool_name, e]));

/** The endpoint a tool calls; throws naming the tool when the specs lack it. */
export function endpointOf(toolName: string): Endpoint {
  const endpoint = byToolName.get(toolName);
  if (!endpoint) throw new Error(`${toolName} is no operation of spec/`);
  return endpoint;
}
