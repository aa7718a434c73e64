/** Form and segment reports computed from recorded form interactions and membership changes. */
import { describe, expect, it } from "vitest";
import {
  FORM_INTERACTION,
  type FormInteractionKind,
  formSeriesReport,
  formValuesReport,
  SEGMENT_CHANGE,
  segmentSeriesReport,
  segmentValuesReport,
} from "../../reports/audience-reports.js";
import { ReportError } from "../../reports.js";
import { Store } from "../../store.js";

// Friday 2024-03-15 12:00 UTC; the account reports in UTC.
const NOW = Date.parse("2024-03-15T12:00:00Z");
const DAY = 86_400_000;

function buildStore(): Store {
  const store = new Store({ now: () => NOW });
  let n = 0;
  const seen = (
    form: string,
    version: string,
    kind: FormInteractionKind,
    visitor: string,
    daysAgo: number,
  ) =>
    store.insert(
      FORM_INTERACTION,
      { form_id: form, form_version_id: version, kind, visitor, time: NOW - daysAgo * DAY },
      `fi${++n}`,
    );
  // Popup P (versions P1, P2): v1 viewed twice (closed once, then submitted), v2 once, v3 on P2.
  seen("P", "P1", "viewed_form", "v1", 2);
  seen("P", "P1", "closed_form", "v1", 2);
  seen("P", "P1", "viewed_form", "v1", 1);
  seen("P", "P1", "submitted_form", "v1", 1);
  seen("P", "P1", "viewed_form", "v2", 1);
  seen("P", "P2", "viewed_form", "v3", 1);
  // Embed E: one view 20 days ago, outside a 7-day window.
  seen("E", "E1", "viewed_form", "v4", 20);

  store.insert("segment", { name: "VIP" }, "S1");
  store.insert("segment", { name: "Lapsed" }, "S2");
  for (const id of ["a", "b", "c"]) store.insert("profile", { email: `${id}@x.test` }, id);
  store.link("segment", "S1", "profiles", ["a", "b", "c"]);
  let c = 0;
  const change = (segment: string, profile: string, kind: string, daysAgo: number) =>
    store.insert(
      SEGMENT_CHANGE,
      { segment_id: segment, profile_id: profile, kind, time: NOW - daysAgo * DAY },
      `sc${++c}`,
    );
  change("S1", "a", "added", 40);
  change("S1", "b", "added", 5);
  change("S1", "x", "added", 4);
  change("S1", "x", "removed", 2);
  change("S1", "c", "added", 1);
  return store;
}

const store = buildStore();
type Results = { results: Array<{ groupings: unknown; statistics: Record<string, unknown> }> };

describe("form reports", () => {
  it("count views, uniques, closes and submits per form in the timeframe", () => {
    const report = formValuesReport(store, {
      statistics: ["viewed_form", "viewed_form_uniques", "closed_form", "submits", "submit_rate"],
      timeframe: { key: "last_7_days" },
    }) as Results;
    expect(report.results).toEqual([
      {
        groupings: { form_id: "P" },
        statistics: {
          viewed_form: 4,
          viewed_form_uniques: 3,
          closed_form: 1,
          submits: 1,
          submit_rate: 1 / 3,
        },
      },
    ]);
  });

  it("groups by version and filters, as a series over the interval", () => {
    const report = formSeriesReport(store, {
      statistics: ["viewed_form"],
      timeframe: { start: "2024-03-13T00:00:00Z", end: "2024-03-15T00:00:00Z" },
      interval: "daily",
      group_by: ["form_id", "form_version_id"],
      filter: 'equals(form_version_id,"P1")',
    }) as Results & { date_times: string[] };
    expect(report.date_times).toEqual(["2024-03-13T00:00:00+00:00", "2024-03-14T00:00:00+00:00"]);
    expect(report.results).toEqual([
      { groupings: { form_id: "P", form_version_id: "P1" }, statistics: { viewed_form: [1, 2] } },
    ]);
  });

  it("refuses a version grouping without the form, and unknown statistics", () => {
    const error = (attrs: Record<string, unknown>) => {
      try {
        formValuesReport(store, attrs);
      } catch (e) {
        return e instanceof ReportError ? e.pointer : String(e);
      }
      return "no error";
    };
    const timeframe = { key: "last_7_days" };
    expect(error({ statistics: ["viewed_form"], timeframe, group_by: ["form_version_id"] })).toBe(
      "/data/attributes/group_by",
    );
    expect(error({ statistics: ["opens"], timeframe })).toBe("/data/attributes/statistics/0");
  });
});

describe("segment reports", () => {
  it("sum the changes in the timeframe and end at today's member count", () => {
    const report = segmentValuesReport(store, {
      statistics: ["members_added", "members_removed", "net_members_changed", "total_members"],
      timeframe: { key: "last_7_days" },
    }) as Results;
    expect(report.results).toEqual([
      {
        groupings: { segment_id: "S1" },
        statistics: {
          members_added: 3,
          members_removed: 1,
          net_members_changed: 2,
          total_members: 3,
        },
      },
      {
        groupings: { segment_id: "S2" },
        statistics: {
          members_added: 0,
          members_removed: 0,
          net_members_changed: 0,
          total_members: 0,
        },
      },
    ]);
  });

  it("show the total at the end of each bucket of a series", () => {
    const report = segmentSeriesReport(store, {
      statistics: ["total_members", "members_added"],
      timeframe: { start: "2024-03-09T12:00:00Z", end: "2024-03-15T12:00:00Z" },
      interval: "daily",
      filter: 'equals(segment_id,"S1")',
    }) as Results;
    // Day ends: 03-10 ... 03-15 12:00. b joined 03-10 12:00, x 03-11 12:00 (left 03-13), c 03-14.
    expect(report.results).toEqual([
      {
        groupings: { segment_id: "S1" },
        statistics: {
          total_members: [1, 2, 3, 3, 2, 3, 3],
          members_added: [0, 1, 1, 0, 0, 1, 0],
        },
      },
    ]);
  });
});
