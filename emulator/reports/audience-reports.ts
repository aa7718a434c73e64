/**
 * Form and segment analytics (POST /api/form-values-reports, /api/form-series-reports,
 * /api/segment-values-reports, /api/segment-series-reports), computed from what the store
 * records: each form interaction (`form-interaction`: a visitor qualified for, viewed, closed or
 * submitted a form version, or viewed or submitted one of its steps) and each change of a
 * segment's membership (`segment-membership-change`: a profile added or removed). A segment's
 * total at a moment is its current member count less the changes since.
 */
import type { FilterCondition } from "../filter.js";
import type { Store } from "../store.js";
import { type Attrs, choiceList, pointerTo, ReportError } from "./errors.js";
import { reportFilter, seriesUnit } from "./message-reports.js";
import {
  bucketIndex,
  bucketStarts,
  companyZone,
  formatInZone,
  type Range,
  resolveTimeframe,
} from "./time.js";

/** The internal record types the analytics read (no operation serves them). */
export const FORM_INTERACTION = "form-interaction";
export const SEGMENT_CHANGE = "segment-membership-change";

export type FormInteractionKind =
  | "qualified_form"
  | "viewed_form"
  | "closed_form"
  | "submitted_form"
  | "viewed_form_step"
  | "submitted_form_step";

export const FORM_STATISTICS = [
  "closed_form",
  "closed_form_uniques",
  "qualified_form",
  "qualified_form_uniques",
  "submit_rate",
  "submits",
  "submitted_form_step",
  "submitted_form_step_uniques",
  "viewed_form",
  "viewed_form_step",
  "viewed_form_step_uniques",
  "viewed_form_uniques",
] as const;
export const SEGMENT_STATISTICS = [
  "members_added",
  "members_removed",
  "net_members_changed",
  "total_members",
] as const;

const ID_RULE = { operators: { single: ["equals"], list: ["any"] }, value: { type: "string" } };

interface Window {
  range: Range;
  starts: number[];
  zone: string;
  series: boolean;
}

function windowOf(store: Store, attrs: Attrs, series: boolean): Window {
  const zone = companyZone(store);
  const range = resolveTimeframe(attrs, store.now(), zone);
  if (!series) return { range, starts: [range.start], zone, series };
  return { range, starts: bucketStarts(range, seriesUnit(attrs, range), zone), zone, series };
}

function conditionsOf(attrs: Attrs, fields: readonly string[]): FilterCondition[] {
  return reportFilter(attrs, Object.fromEntries(fields.map((field) => [field, ID_RULE])));
}

const passes = (conditions: FilterCondition[], dims: Record<string, unknown>) =>
  conditions.every(({ field, value }) =>
    (Array.isArray(value) ? value : [value]).map(String).includes(String(dims[field])),
  );

/** Results as the reporting API writes them: one per grouping, sorted, with the date_times. */
function answer(
  window: Window,
  groups: Map<string, { groupings: Attrs; cells: Array<Record<string, number>> }>,
  statistics: readonly string[],
): Attrs {
  const results = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { groupings, cells }]) => ({
      groupings,
      statistics: Object.fromEntries(
        statistics.map((name) => [
          name,
          window.series ? cells.map((cell) => cell[name] ?? 0) : (cells[0]?.[name] ?? 0),
        ]),
      ),
    }));
  if (!window.series) return { results };
  return { results, date_times: window.starts.map((start) => formatInZone(start, window.zone)) };
}

// Forms ----------------------------------------------------------------------------------------

class FormTally {
  readonly counts = new Map<FormInteractionKind, number>();
  readonly visitors = new Map<FormInteractionKind, Set<string>>();

  add(kind: FormInteractionKind, visitor: string): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    const set = this.visitors.get(kind) ?? new Set<string>();
    this.visitors.set(kind, set.add(visitor));
  }

  statistics(): Record<string, number> {
    const count = (kind: FormInteractionKind) => this.counts.get(kind) ?? 0;
    const uniques = (kind: FormInteractionKind) => this.visitors.get(kind)?.size ?? 0;
    const viewers = uniques("viewed_form");
    return {
      closed_form: count("closed_form"),
      closed_form_uniques: uniques("closed_form"),
      qualified_form: count("qualified_form"),
      qualified_form_uniques: uniques("qualified_form"),
      submits: count("submitted_form"),
      submit_rate: viewers === 0 ? 0 : Math.min(1, uniques("submitted_form") / viewers),
      submitted_form_step: count("submitted_form_step"),
      submitted_form_step_uniques: uniques("submitted_form_step"),
      viewed_form: count("viewed_form"),
      viewed_form_step: count("viewed_form_step"),
      viewed_form_step_uniques: uniques("viewed_form_step"),
      viewed_form_uniques: viewers,
    };
  }
}

function formReport(store: Store, attrs: Attrs, series: boolean): Attrs {
  const statistics = choiceList(attrs, "statistics", FORM_STATISTICS, { required: true }) ?? [];
  const window = windowOf(store, attrs, series);
  const groupBy = choiceList(attrs, "group_by", ["form_id", "form_version_id"]) ?? ["form_id"];
  if (groupBy.includes("form_version_id") && !groupBy.includes("form_id")) {
    throw new ReportError(
      "'group_by' form_version_id needs form_id with it",
      pointerTo("group_by"),
    );
  }
  const conditions = conditionsOf(attrs, ["form_id", "form_version_id"]);
  const groups = new Map<string, { groupings: Attrs; tallies: FormTally[] }>();
  for (const { attributes } of store.all(FORM_INTERACTION)) {
    const time = attributes.time as number;
    if (time < window.range.start || time >= window.range.end) continue;
    if (!passes(conditions, attributes)) continue;
    const groupings = Object.fromEntries(groupBy.map((name) => [name, attributes[name] ?? null]));
    const key = JSON.stringify(groupBy.map((name) => groupings[name]));
    let group = groups.get(key);
    if (!group) {
      group = { groupings, tallies: window.starts.map(() => new FormTally()) };
      groups.set(key, group);
    }
    const tally = group.tallies[bucketIndex(window.starts, time)] as FormTally;
    tally.add(attributes.kind as FormInteractionKind, String(attributes.visitor));
  }
  const cells = new Map(
    [...groups].map(([key, { groupings, tallies }]) => [
      key,
      { groupings, cells: tallies.map((tally) => tally.statistics()) },
    ]),
  );
  return answer(window, cells, statistics);
}

export const formValuesReport = (store: Store, attrs: Attrs) => formReport(store, attrs, false);
export const formSeriesReport = (store: Store, attrs: Attrs) => formReport(store, attrs, true);

// Segments -------------------------------------------------------------------------------------

function segmentReport(store: Store, attrs: Attrs, series: boolean): Attrs {
  const statistics = choiceList(attrs, "statistics", SEGMENT_STATISTICS, { required: true }) ?? [];
  const window = windowOf(store, attrs, series);
  const conditions = conditionsOf(attrs, ["segment_id"]);
  const changes = store.all(SEGMENT_CHANGE).map((c) => c.attributes);
  const groups = new Map<string, { groupings: Attrs; cells: Array<Record<string, number>> }>();
  for (const segment of store.all("segment")) {
    if (!passes(conditions, { segment_id: segment.id })) continue;
    const own = changes.filter((c) => c.segment_id === segment.id);
    const current = store.related("segment", segment.id, "profiles").length;
    // Members at `at`: today's count, less what was added since, plus what was removed since.
    const totalAt = (at: number) =>
      own.reduce((total, c) => {
        if ((c.time as number) < at) return total;
        return c.kind === "added" ? total - 1 : total + 1;
      }, current);
    const ends = [...window.starts.slice(1), window.range.end];
    const cells = window.starts.map((start, index) => {
      const end = ends[index] as number;
      const from = Math.max(start, window.range.start);
      const inBucket = own.filter((c) => (c.time as number) >= from && (c.time as number) < end);
      const added = inBucket.filter((c) => c.kind === "added").length;
      const removed = inBucket.length - added;
      return {
        members_added: added,
        members_removed: removed,
        net_members_changed: added - removed,
        total_members: Math.max(0, totalAt(Math.min(end, store.now()))),
      };
    });
    groups.set(segment.id, { groupings: { segment_id: segment.id }, cells });
  }
  return answer(window, groups, statistics);
}

export const segmentValuesReport = (store: Store, attrs: Attrs) =>
  segmentReport(store, attrs, false);
export const segmentSeriesReport = (store: Store, attrs: Attrs) =>
  segmentReport(store, attrs, true);
