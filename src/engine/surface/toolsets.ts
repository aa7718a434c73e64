/**
 * Named selections of tools beyond the resource groups. `core` covers the everyday jobs of a
 * marketer's assistant (find people, lists and segments, consent, campaigns and flows, events
 * and their numbers) in about 25 tools, for clients that pay for every tool in the context.
 */
export const CORE_TOOLSET = "core";

export const CORE_TOOLS: readonly string[] = [
  "get_accounts",
  "get_profiles",
  "get_profile",
  "create_or_update_profile",
  "update_profile",
  "get_lists",
  "get_list",
  "create_list",
  "get_list_profiles",
  "remove_profile_from_list",
  "subscribe_profiles",
  "unsubscribe_profiles",
  "get_segments",
  "get_segment_profiles",
  "get_campaigns",
  "get_campaign",
  "update_campaign",
  "create_campaign_send_job",
  "get_flows",
  "get_flow",
  "get_metrics",
  "query_metric_aggregates",
  "get_events",
  "create_event",
  "query_campaign_values",
  "query_flow_values",
  "get_templates",
];
