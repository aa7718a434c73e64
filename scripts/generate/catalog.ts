/**
 * Which of Klaviyo's operations become tools, and under which name and toolset. Every operation
 * of the stable spec is one tool: the seed map's endpoints keep their seed names (spec/README.md),
 * every other operation is named by its operationId. The beta spec's operations (all tagged
 * "Beta APIs") become tools shown only with `--beta`, named by their operationId (which ends in
 * `_beta`) unless it is too long, and grouped by the resource their path names.
 */
import type { RateLimit } from "../../src/engine/definition.js";
import type { SeedEndpoint, Spec } from "./spec.js";
import { groupSlug } from "./text.js";

/** One operation that becomes one tool. */
export interface CatalogEndpoint {
  tool_name: string;
  operation_id: string;
  method: string;
  path: string;
  /** The toolset (tools/<group>.ts). */
  group: string;
  /** The seed map's scopes and rate limit, when it has the endpoint (else the spec's). */
  scopes?: string[];
  rate_limit?: RateLimit;
  /** From the beta spec: listed only with `--beta`, sent with the beta revision. */
  beta?: true;
  /** A beta operation on the method and path of a stable one: that one's operationId. */
  stable_twin?: string;
}

/**
 * The longest tool name. MCP allows 128 characters, but several clients refuse tool names over
 * 64 with the server's name in front; 56 leaves room for a short prefix.
 */
export const MAX_TOOL_NAME = 56;

/** Beta operationIds too long for MAX_TOOL_NAME, and the shorter name each tool takes. */
export const BETA_SHORT_NAMES: Readonly<Record<string, string>> = {
  get_messaging_sender_registration_for_text_messaging_sender_beta:
    "get_sender_registration_for_text_sender_beta",
  get_messaging_sender_registration_id_for_text_messaging_sender_beta:
    "get_sender_registration_id_for_text_sender_beta",
  get_agent_message_ids_for_customer_agent_conversation_beta:
    "get_message_ids_for_customer_agent_conversation_beta",
};

/**
 * The toolset of a beta operation, by the first path segment after /api/ (the spec tags them all
 * "Beta APIs"). The first rule whose prefix matches wins; an unmatched path fails the generator.
 */
const BETA_GROUPS: ReadonlyArray<readonly [prefix: string, group: string]> = [
  ["campaign", "campaigns"],
  ["translations", "campaigns"],
  ["brand", "brand"],
  ["sending-domain", "sending_setup"],
  ["text-messaging", "sending_setup"],
  ["api-keys", "accounts"],
  ["applications", "accounts"],
  ["billing-usage", "accounts"],
  ["profile-bulk-export", "exports"],
  ["event-bulk-export", "exports"],
  ["agent", "agents"],
  ["customer-agent", "agents"],
  ["template-preview", "templates"],
];

export function catalogEndpoints(
  stable: Spec,
  seed: SeedEndpoint[],
  beta?: Spec,
): CatalogEndpoint[] {
  const seedByRoute = new Map(seed.map((e) => [`${e.method.toUpperCase()} ${e.path}`, e]));
  const endpoints: CatalogEndpoint[] = [];
  for (const { method, path, op } of operations(stable)) {
    const seeded = seedByRoute.get(`${method} ${path}`);
    seedByRoute.delete(`${method} ${path}`);
    endpoints.push({
      tool_name: seeded?.tool_name ?? op.operationId,
      operation_id: op.operationId,
      method,
      path,
      group: groupSlug(seeded?.tag ?? op.tags?.[0] ?? "other"),
      ...(seeded ? { scopes: seeded.scopes, rate_limit: seeded.rate_limit } : {}),
    });
  }
  if (seedByRoute.size > 0) {
    throw new Error(`seed endpoints not in the spec: ${[...seedByRoute.keys()].join(", ")}`);
  }
  const stableByRoute = new Map(endpoints.map((e) => [`${e.method} ${e.path}`, e.operation_id]));
  for (const { method, path, op } of beta ? operations(beta) : []) {
    const twin = stableByRoute.get(`${method} ${path}`);
    endpoints.push({
      tool_name: BETA_SHORT_NAMES[op.operationId] ?? op.operationId,
      operation_id: op.operationId,
      method,
      path,
      group: betaGroup(path),
      beta: true,
      ...(twin ? { stable_twin: twin } : {}),
    });
  }
  const names = new Set<string>();
  for (const endpoint of endpoints) {
    if (names.has(endpoint.tool_name)) throw new Error(`two tools named ${endpoint.tool_name}`);
    if (endpoint.tool_name.length > MAX_TOOL_NAME) {
      throw new Error(
        `${endpoint.tool_name} is longer than ${MAX_TOOL_NAME} characters: give it a shorter name in BETA_SHORT_NAMES (scripts/generate/catalog.ts)`,
      );
    }
    names.add(endpoint.tool_name);
  }
  return endpoints;
}

function* operations(spec: Spec) {
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (op?.operationId) yield { method: method.toUpperCase(), path, op };
    }
  }
}

function betaGroup(path: string): string {
  const segment = path.split("/")[2] ?? "";
  const rule = BETA_GROUPS.find(([prefix]) => segment.startsWith(prefix));
  if (!rule) throw new Error(`no toolset for the beta path ${path}: add one to BETA_GROUPS`);
  return rule[1];
}
