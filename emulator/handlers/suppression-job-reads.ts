/**
 * Reading bulk suppress and unsuppress jobs back: the generic reads, with the list or segment a
 * job suppressed shown as linkage (Klaviyo shows them; the generic rendering shows to-many
 * linkage only when included, and these jobs take no `include`).
 */
import type { JsonObject } from "../body.js";
import type { Handler } from "../handler-types.js";
import { genericHandler } from "./generic.js";

function withAudiences(path: string): Handler {
  const base = genericHandler("GET", path) as Handler;
  return async (request, state) => {
    const result = await base(request, state);
    const data = (result.body as { data: JsonObject | JsonObject[] }).data;
    for (const job of [data].flat()) {
      const relationships = job.relationships as Record<string, JsonObject>;
      for (const [name, type] of [
        ["lists", "list"],
        ["segments", "segment"],
      ] as const) {
        const ids = state.store.related(String(job.type), String(job.id), name);
        relationships[name] = { ...relationships[name], data: ids.map((id) => ({ type, id })) };
      }
    }
    return result;
  };
}

export const suppressionJobReadHandlers: Record<string, Handler> = {
  get_bulk_suppress_profiles_jobs: withAudiences("/api/profile-suppression-bulk-create-jobs"),
  get_bulk_suppress_profiles_job: withAudiences(
    "/api/profile-suppression-bulk-create-jobs/{job_id}",
  ),
  get_bulk_unsuppress_profiles_jobs: withAudiences("/api/profile-suppression-bulk-delete-jobs"),
  get_bulk_unsuppress_profiles_job: withAudiences(
    "/api/profile-suppression-bulk-delete-jobs/{job_id}",
  ),
};
