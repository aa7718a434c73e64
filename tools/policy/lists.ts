/** Policy of the lists tools (see tools/policy.ts). */
import { removeProfilesFromList } from "../../src/engine/call/special/remove-profiles.js";
import type { ToolPolicy } from "../../src/engine/definition.js";

// biome-ignore format: one line per tool, so that adjusting a tool is a one-line diff.
export const listsPolicy = {
  add_profiles_to_list: { core: true, annotations: { idempotentHint: true }, checkWith: "get_list_profiles", description: "Add profiles, by id (at most 1000 per call), to the list with the given list_id. This gives no marketing consent; to subscribe profiles, use subscribe_profiles." },
  create_list: { core: true, description: "Create a new list with a name and an optional opt-in process (single or double opt-in)." },
  delete_list: { description: "Permanently delete the list with the given list_id." },
  get_flows_triggered_by_list: { description: "Get the flows that the list with the given list_id triggers, as full flow resources." },
  get_ids_for_flows_triggered_by_list: { description: "Get only the ids of the flows that the given list triggers. For full flows, use get_flows_triggered_by_list." },
  get_list: { core: true, description: "Get the list with the given list_id. Use additional_fields to add its profile_count, and include to add its tags or the flows it triggers." },
  get_list_profiles: { core: true, description: "List the profiles in the given list as full resources, filterable by email, phone_number, push_token and joined_group_at, sortable by joined_group_at, and paged." },
  get_list_relationships_profiles: { description: "Get only the ids of the profiles in the given list, filterable by email, phone_number and joined_group_at, and paged. For full profiles, use get_list_profiles." },
  get_list_relationships_tags: { description: "Get only the ids of the tags attached to the given list. For full tag resources, use get_list_tags." },
  get_list_tags: { description: "Get all tags attached to the list with the given list_id, as full tag resources." },
  get_lists: { core: true, description: "List lists in the account, filterable by id, name, created and updated, with sorting and paging (at most 10 per page). Use include to add their tags or the flows they trigger." },
  remove_profile_from_list: {
    core: true, handler: removeProfilesFromList,
    input: {
      profile_ids: 'z.array(z.string().min(1)).min(1).max(1000).describe("Ids of the profiles (at most 1000 per call). Give profile_ids, emails, or both.").optional()',
      emails: 'z.array(z.email()).min(1).max(1000).describe("Emails of the profiles to remove; each is looked up first (profiles:read).").optional()',
    },
    description: "Remove profiles from the list with the given list_id, by profile_ids or by emails (emails are looked up first). Their consent and subscription status is unchanged; use unsubscribe_profiles for that.",
  },
  update_list: { description: "Update the name or opt-in process of the list with the given list_id." },
} satisfies Record<string, ToolPolicy>;
