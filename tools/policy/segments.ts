/** Policy of the segments tools (see tools/policy.ts). */
import type { ToolPolicy } from "../../src/engine/definition.js";

// biome-ignore format: one line per tool, so that adjusting a tool is a one-line diff.
export const segmentsPolicy = {
  create_segment: { hints: {"definition": "E.g. {\"condition_groups\":[{\"conditions\":[{\"type\":\"profile-group-membership\",\"is_member\":true,\"group_ids\":[\"LIST_ID\"]}]}]}; groups ANDed, conditions ORed. Types: profile-group-membership, -metric, -marketing-consent, -property, -region, -postal-code-distance, -predictive-analytics, -has-custom-object, -permissions, -metric-funnel"}, description: "Create a segment from a name and a definition made of condition groups (e.g. list or segment membership, metric activity, marketing consent, profile properties, location)." },
  delete_segment: { description: "Permanently delete the segment with the given segment_id." },
  get_flows_triggered_by_segment: { description: "Get the flows that the segment with the given segment_id triggers, as full flow resources." },
  get_ids_for_flows_triggered_by_segment: { description: "Get only the ids of the flows that the given segment triggers. For full flows, use get_flows_triggered_by_segment." },
  get_segment: { description: "Get the segment with the given segment_id, including its definition. Use additional_fields to add its profile_count, and include to add its tags or the flows it triggers." },
  get_segment_profiles: { core: true, description: "List the profiles in the given segment as full resources, filterable by email, phone_number, push_token and joined_group_at, sortable by joined_group_at, and paged." },
  get_segment_relationships_profiles: { description: "Get only the ids of the profiles in the given segment, filterable by email, phone_number and joined_group_at, and paged. For full profiles, use get_segment_profiles." },
  get_segment_relationships_tags: { description: "Get only the ids of the tags attached to the given segment. For full tag resources, use get_segment_tags." },
  get_segment_tags: { description: "Get all tags attached to the segment with the given segment_id, as full tag resources." },
  get_segments: { core: true, description: "List segments in the account, filterable by name, id, is_active, is_starred, created and updated, with sorting and paging (at most 10 per page)." },
  update_segment: { hints: {"definition": "As in create_segment"}, description: "Update the segment with the given segment_id: name, definition, starred or active flag. Inactive segments are not processed and their membership stops updating." },
} satisfies Record<string, ToolPolicy>;
