/**
 * Campaign values, flow values and flow series reports (POST /api/campaign-values-reports,
 * /api/flow-values-reports, /api/flow-series-reports). Each returns the response's
 * `data.attributes`: one result per grouping, statistics as numbers (values) or as arrays
 * aligned with `date_times` (series).
 */
import { type AllowedFilters, type FilterCondition, FilterError, parseFilter } from "../filter.js";
import type { Store } from "../store.js";
import {
  type Attrs,
  choice,
  choiceList,
  optional,
  pointerTo,
  ReportError,
  requireMetric,
} from "./errors.js";
import { CAMPAIGN_FAMILY, FLOW_FAMILY, type MessageView, type ReportFamily } from "./families.js";
import { type MessageHit, messageHits } from "./message-events.js";
import { computeStatistics, STATISTICS, type Statistic, Tally } from "./statistics.js";
import {
  bucketIndex,
  bucketStarts,
  companyZone,
  formatInZone,
  type Range,
  resolveTimeframe,
  type Unit,
} from "./time.js";

export function campaignValuesReport(store: Store, attributes: Attrs): Attrs {
  return runReport(store, attributes, CAMPAIGN_FAMILY, false);
}

export function flowValuesReport(store: Store, attributes: Attrs): Attrs {
  return runReport(store, attributes, FLOW_FAMILY, false);
}

export function flowSeriesReport(store: Store, attributes: Attrs): Attrs {
  return runReport(store, attributes, FLOW_FAMILY, true);
}

const INTERVALS = ["daily", "hourly", "monthly", "weekly"] as const;
const DAY = 86_400_000;
/** Longest timeframe per series interval, from the spec's `interval` description. */
const INTERVAL_LIMITS: Record<(typeof INTERVALS)[number], [Unit, number, string]> = {
  hourly: ["hour", 7 * DAY, "7 days"],
  daily: ["day", 60 * DAY, "60 days"],
  weekly: ["week", 366 * DAY, "1 year"],
  // The spec says 52 weeks, which would reject last_12_months; the 1-year cap is used instead.
  monthly: ["month", 366 * DAY, "1 year"],
};

interface Group {
  groupings: Record<string, string | null>;
  tallies: Tally[];
}

function runReport(store: Store, attrs: Attrs, family: ReportFamily, series: boolean): Attrs {
  const statistics = choiceList(attrs, "statistics", STATISTICS, { required: true }) as Statistic[];
  const zone = companyZone(store);
  const range = resolveTimeframe(attrs, store.now(), zone);
  const unit = series ? seriesUnit(attrs, range) : undefined;
  const conversionMetric = requireMetric(store, attrs, "conversion_metric_id");
  const groupBy = groupByOf(attrs, family);
  const conditions = reportFilter(attrs, family.filters);

  const starts = unit ? bucketStarts(range, unit, zone) : [range.start];
  const views = new Map<string, MessageView | undefined>();
  const groups = new Map<string, Group>();
  for (const hit of messageHits(store, family.messageType, conversionMetric)) {
    if (hit.time < range.start || hit.time >= range.end) continue;
    if (!views.has(hit.messageId)) views.set(hit.messageId, family.view(store, hit.messageId));
    const view = views.get(hit.messageId);
    if (!view) continue;
    const dims = { ...view.dims, variation: hit.variation ?? view.dims.variation ?? null };
    if (!conditions.every((condition) => passes(condition, dims, view.tags))) continue;
    const bucket = bucketIndex(starts, hit.time);
    for (const groupings of expandGroupings(groupBy, dims, view.tags)) {
      const key = JSON.stringify(groupBy.map((name) => groupings[name]));
      let group = groups.get(key);
      if (!group) {
        group = { groupings, tallies: starts.map(() => new Tally()) };
        groups.set(key, group);
      }
      record(group.tallies[bucket] as Tally, hit);
    }
  }

  const results = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, group]) => {
      const cells = group.tallies.map((tally) => computeStatistics(tally, statistics));
      const values = Object.fromEntries(
        statistics.map((name) => [
          name,
          series ? cells.map((cell) => cell[name]) : (cells[0] as Record<string, number>)[name],
        ]),
      );
      return { groupings: group.groupings, statistics: values };
    });
  if (!series) return { results };
  return { results, date_times: starts.map((start) => formatInZone(start, zone)) };
}

function record(tally: Tally, hit: MessageHit): void {
  switch (hit.kind) {
    case "received":
      tally.received++;
      tally.segments += hit.segments;
      tally.creditUsage += hit.creditUsage;
      break;
    case "bounced":
    case "failed":
      tally[hit.kind]++;
      if (hit.unreceived) tally.unreceivedSends++;
      break;
    case "opened":
      tally.opens++;
      tally.openers.add(hit.person);
      break;
    case "clicked":
      tally.clicks++;
      tally.clickers.add(hit.person);
      break;
    case "spam":
      tally.spam++;
      break;
    case "unsubscribed":
      tally.unsubscribes++;
      tally.unsubscribers.add(hit.person);
      break;
    case "conversion":
      tally.conversions++;
      tally.converters.add(hit.person);
      tally.value += hit.value;
      break;
  }
}

/** The series' bucket unit, once the timeframe is known to fit the interval (every series report). */
export function seriesUnit(attrs: Attrs, range: Range): Unit {
  const interval = choice(attrs, "interval", INTERVALS);
  const [unit, limit, label] = INTERVAL_LIMITS[interval];
  if (range.end - range.start > limit) {
    throw new ReportError(
      `With interval '${interval}' the timeframe cannot be longer than ${label}`,
      pointerTo("interval"),
    );
  }
  return unit;
}

function groupByOf(attrs: Attrs, family: ReportFamily): readonly string[] {
  const groupBy = choiceList(attrs, "group_by", family.groupBy);
  if (groupBy === undefined) return family.defaultGroupBy;
  const missing = family.requiredGroupBy.filter((name) => !groupBy.includes(name));
  if (missing.length > 0) {
    throw new ReportError(
      `'group_by' must include ${family.requiredGroupBy.join(" and ")}; missing ${missing.join(", ")}`,
      pointerTo("group_by"),
    );
  }
  return [...new Set(groupBy)];
}

/** A report's `filter`, parsed against its fields; each field at most once (every report). */
export function reportFilter(attrs: Attrs, rules: AllowedFilters): FilterCondition[] {
  const filter = optional(attrs, "filter");
  if (filter === undefined || filter === "") return [];
  if (typeof filter !== "string") {
    throw new ReportError("'filter' must be a string", pointerTo("filter"));
  }
  let conditions: FilterCondition[];
  try {
    conditions = parseFilter(filter, rules);
  } catch (error) {
    if (error instanceof FilterError) throw new ReportError(error.detail, pointerTo("filter"));
    throw error;
  }
  const seen = new Set<string>();
  for (const { field } of conditions) {
    if (seen.has(field)) {
      throw new ReportError(
        `Only one filter can be used per attribute; '${field}' appears more than once`,
        pointerTo("filter"),
      );
    }
    seen.add(field);
  }
  return conditions;
}

function passes(
  { operator, field, value }: FilterCondition,
  dims: Record<string, string | null>,
  tags: MessageView["tags"],
): boolean {
  const wanted = (Array.isArray(value) ? value : [value]).map(String);
  if (field === "tag_id" || field === "tag_name") {
    const have = tags.map((tag) => (field === "tag_id" ? tag.id : tag.name));
    const test = (v: string) => have.includes(v);
    return operator === "contains-all" ? wanted.every(test) : wanted.some(test);
  }
  const actual = dims[field];
  return actual != null && wanted.includes(actual); // equals or contains-any
}

/** The groupings a hit belongs to: one, or one per tag when grouping by tag. */
function expandGroupings(
  groupBy: readonly string[],
  dims: Record<string, string | null>,
  tags: MessageView["tags"],
): Array<Record<string, string | null>> {
  const byTag = groupBy.includes("tag_id") || groupBy.includes("tag_name");
  const tagRows = byTag && tags.length > 0 ? tags : [{ id: null, name: null }];
  return tagRows.map((tag) =>
    Object.fromEntries(
      groupBy.map((name) => [
        name,
        name === "tag_id" ? tag.id : name === "tag_name" ? tag.name : (dims[name] ?? null),
      ]),
    ),
  );
}
