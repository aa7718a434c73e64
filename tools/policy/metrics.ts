/** Policy of the metrics tools (see tools/policy.ts). */
import type { ToolPolicy } from "../../src/engine/definition.js";

// biome-ignore format: one line per tool, so that adjusting a tool is a one-line diff.
export const metricsPolicy = {
  create_custom_metric: { hints: {"definition.metric_groups": "E.g. [{\"metric_id\":\"ID\",\"metric_filters\":[{\"property\":\"$value\",\"filter\":{\"type\":\"numeric\",\"operator\":\"greater-than\",\"value\":50}}]}]; value_property (value aggregation) defaults to $value"}, description: "Create a custom metric (name unique in the account) that combines metric_groups by count, or by value like a revenue metric such as Placed Order." },
  delete_custom_metric: { description: "Delete the custom metric with the given custom_metric_id." },
  get_custom_metric: { description: "Get the custom metric with the given custom_metric_id and its definition. Use include to add its metrics." },
  get_custom_metric_for_mapped_metric: { description: "Get the custom metric that the mapped metric with the given mapped_metric_id uses, if any." },
  get_custom_metric_id_for_mapped_metric: { description: "Get only the id of the custom metric that the given mapped metric uses. For the custom metric, use get_custom_metric_for_mapped_metric." },
  get_custom_metrics: { description: "List the custom metrics in the account with their definitions. Use include to add their metrics." },
  get_flows_triggered_by_metric: { description: "List the flows that the metric with the given metric_id triggers." },
  get_ids_for_flows_triggered_by_metric: { description: "Get only the ids of the flows that the given metric triggers. For the flows, use get_flows_triggered_by_metric." },
  get_mapped_metric: { description: "Get the mapped metric with the given mapped_metric_id: the metric or custom metric the account uses for it. Use include to add them." },
  get_mapped_metrics: { description: "List the mapped metrics (revenue, added_to_cart, cancelled_sales, ordered_product, refunded_sales, started_checkout, viewed_product): which metric or custom metric the account uses for each." },
  get_metric: { description: "Get the metric (a type of event, such as Placed Order) with the given metric_id. Use include to add the flows it triggers." },
  get_metric_for_mapped_metric: { description: "Get the metric that the mapped metric with the given mapped_metric_id uses, if any." },
  get_metric_for_metric_property: { description: "Get the metric that the metric property with the given metric_property_id belongs to." },
  get_metric_id_for_mapped_metric: { description: "Get only the id of the metric that the given mapped metric uses. For the metric, use get_metric_for_mapped_metric." },
  get_metric_id_for_metric_property: { description: "Get only the id of the metric that the given metric property belongs to. For the metric, use get_metric_for_metric_property." },
  get_metric_ids_for_custom_metric: { description: "Get only the ids of the metrics that make up the given custom metric. For the metrics, use get_metrics_for_custom_metric." },
  get_metric_property: { description: "Get the metric property (from get_properties_for_metric) with the given metric_property_id. additional_fields adds sample values; include adds its metric." },
  get_metrics: { core: true, description: "List metrics in the account, filterable by integration name and category (up to 200 per page). Use it to find a metric_id for get_events or query_metric_aggregates." },
  get_metrics_for_custom_metric: { description: "List the metrics that make up the custom metric with the given custom_metric_id." },
  get_properties_for_metric: { description: "List the properties of the events of the metric with the given metric_id, with their inferred types; additional_fields adds sample values." },
  get_property_ids_for_metric: { description: "Get only the ids of the given metric's properties. For the properties, use get_properties_for_metric." },
  query_metric_aggregates: { hints: {"filter": "Conditions, ANDed; a datetime range is required. E.g. [\"greater-or-equal(datetime,2026-01-01T00:00:00)\",\"less-than(datetime,2026-02-01T00:00:00)\"], plus e.g. equals($flow,\"ID\") on a by dimension"}, core: true, annotations: { readOnlyHint: true }, description: "Aggregate a metric's events (count, sum_value, unique) over a required datetime range, by interval and dimensions. For campaign or flow performance as shown in Klaviyo, prefer query_campaign_values or query_flow_values." },
  update_custom_metric: { hints: {"definition.metric_groups": "E.g. [{\"metric_id\":\"ID\",\"metric_filters\":[{\"property\":\"$value\",\"filter\":{\"type\":\"numeric\",\"operator\":\"greater-than\",\"value\":50}}]}]; value_property (value aggregation) defaults to $value"}, description: "Update the name or definition of the custom metric with the given custom_metric_id." },
  update_mapped_metric: { description: "Set the metric (metric_id) or custom metric (custom_metric_id) that the mapped metric with mapped_metric_id (revenue, added_to_cart, ...: see get_mapped_metrics) uses." },
} satisfies Record<string, ToolPolicy>;
