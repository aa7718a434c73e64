/** Lists, segments (definitions and members), and the tag groups with their tags. */
import { DEFAULT_TAG_GROUP } from "../resources.js";
import { DAY, HOUR, iso, type SeedContext } from "./context.js";
import { canEmail, canSms, type ProfileModel } from "./model.js";
import { totalClv } from "./profiles.js";

export const LIST_NAMES = {
  newsletter: "Newsletter",
  vip: "VIP Customers",
  backInStock: "Back in Stock Alerts",
  holiday: "Holiday 2026 Waitlist",
  popup: "Website Popup Signups",
  sms: "SMS Subscribers",
  internal: "Internal Test List",
} as const;
export type ListKey = keyof typeof LIST_NAMES;

export const SEGMENT_NAMES = {
  engaged: "Engaged Subscribers (Last 90 Days)",
  repeat: "Repeat Buyers (Last 90 Days)",
  vip: "VIP: Lifetime Value over $500",
  churnRisk: "High Churn Risk",
  lapsed: "Lapsed Customers (No Order in 60 Days)",
  hiking: "Hiking Enthusiasts",
} as const;
export type SegmentKey = keyof typeof SEGMENT_NAMES;

export interface AudienceSeed {
  lists: Record<ListKey, string>;
  segments: Record<SegmentKey, string>;
  /** Members by list or segment id (segments only once known). */
  members: Map<string, ProfileModel[]>;
}

export function seedLists(ctx: SeedContext, profiles: ProfileModel[]): AudienceSeed {
  const customers = profiles.filter((p) => !p.staff);
  const members: Record<ListKey, ProfileModel[]> = {
    newsletter: profiles.filter((p) => p.emailOptIn !== null),
    vip: customers.filter((p) => p.predictive && totalClv(p.predictive) >= 400),
    backInStock: ctx
      .sample(
        customers.filter((p) => p.activity > 0),
        40,
      )
      .sort(byCreated),
    holiday: ctx
      .sample(
        customers.filter((p) => p.emailOptIn !== null),
        50,
      )
      .sort(byCreated),
    popup: customers.filter((p) => p.signupSource === "Website Popup"),
    sms: profiles.filter((p) => p.smsOptIn !== null),
    internal: profiles.filter((p) => p.staff),
  };
  const optIn: Record<ListKey, "single_opt_in" | "double_opt_in"> = {
    newsletter: "single_opt_in",
    vip: "single_opt_in",
    backInStock: "single_opt_in",
    holiday: "double_opt_in",
    popup: "double_opt_in",
    sms: "single_opt_in",
    internal: "single_opt_in",
  };
  const lists = {} as Record<ListKey, string>;
  const byId = new Map<string, ProfileModel[]>();
  for (const key of Object.keys(LIST_NAMES) as ListKey[]) {
    const created = ctx.now - ctx.int(250, 380) * DAY;
    const id = ctx.insert("list", {
      name: LIST_NAMES[key],
      created: iso(created),
      updated: iso(ctx.now - ctx.int(1, 30) * DAY),
      opt_in_process: optIn[key],
    });
    lists[key] = id;
    byId.set(id, members[key]);
    ctx.link(
      "list",
      id,
      "profiles",
      members[key].map((p) => p.id),
    );
  }
  return { lists, segments: {} as Record<SegmentKey, string>, members: byId };
}

/** Inserts the segments; members that depend on events are linked by `linkSegmentMembers`. */
export function seedSegments(
  ctx: SeedContext,
  audiences: AudienceSeed,
  metricIds: Record<string, string>,
): void {
  const placedOrder = metricIds["Placed Order"] ?? "";
  const opened = metricIds["Opened Email"] ?? "";
  const count = (operator: string, value: number) => ({ type: "numeric", operator, value });
  const inTheLast = (days: number) => ({
    type: "date",
    operator: "in-the-last",
    unit: "day",
    quantity: days,
  });
  const metric = (metricId: string, filter: object, timeframe: object) => ({
    type: "profile-metric",
    metric_id: metricId,
    measurement: "count",
    measurement_filter: filter,
    timeframe_filter: timeframe,
    metric_filters: null,
  });
  const definitions: Record<SegmentKey, object[][]> = {
    engaged: [
      [metric(opened, count("greater-than-or-equal", 1), inTheLast(90))],
      [
        {
          type: "profile-marketing-consent",
          consent: {
            channel: "email",
            can_receive_marketing: true,
            consent_status: { subscription: "any", filters: null },
          },
        },
      ],
    ],
    repeat: [[metric(placedOrder, count("greater-than-or-equal", 2), inTheLast(90))]],
    vip: [
      [
        {
          type: "profile-predictive-analytics",
          dimension: "total_clv",
          filter: count("greater-than", 500),
        },
      ],
    ],
    churnRisk: [
      [
        {
          type: "profile-predictive-analytics",
          dimension: "churn_probability",
          filter: count("greater-than", 0.6),
        },
      ],
    ],
    lapsed: [
      [
        metric(placedOrder, count("greater-than-or-equal", 1), {
          type: "date",
          operator: "alltime",
        }),
      ],
      [metric(placedOrder, count("equals", 0), inTheLast(60))],
    ],
    hiking: [
      [
        {
          type: "profile-property",
          property: "properties['favorite_category']",
          filter: { type: "string", operator: "equals", value: "Hiking" },
        },
      ],
    ],
  };
  const starred = new Set<SegmentKey>(["engaged", "vip"]);
  for (const key of Object.keys(SEGMENT_NAMES) as SegmentKey[]) {
    const created = ctx.now - ctx.int(120, 300) * DAY;
    audiences.segments[key] = ctx.insert("segment", {
      name: SEGMENT_NAMES[key],
      definition: {
        condition_groups: definitions[key].map((conditions) => ({ conditions })),
      },
      created: iso(created),
      updated: iso(ctx.now - ctx.int(1, 12) * HOUR),
      is_active: true,
      is_processing: false,
      is_starred: starred.has(key),
    });
  }
}

/** Members known before any event: the predictive and property segments. */
export function linkStaticSegmentMembers(audiences: AudienceSeed, profiles: ProfileModel[]): void {
  const customers = profiles.filter((p) => !p.staff);
  audiences.members.set(
    audiences.segments.vip,
    customers.filter((p) => p.predictive && totalClv(p.predictive) > 500),
  );
  audiences.members.set(
    audiences.segments.churnRisk,
    customers.filter((p) => p.predictive && p.predictive.churnProbability > 0.6),
  );
  audiences.members.set(
    audiences.segments.hiking,
    profiles.filter((p) => p.favoriteCategory === "Hiking"),
  );
}

export interface EventFacts {
  /** Profile id → times of its Placed Order events. */
  orders: Map<string, number[]>;
  /** Profiles with an Opened Email event. */
  openers: Set<string>;
}

/** Members that follow from events, then links every segment. */
export function linkSegmentMembers(
  ctx: SeedContext,
  audiences: AudienceSeed,
  profiles: ProfileModel[],
  facts: EventFacts,
): void {
  const recent = ctx.now - 60 * DAY;
  const orders = (p: ProfileModel) => facts.orders.get(p.id) ?? [];
  audiences.members.set(
    audiences.segments.engaged,
    profiles.filter((p) => facts.openers.has(p.id) && canEmail(p, ctx.now)),
  );
  audiences.members.set(
    audiences.segments.repeat,
    profiles.filter((p) => orders(p).length >= 2),
  );
  audiences.members.set(
    audiences.segments.lapsed,
    profiles.filter(
      (p) =>
        (orders(p).length > 0 || (p.predictive?.historicOrders ?? 0) > 0) &&
        orders(p).every((t) => t < recent),
    ),
  );
  for (const id of Object.values(audiences.segments)) {
    ctx.link(
      "segment",
      id,
      "profiles",
      (audiences.members.get(id) ?? []).map((p) => p.id),
    );
  }
}

/** Who a campaign would reach at `at`: included members minus excluded, with consent. */
export function recipients(
  audiences: AudienceSeed,
  included: string[],
  excluded: string[],
  channel: "email" | "sms",
  at: number,
): ProfileModel[] {
  const out = new Map<string, ProfileModel>();
  for (const id of included) {
    for (const p of audiences.members.get(id) ?? []) out.set(p.id, p);
  }
  for (const id of excluded) {
    for (const p of audiences.members.get(id) ?? []) out.delete(p.id);
  }
  return [...out.values()]
    .filter((p) => p.created <= at && (channel === "email" ? canEmail(p, at) : canSms(p, at)))
    .sort(byCreated);
}

/** Tag groups and their tags; the account's default group ("Tags") is the oldest. */
export const TAGS = {
  Tags: ["Promotional", "Evergreen", "VIP", "Product Launch"],
  Season: ["Spring", "Summer", "Fall", "Holiday"],
  Channel: ["Email", "SMS"],
} as const;

export interface TagSeed {
  tagGroupIds: string[];
  tags: Record<string, string>;
}

export function seedTags(ctx: SeedContext, audiences: AudienceSeed): TagSeed {
  const tagGroupIds: string[] = [];
  const tags: Record<string, string> = {};
  for (const [group, names] of Object.entries(TAGS)) {
    const groupId = ctx.insert(
      "tag-group",
      group === DEFAULT_TAG_GROUP().name
        ? DEFAULT_TAG_GROUP()
        : { name: group, exclusive: group === "Season", default: false },
    );
    tagGroupIds.push(groupId);
    const ids = names.map((name) => {
      const id = ctx.insert("tag", { name });
      tags[name] = id;
      return id;
    });
    ctx.link("tag-group", groupId, "tags", ids);
  }
  const tag = (name: string): string[] => (tags[name] ? [tags[name]] : []);
  ctx.link("list", audiences.lists.vip, "tags", tag("VIP"));
  ctx.link("list", audiences.lists.holiday, "tags", [...tag("Holiday"), ...tag("Promotional")]);
  ctx.link("list", audiences.lists.sms, "tags", tag("SMS"));
  ctx.link("segment", audiences.segments.vip, "tags", tag("VIP"));
  ctx.link("segment", audiences.segments.engaged, "tags", tag("Evergreen"));
  return { tagGroupIds, tags };
}

/**
 * A few subscribers who left the Holiday list alone (a list-level unsubscribe): they stay
 * subscribed to email but carry a list suppression for it, and are no longer members. Chosen
 * without random draws (every 20th candidate), so the rest of the demo data is unchanged.
 */
export function seedListSuppressions(
  ctx: SeedContext,
  audiences: AudienceSeed,
  profiles: ProfileModel[],
): void {
  const listId = audiences.lists.holiday;
  const members = new Set(ctx.store.related("list", listId, "profiles"));
  const candidates = profiles.filter(
    (p) =>
      !p.staff &&
      !members.has(p.id) &&
      p.emailOptIn !== null &&
      p.emailOptOut === null &&
      p.emailOptIn < ctx.now - 10 * DAY,
  );
  for (const [index, profile] of candidates.entries()) {
    if (index % 20 !== 19) continue;
    const stored = ctx.store.get("profile", profile.id);
    const marketing = (stored?.attributes.subscriptions as Subscriptions | undefined)?.email
      ?.marketing;
    if (!stored || !marketing) continue;
    const at = (profile.emailOptIn as number) + 7 * DAY;
    marketing.list_suppressions = [{ list_id: listId, reason: "UNSUBSCRIBE", timestamp: iso(at) }];
    marketing.last_updated = iso(Math.max(at, Date.parse(String(marketing.last_updated))));
    const updated = Date.parse(String(stored.attributes.updated));
    if (!(updated >= at)) stored.attributes.updated = iso(at);
  }
}

type Subscriptions = { email?: { marketing?: Record<string, unknown> } };

function byCreated(a: ProfileModel, b: ProfileModel): number {
  return a.created - b.created;
}
