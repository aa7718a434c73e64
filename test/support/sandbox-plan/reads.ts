/** Reads of every resource, the bulk jobs of the demo data, and the reports. */
import {
  DAY,
  first,
  firstTag,
  flowActionWithMessage,
  iso,
  type PlanContext,
  type PlanStep,
  profileInList,
  step,
} from "./steps.js";

export const readSteps: PlanStep[] = [
  step("get_accounts"),
  step("get_account", (c) => ({ account_id: c.demo.accountId })),
  step("get_profiles", (c) => ({
    filter: `equals(email,"${c.store.get("profile", c.demo.profileIds[0] ?? "")?.attributes.email}")`,
    additional_fields: ["subscriptions"],
  })),
  step("get_profile", (c) => ({
    profile_id: c.demo.profileIds[0],
    include: ["lists", "segments", "push-tokens"],
    additional_fields: ["subscriptions", "predictive_analytics"],
  })),
  step("get_profile_lists", (c) => ({ profile_id: profileInList(c, c.demo.listIds[0] ?? "") })),
  step("get_profile_relationships_lists", (c) => ({
    profile_id: profileInList(c, c.demo.listIds[0] ?? ""),
  })),
  step("get_profile_segments", (c) => ({ profile_id: c.demo.profileIds[1] })),
  step("get_profile_relationships_segments", (c) => ({ profile_id: c.demo.profileIds[1] })),
  step("get_lists", () => ({ sort: "name" })),
  step("get_list", (c) => ({ list_id: c.demo.listIds[0], additional_fields: ["profile_count"] })),
  step("get_list_profiles", (c) => ({ list_id: c.demo.listIds[0], page_size: 10 })),
  step("get_list_relationships_profiles", (c) => ({ list_id: c.demo.listIds[0] })),
  step("get_list_tags", (c) => ({ list_id: c.demo.listIds[0] })),
  step("get_list_relationships_tags", (c) => ({ list_id: c.demo.listIds[0] })),
  step("get_segments"),
  step("get_segment", (c) => ({
    segment_id: c.demo.segmentIds[0],
    additional_fields: ["profile_count"],
  })),
  step("get_segment_profiles", (c) => ({ segment_id: c.demo.segmentIds[0] })),
  step("get_segment_relationships_profiles", (c) => ({ segment_id: c.demo.segmentIds[0] })),
  step("get_segment_tags", (c) => ({ segment_id: c.demo.segmentIds[0] })),
  step("get_segment_relationships_tags", (c) => ({ segment_id: c.demo.segmentIds[0] })),
  step("get_metrics"),
  step("get_metric", (c) => ({ metric_id: c.demo.metricIds["Placed Order"] })),
  step("get_events", (c) => ({
    filter: `equals(metric_id,"${c.demo.metricIds["Placed Order"]}")`,
    sort: "-datetime",
    include: ["profile"],
  })),
  step("get_event", (c) => ({ event_id: first(c.store, "event") })),
  step("get_event_metric", (c) => ({ event_id: first(c.store, "event") })),
  step("get_event_profile", (c) => ({ event_id: first(c.store, "event") })),
  step("get_event_relationships_metric", (c) => ({ event_id: first(c.store, "event") })),
  step("get_event_relationships_profile", (c) => ({ event_id: first(c.store, "event") })),
  step("get_campaigns", () => ({ filter: "equals(messages.channel,'email')" })),
  step("get_campaign", (c) => ({
    campaign_id: c.demo.sentCampaignIds[0],
    include: ["campaign-messages"],
  })),
  step("get_campaign_campaign_messages", (c) => ({ campaign_id: c.demo.sentCampaignIds[0] })),
  step("get_campaign_relationships_campaign_messages", (c) => ({
    campaign_id: c.demo.sentCampaignIds[0],
  })),
  step("get_campaign_tags", (c) => ({ campaign_id: c.demo.sentCampaignIds[0] })),
  step("get_campaign_relationships_tags", (c) => ({ campaign_id: c.demo.sentCampaignIds[0] })),
  step("get_campaign_message", (c) => ({ campaign_message_id: c.demo.campaignMessageIds[0] })),
  step("get_campaign_message_campaign", (c) => ({
    campaign_message_id: c.demo.campaignMessageIds[0],
  })),
  step("get_campaign_message_relationships_campaign", (c) => ({
    campaign_message_id: c.demo.campaignMessageIds[0],
  })),
  step("get_campaign_message_template", (c) => ({
    campaign_message_id: c.demo.campaignMessageIds[0],
  })),
  step("get_campaign_message_relationships_template", (c) => ({
    campaign_message_id: c.demo.campaignMessageIds[0],
  })),
  step("get_campaign_send_job", (c) => ({ job_id: c.demo.jobIds["campaign-send-job"] })),
  step("get_campaign_recipient_estimation", (c) => ({
    campaign_id: c.demo.jobIds["campaign-recipient-estimation"],
  })),
  step("get_campaign_recipient_estimation_job", (c) => ({
    job_id: c.demo.jobIds["campaign-recipient-estimation-job"],
  })),
  step("get_flows", () => ({ filter: "equals(status,'live')" })),
  step("get_flow", (c) => ({
    flow_id: c.demo.flowIds[0],
    include: ["flow-actions"],
    additional_fields: ["definition"],
  })),
  step("get_flow_flow_actions", (c) => ({ flow_id: c.demo.flowIds[0] })),
  step("get_flow_relationships_flow_actions", (c) => ({ flow_id: c.demo.flowIds[0] })),
  step("get_flow_tags", (c) => ({ flow_id: c.demo.flowIds[0] })),
  step("get_flow_relationships_tags", (c) => ({ flow_id: c.demo.flowIds[0] })),
  step("get_flow_action", (c) => ({ flow_action_id: c.demo.flowActionIds[0] })),
  step("get_flow_for_flow_action", (c) => ({ flow_action_id: c.demo.flowActionIds[0] })),
  step("get_flow_action_relationships_flow", (c) => ({ flow_action_id: c.demo.flowActionIds[0] })),
  step("get_flow_action_messages", (c) => ({ flow_action_id: flowActionWithMessage(c) })),
  step("get_flow_action_relationships_messages", (c) => ({
    flow_action_id: flowActionWithMessage(c),
  })),
  step("get_flow_message", (c) => ({ flow_message_id: c.demo.flowMessageIds[0] })),
  step("get_flow_action_for_message", (c) => ({ flow_message_id: c.demo.flowMessageIds[0] })),
  step("get_flow_message_relationships_action", (c) => ({
    flow_message_id: c.demo.flowMessageIds[0],
  })),
  step("get_flow_message_template", (c) => ({ flow_message_id: c.demo.flowMessageIds[0] })),
  step("get_flow_message_relationships_template", (c) => ({
    flow_message_id: c.demo.flowMessageIds[0],
  })),
  step("get_templates", () => ({ sort: "-updated", additional_fields: ["definition"] })),
  step("get_template", (c) => ({
    template_id: c.demo.templateIds[0],
    additional_fields: ["definition"],
  })),
  step("get_images"),
  step("get_image", (c) => ({ image_id: c.demo.imageIds[0] })),
  step("get_catalog_items", () => ({ sort: "created" })),
  step("get_catalog_item", (c) => ({
    catalog_item_id: c.demo.catalogItemIds[0],
    include: ["variants"],
  })),
  step("get_catalog_item_variants", (c) => ({ catalog_item_id: c.demo.catalogItemIds[0] })),
  step("get_catalog_item_categories", (c) => ({ catalog_item_id: c.demo.catalogItemIds[0] })),
  step("get_catalog_item_relationships_categories", (c) => ({
    catalog_item_id: c.demo.catalogItemIds[0],
  })),
  step("get_catalog_variants"),
  step("get_catalog_variant", (c) => ({ catalog_variant_id: c.demo.catalogVariantIds[0] })),
  step("get_catalog_categories"),
  step("get_catalog_category", (c) => ({ catalog_category_id: c.demo.catalogCategoryIds[0] })),
  step("get_catalog_category_items", (c) => ({
    catalog_category_id: c.demo.catalogCategoryIds[0],
  })),
  step("get_catalog_category_relationships_items", (c) => ({
    catalog_category_id: c.demo.catalogCategoryIds[0],
  })),
  step("get_coupons"),
  step("get_coupon", (c) => ({ coupon_id: c.demo.couponIds[0] })),
  step("get_coupon_codes", (c) => ({ filter: `any(coupon.id,["${c.demo.couponIds[0]}"])` })),
  step("get_coupon_code", (c) => ({ coupon_code_id: c.demo.couponCodeIds[0] })),
  step("get_coupon_codes_for_coupon", (c) => ({ coupon_id: c.demo.couponIds[0] })),
  step("get_coupon_code_relationships_coupon", (c) => ({ coupon_id: c.demo.couponIds[0] })),
  step("get_coupon_for_coupon_code", (c) => ({ coupon_code_id: c.demo.couponCodeIds[0] })),
  step("get_coupon_relationships_coupon_codes", (c) => ({
    coupon_code_id: c.demo.couponCodeIds[0],
  })),
  step("get_tags"),
  step("get_tag", (c) => ({ tag_id: firstTag(c) })),
  step("get_tag_tag_group", (c) => ({ tag_id: firstTag(c) })),
  step("get_tag_relationships_tag_group", (c) => ({ tag_id: firstTag(c) })),
  step("get_tag_relationships_campaigns", (c) => ({ tag_id: firstTag(c) })),
  step("get_tag_relationships_flows", (c) => ({ tag_id: firstTag(c) })),
  step("get_tag_relationships_lists", (c) => ({ tag_id: firstTag(c) })),
  step("get_tag_relationships_segments", (c) => ({ tag_id: firstTag(c) })),
  step("get_tag_groups"),
  step("get_tag_group", (c) => ({ tag_group_id: c.demo.tagGroupIds[0] })),
  step("get_tag_group_tags", (c) => ({ tag_group_id: c.demo.tagGroupIds[0] })),
  step("get_tag_group_relationships_tags", (c) => ({ tag_group_id: c.demo.tagGroupIds[0] })),
  step("get_forms"),
  step("get_form", (c) => ({ form_id: c.demo.formIds[0] })),
  step("get_versions_for_form", (c) => ({ form_id: c.demo.formIds[0] })),
  step("get_version_ids_for_form", (c) => ({ form_id: c.demo.formIds[0] })),
  step("get_form_version", (c) => ({ form_version_id: c.demo.formVersionIds[0] })),
  step("get_form_for_form_version", (c) => ({ form_version_id: c.demo.formVersionIds[0] })),
  step("get_form_id_for_form_version", (c) => ({ form_version_id: c.demo.formVersionIds[0] })),
  step("get_webhooks"),
  step("get_webhook", (c) => ({ webhook_id: c.demo.webhookIds[0] })),
  step("get_webhook_topics"),
  step("get_webhook_topic", (c) => ({ webhook_topic_id: c.demo.webhookTopicIds[0] })),
  ...jobReads(),
];

/** Each bulk job type: its list tool and its get-one tool. */
function jobReads(): PlanStep[] {
  const jobs: Array<[string, string, string]> = [
    ["profile-bulk-import-job", "get_bulk_profile_import_jobs", "get_bulk_profile_import_job"],
    [
      "coupon-code-bulk-create-job",
      "get_coupon_code_bulk_create_jobs",
      "get_coupon_code_bulk_create_job",
    ],
    ["catalog-category-bulk-create-job", "get_create_categories_jobs", "get_create_categories_job"],
    ["catalog-item-bulk-create-job", "get_create_items_jobs", "get_create_items_job"],
    ["catalog-variant-bulk-create-job", "get_create_variants_jobs", "get_create_variants_job"],
    ["catalog-category-bulk-update-job", "get_update_categories_jobs", "get_update_categories_job"],
    ["catalog-item-bulk-update-job", "get_update_items_jobs", "get_update_items_job"],
    ["catalog-variant-bulk-update-job", "get_update_variants_jobs", "get_update_variants_job"],
    ["catalog-category-bulk-delete-job", "get_delete_categories_jobs", "get_delete_categories_job"],
    ["catalog-item-bulk-delete-job", "get_delete_items_jobs", "get_delete_items_job"],
    ["catalog-variant-bulk-delete-job", "get_delete_variants_jobs", "get_delete_variants_job"],
  ];
  const steps = jobs.flatMap(([type, list, one]) => [
    step(list, () => ({ filter: "equals(status,'complete')" })),
    step(one, (c) => ({ job_id: c.demo.jobIds[type] })),
  ]);
  const importJob = (c: PlanContext) => ({ job_id: c.demo.jobIds["profile-bulk-import-job"] });
  steps.push(
    step("get_bulk_profile_import_job_errors", importJob),
    step("get_bulk_profile_import_job_lists", importJob),
    step("get_bulk_profile_import_job_profiles", importJob),
    step("get_bulk_profile_import_job_relationships_lists", importJob),
    step("get_bulk_profile_import_job_relationships_profiles", importJob),
  );
  return steps;
}

export const reportSteps: PlanStep[] = [
  step("query_campaign_values", (c) => ({
    statistics: ["recipients", "opens_unique", "open_rate", "conversion_value"],
    timeframe: { key: "last_90_days" },
    conversion_metric_id: c.demo.metricIds["Placed Order"],
  })),
  step("query_flow_values", (c) => ({
    statistics: ["recipients", "clicks_unique", "click_rate"],
    timeframe: { key: "last_30_days" },
    conversion_metric_id: c.demo.metricIds["Placed Order"],
  })),
  step("query_flow_series", (c) => ({
    statistics: ["recipients", "opens"],
    timeframe: { key: "last_30_days" },
    interval: "weekly",
    conversion_metric_id: c.demo.metricIds["Placed Order"],
  })),
  step("query_metric_aggregates", (c) => ({
    metric_id: c.demo.metricIds["Placed Order"],
    measurements: ["count", "sum_value"],
    interval: "day",
    filter: [
      `greater-or-equal(datetime,${iso(c.store.now() - 30 * DAY)})`,
      `less-than(datetime,${iso(c.store.now())})`,
    ],
  })),
];
