/**
 * Calendar arithmetic in an IANA time zone, for report timeframes and series buckets. Wall-clock
 * times are handled as "UTC-shaped" millisecond numbers (the zone's local time read as if it were
 * UTC), so day/week/month steps are plain UTC date arithmetic and DST is applied on conversion.
 */
import { parseDateTime } from "../filter.js";
import { type Attrs, pointerTo, ReportError } from "./errors.js";

export type Unit = "hour" | "day" | "week" | "month";
export interface Range {
  /** Inclusive, epoch ms. */
  start: number;
  /** Exclusive, epoch ms. */
  end: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Klaviyo caps report timeframes at a year; a day of slack lets leap years through. */
export const MAX_RANGE_MS = 366 * DAY;
/** A runaway interval/timeframe combination should fail loudly, not allocate forever. */
const MAX_BUCKETS = 20_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(zone, format);
  }
  return format;
}

/** The zone's canonical spelling when Intl knows it, else undefined. */
export function canonicalZone(zone: string): string | undefined {
  try {
    return formatter(zone).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** Minutes the zone is ahead of UTC at `ms`. */
export function offsetMinutes(ms: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(ms)) parts[part.type] = Number(part.value);
  const wall = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return Math.round((wall - (ms - (((ms % 1000) + 1000) % 1000))) / 60_000);
}

const toWall = (ms: number, zone: string) => ms + offsetMinutes(ms, zone) * 60_000;

/** The instant a wall-clock time denotes; the second pass settles DST transitions. */
export function fromWall(wall: number, zone: string): number {
  const guess = wall - offsetMinutes(wall, zone) * 60_000;
  return wall - offsetMinutes(guess, zone) * 60_000;
}

/** Start of the hour/day/week (Monday)/month containing `ms`, in the zone. */
export function startOf(ms: number, unit: Unit | "year", zone: string): number {
  const wall = new Date(toWall(ms, zone));
  wall.setUTCMinutes(0, 0, 0);
  if (unit === "hour") return fromWall(wall.getTime(), zone);
  wall.setUTCHours(0);
  if (unit === "week") wall.setUTCDate(wall.getUTCDate() - ((wall.getUTCDay() + 6) % 7));
  if (unit === "month" || unit === "year") wall.setUTCDate(1);
  if (unit === "year") wall.setUTCMonth(0);
  return fromWall(wall.getTime(), zone);
}

/** `ms` moved by `n` units of local time (months clamp to the month's last day). */
export function addUnits(ms: number, unit: Unit | "year", n: number, zone: string): number {
  if (unit === "hour") return ms + n * HOUR; // hours are absolute, DST or not
  const wall = new Date(toWall(ms, zone));
  if (unit === "day" || unit === "week") {
    wall.setUTCDate(wall.getUTCDate() + n * (unit === "week" ? 7 : 1));
  } else {
    const day = wall.getUTCDate();
    wall.setUTCDate(1);
    wall.setUTCMonth(wall.getUTCMonth() + n * (unit === "year" ? 12 : 1));
    const last = new Date(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth() + 1, 0)).getUTCDate();
    wall.setUTCDate(Math.min(day, last));
  }
  return fromWall(wall.getTime(), zone);
}

/** ISO 8601 with the zone's offset, as Klaviyo prints report dates: 2024-01-05T00:00:00+00:00. */
export function formatInZone(ms: number, zone: string): string {
  const offset = offsetMinutes(ms, zone);
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  const hhmm = `${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
  return `${new Date(ms + offset * 60_000).toISOString().slice(0, 19)}${sign}${hhmm}`;
}

/** Bucket starts covering [start, end), aligned to the unit in the zone. */
export function bucketStarts(range: Range, unit: Unit, zone: string): number[] {
  const starts: number[] = [];
  for (
    let at = startOf(range.start, unit, zone);
    at < range.end;
    at = addUnits(at, unit, 1, zone)
  ) {
    starts.push(at);
    if (starts.length > MAX_BUCKETS) {
      throw new ReportError(
        `The time range is too long for interval '${unit}' (over ${MAX_BUCKETS} buckets)`,
        pointerTo("interval"),
      );
    }
  }
  return starts;
}

/** Index of the bucket holding `ms` (starts ascending; ms at or after the first start). */
export function bucketIndex(starts: readonly number[], ms: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] ?? 0) <= ms) low = mid;
    else high = mid - 1;
  }
  return low;
}

// ---------------------------------------------------------------------------------------------
// Reporting API timeframes

interface RangeHelpers {
  today: number;
  tomorrow: number;
  back(unit: Unit | "year", n: number): Range;
  period(unit: Unit | "year", shift: number): Range;
  zone: string;
}

/**
 * The range each predefined key covers. "last_N_days"/"last_N_months" are the N days (months)
 * ending with today, so events logged today are included; "this_*" run to the period's end.
 */
const KEY_RANGES: Record<string, (h: RangeHelpers) => Range> = {
  today: (h) => ({ start: h.today, end: h.tomorrow }),
  yesterday: (h) => ({ start: addUnits(h.today, "day", -1, h.zone), end: h.today }),
  last_7_days: (h) => h.back("day", 7),
  last_30_days: (h) => h.back("day", 30),
  last_90_days: (h) => h.back("day", 90),
  last_365_days: (h) => h.back("day", 365),
  last_3_months: (h) => h.back("month", 3),
  last_12_months: (h) => h.back("month", 12),
  this_week: (h) => h.period("week", 0),
  last_week: (h) => h.period("week", -1),
  this_month: (h) => h.period("month", 0),
  last_month: (h) => h.period("month", -1),
  this_year: (h) => h.period("year", 0),
  last_year: (h) => h.period("year", -1),
};

/** The keys implemented; a test checks they are exactly the spec's. */
export const TIMEFRAME_KEYS: readonly string[] = Object.keys(KEY_RANGES);

function keyRange(key: string, now: number, zone: string): Range {
  const today = startOf(now, "day", zone);
  const tomorrow = addUnits(today, "day", 1, zone);
  const helpers: RangeHelpers = {
    today,
    tomorrow,
    zone,
    back: (unit, n) => ({ start: addUnits(tomorrow, unit, -n, zone), end: tomorrow }),
    period: (unit, shift) => {
      const start = addUnits(startOf(now, unit, zone), unit, shift, zone);
      return { start, end: addUnits(start, unit, 1, zone) };
    },
  };
  const range = KEY_RANGES[key];
  if (!range) throw new Error(`no range for timeframe key ${key}`);
  return range(helpers);
}

const WALL_CLOCK = /^(\d{4})-(\d\d)-(\d\d)(?:[Tt ](\d\d):(\d\d)(?::(\d\d))?)?/;

/** A custom bound: Klaviyo ignores the offset and reads the wall clock in the company zone. */
function customBound(value: unknown, name: "start" | "end", zone: string): number {
  const pointer = pointerTo("timeframe", name);
  if (value === undefined || value === null) {
    throw new ReportError(`'timeframe.${name}' is required with a custom timeframe`, pointer);
  }
  const match = typeof value === "string" ? WALL_CLOCK.exec(value) : null;
  if (!match || typeof value !== "string" || !parseDateTime(value)) {
    throw new ReportError(
      `'timeframe.${name}' must be an ISO 8601 datetime such as 2024-01-01T00:00:00+00:00`,
      pointer,
    );
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map((p) => Number(p ?? 0));
  const wall = Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour ?? 0, minute ?? 0, second ?? 0);
  return fromWall(wall, zone);
}

/** Resolves `timeframe` ({key} or {start, end}) against the store clock. */
export function resolveTimeframe(attrs: Attrs, now: number, zone: string): Range {
  const timeframe = attrs.timeframe;
  if (timeframe === undefined || timeframe === null) {
    throw new ReportError("'timeframe' is a required field", pointerTo("timeframe"));
  }
  if (typeof timeframe !== "object" || Array.isArray(timeframe)) {
    throw new ReportError(
      "'timeframe' must be an object: {key} or {start, end}",
      pointerTo("timeframe"),
    );
  }
  const { key, start, end } = timeframe as Attrs;
  if (key !== undefined) {
    if (typeof key !== "string" || !TIMEFRAME_KEYS.includes(key)) {
      throw new ReportError(
        `${JSON.stringify(key)} is not a valid timeframe key. Allowed values: ${TIMEFRAME_KEYS.join(", ")}`,
        pointerTo("timeframe", "key"),
      );
    }
    return keyRange(key, now, zone);
  }
  if (start === undefined && end === undefined) {
    throw new ReportError(
      "'timeframe' needs either 'key' or both 'start' and 'end'",
      pointerTo("timeframe"),
    );
  }
  const range = { start: customBound(start, "start", zone), end: customBound(end, "end", zone) };
  if (range.start >= range.end) {
    throw new ReportError(
      "'timeframe.start' must be before 'timeframe.end'",
      pointerTo("timeframe", "start"),
    );
  }
  if (range.end - range.start > MAX_RANGE_MS) {
    throw new ReportError(
      "The timeframe cannot be longer than 1 year",
      pointerTo("timeframe", "end"),
    );
  }
  return range;
}

/** The account's time zone (Klaviyo's "company timezone"), UTC when unset or unknown. */
export function companyZone(store: { all(type: string): Array<{ attributes: Attrs }> }): string {
  const zone = store.all("account")[0]?.attributes.timezone;
  return typeof zone === "string" && canonicalZone(zone) ? zone : "UTC";
}
