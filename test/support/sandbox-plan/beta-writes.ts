/** Beta plan, writes: creates (whose ids later steps use), jobs, updates, then deletes. */
import { find, related } from "./beta-reads.js";
import { DAY, first, iso, type PlanContext, type PlanStep, step } from "./steps.js";

const EMAIL = {
  channel: "email",
  subject: "Trail-tested: our fall layering guide",
  preview_text: "Three layers, one warm hiker.",
  from_email: "hello@juniperandpine.example.com",
  from_label: "Juniper & Pine",
};

const TEXT = {
  color: "#2F4F3A",
  font_size: 16,
  font_style: "normal",
  font_family: "Georgia, serif",
  font_weight: 700,
  letter_spacing: 0,
  text_decoration: "none",
};

const betaMessage = (c: PlanContext) =>
  related(c.store, "campaign", c.saved.betaCampaign ?? "", "campaign-messages");

const campaignWrites: PlanStep[] = [
  step(
    "create_campaign_beta",
    (c) => ({
      definition: { name: "Fall layering guide", builder: "canvas", color: "c8553d" },
      audiences: [{ temporary_id: "hikers", included: [c.demo.listIds[0]] }],
      messages: [
        {
          audience_temporary_id: "hikers",
          name: "Layering guide email",
          variations: [{ definition: { name: "Guide (A)", details: EMAIL } }],
        },
      ],
      tag_ids: [Object.values(c.demo.tags)[0]],
    }),
    "betaCampaign",
  ),
  step(
    "create_campaign_audience_beta",
    (c) => ({
      campaign_id: c.saved.betaCampaign,
      definition: { name: "VIP hikers", included: [c.demo.segmentIds[0]], excluded: [] },
    }),
    "betaAudience",
  ),
  step(
    "create_campaign_message_beta",
    (c) => ({
      campaign_id: c.saved.betaCampaign,
      campaign_audience_id: c.saved.betaAudience,
      definition: { name: "VIP early access", send_options: { send_strategy: "static" } },
      variations: [{ definition: { name: "Early access (A)", details: EMAIL } }],
    }),
    "betaMessage",
  ),
  step(
    "create_campaign_variation_beta",
    (c) => ({
      campaign_message_id: c.saved.betaMessage,
      definition: {
        name: "Early access (B)",
        details: { ...EMAIL, subject: "You're in early: fall layers" },
      },
    }),
    "betaVariation",
  ),
  step("clone_campaign_beta", (c) => ({ campaign_id: c.saved.betaCampaign }), "betaClone"),
  step(
    "clone_campaign_audience_beta",
    (c) => ({
      campaign_audience_clone_id: c.saved.betaAudience,
      id: c.saved.betaAudience,
      name: "VIP hikers (copy)",
      campaign_id: c.saved.betaCampaign,
    }),
    "clonedAudience",
  ),
  step(
    "clone_campaign_message_beta",
    (c) => ({
      campaign_message_id: c.saved.betaMessage,
      id: c.saved.betaMessage,
      name: "VIP early access (copy)",
      campaign_audience_id: c.saved.clonedAudience,
    }),
    "clonedMessage",
  ),
  step(
    "schedule_campaign_message_beta",
    (c) => ({
      campaign_message_id: betaMessage(c),
      strategy: "static",
      send_time: iso(c.store.now() + 3 * DAY),
    }),
    "schedule",
  ),
  step("update_campaign_message_schedule_beta", (c) => ({
    campaign_message_schedule_id: c.saved.schedule,
    action: "revert",
  })),
  step(
    "create_translation_beta",
    (c) => ({
      source_locale: "en-US",
      target_locales: ["fr-CA"],
      fallback_locale: "en-US",
      channel: "email",
      campaign_variation_id: c.saved.betaVariation,
    }),
    "translation",
  ),
];

const brandWrites: PlanStep[] = [
  step(
    "create_brand_color_beta",
    () => ({ name: "Holiday", colors: [{ hex: "#8B1E3F", name: "Cranberry" }] }),
    "brandColor",
  ),
  step(
    "create_brand_button_beta",
    () => ({
      name: "Holiday CTA",
      style: { background_color: "#8B1E3F", border_radius: 6, box_shadow: "none" },
      border: { border_color: "#8B1E3F", border_style: "solid", border_width: 0 },
      spacing: { padding_top: 12, padding_right: 20, padding_bottom: 12, padding_left: 20 },
      text: { ...TEXT, color: "#FFFFFF" },
    }),
    "brandButton",
  ),
  step(
    "create_brand_logo_beta",
    (c) => ({ name: "Holiday logo", width: 200, height: 60, image_id: c.demo.imageIds[0] }),
    "brandLogo",
  ),
  step(
    "create_brand_social_group_beta",
    () => ({
      name: "Holiday socials",
      social_links: [{ platform: "x_twitter", link_url: "https://x.com/juniperandpine" }],
    }),
    "brandSocials",
  ),
];

const setupWrites: PlanStep[] = [
  step(
    "create_sending_domain_beta",
    () => ({ domain: "promo.juniperandpine.example.com", purpose: "marketing" }),
    "sendingDomain",
  ),
  step("create_sending_domain_verification_job_beta", (c) => ({
    sending_domain_id: c.saved.sendingDomain,
  })),
  step("create_sending_domain_activation_job_beta", (c) => ({
    sending_domain_id: c.saved.sendingDomain,
    warming_enabled: true,
  })),
  step("create_text_messaging_configuration_beta", () => ({ org_prefix: "Juniper&Pine" }), "sms"),
  step("get_text_messaging_configuration_beta", (c) => ({
    text_messaging_configuration_id: c.saved.sms,
  })),
  step(
    "create_text_messaging_sender_beta",
    () => ({
      sender_type: "toll_free",
      sender_details: { country: "US" },
      text_messaging_sender_registration: REGISTRATION,
    }),
    "textSender",
  ),
  step("create_text_messaging_sender_registration_beta", (c) => ({
    ...REGISTRATION,
    business_website: "https://juniperandpine.example.com/about",
    text_messaging_sender_id: c.saved.textSender,
  })),
  step("create_profile_bulk_export_job_beta", (c) => ({
    list_id: c.demo.listIds[0],
    properties: ["email", "first_name"],
  })),
  step("create_event_bulk_export_job_beta", (c) => ({
    metric_id: c.demo.metricIds["Placed Order"],
    start_date: iso(c.store.now() - 30 * DAY),
    end_date: iso(c.store.now()),
  })),
  step("create_template_preview_send_job_beta", (c) => ({
    template_id: c.demo.templateIds[0],
    recipients: ["robin.sandbox@example.com"],
  })),
];

const REGISTRATION = {
  first_name: "Robin",
  last_name: "Sandbox",
  phone_number: "+18025550142",
  email: "robin.sandbox@example.com",
  address: {
    street_address_1: "12 Birch Lane",
    city: "Burlington",
    region: "VT",
    postal_code: "05401",
    country: "US",
  },
  business_name: "Juniper & Pine LLC",
  business_website: "https://juniperandpine.example.com",
  business_type: "PRIVATE_PROFIT",
};

const agentWrites: PlanStep[] = [
  step(
    "create_agent_knowledge_beta",
    () => ({
      source: {
        source_type: "snippet",
        title: "Gift cards",
        content: "Gift cards never expire and work online and in store.",
      },
    }),
    "knowledge",
  ),
  step(
    "create_agent_knowledge_file_beta",
    () => ({
      title: "Size guide",
      filename: "size-guide.txt",
      file_base64: Buffer.from("Boots run half a size small.").toString("base64"),
    }),
    "knowledgeFile",
  ),
  step(
    "create_agent_secret_beta",
    () => ({ name: "Loyalty API key", value: "sk_live_sandbox_1234" }),
    "secret",
  ),
  step(
    "create_agent_tool_beta",
    (c) => ({
      name: "loyalty_points",
      public_description: "Looks up a customer's loyalty points balance.",
      details: {
        type: "custom",
        request_template: {
          url_template: "https://loyalty.juniperandpine.example.com/points/{{email}}",
          http_method: "GET",
        },
        variables: [
          { name: "email", type: "string", source: "klaviyo" },
          { name: "api_key", type: "string", source: "secret", value: c.saved.secret },
        ],
      },
    }),
    "tool",
  ),
  step(
    "create_agent_skill_beta",
    (c) => ({
      display_name: "Loyalty balance",
      description: "Tells a customer how many points they have.",
      instructions: "Look up the points with the loyalty tool and state the balance.",
      status: "draft",
      agent_tool_ids: [c.saved.tool],
    }),
    "skill",
  ),
  step("create_customer_agent_response_beta", (c) => ({
    mode: "live",
    channel: "web-chat",
    messages: [{ role: "user", content: "How long does shipping take?" }],
    conversation_id: first(c.store, "customer-agent-conversation"),
  })),
];

const updates: PlanStep[] = [
  step("update_campaign_beta", (c) => ({
    campaign_id: c.saved.betaCampaign,
    definition: { name: "Fall layering guide (final)", archived: false },
  })),
  step("update_campaign_message_beta", (c) => ({
    campaign_message_id: c.saved.betaMessage,
    definition: { name: "VIP early access (final)", tracking_options: { is_add_utm: true } },
  })),
  step("update_campaign_audience_beta", (c) => ({
    campaign_audience_id: c.saved.betaAudience,
    definition: { name: "VIP hikers (all)", excluded: [c.demo.listIds[1]] },
  })),
  step("update_campaign_variation_beta", (c) => ({
    campaign_variation_id: c.saved.betaVariation,
    definition: { details: { ...EMAIL, subject: "Last call: early access ends tonight" } },
  })),
  step("update_translation_beta", (c) => ({
    translation_id: c.saved.translation,
    target_locales: ["fr-CA", "es-MX"],
  })),
  step("update_brand_color_beta", (c) => ({
    brand_color_id: c.saved.brandColor,
    name: "Holiday 2026",
  })),
  step("update_brand_button_beta", (c) => ({
    brand_button_id: c.saved.brandButton,
    is_primary: false,
  })),
  step("update_brand_logo_beta", (c) => ({
    brand_logo_id: c.saved.brandLogo,
    alt_text: "Juniper & Pine, holiday",
  })),
  step("update_brand_social_group_beta", (c) => ({
    brand_social_group_id: c.saved.brandSocials,
    name: "Holiday social links",
  })),
  step("update_brand_voice_beta", (c) => ({
    brand_voice_id: c.demo.accountId,
    tone_descriptors: [{ name: "Warm", description: "Friendly, like a trail guide." }],
  })),
  step("update_brand_email_default_beta", (c) => ({
    brand_email_default_id: c.demo.accountId,
    footer: { social_group_color: "grey" },
    brand_button_id: c.saved.brandButton,
  })),
  step("update_api_key_beta", (c) => ({
    api_key_id: find(c.store, "api-key", (a) => a.status === "disabled"),
    name: "Old POS integration (retired)",
  })),
  step("update_agent_knowledge_beta", (c) => ({
    agent_knowledge_id: c.saved.knowledge,
    content: "Gift cards never expire. They work online and in our Burlington store.",
  })),
  step("update_agent_secret_beta", (c) => ({
    agent_secret_id: c.saved.secret,
    name: "Loyalty API key (v2)",
  })),
  step("update_agent_tool_beta", (c) => ({
    agent_tool_id: c.saved.tool,
    public_description: "Looks up a customer's loyalty points and tier.",
  })),
  step("update_agent_skill_beta", (c) => ({ agent_skill_id: c.saved.skill, status: "live" })),
  step("update_customer_agent_beta", (c) => ({
    customer_agent_id: c.demo.accountId,
    tone_of_voice: { preset: "professional" },
  })),
  step("update_customer_agent_conversation_beta", (c) => ({
    customer_agent_conversation_id: find(
      c.store,
      "customer-agent-conversation",
      (a) => a.status === "open",
    ),
    status: "closed",
  })),
];

const deletes: PlanStep[] = [
  step("delete_translation_beta", (c) => ({ translation_id: c.saved.translation })),
  step("delete_campaign_variation_beta", (c) => ({ campaign_variation_id: c.saved.betaVariation })),
  step("delete_campaign_message_beta", (c) => ({ campaign_message_id: c.saved.clonedMessage })),
  step("delete_campaign_audience_beta", (c) => ({ campaign_audience_id: c.saved.clonedAudience })),
  step("delete_campaign_beta", (c) => ({ campaign_id: c.saved.betaClone })),
  step("delete_brand_color_beta", (c) => ({ brand_color_id: c.saved.brandColor })),
  step("delete_brand_button_beta", (c) => ({ brand_button_id: c.saved.brandButton })),
  step("delete_brand_logo_beta", (c) => ({ brand_logo_id: c.saved.brandLogo })),
  step("delete_brand_social_group_beta", (c) => ({ brand_social_group_id: c.saved.brandSocials })),
  step("delete_sending_domain_beta", (c) => ({ sending_domain_id: c.saved.sendingDomain })),
  step("delete_agent_skill_beta", (c) => ({ agent_skill_id: c.saved.skill })),
  step("delete_agent_tool_beta", (c) => ({ agent_tool_id: c.saved.tool })),
  step("delete_agent_secret_beta", (c) => ({ agent_secret_id: c.saved.secret })),
  step("delete_agent_knowledge_beta", (c) => ({ agent_knowledge_id: c.saved.knowledge })),
];

export const betaWriteSteps: PlanStep[] = [
  ...campaignWrites,
  ...brandWrites,
  ...setupWrites,
  ...agentWrites,
  ...updates,
  ...deletes,
];
