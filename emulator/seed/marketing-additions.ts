/**
 * Demo data of the resources added with the full stable spec: the Welcome Series' list
 * trigger, an MMS image, universal content blocks, web feeds, the UTM tracking setting, product
 * reviews from customers who ordered, store geofences, the egress IP allowlist, and the history
 * the form and segment reports read (form interactions, segment membership changes). Runs last
 * and reads what the other builders stored, so it changes none of their data.
 */
import {
  FORM_INTERACTION,
  type FormInteractionKind,
  SEGMENT_CHANGE,
} from "../reports/audience-reports.js";
import type { StoredResource } from "../store.js";
import { DAY, HOUR, iso, MINUTE, type SeedContext } from "./context.js";
import { STORE } from "./words.js";

export function seedMarketingAdditions(ctx: SeedContext): void {
  seedFlowTriggers(ctx);
  seedMmsImage(ctx);
  seedUniversalContent(ctx);
  seedWebFeeds(ctx);
  seedTrackingSetting(ctx);
  seedReviews(ctx);
  seedClientSettings(ctx);
  seedFormInteractions(ctx);
  seedSegmentHistory(ctx);
}

const named = (ctx: SeedContext, type: string, name: string) =>
  ctx.store.all(type).find((r) => r.attributes.name === name);

/** The Welcome Series starts when someone joins the Newsletter list. */
function seedFlowTriggers(ctx: SeedContext): void {
  const newsletter = named(ctx, "list", "Newsletter");
  const welcome = named(ctx, "flow", "Welcome Series");
  if (newsletter && welcome) ctx.link("list", newsletter.id, "flow-triggers", [welcome.id]);
}

/** The SMS campaign went out as an MMS with the sale banner. */
function seedMmsImage(ctx: SeedContext): void {
  const sms = ctx.store
    .all("campaign-message")
    .find((m) => (m.attributes.definition as { channel?: string }).channel === "sms");
  const banner = named(ctx, "image", "summer-sale-banner.jpg");
  if (sms && banner) ctx.link("campaign-message", sms.id, "image", [banner.id]);
}

const DISPLAY = { show_on: "all", visible_check: null, content_repeat: null };

function seedUniversalContent(ctx: SeedContext): void {
  const blocks: Array<[string, Record<string, unknown>]> = [
    [
      "Footer: free shipping note",
      {
        content_type: "block",
        type: "text",
        data: {
          content: "<p>Free shipping on orders over $75. Free returns, always.</p>",
          display_options: DISPLAY,
          styles: { color: "#2f3b2f", font_size: 14, text_align: "center", line_height: 1.5 },
        },
      },
    ],
    [
      "Footer: social links",
      {
        content_type: "block",
        type: "html",
        data: {
          content: `<p><a href="https://instagram.com/juniperandpine">Instagram</a> · <a href="${STORE.website}/journal">Journal</a></p>`,
          display_options: DISPLAY,
        },
      },
    ],
    ["Shop the collection button", { content_type: "block", type: "button", data: null }],
    ["Section divider", { content_type: "block", type: "horizontal_rule", data: null }],
    ["Header logo", { content_type: "block", type: "image", data: null }],
  ];
  for (const [name, definition] of blocks) {
    const created = ctx.daysAgo(200, 20);
    const id = ctx.ulidAt(created);
    ctx.insert(
      "template-universal-content",
      {
        name,
        definition,
        created: iso(created),
        updated: iso(created + ctx.int(1, 240) * HOUR),
        screenshot_status: "completed",
        screenshot_url: `${STORE.cdn}/universal-content/${id.toLowerCase()}.png`,
      },
      id,
    );
  }
}

function seedWebFeeds(ctx: SeedContext): void {
  const feeds = [
    [
      "Trail Conditions",
      "https://api.juniperandpine.example.com/feeds/trails.json",
      "get",
      "json",
      "ok",
    ],
    ["Journal: Latest Posts", `${STORE.website}/blogs/journal.atom`, "get", "xml", "ok"],
    [
      "Restock Calendar",
      "https://api.juniperandpine.example.com/feeds/restocks",
      "post",
      "json",
      "warning_periodic_refresh_timeout",
    ],
  ] as const;
  for (const [name, url, method, contentType, status] of feeds) {
    const created = ctx.daysAgo(300, 30);
    ctx.insert(
      "web-feed",
      {
        name,
        url,
        request_method: method,
        content_type: contentType,
        created: iso(created),
        updated: iso(created + ctx.int(1, 20) * DAY),
        status,
      },
      ctx.ulidAt(created),
    );
  }
}

/** One per account, under the account's id: Klaviyo's defaults, plus a utm_content parameter. */
function seedTrackingSetting(ctx: SeedContext): void {
  const account = ctx.store.all("account")[0];
  if (!account) return;
  const both = (campaign: string, flow: string) => ({
    campaign: { type: "dynamic", value: campaign },
    flow: { type: "dynamic", value: flow },
  });
  ctx.insert(
    "tracking-setting",
    {
      auto_add_parameters: true,
      utm_source: {
        campaign: { type: "static", value: "klaviyo" },
        flow: { type: "static", value: "klaviyo" },
      },
      utm_medium: both("message_type", "message_type"),
      utm_campaign: both("campaign_name", "flow_name"),
      utm_id: both("campaign_id", "flow_id"),
      utm_term: null,
      custom_parameters: [{ name: "utm_content", ...both("link_alt_text", "link_alt_text") }],
    },
    account.id,
  );
}

const REVIEW_COPY = [
  ["Best pack I've owned", "Carried it 40 miles on the Long Trail; the hip belt never slipped."],
  ["Warm and light", "Packs down small and kept me warm at 28°F. Runs a little long."],
  ["Great value", "Solid build for the price. The zipper is a bit stiff at first."],
  ["Perfect for car camping", "Easy to set up in the dark, and it stayed dry in a thunderstorm."],
  ["Just okay", "Does the job, but the color was darker than in the photos."],
  ["Gift hit", "Bought it for my dad and he uses it every weekend."],
  ["Comfortable from day one", "No break-in needed. Wore them on a 12-mile day straight away."],
  ["Would buy again", "Third one I've bought; they last for years."],
  ["Smaller than expected", "Quality is great but check the dimensions before ordering."],
  ["Love it", "The wool is soft, not itchy at all. Washing it was no problem."],
] as const;

/** Reviews by customers who ordered the product (verified), a few questions and a store review. */
function seedReviews(ctx: SeedContext): void {
  const { store } = ctx;
  const metricId = named(ctx, "metric", "Ordered Product")?.id;
  const orders = store
    .all("event")
    .filter((e) => store.relatedOne("event", e.id, "metric") === metricId);
  const items = new Map(
    store.all("catalog-item").map((i) => [String(i.attributes.external_id), i]),
  );
  const statuses = [
    ...Array(9).fill("published"),
    "featured",
    "featured",
    "pending",
    "pending",
    "unpublished",
    "rejected",
  ];
  for (const [index, status] of statuses.entries()) {
    const order = ctx.pick(orders);
    const properties = order.attributes.event_properties as Record<string, unknown>;
    const item = items.get(String(properties.ProductID));
    const profile = store.get("profile", store.relatedOne("event", order.id, "profile") ?? "");
    if (!item || !profile) continue;
    const ordered = (order.attributes.timestamp as number) * 1000;
    // A week or a few after the order arrived; recent orders are reviewed sooner.
    const wait = Math.min(
      ctx.int(5, 30) * DAY,
      Math.floor((ctx.now - HOUR - ordered) * ctx.float(0.3, 1)),
    );
    const created = ordered + wait;
    const question = index % 7 === 3;
    const [title, content] = ctx.pick(REVIEW_COPY);
    const rating = question
      ? null
      : ctx.weighted([
          [5, 6],
          [4, 3],
          [3, 1],
          [2, 1],
        ] as const);
    const name = `${profile.attributes.first_name} ${String(profile.attributes.last_name).slice(0, 1)}.`;
    const replied = status === "featured" || (!question && rating !== null && rating <= 3);
    const review = ctx.insert(
      "review",
      {
        email: profile.attributes.email,
        status:
          status === "rejected"
            ? { value: "rejected", rejection_reason: { reason: "unrelated" } }
            : { value: status },
        verified: true,
        review_type: question ? "question" : "review",
        created: iso(created),
        updated: iso(created + (replied ? 2 * DAY : 0)),
        images: index % 5 === 0 ? [`${STORE.cdn}/reviews/${order.id.toLowerCase()}.jpg`] : [],
        product: productOf(item),
        rating,
        author: name,
        content: question ? `Does the ${item.attributes.title} run true to size?` : content,
        title: question ? null : title,
        smart_quote: !question && rating === 5 ? content.split(";")[0] : null,
        public_reply: replied
          ? {
              content: question
                ? "Yes: most customers order their usual size."
                : `Thanks for the honest review, ${profile.attributes.first_name}! Our team will reach out.`,
              author: STORE.name,
              updated: iso(created + 2 * DAY),
            }
          : null,
      },
      ctx.ulidAt(created),
    );
    ctx.link("review", review, "item", [item.id]);
    ctx.link("review", review, "events", [order.id]);
  }
  const reviewer = ctx.pick(store.all("profile"));
  const created = ctx.daysAgo(40, 5);
  ctx.insert(
    "review",
    {
      email: reviewer.attributes.email,
      status: { value: "published" },
      verified: false,
      review_type: "store",
      created: iso(created),
      updated: iso(created),
      images: [],
      product: null,
      rating: 5,
      author: `${reviewer.attributes.first_name} ${String(reviewer.attributes.last_name).slice(0, 1)}.`,
      content: "Fast shipping and the nicest packaging. Customer service answered within an hour.",
      title: "Great shop",
      smart_quote: "Fast shipping and the nicest packaging",
      public_reply: null,
    },
    ctx.ulidAt(created),
  );
}

function productOf(item: StoredResource): Record<string, unknown> {
  return {
    url: item.attributes.url,
    name: item.attributes.title,
    image_url: item.attributes.image_full_url ?? null,
    external_id: item.attributes.external_id,
  };
}

/** The stores' geofences for the mobile app, and the integrations' egress addresses. */
function seedClientSettings(ctx: SeedContext): void {
  const stores = [
    [44.4759, -73.2121, 200],
    [43.6591, -70.2568, 150],
    [40.015, -105.2705, 250],
  ] as const;
  for (const [latitude, longitude, radius] of stores) {
    ctx.insert("geofence", { latitude, longitude, radius }, ctx.uuid());
  }
  ctx.insert(
    "ip-allowlist",
    {
      prefixes: ["34.74.90.64/28", "34.148.79.0/28", "35.196.48.0/25", "2600:1900:4000::/44"],
      sync_token: ctx.hex(32),
      created: iso(ctx.now - 14 * DAY),
    },
    "integration-egress",
  );
}

/**
 * Ninety days of visits to the live form versions: each view was qualified for, most popups
 * were closed, a few visitors submitted (a step submitted, then the success step viewed).
 */
function seedFormInteractions(ctx: SeedContext): void {
  const { store } = ctx;
  const visitors = Array.from({ length: 600 }, () => ctx.hex(12));
  let next = 0;
  const record = (
    form: string,
    version: string,
    kind: FormInteractionKind,
    visitor: string,
    time: number,
  ) => {
    store.insert(
      FORM_INTERACTION,
      { form_id: form, form_version_id: version, kind, visitor, time },
      `fi-${++next}`,
    );
  };
  const today = Math.floor(ctx.now / DAY) * DAY;
  for (const form of store.all("form").filter((f) => f.attributes.status === "live")) {
    for (const versionId of store.related("form", form.id, "form-versions")) {
      const version = store.get("form-version", versionId);
      if (version?.attributes.status !== "live") continue;
      const popup = version.attributes.form_type !== "embed";
      const since = Date.parse(String(version.attributes.created_at));
      for (let day = today - 90 * DAY; day <= today; day += DAY) {
        if (day < since) continue;
        const views = popup ? ctx.int(5, 12) : ctx.int(2, 6);
        for (let v = 0; v < views; v++) {
          const at = day + ctx.int(0, 24 * 60 - 5) * MINUTE;
          if (at >= ctx.now) continue;
          const visitor = ctx.pick(visitors);
          record(form.id, versionId, "qualified_form", visitor, at);
          record(form.id, versionId, "viewed_form", visitor, at);
          record(form.id, versionId, "viewed_form_step", visitor, at);
          if (ctx.chance(popup ? 0.09 : 0.05)) {
            record(form.id, versionId, "submitted_form_step", visitor, at + MINUTE);
            record(form.id, versionId, "submitted_form", visitor, at + MINUTE);
            record(form.id, versionId, "viewed_form_step", visitor, at + MINUTE);
          } else if (popup && ctx.chance(0.7)) {
            record(form.id, versionId, "closed_form", visitor, at + 20_000);
          }
        }
      }
    }
  }
}

/**
 * When each current member joined its segment (never before the profile existed), and a few
 * people who joined and left, so the segment reports have a history ending at today's counts.
 */
function seedSegmentHistory(ctx: SeedContext): void {
  const { store } = ctx;
  const profiles = store.all("profile");
  let next = 0;
  const change = (segment: string, profile: string, kind: "added" | "removed", time: number) => {
    store.insert(
      SEGMENT_CHANGE,
      { segment_id: segment, profile_id: profile, kind, time },
      `sc-${++next}`,
    );
  };
  const joinedAt = (profile: StoredResource) => {
    const created = Date.parse(String(profile.attributes.created));
    return created + Math.floor(ctx.float(0, 1) * (ctx.now - HOUR - created));
  };
  for (const segment of store.all("segment")) {
    const members = new Set(store.related("segment", segment.id, "profiles"));
    for (const id of members) {
      const profile = store.get("profile", id);
      if (profile) change(segment.id, id, "added", joinedAt(profile));
    }
    const others = profiles.filter((p) => !members.has(p.id));
    for (const left of ctx.sample(others, Math.ceil(members.size * 0.15))) {
      const joined = joinedAt(left);
      change(segment.id, left.id, "added", joined);
      change(
        segment.id,
        left.id,
        "removed",
        joined + Math.floor(ctx.float(0, 1) * (ctx.now - joined)),
      );
    }
  }
}
