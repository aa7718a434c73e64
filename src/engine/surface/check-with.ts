/**
 * For a write whose outcome is unknown (the answer was lost), the read tool that shows whether
 * it took effect: create_list -> get_lists, update_profile -> get_profile.
 */
import type { ToolDefinition } from "../definition.js";

/** Writes whose effect shows somewhere other than their own path. */
const READ_ELSEWHERE: Record<string, string> = {
  create_client_back_in_stock_subscription: "get_events",
  create_client_event: "get_events",
  create_client_subscription: "get_profiles",
  create_or_update_client_profile: "get_profiles",
  create_or_update_client_push_token: "get_profiles",
  create_or_update_profile: "get_profiles",
  create_or_update_push_token: "get_profiles",
  create_template_clone: "get_templates",
  merge_profiles: "get_profiles",
  request_profile_deletion: "get_profiles",
  subscribe_profiles: "get_profiles",
  suppress_profiles: "get_profiles",
  unregister_client_push_token: "get_profiles",
  unsubscribe_profiles: "get_profiles",
  unsuppress_profiles: "get_profiles",
  upload_image_from_file: "get_images",
};

/** create_list -> get_lists: the GET of the same collection, else of the same resource. */
export function readersOfWrites(tools: readonly ToolDefinition[]): Map<string, string> {
  const reads = new Map<string, string>();
  for (const tool of tools) {
    if (tool.operation.method === "GET") reads.set(tool.operation.path, tool.name);
  }
  const out = new Map<string, string>();
  for (const tool of tools) {
    if (tool.annotations.readOnlyHint) continue;
    const path = tool.operation.path;
    const reader =
      READ_ELSEWHERE[tool.name] ??
      reads.get(path) ??
      reads.get(path.replace(/\/\{[^}]+\}$/, "")) ??
      reads.get(`${path}/{id}`);
    if (reader) out.set(tool.name, reader);
  }
  return out;
}
