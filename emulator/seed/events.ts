/**
 * Metrics and ~90 days of events: organic shopping, the sent campaigns and the live flows,
 * played out by the simulation in ./simulation.ts (which states the conventions the reports
 * rely on), then inserted oldest first.
 */
import { type AudienceSeed, recipients } from "./audiences.js";
import { DAY, iso, MINUTE, type SeedContext } from "./context.js";
import type { FlowKey } from "./flows.js";
import type { CampaignModel, FlowModel, ProductModel, ProfileModel } from "./model.js";
import { type Rates, Simulation } from "./simulation.js";

const KLAVIYO = {
  object: "integration",
  id: "0rG4eQ",
  key: "klaviyo",
  name: "Klaviyo",
  category: "Internal",
};
const API = { object: "integration", id: "7FtS4J", key: "api", name: "API", category: "API" };

export const METRICS: ReadonlyArray<readonly [string, typeof KLAVIYO]> = [
  ["Received Email", KLAVIYO],
  ["Opened Email", KLAVIYO],
  ["Clicked Email", KLAVIYO],
  ["Bounced Email", KLAVIYO],
  ["Unsubscribed", KLAVIYO],
  ["Marked Email as Spam", KLAVIYO],
  ["Received SMS", KLAVIYO],
  ["Clicked SMS", KLAVIYO],
  ["Active on Site", KLAVIYO],
  ["Viewed Product", KLAVIYO],
  ["Added to Cart", API],
  ["Started Checkout", API],
  ["Placed Order", API],
  ["Ordered Product", API],
];

export function seedMetrics(ctx: SeedContext): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const [name, integration] of METRICS) {
    const created = ctx.now - ctx.int(380, 420) * DAY;
    ids[name] = ctx.insert("metric", {
      name,
      created: iso(created),
      updated: iso(ctx.now - ctx.int(1, 20) * DAY),
      integration,
    });
  }
  return ids;
}

const CAMPAIGN_RATES: Rates = {
  open: 0.42,
  click: 0.22,
  order: 0.2,
  unsubscribe: 0.006,
  spam: 0.001,
  bounce: 0.006,
};
export interface EventSeed {
  count: number;
  orders: Map<string, number[]>;
  openers: Set<string>;
}

export function seedEvents(
  ctx: SeedContext,
  metricIds: Record<string, string>,
  profiles: ProfileModel[],
  products: ProductModel[],
  audiences: AudienceSeed,
  campaigns: CampaignModel[],
  flows: Record<FlowKey, FlowModel>,
): EventSeed {
  const sim = new Simulation(ctx, products);

  for (const profile of profiles) sim.browse(profile);

  const sent = campaigns
    .filter((c) => c.status === "Sent" && c.sendTime !== null)
    .sort((a, b) => (a.sendTime ?? 0) - (b.sendTime ?? 0));
  for (const campaign of sent) {
    const sendTime = campaign.sendTime ?? 0;
    const audience = recipients(
      audiences,
      campaign.included,
      campaign.excluded,
      campaign.channel,
      sendTime,
    );
    for (const profile of audience) {
      const at = sendTime + ctx.int(0, 25) * MINUTE;
      if (campaign.channel === "sms") sim.sendSms(profile, campaign.message, at, 0.12, 0.2);
      else sim.sendEmail(profile, campaign.message, at, CAMPAIGN_RATES);
    }
  }

  sim.welcome(flows.welcome, audiences.members.get(audiences.lists.newsletter) ?? []);
  sim.abandonedCart(flows.abandonedCart);
  sim.browseAbandonment(flows.browse);
  sim.postPurchase(flows.postPurchase);

  const count = sim.flush(metricIds);
  return { count, orders: sim.orders, openers: sim.openers };
}
