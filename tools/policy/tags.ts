/** Policy of the tags tools (see tools/policy.ts). */
import type { ToolPolicy } from "../../src/engine/definition.js";

// biome-ignore format: one line per tool, so that adjusting a tool is a one-line diff.
export const tagsPolicy = {
  create_tag: { description: "Create a tag in the given tag group, or in the account's default tag group if none is given. An account can have at most 500 tags." },
  create_tag_group: { description: "Create a tag group (at most 50 per account). Groups are non-exclusive by default; in an exclusive group a campaign, flow, list or segment can carry only one of its tags." },
  create_tag_relationships_campaigns: { description: "Attach the tag with the given tag_id to one or more campaigns, passed by id. A campaign can have at most 100 tags." },
  create_tag_relationships_flows: { description: "Attach the tag with the given tag_id to one or more flows, passed by id. A flow can have at most 100 tags." },
  create_tag_relationships_lists: { description: "Attach the tag with the given tag_id to one or more lists, passed by id. A list can have at most 100 tags." },
  create_tag_relationships_segments: { description: "Attach the tag with the given tag_id to one or more segments, passed by id. A segment can have at most 100 tags." },
  delete_tag: { description: "Delete the tag with the given tag_id, also removing it from every campaign, flow, list and segment it was attached to." },
  delete_tag_group: { description: "Delete the tag group with the given tag_group_id along with all of its tags and their associations. The account's default tag group cannot be deleted." },
  delete_tag_relationships_campaigns: { description: "Detach the tag with the given tag_id from one or more campaigns, passed by id. The campaigns themselves are not changed otherwise." },
  delete_tag_relationships_flows: { description: "Detach the tag with the given tag_id from one or more flows, passed by id. The flows themselves are not changed otherwise." },
  delete_tag_relationships_lists: { description: "Detach the tag with the given tag_id from one or more lists, passed by id. The lists themselves are not changed otherwise." },
  delete_tag_relationships_segments: { description: "Detach the tag with the given tag_id from one or more segments, passed by id. The segments themselves are not changed otherwise." },
  get_tag: { description: "Get the tag with the given tag_id. Use include to add its tag group." },
  get_tag_group: { description: "Get the tag group with the given tag_group_id." },
  get_tag_group_relationships_tags: { description: "Get only the ids of the tags in the given tag group. For full tag resources, use get_tag_group_tags." },
  get_tag_group_tags: { description: "Get all tags in the tag group with the given tag_group_id, as full tag resources." },
  get_tag_groups: { description: "List tag groups in the account, including the default group, filterable by name, exclusive and default, sortable by name or id (at most 25 per page)." },
  get_tag_relationships_campaigns: { description: "Get only the ids of the campaigns that the given tag is attached to." },
  get_tag_relationships_flows: { description: "Get only the ids of the flows that the given tag is attached to." },
  get_tag_relationships_lists: { description: "Get only the ids of the lists that the given tag is attached to." },
  get_tag_relationships_segments: { description: "Get only the ids of the segments that the given tag is attached to." },
  get_tag_relationships_tag_group: { description: "Get only the id of the tag group that the given tag belongs to. For the full tag group, use get_tag_tag_group." },
  get_tag_tag_group: { description: "Get the tag group that the tag with the given tag_id belongs to, as a full resource." },
  get_tags: { description: "List tags in the account, filterable by name, sortable by name or id (at most 50 per page). Use include to add their tag groups." },
  update_tag: { description: "Rename the tag with the given tag_id. Only the name can change; a tag cannot move to another tag group." },
  update_tag_group: { description: "Rename the tag group with the given tag_group_id. Only the name can change, not whether it is exclusive or the default." },
} satisfies Record<string, ToolPolicy>;
