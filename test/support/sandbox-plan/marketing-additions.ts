/** Sandbox plan steps of the tools added with the full stable spec: campaigns built and given templates, list membership, flows, forms, flow triggers, bulk events, back in stock, universal content, web feeds, tracking settings, reviews, the new reports and the new client endpoints. */
import type { Store } from "../../../emulator/index.js";
import { first, type PlanContext, type PlanStep, step } from "./steps.js";

/** The demo's SMS campaign message, which carries an image (MMS). */
const smsMessage = (c: PlanContext) =>
  c.store.related("campaign", c.demo.smsCampaignId, "campaign-messages")[0];
const messageOf = (store: Store, campaignId: string | undefined) =>
  store.related("campaign", campaignId ?? "", "campaign-messages")[0];
const actionsOf = (store: Store, flowId: string | undefined) =>
  store.related("flow", flowId ?? "", "flow-actions");
const reviewWith = (store: Store, status: string) =>
  store.all("review").find((r) => (r.attributes.status as { value?: string }).value === status)?.id;
const sinceDays = (c: PlanContext, days: number) => ({
  start: new Date(c.store.now() - days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
  end: new Date(c.store.now()).toISOString().replace(/\.\d{3}Z$/, "Z"),
});

const reads: PlanStep[] = [
  step("get_image_for_campaign_message", (c) => ({ campaign_message_id: smsMessage(c) })),
  step("get_image_id_for_campaign_message", (c) => ({ campaign_message_id: smsMessage(c) })),
  step("get_flows_triggered_by_list", (c) => ({ list_id: c.demo.lists.Newsletter })),
  step("get_ids_for_flows_triggered_by_list", (c) => ({ list_id: c.demo.lists.Newsletter })),
  step("get_variant_ids_for_catalog_item", (c) => ({ catalog_item_id: c.demo.catalogItemIds[0] })),
  step("get_all_universal_content", () => ({ filter: 'equals(definition.type,"text")' })),
  step("get_universal_content", (c) => ({
    template_universal_content_id: first(c.store, "template-universal-content"),
  })),
  step("get_web_feeds", () => ({ sort: "name" })),
  step("get_web_feed", (c) => ({ web_feed_id: first(c.store, "web-feed") })),
  step("get_tracking_settings"),
  step("get_tracking_setting", (c) => ({ tracking_setting_id: c.demo.accountId })),
  step("get_reviews", () => ({ filter: 'equals(status,"published")', sort: "-created" })),
  step("get_review", (c) => ({ review_id: first(c.store, "review"), include: ["events"] })),
  step("get_client_reviews", () => ({ filter: "greater-or-equal(rating,4)" })),
  step("get_client_review_values_reports", () => ({
    group_by: "product_id",
    statistics: "average_rating,total_reviews",
    timeframe: "all_time",
  })),
  step("get_client_geofences"),
  step("get_client_ip_allowlist", () => ({ ip_allowlist_id: "integration-egress" })),
  step("query_form_values", () => ({
    statistics: ["viewed_form", "submits", "submit_rate"],
    timeframe: { key: "last_30_days" },
  })),
  step("query_form_series", (c) => ({
    statistics: ["viewed_form_uniques", "submits"],
    timeframe: sinceDays(c, 28),
    interval: "weekly",
    group_by: ["form_id", "form_version_id"],
  })),
  step("query_segment_values", (c) => ({
    statistics: ["total_members", "net_members_changed"],
    timeframe: { key: "last_90_days" },
    filter: `equals(segment_id,"${c.demo.segmentIds[0]}")`,
  })),
  step("query_segment_series", () => ({
    statistics: ["members_added", "members_removed", "total_members"],
    timeframe: { key: "last_30_days" },
    interval: "weekly",
  })),
];

const writes: PlanStep[] = [
  step(
    "create_campaign",
    (c) => ({
      name: "Sandbox Trail Picks",
      audiences: { included: [c.demo.lists.Newsletter], excluded: [] },
      send_strategy: { method: "immediate" },
      campaign_messages: [
        {
          definition: {
            channel: "email",
            label: "Sandbox Trail Picks",
            content: {
              subject: "Our picks for your next hike",
              preview_text: "Three trails and what to pack",
              from_email: "hello@juniperandpine.com",
              from_label: "Juniper & Pine",
            },
          },
        },
      ],
    }),
    "campaign",
  ),
  step(
    "create_campaign_clone",
    (c) => ({ campaign_id: c.saved.campaign, new_name: "Sandbox Trail Picks (resend)" }),
    "campaignClone",
  ),
  step("assign_template_to_campaign_message", (c) => ({
    campaign_message_id: messageOf(c.store, c.saved.campaign),
    template_id: c.demo.templateIds[0],
  })),
  step("update_image_for_campaign_message", (c) => ({
    campaign_message_id: smsMessage(c),
    image_id: c.demo.imageIds[1],
  })),
  step("refresh_campaign_recipient_estimation", (c) => ({
    campaign_id: c.saved.campaign,
  })),
  step("add_profiles_to_list", (c) => ({
    list_id: c.saved.list,
    profile_ids: c.demo.profileIds.slice(0, 3),
  })),
  step(
    "create_flow",
    (c) => ({
      name: "Sandbox VIP Thank You",
      definition: {
        triggers: [{ type: "segment", id: c.demo.segmentIds[0] }],
        entry_action_id: "thanks",
        actions: [
          {
            temporary_id: "thanks",
            type: "send-email",
            links: { next: "wait" },
            data: {
              message: {
                name: "Thank you",
                from_email: "hello@juniperandpine.com",
                from_label: "Juniper & Pine",
                subject_line: "Thank you for being a VIP",
                template_id: c.demo.templateIds[0],
              },
              status: "draft",
            },
          },
          {
            temporary_id: "wait",
            type: "time-delay",
            links: { next: null },
            data: { unit: "days", value: 3 },
          },
        ],
      },
      additional_fields: ["definition"],
    }),
    "flow",
  ),
  step("get_flows_triggered_by_segment", (c) => ({ segment_id: c.demo.segmentIds[0] })),
  step("get_ids_for_flows_triggered_by_segment", (c) => ({ segment_id: c.demo.segmentIds[0] })),
  step("update_flow_action", (c) => ({
    flow_action_id: actionsOf(c.store, c.saved.flow)[1],
    definition: { type: "time-delay", links: { next: null }, data: { unit: "days", value: 5 } },
  })),
  step(
    "create_form",
    () => ({
      name: "Sandbox Trail Guide Signup",
      status: "draft",
      ab_test: false,
      definition: {
        versions: [
          {
            name: "Original",
            type: "embed",
            status: "draft",
            ab_test: false,
            steps: [{ name: "Sign up", columns: [{ rows: [] }] }],
          },
        ],
      },
    }),
    "form",
  ),
  step("bulk_create_events", () => ({
    events_bulk_create: [
      {
        profile: { data: { type: "profile", attributes: { email: "trail.runner@example.com" } } },
        events: {
          data: [
            {
              type: "event",
              attributes: {
                properties: { ProductName: "Trail Runner 2" },
                metric: { data: { type: "metric", attributes: { name: "Viewed Product" } } },
              },
            },
          ],
        },
      },
    ],
  })),
  step("create_back_in_stock_subscription", (c) => ({
    channels: ["EMAIL"],
    profile: { email: "restock.fan@example.com" },
    variant_id: c.demo.catalogVariantIds[1],
  })),
  step(
    "create_universal_content",
    () => ({
      name: "Sandbox sign-off",
      definition: {
        content_type: "block",
        type: "text",
        data: {
          content: "<p>Happy trails,<br>The Juniper &amp; Pine team</p>",
          display_options: {},
          styles: {},
        },
      },
    }),
    "universalContent",
  ),
  step("update_universal_content", (c) => ({
    template_universal_content_id: c.saved.universalContent,
    name: "Sandbox sign-off (short)",
  })),
  step(
    "create_web_feed",
    () => ({
      name: "Sandbox trail report",
      url: "https://feeds.example.com/trails.json",
      request_method: "get",
      content_type: "json",
    }),
    "webFeed",
  ),
  step("update_web_feed", (c) => ({
    web_feed_id: c.saved.webFeed,
    name: "Sandbox trail report v2",
  })),
  step("update_tracking_setting", (c) => ({
    tracking_setting_id: c.demo.accountId,
    utm_campaign: { campaign: { type: "dynamic", value: "campaign_name_id" } },
  })),
  step("update_review", (c) => ({
    review_id: reviewWith(c.store, "pending"),
    status: { value: "published" },
  })),
  step("create_client_review", (c) => ({
    review_type: "review",
    email: "robin.sandbox@example.com",
    author: "Robin S.",
    content: "Kept me dry on a three-day trip.",
    rating: 5,
    title: "Worth it",
    product: {
      external_id: String(
        c.store.get("catalog-item", c.demo.catalogItemIds[0] ?? "")?.attributes.external_id,
      ),
      integration_key: "shopify",
    },
  })),
  step("bulk_create_client_events", () => ({
    profile: { email: "trail.runner@example.com" },
    events: [
      {
        properties: { ProductName: "Trail Runner 2" },
        metric: { data: { type: "metric", attributes: { name: "Added to Cart" } } },
      },
    ],
  })),
  step("create_conversation_message", (c) => ({
    body: "Thanks for reaching out! Your order ships tomorrow.",
    conversation_id: first(c.store, "conversation"),
  })),
];

const deletes: PlanStep[] = [
  step("delete_flow_action", (c) => ({ flow_action_id: actionsOf(c.store, c.saved.flow)[1] })),
  step("delete_form", (c) => ({ form_id: c.saved.form })),
  step("delete_universal_content", (c) => ({
    template_universal_content_id: c.saved.universalContent,
  })),
  step("delete_web_feed", (c) => ({ web_feed_id: c.saved.webFeed })),
];

export const marketingAdditionSteps: readonly PlanStep[] = [...reads, ...writes, ...deletes];
