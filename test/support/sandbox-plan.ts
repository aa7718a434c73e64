/**
 * One meaningful call of every tool against the sandbox's demo data, in an order that works:
 * reads first, then creates (whose ids later steps use), updates, jobs, and deletes last.
 * Shared by the every-tool test and scripts/check-emulator.ts.
 */
import type { DemoSummary, Store } from "../../emulator/index.js";

export interface PlanContext {
  demo: DemoSummary;
  store: Store;
  /** Ids captured from earlier steps' results. */
  saved: Record<string, string>;
}

export interface PlanStep {
  tool: string;
  args: (ctx: PlanContext) => Record<string, unknown>;
  /** Name under which to save the result's `id`. */
  save?: string;
}

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const step = (tool: string, args: PlanStep["args"] = () => ({}), save?: string): PlanStep => ({
  tool,
  args,
  ...(save ? { save } : {}),
});

function first(store: Store, type: string): string {
  const found = store.all(type)[0];
  if (!found) throw new Error(`The demo data has no ${type}`);
  return found.id;
}

function profileInList(ctx: PlanContext, listId: string): string {
  const id = ctx.store.related("list", listId, "profiles")[0];
  if (!id) throw new Error(`List ${listId} has no members`);
  return id;
}

const readSteps: PlanStep[] = [
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

function firstTag(ctx: PlanContext): string {
  const id = Object.values(ctx.demo.tags)[0];
  if (!id) throw new Error("The demo data has no tags");
  return id;
}

function flowActionWithMessage(ctx: PlanContext): string {
  const id = ctx.demo.flowActionIds.find(
    (a) => ctx.store.related("flow-action", a, "flow-messages").length > 0,
  );
  if (!id) throw new Error("No flow action has messages");
  return id;
}

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

const reportSteps: PlanStep[] = [
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

const profile = (email: string) => ({ email, first_name: "Robin", last_name: "Sandbox" });

const writeSteps: PlanStep[] = [
  step(
    "create_profile",
    () => ({ ...profile("robin.sandbox@example.com"), properties: { plan: "trial" } }),
    "profile",
  ),
  step("create_or_update_profile", () => ({ email: "robin.sandbox@example.com", title: "Buyer" })),
  step("update_profile", (c) => ({ profile_id: c.saved.profile, last_name: "Sandbox-Smith" })),
  step("create_profile", () => profile("merge.me@example.com"), "mergeSource"),
  step("create_list", () => ({ name: "Sandbox test list" }), "list"),
  step("update_list", (c) => ({ list_id: c.saved.list, name: "Sandbox test list (renamed)" })),
  step(
    "create_segment",
    () => ({
      name: "Sandbox VIPs",
      definition: {
        condition_groups: [
          {
            conditions: [
              {
                type: "profile-property",
                property: "properties['loyalty_tier']",
                filter: { type: "string", operator: "equals", value: "Gold" },
              },
            ],
          },
        ],
      },
    }),
    "segment",
  ),
  step("update_segment", (c) => ({ segment_id: c.saved.segment, is_starred: true })),
  step("create_tag_group", () => ({ name: "Sandbox group" }), "tagGroup"),
  step("update_tag_group", (c) => ({
    tag_group_id: c.saved.tagGroup,
    name: "Sandbox group (renamed)",
  })),
  step("create_tag", (c) => ({ name: "sandbox-tag", tag_group_id: c.saved.tagGroup }), "tag"),
  step("update_tag", (c) => ({ tag_id: c.saved.tag, name: "sandbox-tag-2" })),
  step("create_tag_relationships_lists", (c) => ({
    tag_id: c.saved.tag,
    list_ids: [c.saved.list],
  })),
  step("create_tag_relationships_segments", (c) => ({
    tag_id: c.saved.tag,
    segment_ids: [c.saved.segment],
  })),
  step("create_tag_relationships_campaigns", (c) => ({
    tag_id: c.saved.tag,
    campaign_ids: [c.demo.draftCampaignIds[0]],
  })),
  step("create_tag_relationships_flows", (c) => ({
    tag_id: c.saved.tag,
    flow_ids: [c.demo.flowIds[0]],
  })),
  step("delete_tag_relationships_lists", (c) => ({
    tag_id: c.saved.tag,
    list_ids: [c.saved.list],
  })),
  step("delete_tag_relationships_segments", (c) => ({
    tag_id: c.saved.tag,
    segment_ids: [c.saved.segment],
  })),
  step("delete_tag_relationships_campaigns", (c) => ({
    tag_id: c.saved.tag,
    campaign_ids: [c.demo.draftCampaignIds[0]],
  })),
  step("delete_tag_relationships_flows", (c) => ({
    tag_id: c.saved.tag,
    flow_ids: [c.demo.flowIds[0]],
  })),
  step(
    "create_template",
    () => ({
      name: "Sandbox welcome",
      editor_type: "CODE",
      html: "<p>Hello {{ first_name|default:'friend' }}</p>",
    }),
    "template",
  ),
  step("update_template", (c) => ({
    template_id: c.saved.template,
    text: "Hello {{ first_name }}",
  })),
  step("create_template_render", (c) => ({
    template_id: c.saved.template,
    context: { first_name: "Robin" },
  })),
  step(
    "create_template_clone",
    (c) => ({ template_id: c.saved.template, name: "Sandbox welcome copy" }),
    "templateClone",
  ),
  step(
    "create_webhook",
    (c) => ({
      name: "Sandbox hook",
      endpoint_url: "https://hooks.example.com/sandbox",
      secret_key: "whsec_sandbox",
      webhook_topic_ids: [c.demo.webhookTopicIds[0]],
    }),
    "webhook",
  ),
  step("update_webhook", (c) => ({ webhook_id: c.saved.webhook, enabled: false })),
  step(
    "create_coupon",
    () => ({ external_id: "SANDBOX5", description: "5% off in the sandbox" }),
    "coupon",
  ),
  step("update_coupon", (c) => ({ coupon_id: c.saved.coupon, description: "Five percent off" })),
  step(
    "create_coupon_code",
    (c) => ({ unique_code: "SANDBOX5-AAAA", coupon_id: c.saved.coupon }),
    "couponCode",
  ),
  step("update_coupon_code", (c) => ({
    coupon_code_id: c.saved.couponCode,
    status: "ASSIGNED_TO_PROFILE",
  })),
  step(
    "create_catalog_category",
    () => ({ external_id: "sandbox-cat", name: "Sandbox category" }),
    "category",
  ),
  step("update_catalog_category", (c) => ({
    catalog_category_id: c.saved.category,
    name: "Sandbox category 2",
  })),
  step(
    "create_catalog_item",
    () => ({
      external_id: "SANDBOX-ITEM-1",
      title: "Sandbox lantern",
      description: "A lantern that only exists in the sandbox.",
      url: "https://shop.example.com/lantern",
      price: 24,
    }),
    "item",
  ),
  step("update_catalog_item", (c) => ({ catalog_item_id: c.saved.item, price: 22 })),
  step(
    "create_catalog_variant",
    (c) => ({
      external_id: "SANDBOX-ITEM-1-RED",
      title: "Sandbox lantern, red",
      description: "Red.",
      sku: "SBX-LANTERN-RED",
      inventory_quantity: 5,
      price: 22,
      url: "https://shop.example.com/lantern?color=red",
      item_id: c.saved.item,
    }),
    "variant",
  ),
  step("update_catalog_variant", (c) => ({
    catalog_variant_id: c.saved.variant,
    inventory_quantity: 4,
  })),
  step("create_catalog_category_relationships_items", (c) => ({
    catalog_category_id: c.saved.category,
    item_ids: [c.saved.item],
  })),
  step("update_catalog_category_relationships_items", (c) => ({
    catalog_category_id: c.saved.category,
    item_ids: [c.saved.item, c.demo.catalogItemIds[0]],
  })),
  step("delete_catalog_category_relationships_items", (c) => ({
    catalog_category_id: c.saved.category,
    item_ids: [c.demo.catalogItemIds[0]],
  })),
  step("create_catalog_item_relationships_categories", (c) => ({
    catalog_item_id: c.saved.item,
    category_ids: [c.demo.catalogCategoryIds[0]],
  })),
  step("update_catalog_item_relationships_categories", (c) => ({
    catalog_item_id: c.saved.item,
    category_ids: [c.demo.catalogCategoryIds[0], c.saved.category],
  })),
  step("delete_catalog_item_relationships_categories", (c) => ({
    catalog_item_id: c.saved.item,
    category_ids: [c.demo.catalogCategoryIds[0]],
  })),
  step(
    "upload_image_from_url",
    () => ({
      import_from_url: "https://cdn.example.com/sandbox/banner.png",
      name: "Sandbox banner",
    }),
    "image",
  ),
  step("upload_image_from_file", () => ({
    file_base64: PNG_1X1,
    filename: "pixel.png",
    name: "Sandbox pixel",
  })),
  step("update_image", (c) => ({ image_id: c.saved.image, hidden: true })),
  step("update_campaign", (c) => ({
    campaign_id: c.demo.draftCampaignIds[0],
    name: "Sandbox draft (renamed)",
  })),
  step("update_campaign_message", (c) => ({
    campaign_message_id: c.store.related(
      "campaign",
      c.demo.draftCampaignIds[0] ?? "",
      "campaign-messages",
    )[0],
    definition: {
      channel: "email",
      label: "Sandbox label",
      content: { subject: "Hello from the sandbox" },
    },
  })),
  step("update_flow_status", (c) => ({
    flow_id: c.demo.flowIds[c.demo.flowIds.length - 1],
    status: "manual",
  })),
  step("create_event", () => ({
    properties: { OrderId: "SBX-1001", Items: ["Sandbox lantern"] },
    metric: { name: "Placed Order" },
    profile: { email: "robin.sandbox@example.com" },
    value: 22,
  })),
  step("create_or_update_push_token", () => ({
    token: "sandbox-push-token-1",
    platform: "ios",
    vendor: "apns",
    profile: { email: "robin.sandbox@example.com" },
  })),
  step("create_client_event", () => ({
    properties: { ProductName: "Sandbox lantern" },
    metric: { name: "Viewed Product" },
    profile: { email: "robin.sandbox@example.com" },
  })),
  step("create_or_update_client_profile", () => ({
    email: "client.profile@example.com",
    first_name: "Casey",
  })),
  step("create_client_subscription", (c) => ({
    profile: { email: "client.subscriber@example.com" },
    list_id: c.demo.listIds[0],
  })),
  step("create_client_back_in_stock_subscription", (c) => ({
    channels: ["EMAIL"],
    profile: { email: "robin.sandbox@example.com" },
    variant_id: c.demo.catalogVariantIds[0],
  })),
  step("create_or_update_client_push_token", () => ({
    token: "sandbox-push-token-2",
    platform: "android",
    vendor: "fcm",
    profile: { email: "client.profile@example.com" },
  })),
  step("unregister_client_push_token", () => ({
    token: "sandbox-push-token-2",
    platform: "android",
    vendor: "fcm",
    profile: { email: "client.profile@example.com" },
  })),
];

const PNG_1X1 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

const jobSteps: PlanStep[] = [
  step("spawn_bulk_profile_import_job", (c) => ({
    profiles: [
      profile("import.one@example.com"),
      { email: "import.two@example.com", properties: { source: "sandbox" } },
    ],
    list_ids: [c.saved.list],
  })),
  step("subscribe_profiles", (c) => ({
    profiles: [
      {
        email: "robin.sandbox@example.com",
        subscriptions: { email: { marketing: { consent: "SUBSCRIBED" } } },
      },
    ],
    list_id: c.saved.list,
  })),
  step("unsubscribe_profiles", (c) => ({
    profiles: [
      {
        email: "robin.sandbox@example.com",
        subscriptions: { email: { marketing: { consent: "UNSUBSCRIBED" } } },
      },
    ],
    list_id: c.saved.list,
  })),
  step("suppress_profiles", () => ({ profiles: [{ email: "robin.sandbox@example.com" }] })),
  step("unsuppress_profiles", () => ({ profiles: [{ email: "robin.sandbox@example.com" }] })),
  step("spawn_coupon_code_bulk_create_job", (c) => ({
    coupon_codes: [
      { unique_code: "SANDBOX5-BBBB", coupon_id: c.saved.coupon },
      { unique_code: "SANDBOX5-CCCC", coupon_id: c.saved.coupon },
    ],
  })),
  step("spawn_create_categories_job", () => ({
    categories: [{ external_id: "sandbox-bulk-cat", name: "Bulk category" }],
  })),
  step("spawn_create_items_job", () => ({
    items: [
      {
        external_id: "SANDBOX-BULK-1",
        title: "Bulk item",
        description: "Made by a job.",
        url: "https://shop.example.com/bulk-1",
      },
    ],
  })),
  step("spawn_create_variants_job", (c) => ({
    variants: [
      {
        external_id: "SANDBOX-ITEM-1-BLUE",
        title: "Blue",
        description: "Blue.",
        sku: "SBX-LANTERN-BLUE",
        inventory_quantity: 3,
        price: 22,
        url: "https://shop.example.com/lantern?color=blue",
        item_id: c.saved.item,
      },
    ],
  })),
  step("spawn_update_categories_job", (c) => ({
    categories: [{ id: c.saved.category, name: "Renamed by a job" }],
  })),
  step("spawn_update_items_job", (c) => ({
    items: [{ id: c.saved.item, title: "Sandbox lantern (updated)" }],
  })),
  step("spawn_update_variants_job", (c) => ({
    variants: [{ id: c.saved.variant, inventory_quantity: 9 }],
  })),
  step("spawn_delete_variants_job", (c) => ({ variants: [c.saved.variant] })),
  step("spawn_delete_items_job", (c) => ({
    items: [c.demo.catalogItemIds[c.demo.catalogItemIds.length - 1]],
  })),
  step("spawn_delete_categories_job", (c) => ({
    categories: [c.demo.catalogCategoryIds[c.demo.catalogCategoryIds.length - 1]],
  })),
  step("create_campaign_send_job", (c) => ({ campaign_id: c.demo.draftCampaignIds[0] })),
  step("update_campaign_send_job", (c) => ({
    job_id: c.demo.draftCampaignIds[0],
    action: "cancel",
  })),
];

const deleteSteps: PlanStep[] = [
  step("remove_profile_from_list", (c) => ({
    list_id: c.demo.listIds[0],
    profile_ids: [profileInList(c, c.demo.listIds[0] ?? "")],
  })),
  step("merge_profiles", (c) => ({
    destination_profile_id: c.saved.profile,
    source_profile_ids: [c.saved.mergeSource],
  })),
  step("request_profile_deletion", (c) => ({
    profile: { id: c.demo.profileIds[c.demo.profileIds.length - 1] },
  })),
  step("delete_tag", (c) => ({ tag_id: c.saved.tag })),
  step("delete_tag_group", (c) => ({ tag_group_id: c.saved.tagGroup })),
  step("delete_segment", (c) => ({ segment_id: c.saved.segment })),
  step("delete_list", (c) => ({ list_id: c.saved.list })),
  step("delete_template", (c) => ({ template_id: c.saved.templateClone })),
  step("delete_webhook", (c) => ({ webhook_id: c.saved.webhook })),
  step("delete_coupon_code", (c) => ({ coupon_code_id: c.saved.couponCode })),
  step("delete_coupon", (c) => ({ coupon_id: c.demo.couponIds[c.demo.couponIds.length - 1] })),
  step("delete_catalog_variant", (c) => ({ catalog_variant_id: c.demo.catalogVariantIds[0] })),
  step("delete_catalog_item", (c) => ({ catalog_item_id: c.saved.item })),
  step("delete_catalog_category", (c) => ({ catalog_category_id: c.saved.category })),
  step("delete_campaign", (c) => ({
    campaign_id: c.demo.draftCampaignIds[1] ?? c.demo.scheduledCampaignIds[0],
  })),
  step("delete_flow", (c) => ({ flow_id: c.demo.flowIds[c.demo.flowIds.length - 1] })),
];

export const SANDBOX_PLAN: readonly PlanStep[] = [
  ...readSteps,
  ...reportSteps,
  ...writeSteps,
  ...jobSteps,
  ...deleteSteps,
];
