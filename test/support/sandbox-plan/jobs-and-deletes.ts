/** Bulk jobs, then the deletes, which come last. */
import { type PlanStep, profile, profileInList, step } from "./steps.js";

export const jobSteps: PlanStep[] = [
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

export const deleteSteps: PlanStep[] = [
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
