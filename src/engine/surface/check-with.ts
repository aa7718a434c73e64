/**
 * For a write whose outcome is unknown (the answer was lost), the read tool that shows whether
 * it took effect: create_list -> get_lists, update_profile -> get_profile. Writes whose effect
 * shows elsewhere (subscribe_profiles -> get_profiles) name it as `checkWith` in tools/policy.ts.
 */
import { policyByName } from "../../../tools/policy.js";
import type { ToolDefinition } from "../definition.js";

/** `/api/x/{job_id}` -> `/api/x/{}`: paths name their parameters differently (`{id}`, `{job_id}`). */
const shape = (path: string) => path.replace(/\{[^}]+\}/g, "{}");

/**
 * Path shape -> the tool that GETs it. A stable write is checked with a stable read only; a
 * beta write with the beta read of its path (the same shape), else the stable one.
 */
function readsByPath(
  tools: readonly ToolDefinition[],
): (write: ToolDefinition) => Map<string, string> {
  const stable = new Map<string, string>();
  const beta = new Map<string, string>();
  for (const tool of tools) {
    if (tool.operation.method === "GET") {
      (tool.beta ? beta : stable).set(shape(tool.operation.path), tool.name);
    }
  }
  const either = new Map([...stable, ...beta]);
  return (write) => (write.beta ? either : stable);
}

/** create_list -> get_lists: the GET of the same collection, else of the same resource. */
export function readersOfWrites(tools: readonly ToolDefinition[]): Map<string, string> {
  const readsFor = readsByPath(tools);
  const out = new Map<string, string>();
  for (const tool of tools) {
    if (tool.annotations.readOnlyHint) continue;
    const reads = readsFor(tool);
    const path = shape(tool.operation.path);
    const reader =
      policyByName.get(tool.name)?.checkWith ??
      reads.get(path) ??
      reads.get(path.replace(/\/\{\}$/, "")) ??
      reads.get(`${path}/{}`);
    if (reader) out.set(tool.name, reader);
  }
  return out;
}

/**
 * spawn_create_items_job -> get_create_items_job: for a write that starts a job (POST /x), the
 * read of one job (GET /x/{id}), which an accepted answer names for polling.
 */
export function readersOfJobs(tools: readonly ToolDefinition[]): Map<string, string> {
  const readsFor = readsByPath(tools);
  const out = new Map<string, string>();
  for (const tool of tools) {
    if (tool.annotations.readOnlyHint || tool.operation.method !== "POST") continue;
    const reader = readsFor(tool).get(`${shape(tool.operation.path)}/{}`);
    if (reader && /job/.test(tool.operation.path)) out.set(tool.name, reader);
  }
  return out;
}
