/** Creates (whose ids later steps save) and updates. */
import { type PlanStep, PNG_1X1, profile, step } from "./steps.js";

export const writeSteps: PlanStep[] = [
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
