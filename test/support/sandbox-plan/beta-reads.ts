/** Beta plan, reads: every beta resource of the demo data, with its relationships. */
import type { Store } from "../../../emulator/index.js";
import { DAY, first, iso, type PlanContext, type PlanStep, step } from "./steps.js";

/** The first id related through `relationship`, failing loudly when there is none. */
export function related(store: Store, type: string, id: string, relationship: string): string {
  const found = store.related(type, id, relationship)[0];
  if (!found) throw new Error(`${type} ${id} has no ${relationship}`);
  return found;
}

/** A demo resource matching `test`, by type. */
export function find(
  store: Store,
  type: string,
  test: (attributes: Record<string, unknown>) => boolean,
): string {
  const found = store.all(type).find((r) => test(r.attributes));
  if (!found) throw new Error(`The demo data has no such ${type}`);
  return found.id;
}

const sentCampaign = (c: PlanContext) => c.demo.sentCampaignIds[0] ?? "";
const sentMessage = (c: PlanContext) =>
  related(c.store, "campaign", sentCampaign(c), "campaign-messages");
const audience = (c: PlanContext) =>
  related(c.store, "campaign", sentCampaign(c), "campaign-audiences");
const variation = (c: PlanContext) =>
  related(c.store, "campaign-message", sentMessage(c), "campaign-variations");
const translationOf = (kind: string) => (c: PlanContext) => ({
  translation_id: find(c.store, "translation", (a) => a.resource_type === kind),
});
const translatedVariation = (c: PlanContext) => ({
  campaign_variation_id: String(
    c.store.get("translation", translationOf("campaign-variation")(c).translation_id)?.attributes
      .related_resource_id,
  ),
});
const tool = (c: PlanContext) => ({
  agent_tool_id: find(c.store, "agent-tool", (a) => a.tool_type === "custom"),
});
const secret = (c: PlanContext) => ({ agent_secret_id: first(c.store, "agent-secret") });
const conversation = (c: PlanContext) => ({
  customer_agent_conversation_id: first(c.store, "customer-agent-conversation"),
});
const sender = (c: PlanContext) => ({
  text_messaging_sender_id: first(c.store, "text-messaging-sender"),
});

const campaignReads: PlanStep[] = [
  step("get_campaigns_beta", () => ({ filter: "equals(archived,false)", sort: "-created_at" })),
  step("get_campaign_beta", (c) => ({
    campaign_id: sentCampaign(c),
    include: ["campaign-messages", "campaign-audiences"],
  })),
  step("get_campaign_audiences_for_campaign_beta", (c) => ({ campaign_id: sentCampaign(c) })),
  step("get_audience_ids_for_campaign_beta", (c) => ({ campaign_id: sentCampaign(c) })),
  step("get_messages_for_campaign_beta", (c) => ({ campaign_id: sentCampaign(c) })),
  step("get_message_ids_for_campaign_beta", (c) => ({ campaign_id: sentCampaign(c) })),
  step("get_campaign_messages_beta", (c) => ({
    filter: `equals(campaign_id,"${sentCampaign(c)}")`,
    sort: "-created",
  })),
  step("get_campaign_message_beta", (c) => ({
    campaign_message_id: sentMessage(c),
    include: ["campaign", "campaign-variations"],
  })),
  step("get_campaign_for_campaign_message_beta", (c) => ({ campaign_message_id: sentMessage(c) })),
  step("get_campaign_id_for_campaign_message_beta", (c) => ({
    campaign_message_id: sentMessage(c),
  })),
  step("get_audience_for_campaign_message_beta", (c) => ({ campaign_message_id: sentMessage(c) })),
  step("get_audience_id_for_campaign_message_beta", (c) => ({
    campaign_message_id: sentMessage(c),
  })),
  step("get_variations_for_campaign_message_beta", (c) => ({
    campaign_message_id: sentMessage(c),
  })),
  step("get_variation_ids_for_campaign_message_beta", (c) => ({
    campaign_message_id: sentMessage(c),
  })),
  step("get_tags_for_campaign_message_beta", (c) => ({ campaign_message_id: sentMessage(c) })),
  step("get_tag_ids_for_campaign_message_beta", (c) => ({ campaign_message_id: sentMessage(c) })),
  step("get_campaign_audience_beta", (c) => ({
    campaign_audience_id: audience(c),
    include: ["campaign"],
  })),
  step("get_campaign_for_campaign_audience_beta", (c) => ({ campaign_audience_id: audience(c) })),
  step("get_campaign_id_for_campaign_audience_beta", (c) => ({
    campaign_audience_id: audience(c),
  })),
  step("get_campaign_messages_for_campaign_audience_beta", (c) => ({
    campaign_audience_id: audience(c),
  })),
  step("get_message_ids_for_campaign_audience_beta", (c) => ({
    campaign_audience_id: audience(c),
  })),
  step("get_campaign_variation_beta", (c) => ({
    campaign_variation_id: variation(c),
    include: ["campaign-message"],
  })),
  step("get_message_for_campaign_variation_beta", (c) => ({
    campaign_variation_id: variation(c),
  })),
  step("get_message_id_for_campaign_variation_beta", (c) => ({
    campaign_variation_id: variation(c),
  })),
  step("get_image_for_campaign_variation_beta", (c) => ({ campaign_variation_id: variation(c) })),
  step("get_image_id_for_campaign_variation_beta", (c) => ({
    campaign_variation_id: variation(c),
  })),
  step("get_translation_for_campaign_variation_beta", translatedVariation),
  step("get_translation_id_for_campaign_variation_beta", translatedVariation),
];

const translationReads: PlanStep[] = [
  step("get_translations_beta", () => ({ filter: 'equals(resource_type,"template")' })),
  step("get_translation_beta", (c) => ({
    ...translationOf("campaign-variation")(c),
    additional_fields: ["values"],
    include: ["campaign-variation"],
  })),
  step("get_campaign_variation_for_translation_beta", translationOf("campaign-variation")),
  step("get_campaign_variation_id_for_translation_beta", translationOf("campaign-variation")),
  step("get_template_for_translation_beta", translationOf("template")),
  step("get_template_id_for_translation_beta", translationOf("template")),
  step("get_flow_message_for_translation_beta", translationOf("flow-message")),
  step("get_flow_message_id_for_translation_beta", translationOf("flow-message")),
  step(
    "get_template_universal_content_for_translation_beta",
    translationOf("template-universal-content"),
  ),
  step(
    "get_template_universal_content_id_for_translation_beta",
    translationOf("template-universal-content"),
  ),
];

const brandReads: PlanStep[] = [
  step("get_brand_colors_beta"),
  step("get_brand_color_beta", (c) => ({ brand_color_id: first(c.store, "brand-color") })),
  step("get_brand_buttons_beta"),
  step("get_brand_button_beta", (c) => ({ brand_button_id: first(c.store, "brand-button") })),
  step("get_brand_logos_beta", () => ({ include: ["image"] })),
  step("get_brand_logo_beta", (c) => ({ brand_logo_id: first(c.store, "brand-logo") })),
  step("get_brand_social_groups_beta"),
  step("get_brand_social_group_beta", (c) => ({
    brand_social_group_id: first(c.store, "brand-social-group"),
  })),
  step("get_brand_voice_beta", (c) => ({ brand_voice_id: c.demo.accountId })),
  step("get_brand_email_defaults_beta", () => ({
    include: ["brand-button", "brand-logo", "brand-social-group"],
  })),
  step("get_brand_email_default_beta", (c) => ({ brand_email_default_id: c.demo.accountId })),
];

const setupReads: PlanStep[] = [
  step("get_sending_domains_beta"),
  step("get_sending_domain_beta", (c) => ({ sending_domain_id: first(c.store, "sending-domain") })),
  step("get_text_messaging_senders_beta", () => ({
    include: ["text-messaging-sender-registration"],
    sort: "-created_at",
  })),
  step("get_text_messaging_sender_beta", sender),
  step("get_sender_registration_for_text_sender_beta", sender),
  step("get_sender_registration_id_for_text_sender_beta", sender),
  step("get_text_messaging_sender_registration_beta", (c) => ({
    text_messaging_sender_registration_id: first(c.store, "text-messaging-sender-registration"),
    include: ["text-messaging-sender"],
  })),
  step("get_api_keys_beta", () => ({ additional_fields: ["redacted_key"] })),
  step("get_api_key_beta", (c) => ({ api_key_id: first(c.store, "api-key") })),
  step("get_applications_beta", () => ({ filter: 'equals(category,"Reviews")' })),
  step("list_billing_usage_beta"),
  step("get_billing_usage_beta", () => ({ billing_usage_id: "email_sends" })),
  step("get_profile_bulk_export_job_beta", (c) => ({
    job_id: first(c.store, "profile-bulk-export-job"),
  })),
  step("get_download_for_profile_bulk_export_job_beta", (c) => ({
    job_id: first(c.store, "profile-bulk-export-job"),
  })),
  step("get_event_bulk_export_job_beta", (c) => ({
    job_id: first(c.store, "event-bulk-export-job"),
  })),
  step("get_download_for_event_bulk_export_job_beta", (c) => ({
    job_id: first(c.store, "event-bulk-export-job"),
  })),
];

const agentReads: PlanStep[] = [
  step("list_agent_knowledge_beta", () => ({ sort: "-created_at" })),
  step("get_agent_knowledge_beta", (c) => ({
    agent_knowledge_id: first(c.store, "agent-knowledge"),
  })),
  step("get_agent_secrets_beta"),
  step("get_agent_secret_beta", secret),
  step("get_tools_for_agent_secret_beta", secret),
  step("get_tool_ids_for_agent_secret_beta", secret),
  step("get_agent_skills_beta"),
  step("get_agent_skill_beta", (c) => ({ agent_skill_id: first(c.store, "agent-skill") })),
  step("get_agent_tools_beta", () => ({ filter: 'equals(tool_type,"custom")' })),
  step("get_agent_tool_beta", tool),
  step("get_skills_for_agent_tool_beta", tool),
  step("get_skill_ids_for_agent_tool_beta", tool),
  step("get_secrets_for_agent_tool_beta", tool),
  step("get_secret_ids_for_agent_tool_beta", tool),
  step("get_customer_agent_beta", (c) => ({ customer_agent_id: c.demo.accountId })),
  step("list_customer_agent_conversations_beta", (c) => ({
    filter: `greater-or-equal(created_at,${iso(c.store.now() - 60 * DAY)})`,
  })),
  step("retrieve_customer_agent_conversation_beta", conversation),
  step("get_agent_messages_for_customer_agent_conversation_beta", conversation),
  step("get_message_ids_for_customer_agent_conversation_beta", conversation),
  step("query_customer_agent_values_beta", () => ({
    statistics: ["volume", "resolution-rate"],
    groupings: ["channel"],
    timeframe: { key: "last_30_days" },
  })),
  step("query_customer_agent_skill_values_beta", () => ({
    statistics: ["volume"],
    groupings: ["skill"],
    timeframe: { key: "last_90_days" },
  })),
];

export const betaReadSteps: PlanStep[] = [
  ...campaignReads,
  ...translationReads,
  ...brandReads,
  ...setupReads,
  ...agentReads,
];
