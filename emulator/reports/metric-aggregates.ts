/**
 * POST /api/metric-aggregates: counts, value sums and unique profiles of one metric's events,
 * bucketed by hour/day/week/month in the requested time zone and partitioned by `by`
 * dimensions (event properties). Returns the response's `data.attributes`.
 */
import { type AllowedFilters, type FilterCondition, FilterError, parseFilter } from "../filter.js";
import { OPERATIONS } from "../operations/index.js";
import type { Store } from "../store.js";
import {
  type Attrs,
  choice,
  choiceList,
  optional,
  pointerTo,
  ReportError,
  required,
  requireMetric,
} from "./errors.js";
import { eventProperties, eventTime } from "./message-events.js";
import {
  bucketIndex,
  bucketStarts,
  canonicalZone,
  formatInZone,
  fromWall,
  type Range,
} from "./time.js";

const MEASUREMENTS = ["count", "sum_value", "unique"] as const;
type Measurement = (typeof MEASUREMENTS)[number];
const INTERVALS = ["day", "hour", "month", "week"] as const;

/** The spec's `by` enum (generated); any property name on the metric's events is accepted too. */
export const DIMENSIONS: readonly string[] =
  OPERATIONS.find((op) => op.id === "query_metric_aggregates")?.requestEnums?.by ?? [];

/** Zones the spec says Klaviyo's timezone list lacks. */
const UNSUPPORTED_ZONES = new Set(["Factory", "Europe/Kyiv", "Pacific/Kanton"]);
const DATETIME_OPERATORS = ["greater-or-equal", "greater-than", "less-than", "less-or-equal"];
const EXPLICIT_OFFSET = /\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:[zZ]|[+-]\d\d:?\d\d)/;

interface Row {
  dimensions: string[];
  count: number[];
  sum: number[];
  people: Array<Set<string>>;
}

export function metricAggregates(store: Store, attrs: Attrs): Attrs {
  const metricId = requireMetric(store, attrs, "metric_id");
  const measurements = choiceList(attrs, "measurements", MEASUREMENTS, {
    required: true,
  }) as Measurement[];
  const unit = choice(attrs, "interval", INTERVALS, "day");
  const pageSize = pageSizeOf(attrs);
  const zone = timezoneOf(attrs);
  const events = store
    .all("event")
    .filter((event) => store.relatedOne("event", event.id, "metric") === metricId);
  const observed = new Set(events.flatMap((event) => Object.keys(eventProperties(event))));
  const isDimension = (name: string) => DIMENSIONS.includes(name) || observed.has(name);
  const by = [...new Set(choiceList(attrs, "by", DIMENSIONS, { accept: isDimension }) ?? [])];
  const { range, conditions } = filtersOf(attrs, zone, [...DIMENSIONS, ...observed]);
  const sort = sortOf(attrs, by, measurements, isDimension);
  const returnFields = optional(attrs, "return_fields");
  if (returnFields !== undefined && !isStringArray(returnFields)) {
    throw new ReportError(
      "'return_fields' must be an array of strings",
      pointerTo("return_fields"),
    );
  }

  const starts = bucketStarts(range, unit, zone);
  const rows = new Map<string, Row>();
  for (const event of events) {
    const time = eventTime(event);
    if (!(time >= range.start && time < range.end)) continue;
    const props = eventProperties(event);
    if (!conditions.every((condition) => matches(condition, props[condition.field]))) continue;
    const dimensions = by.map((name) => dimensionValue(props[name]));
    const key = JSON.stringify(dimensions);
    let row = rows.get(key);
    if (!row) {
      row = {
        dimensions,
        count: starts.map(() => 0),
        sum: starts.map(() => 0),
        people: starts.map(() => new Set<string>()),
      };
      rows.set(key, row);
    }
    const bucket = bucketIndex(starts, time);
    row.count[bucket] = (row.count[bucket] ?? 0) + 1;
    row.sum[bucket] = (row.sum[bucket] ?? 0) + numeric(props.$value);
    row.people[bucket]?.add(store.relatedOne("event", event.id, "profile") ?? `event:${event.id}`);
  }
  // Without `by` there is always exactly one (possibly all-zero) row.
  if (by.length === 0 && rows.size === 0) {
    rows.set("[]", { dimensions: [], count: starts.map(() => 0), sum: [], people: [] });
  }

  const data = sortRows([...rows.values()], sort, by).map((row) => ({
    dimensions: row.dimensions,
    measurements: Object.fromEntries(measurements.map((name) => [name, series(row, name)])),
  }));
  return { dates: starts.map((start) => formatInZone(start, zone)), data: data.slice(0, pageSize) };
}

function series(row: Row, name: Measurement): number[] {
  return row.count.map((count, i) => {
    if (name === "count") return count;
    if (name === "unique") return row.people[i]?.size ?? 0;
    return Math.round((row.sum[i] ?? 0) * 1e6) / 1e6;
  });
}

function sortRows(rows: Row[], sort: string | undefined, by: readonly string[]): Row[] {
  const byDimensions = (a: Row, b: Row) => {
    const left = JSON.stringify(a.dimensions);
    const right = JSON.stringify(b.dimensions);
    return left < right ? -1 : left > right ? 1 : 0;
  };
  rows.sort(byDimensions);
  if (!sort) return rows;
  const descending = sort.startsWith("-");
  const key = descending ? sort.slice(1) : sort;
  const position = by.indexOf(key);
  const total = (row: Row) => series(row, key as Measurement).reduce((sum, n) => sum + n, 0);
  const compare = (a: Row, b: Row): number => {
    if (position < 0) return total(a) - total(b);
    const left = a.dimensions[position] ?? "";
    const right = b.dimensions[position] ?? "";
    return left < right ? -1 : left > right ? 1 : 0;
  };
  return rows.sort((a, b) => (descending ? -compare(a, b) : compare(a, b)));
}

function pageSizeOf(attrs: Attrs): number {
  const value = optional(attrs, "page_size") ?? 500;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new ReportError("'page_size' must be a positive integer", pointerTo("page_size"));
  }
  return value;
}

function timezoneOf(attrs: Attrs): string {
  const zone = optional(attrs, "timezone") ?? "UTC";
  const pointer = pointerTo("timezone");
  if (typeof zone !== "string") throw new ReportError("'timezone' must be a string", pointer);
  const canonical = canonicalZone(zone);
  if (!canonical || UNSUPPORTED_ZONES.has(zone)) {
    throw new ReportError(
      `'${zone}' is not a supported IANA time zone, e.g. 'America/New_York' or 'UTC'`,
      pointer,
    );
  }
  if (canonical !== zone && canonical.toLowerCase() === zone.toLowerCase()) {
    throw new ReportError(`'timezone' is case-sensitive: use '${canonical}'`, pointer);
  }
  return zone;
}

/** Splits `filter` into the required datetime range and the property conditions. */
function filtersOf(
  attrs: Attrs,
  zone: string,
  dimensions: readonly string[],
): { range: Range; conditions: FilterCondition[] } {
  const filters = required(attrs, "filter");
  if (!isStringArray(filters)) {
    throw new ReportError(
      "'filter' must be an array of strings such as 'greater-or-equal(datetime,2024-01-01T00:00:00)'",
      pointerTo("filter"),
    );
  }
  const allowed: AllowedFilters = {
    datetime: { operators: { single: DATETIME_OPERATORS }, value: { format: "date-time" } },
  };
  for (const name of dimensions) {
    allowed[name] = { operators: { single: ["equals"], list: ["any", "contains-any"] } };
  }
  let start = Number.NEGATIVE_INFINITY;
  let end = Number.POSITIVE_INFINITY;
  const conditions: FilterCondition[] = [];
  filters.forEach((text, index) => {
    let parsed: FilterCondition[];
    try {
      parsed = parseFilter(text, allowed);
    } catch (error) {
      if (error instanceof FilterError)
        throw new ReportError(error.detail, pointerTo("filter", index));
      throw error;
    }
    for (const condition of parsed) {
      if (condition.field !== "datetime") {
        conditions.push(condition);
        continue;
      }
      // parseFilter reads an offset-less datetime as UTC; Klaviyo reads it in `timezone`.
      const raw = (condition.value as Date).getTime();
      const at = EXPLICIT_OFFSET.test(text) ? raw : fromWall(raw, zone);
      if (condition.operator === "greater-or-equal") start = Math.max(start, at);
      else if (condition.operator === "greater-than") start = Math.max(start, at + 1);
      else if (condition.operator === "less-than") end = Math.min(end, at);
      else end = Math.min(end, at + 1);
    }
  });
  if (!Number.isFinite(start) || !Number.isFinite(end)) {
    throw new ReportError(
      "'filter' must include a time range: greater-or-equal(datetime,...) and less-than(datetime,...)",
      pointerTo("filter"),
    );
  }
  if (start >= end) {
    throw new ReportError(
      "The datetime range in 'filter' is empty: start is not before end",
      pointerTo("filter"),
    );
  }
  return { range: { start, end }, conditions };
}

function sortOf(
  attrs: Attrs,
  by: readonly string[],
  measurements: readonly Measurement[],
  isDimension: (name: string) => boolean,
): string | undefined {
  const sort = optional(attrs, "sort");
  if (sort === undefined) return undefined;
  const key = typeof sort === "string" ? sort.replace(/^-/, "") : "";
  const usable = [...by, ...measurements];
  if (!usable.includes(key)) {
    const known = isDimension(key) || (MEASUREMENTS as readonly string[]).includes(key);
    throw new ReportError(
      known
        ? `Cannot sort by '${key}': it is neither in 'by' nor in 'measurements'. Allowed: ${usable.join(", ")}`
        : `${JSON.stringify(sort)} is not a valid sort. Allowed values: ${usable.flatMap((k) => [k, `-${k}`]).join(", ")}`,
      pointerTo("sort"),
    );
  }
  return sort as string;
}

function matches({ operator, value }: FilterCondition, actual: unknown): boolean {
  const wanted = operator === "equals" ? [value] : Array.isArray(value) ? value : [value];
  return actual !== undefined && wanted.some((v) => v === actual || String(v) === String(actual));
}

function dimensionValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return ""; // Klaviyo reports events lacking the dimension under an empty value
}

const numeric = (value: unknown) =>
  typeof value === "number" && Number.isFinite(value) ? value : 0;
const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === "string");
