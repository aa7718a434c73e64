/** POST /api/metric-aggregates computed from the fixture's events. */
import { describe, expect, it } from "vitest";
import { metricAggregates } from "../../reports.js";
import { buildStore, reportError } from "./fixture.js";

const store = buildStore();

const filteredRange = [
  "greater-or-equal(datetime,2024-03-13T00:00:00)",
  "less-than(datetime,2024-03-16T00:00:00)",
];

describe("metricAggregates", () => {
  const aggregate = (extra: Record<string, unknown> = {}) =>
    metricAggregates(store, {
      metric_id: "ORD",
      measurements: ["count", "sum_value", "unique"],
      filter: filteredRange,
      ...extra,
    }) as { dates: string[]; data: Array<{ dimensions: string[]; measurements: unknown }> };

  it("counts, sums and dedupes per day", () => {
    expect(aggregate()).toEqual({
      dates: [
        "2024-03-13T00:00:00+00:00",
        "2024-03-14T00:00:00+00:00",
        "2024-03-15T00:00:00+00:00",
      ],
      data: [
        {
          dimensions: [],
          measurements: { count: [0, 3, 1], sum_value: [0, 100, 25.5], unique: [0, 2, 1] },
        },
      ],
    });
  });

  it("partitions by dimensions, filters, sorts and pages", () => {
    const byMessage = aggregate({ by: ["$attributed_message"], measurements: ["count"] });
    expect(byMessage.data).toEqual([
      { dimensions: [""], measurements: { count: [0, 1, 0] } },
      { dimensions: ["CM_A"], measurements: { count: [0, 1, 1] } },
      { dimensions: ["FM1"], measurements: { count: [0, 1, 0] } },
    ]);
    const sorted = aggregate({
      by: ["$attributed_message"],
      sort: "-sum_value",
      measurements: ["sum_value"],
    });
    expect(sorted.data.map((row) => row.dimensions[0])).toEqual(["CM_A", "FM1", ""]);
    expect(aggregate({ by: ["$attributed_message"], page_size: 1 }).data).toHaveLength(1);
    const bySource = aggregate({ by: ["Source", "$attributed_flow"], measurements: ["count"] });
    expect(bySource.data.map((row) => row.dimensions)).toEqual([
      ["", ""],
      ["app", "F1"],
      ["web", ""],
    ]);
    const filtered = aggregate({
      filter: [...filteredRange, 'equals($attributed_flow,"F1")'],
    });
    expect(filtered.data[0]?.measurements).toEqual({
      count: [0, 1, 0],
      sum_value: [0, 40, 0],
      unique: [0, 1, 0],
    });
    const none = aggregate({ by: ["$flow"], filter: [...filteredRange, 'equals($flow,"nope")'] });
    expect(none.data).toEqual([]);
  });

  it("buckets hours, weeks and months", () => {
    const hours = aggregate({
      interval: "hour",
      measurements: ["count"],
      filter: [
        "greater-or-equal(datetime,2024-03-14T00:00:00)",
        "less-than(datetime,2024-03-14T03:00:00)",
      ],
    });
    expect(hours.dates).toEqual([
      "2024-03-14T00:00:00+00:00",
      "2024-03-14T01:00:00+00:00",
      "2024-03-14T02:00:00+00:00",
    ]);
    expect(hours.data[0]?.measurements).toEqual({ count: [0, 0, 1] });
    const weeks = aggregate({
      interval: "week",
      measurements: ["count"],
      filter: [
        "greater-or-equal(datetime,2024-03-01T00:00:00)",
        "less-than(datetime,2024-03-20T00:00:00)",
      ],
    });
    expect(weeks.dates[0]).toBe("2024-02-26T00:00:00+00:00");
    expect(weeks.data[0]?.measurements).toEqual({ count: [0, 0, 4, 0] });
    const months = aggregate({
      interval: "month",
      measurements: ["count"],
      filter: [
        "greater-or-equal(datetime,2024-01-15T00:00:00)",
        "less-than(datetime,2024-04-01T00:00:00)",
      ],
    });
    expect(months.dates).toEqual([
      "2024-01-01T00:00:00+00:00",
      "2024-02-01T00:00:00+00:00",
      "2024-03-01T00:00:00+00:00",
    ]);
    expect(months.data[0]?.measurements).toEqual({ count: [0, 0, 4] });
  });

  it("buckets in the requested time zone", () => {
    // Offset-less bounds are New York time; the 02:00Z order is still 03-13 there.
    const newYork = aggregate({ timezone: "America/New_York", measurements: ["count"] });
    expect(newYork.dates).toEqual([
      "2024-03-13T00:00:00-04:00",
      "2024-03-14T00:00:00-04:00",
      "2024-03-15T00:00:00-04:00",
    ]);
    expect(newYork.data[0]?.measurements).toEqual({ count: [1, 2, 1] });
    // Explicit offsets are kept; buckets follow Kolkata's +05:30 days.
    const kolkata = aggregate({
      timezone: "Asia/Kolkata",
      measurements: ["count"],
      filter: [
        "greater-or-equal(datetime,2024-03-13T00:00:00Z)",
        "less-than(datetime,2024-03-16T00:00:00Z)",
      ],
    });
    expect(kolkata.dates).toEqual([
      "2024-03-13T00:00:00+05:30",
      "2024-03-14T00:00:00+05:30",
      "2024-03-15T00:00:00+05:30",
      "2024-03-16T00:00:00+05:30",
    ]);
    expect(kolkata.data[0]?.measurements).toEqual({ count: [0, 3, 1, 0] });
  });

  it.each([
    [{ metric_id: undefined }, "/data/attributes/metric_id", "required"],
    [{ metric_id: "NOPE" }, "/data/attributes/metric_id", "does not exist"],
    [{ measurements: ["count", "total"] }, "/data/attributes/measurements/1", "sum_value"],
    [{ measurements: [] }, "/data/attributes/measurements", "at least one"],
    [{ filter: undefined }, "/data/attributes/filter", "required"],
    [
      { filter: ["greater-or-equal(datetime,2024-03-13T00:00:00)"] },
      "/data/attributes/filter",
      "less-than",
    ],
    [{ filter: [...filteredRange, "equals($flow,F1)"] }, "/data/attributes/filter/2", "quoted"],
    [
      {
        filter: [
          "greater-or-equal(datetime,2024-03-16T00:00:00)",
          "less-than(datetime,2024-03-13T00:00:00)",
        ],
      },
      "/data/attributes/filter",
      "empty",
    ],
    [{ interval: "year" }, "/data/attributes/interval", "month"],
    [{ by: ["$message", "Nonexistent"] }, "/data/attributes/by/1", "$attributed_flow"],
    [{ timezone: "Mars/Olympus" }, "/data/attributes/timezone", "IANA"],
    [{ timezone: "america/new_york" }, "/data/attributes/timezone", "America/New_York"],
    [{ timezone: "Europe/Kyiv" }, "/data/attributes/timezone", "supported"],
    [{ sort: "-$flow" }, "/data/attributes/sort", "neither"],
    [{ sort: "bogus" }, "/data/attributes/sort", "not a valid sort"],
    [{ page_size: 0 }, "/data/attributes/page_size", "positive"],
  ])("rejects %j at %s", (extra, pointer, mention) => {
    const error = reportError(() => aggregate(extra));
    expect(error.pointer).toBe(pointer);
    expect(error.detail).toContain(mention);
  });
});
