/** Images, email templates, and campaigns with their messages. */
import { type AudienceSeed, type ListKey, recipients, type SegmentKey } from "./audiences.js";
import { DAY, HOUR, iso, isoDate, MINUTE, type SeedContext, slug } from "./context.js";
import type { CampaignModel } from "./model.js";
import { STORE } from "./words.js";

const IMAGES = [
  ["logo-juniper-pine.png", "png", "Logo"],
  ["spring-trail-hero.jpg", "jpeg", "hiking"],
  ["camp-kitchen-hero.jpg", "jpeg", "camp-kitchen"],
  ["summer-sale-banner.jpg", "jpeg", "camping"],
  ["merino-restock.jpg", "jpeg", "apparel"],
  ["cozy-cabin-hero.jpg", "jpeg", "home-and-cabin"],
  ["fall-hikes-hero.jpg", "jpeg", "fall"],
  ["holiday-gift-guide.gif", "gif", "accessories"],
] as const;

export interface ImageSeed {
  ids: string[];
  /** Image URL by theme (a category key, "fall" or "Logo"). */
  urls: Record<string, string>;
}

export function seedImages(ctx: SeedContext): ImageSeed {
  const ids: string[] = [];
  const urls: Record<string, string> = {};
  for (const [name, format, theme] of IMAGES) {
    const url = `${STORE.cdn}/email/${name}`;
    ids.push(
      ctx.insert("image", {
        name,
        image_url: url,
        format,
        size: format === "png" ? ctx.int(8_000, 40_000) : ctx.int(90_000, 780_000),
        hidden: false,
        updated_at: iso(ctx.daysAgo(120, 3)),
      }),
    );
    urls[theme] = url;
  }
  return { ids, urls };
}

export interface EmailCopy {
  heading: string;
  intro: string;
  cta: string;
  url: string;
  image: string;
}

/** A template whose HTML uses Klaviyo's Django-style variables. */
export function insertTemplate(
  ctx: SeedContext,
  name: string,
  copy: EmailCopy,
  editorType: "CODE" | "SYSTEM_DRAGGABLE",
  created: number,
  logo: string,
): string {
  const withText = editorType === "CODE" || ctx.chance(0.5);
  return ctx.insert("template", {
    name,
    editor_type: editorType,
    html: emailHtml(copy, editorType, logo),
    ...(withText ? { text: emailText(copy) } : {}),
    created: iso(created),
    updated: iso(Math.min(ctx.now - HOUR, created + ctx.int(1, 72) * HOUR)),
  });
}

function emailHtml(copy: EmailCopy, editorType: string, logo: string): string {
  const marker = editorType === "SYSTEM_DRAGGABLE" ? ' class="kl-section"' : "";
  return [
    "<!DOCTYPE html>",
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    `<title>${escapeHtml(copy.heading)}</title></head>`,
    '<body style="margin:0;background:#f4f1ea;font-family:Georgia,serif;color:#2f3b2f">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">',
    '<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="background:#ffffff">',
    `<tr${marker}><td style="padding:24px;text-align:center"><img src="${logo}" alt="{{ organization.name }}" width="160"></td></tr>`,
    `<tr${marker}><td><img src="${copy.image}" alt="" width="600" style="display:block;width:100%"></td></tr>`,
    `<tr${marker}><td style="padding:24px 32px">`,
    `<h1 style="font-size:26px;margin:0 0 16px">${escapeHtml(copy.heading)}</h1>`,
    "<p>Hi {{ first_name|default:'there' }},</p>",
    `<p>${escapeHtml(copy.intro)}</p>`,
    `<p style="text-align:center;margin:32px 0"><a href="${copy.url}" style="background:#2f5d3a;color:#ffffff;padding:14px 28px;text-decoration:none;border-radius:4px">${escapeHtml(copy.cta)}</a></p>`,
    "<p>See you out there,<br>The {{ organization.name }} team</p>",
    "</td></tr>",
    `<tr${marker}><td style="padding:16px 32px;font-size:12px;color:#7a7a6a;text-align:center">`,
    "You are receiving this email as {{ email }} because you signed up at {{ organization.name }}.<br>",
    "{% unsubscribe %}",
    "</td></tr></table></td></tr></table></body></html>",
  ].join("\n");
}

function emailText(copy: EmailCopy): string {
  return [
    "Hi {{ first_name|default:'there' }},",
    "",
    copy.intro,
    "",
    `${copy.cta}: ${copy.url}`,
    "",
    "See you out there,",
    "The {{ organization.name }} team",
  ].join("\n");
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Themes that are not catalog categories, mapped to the category they promote. */
const FOCUS: Record<string, string> = { fall: "hiking", Logo: "accessories" };

type AudienceRef = ListKey | `seg:${SegmentKey}`;

interface CampaignSpec {
  name: string;
  channel: "email" | "sms";
  status: "Sent" | "Draft" | "Scheduled";
  /** Days before now it was sent (negative: scheduled in the future). */
  day?: number;
  included: AudienceRef[];
  excluded?: AudienceRef[];
  tags: string[];
  subject: string;
  preview: string;
  theme: string;
  intro: string;
}

const CAMPAIGNS: CampaignSpec[] = [
  {
    name: "Spring Trail Collection Launch",
    channel: "email",
    status: "Sent",
    day: 84,
    included: ["newsletter"],
    tags: ["Spring", "Email", "Product Launch"],
    subject: "New on the trail: the Spring Collection is here",
    preview: "Lighter packs, new layers and our best daypack yet.",
    theme: "hiking",
    intro:
      "Our Spring Collection just landed: lighter packs, breathable layers and everything you need for the first long hike of the season.",
  },
  {
    name: "Camp Kitchen Essentials",
    channel: "email",
    status: "Sent",
    day: 70,
    included: ["newsletter"],
    excluded: ["seg:churnRisk"],
    tags: ["Spring", "Email"],
    subject: "Better coffee at the campsite",
    preview: "Pour-over kits, cast iron and enamel mugs.",
    theme: "camp-kitchen",
    intro:
      "Good food tastes better outside. Meet the pour-over kit, the skillet and the mug that make every campsite feel like home.",
  },
  {
    name: "VIP Early Access: Summer Sale",
    channel: "email",
    status: "Sent",
    day: 57,
    included: ["vip"],
    tags: ["Summer", "Email", "VIP", "Promotional"],
    subject: "Your VIP early access: 20% off starts now",
    preview: "Shop the Summer Sale 48 hours before everyone else.",
    theme: "camping",
    intro:
      "As one of our best customers, you get 48 hours of early access to the Summer Sale. Use code VIP20 at checkout.",
  },
  {
    name: "Flash Sale: 24 Hours Only (SMS)",
    channel: "sms",
    status: "Sent",
    day: 55,
    included: ["sms"],
    tags: ["Summer", "SMS", "Promotional"],
    subject: "",
    preview: "",
    theme: "camping",
    intro: `${STORE.name}: 24-hour flash sale! 25% off camp chairs, lanterns & hammocks. Shop now: ${STORE.website}/sale`,
  },
  {
    name: "Summer Sale: Up to 30% Off",
    channel: "email",
    status: "Sent",
    day: 54,
    included: ["newsletter"],
    excluded: ["vip"],
    tags: ["Summer", "Email", "Promotional"],
    subject: "Up to 30% off gear for the trail",
    preview: "Tents, packs and sleeping bags, while they last.",
    theme: "camping",
    intro:
      "The Summer Sale is on: up to 30% off tents, sleeping bags and packs. Stock up before your next trip.",
  },
  {
    name: "Back in Stock: Merino Base Layers",
    channel: "email",
    status: "Sent",
    day: 35,
    included: ["backInStock", "seg:hiking"],
    tags: ["Email"],
    subject: "They're back: Merino Base Layers",
    preview: "Every size, every color, restocked.",
    theme: "apparel",
    intro:
      "The base layer you asked about is back in every size. They sold out in two weeks last time.",
  },
  {
    name: "Cozy Cabin Collection",
    channel: "email",
    status: "Sent",
    day: 21,
    included: ["newsletter"],
    tags: ["Fall", "Email", "Product Launch"],
    subject: "Bring the cabin home",
    preview: "Wool blankets, cedar candles and stoneware mugs.",
    theme: "home-and-cabin",
    intro:
      "Wool blankets, cedar candles and hand-thrown mugs: our new Cabin Collection is made for slow mornings.",
  },
  {
    name: "Trail Notes: Five Fall Hikes We Love",
    channel: "email",
    status: "Sent",
    day: 7,
    included: ["newsletter"],
    excluded: ["seg:churnRisk"],
    tags: ["Fall", "Email", "Evergreen"],
    subject: "Five fall hikes (and what to pack)",
    preview: "Our team's favorite trails this season.",
    theme: "fall",
    intro: "Our team picked five fall hikes worth the drive, with a packing list for each.",
  },
  {
    name: "Holiday Gift Guide 2026",
    channel: "email",
    status: "Draft",
    included: ["holiday", "newsletter"],
    tags: ["Holiday", "Email"],
    subject: "The Juniper & Pine Holiday Gift Guide",
    preview: "Gifts for every kind of outdoors person.",
    theme: "accessories",
    intro:
      "From stocking stuffers to the big tent, here is our guide to gifts for everyone who would rather be outside.",
  },
  {
    name: "Loyalty Rewards Relaunch",
    channel: "email",
    status: "Draft",
    included: ["seg:engaged"],
    tags: ["Email", "Evergreen"],
    subject: "Introducing Trail Rewards",
    preview: "Earn points on every order.",
    theme: "Logo",
    intro: "Trail Rewards is here: earn points on every order and trade them for gear.",
  },
  {
    name: "Fall Restock Announcement",
    channel: "email",
    status: "Scheduled",
    day: -3,
    included: ["newsletter"],
    excluded: ["seg:lapsed"],
    tags: ["Fall", "Email"],
    subject: "Restocked: your fall favorites",
    preview: "Fleece, flannel and puffer vests are back.",
    theme: "apparel",
    intro: "Fleece, flannel and puffer vests are back in stock, just in time for cold mornings.",
  },
];

export interface CampaignSeed {
  campaigns: CampaignModel[];
  templateIds: string[];
}

export function seedCampaigns(
  ctx: SeedContext,
  audiences: AudienceSeed,
  images: ImageSeed,
  tags: Record<string, string>,
): CampaignSeed {
  const resolve = (ref: AudienceRef): string =>
    ref.startsWith("seg:")
      ? audiences.segments[ref.slice(4) as SegmentKey]
      : audiences.lists[ref as ListKey];
  const campaigns: CampaignModel[] = [];
  const templateIds: string[] = [];
  const logo = images.urls.Logo ?? "";
  const today = Math.floor(ctx.now / DAY) * DAY;

  let editorToggle = 0;
  for (const spec of CAMPAIGNS) {
    const sendTime =
      spec.day === undefined
        ? null
        : today - spec.day * DAY + 14 * HOUR + ctx.int(0, 12) * 5 * MINUTE;
    // A send time on "today" could be after now; keep sent campaigns in the past.
    const send =
      sendTime !== null && spec.status === "Sent"
        ? Math.min(sendTime, ctx.now - 2 * HOUR)
        : sendTime;
    const created =
      send !== null
        ? Math.min(send, ctx.now) - ctx.int(3, 12) * DAY
        : ctx.now - ctx.int(2, 10) * DAY;
    const scheduledAt =
      spec.status === "Sent" && send !== null
        ? send - ctx.int(2, 48) * HOUR
        : spec.status === "Scheduled"
          ? ctx.now - ctx.int(1, 20) * HOUR
          : null;
    const updated =
      spec.status === "Sent" && send !== null
        ? send + ctx.int(5, 40) * MINUTE
        : (scheduledAt ?? created + ctx.int(1, 36) * HOUR);
    const included = spec.included.map(resolve);
    const excluded = (spec.excluded ?? []).map(resolve);
    const id = ctx.ulidAt(created);
    const planned = today + ctx.int(20, 40) * DAY + 15 * HOUR;
    const sendStrategy =
      spec.status === "Draft"
        ? spec.name.startsWith("Holiday")
          ? { method: "smart_send_time", date: isoDate(planned) }
          : { method: "immediate" }
        : { method: "static", datetime: iso(send ?? planned), options: { is_local: false } };
    const utm = [
      { type: "dynamic", value: "campaign_name", name: "utm_campaign" },
      { type: "static", value: "klaviyo", name: "utm_source" },
      { type: "static", value: spec.channel, name: "utm_medium" },
    ];
    ctx.insert(
      "campaign",
      {
        name: spec.name,
        status: spec.status,
        archived: false,
        audiences: { included, excluded },
        send_options: { use_smart_sending: true },
        tracking_options:
          spec.channel === "email"
            ? {
                add_tracking_params: true,
                custom_tracking_params: utm,
                is_tracking_clicks: true,
                is_tracking_opens: true,
              }
            : { add_tracking_params: true, custom_tracking_params: utm },
        send_strategy: sendStrategy,
        created_at: iso(created),
        scheduled_at: scheduledAt === null ? null : iso(scheduledAt),
        updated_at: iso(updated),
        send_time: send === null ? null : iso(send),
      },
      id,
    );

    const messageId = ctx.ulidAt(created + MINUTE);
    const definition =
      spec.channel === "email"
        ? {
            channel: "email",
            label: spec.name,
            content: {
              subject: spec.subject,
              preview_text: spec.preview,
              from_email: STORE.senderEmail,
              from_label: STORE.name,
              reply_to_email: STORE.replyTo,
              cc_email: null,
              bcc_email: null,
            },
          }
        : {
            channel: "sms",
            content: { body: smsBody(spec), media_url: null },
            render_options: {
              shorten_links: true,
              add_org_prefix: true,
              add_info_link: true,
              add_opt_out_language: false,
            },
          };
    ctx.insert(
      "campaign-message",
      {
        definition,
        send_times: send === null ? [] : [{ datetime: iso(send), is_local: false }],
        created_at: iso(created + MINUTE),
        updated_at: iso(updated),
      },
      messageId,
    );
    ctx.link("campaign", id, "campaign-messages", [messageId]);
    if (spec.channel === "email") {
      const templateId = insertTemplate(
        ctx,
        `${spec.name} (Email)`,
        {
          heading: spec.subject,
          intro: spec.intro,
          cta: "Shop now",
          url: `${STORE.website}/collections/${spec.theme === "fall" || spec.theme === "Logo" ? slug(spec.name) : spec.theme}`,
          image: images.urls[spec.theme] ?? logo,
        },
        editorToggle++ % 2 === 0 ? "SYSTEM_DRAGGABLE" : "CODE",
        created,
        logo,
      );
      templateIds.push(templateId);
      ctx.link("campaign-message", messageId, "template", [templateId]);
    }
    ctx.link(
      "campaign",
      id,
      "tags",
      spec.tags.flatMap((t) => (tags[t] ? [tags[t]] : [])),
    );
    campaigns.push({
      id,
      name: spec.name,
      status: spec.status,
      channel: spec.channel,
      sendTime: send,
      included,
      excluded,
      message: {
        id: messageId,
        channel: spec.channel,
        subject: spec.channel === "email" ? spec.subject : "",
        name: spec.name,
        campaignId: id,
        focus: FOCUS[spec.theme] ?? spec.theme,
        ...(spec.channel === "sms" ? { smsSegments: smsSegments(smsBody(spec)) } : {}),
      },
    });
  }

  // Two reusable templates that no message uses yet.
  templateIds.push(
    insertTemplate(
      ctx,
      "Brand Master Layout",
      {
        heading: "A headline for your next email",
        intro: "Write a short, friendly introduction here.",
        cta: "Shop the collection",
        url: STORE.website,
        image: images.urls.hiking ?? logo,
      },
      "CODE",
      ctx.now - 300 * DAY,
      logo,
    ),
    insertTemplate(
      ctx,
      "Product Spotlight",
      {
        heading: "Product spotlight",
        intro: "Tell the story behind one product.",
        cta: "Take a closer look",
        url: `${STORE.website}/products`,
        image: images.urls.camping ?? logo,
      },
      "SYSTEM_DRAGGABLE",
      ctx.now - 250 * DAY,
      logo,
    ),
  );
  return { campaigns, templateIds };
}

function smsBody(spec: CampaignSpec): string {
  return `${spec.intro} Reply STOP to opt out.`;
}

/** SMS segments of a GSM-7 body: one up to 160 characters, else 153 each. */
export function smsSegments(body: string): number {
  return body.length <= 160 ? 1 : Math.ceil(body.length / 153);
}

/** Recipient estimate for a not-yet-sent campaign, from today's audience members. */
export function estimateRecipients(
  ctx: SeedContext,
  audiences: AudienceSeed,
  campaign: CampaignModel,
): number {
  return recipients(audiences, campaign.included, campaign.excluded, campaign.channel, ctx.now)
    .length;
}
