/**
 * Demo data for the emulator: a small outdoor/home goods shop, "Juniper & Pine", with about
 * 300 profiles, lists and segments, a catalog, coupons, campaigns, flows, templates, forms,
 * webhooks, finished bulk jobs and a few thousand events over the last 90 days.
 *
 * Deterministic: the same seed and `now` (and a Store built with the same seed) give an
 * identical store, ids included. Every choice comes from one seeded generator and resources
 * are inserted in a fixed order.
 */
import type { Store } from "../store.js";
import {
  linkSegmentMembers,
  linkStaticSegmentMembers,
  seedListSuppressions,
  seedLists,
  seedSegments,
  seedTags,
} from "./audiences.js";
import { seedBeta } from "./beta.js";
import { seedCatalog, seedCoupons } from "./catalog.js";
import { SeedContext } from "./context.js";
import { seedCustomData } from "./custom-data.js";
import { seedEvents, seedMetrics } from "./events.js";
import { seedFlows } from "./flows.js";
import { estimateRecipients, seedCampaigns, seedImages } from "./marketing.js";
import { seedMarketingAdditions } from "./marketing-additions.js";
import { seedAccount, seedForms, seedJobs, seedWebhooks } from "./misc.js";
import { finalizeProfiles, seedProfiles, seedPushTokens } from "./profiles.js";

export interface SeedOptions {
  /** Seed for every choice the demo data makes (default 1). */
  seed?: number;
  /** The demo's "now" in ms; defaults to `store.now()`. Events fall in the 90 days before it. */
  now?: number;
}

export interface DemoSummary {
  accountId: string;
  /** All list ids, and by name. */
  listIds: string[];
  lists: Record<string, string>;
  segmentIds: string[];
  segments: Record<string, string>;
  /** Oldest first. */
  profileIds: string[];
  pushTokenIds: string[];
  /** Metric id by metric name, e.g. `metricIds["Placed Order"]`. */
  metricIds: Record<string, string>;
  eventCount: number;
  campaignIds: string[];
  sentCampaignIds: string[];
  draftCampaignIds: string[];
  scheduledCampaignIds: string[];
  smsCampaignId: string;
  campaignMessageIds: string[];
  flowIds: string[];
  /** Flow id by name, e.g. `flows["Welcome Series"]`. */
  flows: Record<string, string>;
  flowActionIds: string[];
  flowMessageIds: string[];
  templateIds: string[];
  imageIds: string[];
  catalogCategoryIds: string[];
  catalogItemIds: string[];
  catalogVariantIds: string[];
  couponIds: string[];
  couponCodeIds: string[];
  tagGroupIds: string[];
  /** Tag id by name. */
  tags: Record<string, string>;
  formIds: string[];
  formVersionIds: string[];
  webhookIds: string[];
  webhookTopicIds: string[];
  /** A finished job id per bulk job type (for campaign jobs: a campaign id). */
  jobIds: Record<string, string>;
  importErrorIds: string[];
}

export function seedDemoData(store: Store, options: SeedOptions = {}): DemoSummary {
  const ctx = new SeedContext(store, options.seed ?? 1, options.now ?? store.now());

  const accountId = seedAccount(ctx);
  const metricIds = seedMetrics(ctx);
  const catalog = seedCatalog(ctx);
  const profiles = seedProfiles(ctx);
  const pushTokenIds = seedPushTokens(ctx, profiles);
  const audiences = seedLists(ctx, profiles);
  seedSegments(ctx, audiences, metricIds);
  linkStaticSegmentMembers(audiences, profiles);
  const { tagGroupIds, tags } = seedTags(ctx, audiences);
  const images = seedImages(ctx);
  const { campaigns, templateIds: campaignTemplateIds } = seedCampaigns(
    ctx,
    audiences,
    images,
    tags,
  );
  const flowSeed = seedFlows(ctx, images, metricIds, tags);
  const coupons = seedCoupons(ctx, profiles);
  const events = seedEvents(
    ctx,
    metricIds,
    profiles,
    catalog.products,
    audiences,
    campaigns,
    flowSeed.flows,
  );
  finalizeProfiles(ctx, profiles);
  seedListSuppressions(ctx, audiences, profiles);
  linkSegmentMembers(ctx, audiences, profiles, events);
  const forms = seedForms(ctx);
  const webhooks = seedWebhooks(ctx);
  const jobs = seedJobs(ctx, profiles, audiences, campaigns, (campaign) =>
    estimateRecipients(ctx, audiences, campaign),
  );
  seedCustomData(ctx, profiles, metricIds);
  seedMarketingAdditions(ctx);
  seedBeta(ctx, accountId);

  const byStatus = (status: string) =>
    campaigns.filter((c) => c.status === status).map((c) => c.id);
  const flowList = Object.values(flowSeed.flows);
  return {
    accountId,
    listIds: Object.values(audiences.lists),
    lists: byName(store, "list", Object.values(audiences.lists)),
    segmentIds: Object.values(audiences.segments),
    segments: byName(store, "segment", Object.values(audiences.segments)),
    profileIds: profiles.map((p) => p.id),
    pushTokenIds,
    metricIds,
    eventCount: events.count,
    campaignIds: campaigns.map((c) => c.id),
    sentCampaignIds: byStatus("Sent"),
    draftCampaignIds: byStatus("Draft"),
    scheduledCampaignIds: byStatus("Scheduled"),
    smsCampaignId: campaigns.find((c) => c.channel === "sms")?.id ?? "",
    campaignMessageIds: campaigns.map((c) => c.message.id),
    flowIds: flowList.map((f) => f.id),
    flows: Object.fromEntries(flowList.map((f) => [f.name, f.id])),
    flowActionIds: flowSeed.actionIds,
    flowMessageIds: flowSeed.messageIds,
    templateIds: [...campaignTemplateIds, ...flowSeed.templateIds],
    imageIds: images.ids,
    catalogCategoryIds: catalog.categoryIds,
    catalogItemIds: catalog.products.map((p) => p.id),
    catalogVariantIds: catalog.products.flatMap((p) => p.variants.map((v) => v.id)),
    couponIds: coupons.couponIds,
    couponCodeIds: coupons.couponCodeIds,
    tagGroupIds,
    tags,
    formIds: forms.formIds,
    formVersionIds: forms.formVersionIds,
    webhookIds: webhooks.webhookIds,
    webhookTopicIds: webhooks.webhookTopicIds,
    jobIds: jobs.jobIds,
    importErrorIds: jobs.importErrorIds,
  };
}

function byName(store: Store, type: string, ids: string[]): Record<string, string> {
  return Object.fromEntries(
    ids.map((id) => [String(store.get(type, id)?.attributes.name ?? id), id]),
  );
}
