/**
 * Demo data of the beta revision's resources, for "Juniper & Pine": the campaigns' beta parts
 * (an audience per campaign, a variation per message, builders and colors), the brand kit
 * (colors, buttons, logo, socials, voice, email defaults), sending domains, text messaging
 * senders, API keys, installed apps, billing usage, translations and finished exports. The AI
 * agent's data is in beta-agents.ts. Runs last, so the stable demo data stays as it was.
 */
import { ensureCompanions, writeExtras } from "../beta/campaign-views.js";
import { connect } from "../beta/links.js";
import { seedAgents } from "./beta-agents.js";
import { DAY, HOUR, iso, type SeedContext } from "./context.js";
import { STORE } from "./words.js";

const DOMAIN = new URL(STORE.website).hostname;

export function seedBeta(ctx: SeedContext, accountId: string): void {
  seedCampaignParts(ctx);
  seedBrand(ctx, accountId);
  seedSendingSetup(ctx);
  seedAccountData(ctx);
  seedTranslations(ctx);
  seedExports(ctx);
  seedAgents(ctx, accountId);
}

/** Each campaign's primary audience and each message's primary variation, dated with them. */
function seedCampaignParts(ctx: SeedContext): void {
  const { store } = ctx;
  ensureCompanions(store);
  for (const campaign of store.all("campaign")) {
    const email = store
      .related("campaign", campaign.id, "campaign-messages")
      .some(
        (id) =>
          (store.get("campaign-message", id)?.attributes.definition as { channel?: string })
            ?.channel === "email",
      );
    writeExtras(store, campaign, {
      builder: email ? "canvas" : "wizard",
      color: ctx.pick(["2f4f3a", "5b7f6b", "c8553d", "d9a441"]),
    });
    const dated = {
      created: campaign.attributes.created_at,
      updated: campaign.attributes.updated_at,
    };
    for (const id of store.related("campaign", campaign.id, "campaign-audiences")) {
      store.update("campaign-audience", id, dated);
    }
    for (const message of store.related("campaign", campaign.id, "campaign-messages")) {
      for (const id of store.related("campaign-message", message, "campaign-variations")) {
        store.update("campaign-variation", id, dated);
      }
    }
  }
}

function textStyle(color: string, size: number, weight = 400, family = "Georgia, serif") {
  return {
    color,
    font_size: size,
    font_style: "normal",
    font_family: family,
    font_weight: weight,
    letter_spacing: 0,
    text_decoration: "none",
  };
}

const SANS = "'Helvetica Neue', Arial, sans-serif";

function seedBrand(ctx: SeedContext, accountId: string): void {
  ctx.insert("brand-color", {
    name: "Core palette",
    colors: [
      { hex: "#2F4F3A", name: "Forest" },
      { hex: "#5B7F6B", name: "Juniper" },
      { hex: "#6B4F3A", name: "Pine bark" },
      { hex: "#F3EFE6", name: "Birch" },
    ],
  });
  ctx.insert("brand-color", {
    name: "Seasonal accents",
    colors: [
      { hex: "#C8553D", name: "Ember" },
      { hex: "#D9A441", name: "Goldenrod" },
    ],
  });
  const button = (name: string, primary: boolean, background: string, text: string) =>
    ctx.insert("brand-button", {
      name,
      is_primary: primary,
      style: {
        background_color: background,
        border_radius: 4,
        box_shadow: "none",
        is_shadow_active: false,
      },
      border: {
        border_color: "#2F4F3A",
        border_style: "solid",
        border_width: primary ? 0 : 2,
        is_border_active: !primary,
      },
      spacing: { padding_top: 12, padding_right: 24, padding_bottom: 12, padding_left: 24 },
      text: textStyle(text, 16, 700, SANS),
      preview_page_hex: "#F3EFE6",
    });
  const primaryButton = button("Shop now", true, "#2F4F3A", "#FFFFFF");
  button("Learn more (outline)", false, "#FFFFFF", "#2F4F3A");
  const logoImage = ctx.store
    .all("image")
    .find((i) => String(i.attributes.name).startsWith("logo"));
  const logo = ctx.insert("brand-logo", {
    name: "Juniper & Pine wordmark",
    width: 240,
    height: 64,
    alt_text: "Juniper & Pine",
    link_url: STORE.website,
  });
  if (logoImage) ctx.link("brand-logo", logo, "image", [logoImage.id]);
  const socials = ctx.insert("brand-social-group", {
    name: "Main channels",
    social_links: [
      { platform: "x_twitter", link_url: "https://x.com/juniperandpine" },
      {
        platform: "custom",
        link_url: "https://instagram.com/juniperandpine",
        asset_id: null,
        asset_url: `${STORE.cdn}/icons/instagram.png`,
        width: 24,
        height: 24,
      },
    ],
  });
  ctx.insert(
    "brand-voice",
    {
      version: "3",
      tone_descriptors: [
        {
          name: "Warm",
          description: "Friendly and welcoming, like a trail guide.",
          user_modified: false,
        },
        {
          name: "Practical",
          description: "Specific about gear, sizes and care.",
          user_modified: true,
        },
        {
          name: "Outdoorsy",
          description: "Grounded in seasons and the places we go.",
          user_modified: false,
        },
      ],
      language_patterns: [
        {
          name: "Short sentences",
          description: "Lead with the benefit, keep it brief.",
          user_modified: false,
        },
        {
          name: "No hype",
          description: "Avoid superlatives and exclamation marks.",
          user_modified: true,
        },
      ],
    },
    accountId,
  );
  const defaults = ctx.insert(
    "brand-email-default",
    {
      body: {
        background_color: "#F3EFE6",
        body_background_color: "#FFFFFF",
        text: textStyle("#333333", 16, 400, SANS),
        h1_text: textStyle("#2F4F3A", 32, 700),
        h2_text: textStyle("#2F4F3A", 24, 700),
        h3_text: textStyle("#2F4F3A", 20, 700),
        h4_text: textStyle("#2F4F3A", 18, 700),
        link_text: {
          color: "#5B7F6B",
          font_style: "normal",
          text_decoration: "underline",
          font_size: null,
          font_weight: null,
          font_family: null,
          letter_spacing: null,
        },
      },
      header: {
        background_color: "#FFFFFF",
        links: [
          { text: "Shop", url: `${STORE.website}/collections/all` },
          { text: "Journal", url: `${STORE.website}/journal` },
        ],
        link_text: {
          color: "#2F4F3A",
          font_style: "normal",
          text_decoration: "none",
          font_size: 14,
          font_weight: 700,
          font_family: SANS,
          letter_spacing: 1,
        },
        logo_max_width: 200,
      },
      footer: {
        background_color: "#2F4F3A",
        text: textStyle("#F3EFE6", 12, 400, SANS),
        link_text: {
          color: "#F3EFE6",
          font_style: "normal",
          text_decoration: "underline",
          font_size: 12,
          font_weight: 400,
          font_family: SANS,
          letter_spacing: 0,
        },
        social_group_color: "white",
      },
    },
    accountId,
  );
  ctx.link("brand-email-default", defaults, "brand-button", [primaryButton]);
  ctx.link("brand-email-default", defaults, "brand-logo", [logo]);
  ctx.link("brand-email-default", defaults, "brand-social-group", [socials]);
}

function seedSendingSetup(ctx: SeedContext): void {
  const records = (domain: string, verified: boolean) => [
    { type: "cname", host: `send.${domain}`, value: "send.klaviyomail.com", verified },
    { type: "cname", host: `kl._domainkey.${domain}`, value: "kl.dkim.klaviyomail.com", verified },
    { type: "txt", host: `_dmarc.${domain}`, value: "v=DMARC1; p=none;", verified },
  ];
  for (const [sub, purpose, status, days] of [
    ["mail", "marketing", "active", 300],
    ["notify", "transactional", "warming", 40],
    ["news", "marketing", "pending", 3],
  ] as const) {
    const domain = `${sub}.${DOMAIN}`;
    const created = ctx.daysAgo(days, days - 1);
    ctx.insert("sending-domain", {
      domain,
      dkim_selector: "kl",
      purpose,
      configuration: "static",
      status,
      dns_records: records(domain, status !== "pending"),
      created_at: iso(created),
      updated_at: iso(created + (status === "pending" ? HOUR : 2 * DAY)),
    });
  }
  const sender = (
    type: string,
    status: string,
    identifier: string | null,
    decision: string,
    days: number,
  ) => {
    const at = ctx.daysAgo(days, days - 1);
    const id = ctx.insert("text-messaging-sender", {
      sender_type: type,
      sender_details: { country: "US" },
      status,
      created_at: iso(at),
      forwarding_number: "+18025550142",
      sender_identifier: identifier,
    });
    const registration = ctx.insert("text-messaging-sender-registration", {
      status: decision,
      failures: [],
      created_at: iso(at),
      updated_at: iso(at + (decision === "approved" ? 9 * DAY : HOUR)),
      submitted_at: iso(at),
      decided_at: decision === "approved" ? iso(at + 9 * DAY) : null,
    });
    connect(ctx.store, "text-messaging-sender", id, "text-messaging-sender-registration", [
      registration,
    ]);
  };
  sender("toll_free", "active", "+18335550117", "approved", 160);
  sender("short_code", "registering", null, "in_review", 6);
}

const SCOPES_ALL = [
  "campaigns:write",
  "catalogs:write",
  "events:write",
  "lists:write",
  "profiles:write",
];

function seedAccountData(ctx: SeedContext): void {
  for (const [name, status, scopes, days] of [
    ["Storefront sync", "active", SCOPES_ALL, 400],
    [
      "Data warehouse (read only)",
      "active",
      ["events:read", "lists:read", "metrics:read", "profiles:read"],
      120,
    ],
    ["Old POS integration", "disabled", ["profiles:write", "events:write"], 700],
  ] as const) {
    ctx.insert("api-key", {
      name,
      status,
      scopes: [...scopes],
      created: iso(ctx.daysAgo(days, days - 1)),
      redacted_key: `pk_****${ctx.hex(4)}`,
    });
  }
  for (const [name, by, category, summary] of [
    [
      "Shopify",
      "Klaviyo",
      "eCommerce Platform",
      "Sync customers, orders and catalog from Shopify.",
    ],
    ["Gorgias", "Gorgias", "Support & Help Desk", "See support tickets beside each profile."],
    ["Recharge", "Recharge", "Subscriptions", "Trigger flows from subscription events."],
    ["Okendo", "Okendo", "Reviews", "Send review requests and use ratings in segments."],
  ] as const) {
    const slug = name.toLowerCase();
    ctx.insert("application", {
      name,
      developed_by: by,
      short_description: summary,
      description: `${summary} Installed for ${STORE.name}.`,
      icon_url: `https://apps.klaviyo.example.com/${slug}/icon.png`,
      banner_image_url: `https://apps.klaviyo.example.com/${slug}/banner.png`,
      categories: [category],
      features: [
        { title: "Two-way sync", short_description: "Data flows both ways, in real time." },
      ],
      gallery_items: [{ image_url: `https://apps.klaviyo.example.com/${slug}/gallery-1.png` }],
      video: null,
      articles: [
        {
          type: "USER_GUIDE",
          title: `Set up ${name}`,
          link: `https://help.klaviyo.example.com/${slug}`,
          description: null,
          image_url: null,
        },
      ],
      install_url: `https://apps.klaviyo.example.com/${slug}/install`,
      preferences_link: `https://apps.klaviyo.example.com/${slug}/preferences`,
      pricing_information_link: null,
      support_link: `https://${slug}.example.com/support`,
      website_link: `https://${slug}.example.com`,
      privacy_policy_link: `https://${slug}.example.com/privacy`,
      created_at: iso(ctx.daysAgo(500, 100)),
      // The filters' names for what the attributes call developed_by and categories.
      built_by: by,
      category,
    });
  }
  const start = new Date(ctx.now);
  const periodStart = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1);
  const periodEnd = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1);
  for (const [id, used, max, unit] of [
    ["email_sends", 41_260, 150_000, "messages"],
    ["sms_credits", 3_812.5, 10_000, "credits"],
    ["active_profiles", 300, 1_500, "profiles"],
    ["customer_agent_resolutions", 27, 500, "resolutions"],
  ] as const) {
    ctx.insert(
      "billing-usage",
      {
        usage_used: used,
        usage_max: max,
        unit,
        period_start: iso(periodStart),
        period_end: iso(periodEnd),
        as_of: iso(ctx.now - HOUR),
      },
      id,
    );
  }
}

/** A translation of each kind of translatable resource, into Canadian French (and Spanish). */
function seedTranslations(ctx: SeedContext): void {
  const { store } = ctx;
  const draft = store.all("campaign").find((c) => c.attributes.status === "Draft");
  const message = draft && store.related("campaign", draft.id, "campaign-messages")[0];
  const variation = message && store.related("campaign-message", message, "campaign-variations")[0];
  const targets: Array<[string, string | undefined]> = [
    ["campaign-variation", variation],
    ["template", store.all("template")[0]?.id],
    ["flow-message", store.all("flow-message")[0]?.id],
    ["template-universal-content", store.all("template-universal-content")[0]?.id],
  ];
  for (const [resourceType, id] of targets) {
    if (!id) continue;
    const at = iso(ctx.daysAgo(10, 1));
    const locales = resourceType === "campaign-variation" ? ["fr-CA", "es-MX"] : ["fr-CA"];
    const translation = ctx.insert("translation", {
      source_locale: "en-US",
      target_locales: locales,
      fallback_locale: "en-US",
      channel: "email",
      metadata: resourceType === "campaign-variation" ? { requested_by: "marketing" } : null,
      created: at,
      updated: at,
      // What the filters name: the translated resource's type and id.
      resource_type: resourceType,
      related_resource_id: id,
      values: [
        {
          id: "subject",
          source_text: "New this season",
          translations: Object.fromEntries(locales.map((l) => [l, SUBJECTS[l] ?? null])),
        },
      ],
    });
    connect(store, "translation", translation, resourceType, [id]);
  }
}

const SUBJECTS: Record<string, string> = {
  "fr-CA": "Nouveautés de saison",
  "es-MX": "Novedades de temporada",
};

/** A finished export of each kind, its file still downloadable. */
function seedExports(ctx: SeedContext): void {
  const { store } = ctx;
  const finished = (type: string, hours: number, extra: Record<string, unknown>) => {
    const created = ctx.now - hours * HOUR;
    return ctx.insert(type, {
      status: "complete",
      created_at: iso(created),
      completed_at: iso(created + 2 * 60_000),
      result: { expires_at: iso(created + 7 * DAY) },
      error: null,
      ...extra,
    });
  };
  const list = store.all("list")[0];
  if (list) {
    const job = finished("profile-bulk-export-job", 30, { properties: ["email", "first_name"] });
    ctx.link("profile-bulk-export-job", job, "list", [list.id]);
  }
  const metric = store.all("metric").find((m) => m.attributes.name === "Placed Order");
  if (metric) {
    const job = finished("event-bulk-export-job", 8, {
      start_date: iso(ctx.now - 30 * DAY),
      end_date: iso(ctx.now),
    });
    ctx.link("event-bulk-export-job", job, "metric", [metric.id]);
  }
}
