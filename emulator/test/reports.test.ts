import { describe, expect, it } from "vitest";
import { OPERATIONS } from "../catalog/index.js";
import { CAMPAIGN_FAMILY, FLOW_FAMILY } from "../reports/families.js";
import { DIMENSIONS } from "../reports/metric-aggregates.js";
import {
  campaignValuesReport,
  flowSeriesReport,
  flowValuesReport,
  metricAggregates,
  ReportError,
  STATISTICS,
  TIMEFRAME_KEYS,
} from "../reports.js";
import { Store } from "../store.js";

// Friday 2024-03-15 12:00 UTC (08:00 in New York, which is on EDT, -04:00).
const NOW = Date.parse("2024-03-15T12:00:00Z");

const filteredRange = [
  "greater-or-equal(datetime,2024-03-13T00:00:00)",
  "less-than(datetime,2024-03-16T00:00:00)",
];

const METRICS = {
  RCV: "Received Email",
  RSMS: "Received SMS",
  OPN: "Opened Email",
  CLK: "Clicked Email",
  CSMS: "Clicked SMS",
  BNC: "Bounced Email",
  UNS: "Unsubscribed",
  SPM: "Marked Email as Spam",
  ORD: "Placed Order",
};

/**
 * Campaign A (email, message CM_A, tagged "Promo") sent 03-13 10:00 to p1-p3, bounced for p4.
 * Campaign B (SMS, message CM_B) sent 03-14 to p1 and p2. Flow F1 (email message FM1) sent to
 * p1 on 03-12 and p2/p3 on 03-13. Orders: p1 50 + 25.5 from CM_A, p2 40 from FM1, p2 10 direct.
 */
function buildStore(accountZone?: string): Store {
  const store = new Store({ now: () => NOW });
  if (accountZone) store.insert("account", { timezone: accountZone }, "ACCOUNT");
  for (const [id, name] of Object.entries(METRICS)) {
    store.insert("metric", { name, integration: { name: "Klaviyo" } }, id);
  }
  for (const id of ["p1", "p2", "p3", "p4"]) store.insert("profile", { email: `${id}@x.test` }, id);
  store.insert("campaign", { name: "Spring sale" }, "CAMPAIGN_A");
  store.insert("campaign", { name: "SMS blast" }, "CAMPAIGN_B");
  store.insert("tag", { name: "Promo" }, "TAG1");
  store.link("campaign", "CAMPAIGN_A", "tags", ["TAG1"]);
  store.insert("campaign-message", { definition: { channel: "email", label: "Spring A" } }, "CM_A");
  store.insert("campaign-message", { definition: { channel: "sms", content: {} } }, "CM_B");
  store.link("campaign-message", "CM_A", "campaign", ["CAMPAIGN_A"]);
  store.link("campaign-message", "CM_B", "campaign", ["CAMPAIGN_B"]);
  store.insert("flow", { name: "Welcome" }, "F1");
  store.insert("flow-action", { action_type: "SEND_EMAIL" }, "FA1");
  store.insert("flow-message", { name: "Welcome 1", definition: { channel: "email" } }, "FM1");
  store.link("flow-action", "FA1", "flow", ["F1"]);
  store.link("flow-message", "FM1", "flow-action", ["FA1"]);

  let n = 0;
  const event = (metric: string, profile: string, iso: string, props = {}) => {
    const ms = Date.parse(iso);
    const datetime = new Date(ms).toISOString();
    const attributes = { timestamp: ms / 1000, datetime, uuid: `u${n++}`, event_properties: props };
    const { id } = store.insert("event", attributes);
    store.link("event", id, "metric", [metric]);
    store.link("event", id, "profile", [profile]);
  };
  const cmA = { $message: "CM_A" };
  for (const p of ["p1", "p2", "p3"]) event("RCV", p, "2024-03-13T10:00:00Z", cmA);
  event("BNC", "p4", "2024-03-13T10:00:00Z", cmA);
  event("OPN", "p1", "2024-03-13T11:00:00Z", cmA);
  event("OPN", "p1", "2024-03-14T09:00:00Z", cmA); // dated by its send: counts on 03-13
  event("OPN", "p2", "2024-03-13T12:00:00Z", cmA);
  event("CLK", "p1", "2024-03-13T11:05:00Z", cmA);
  event("UNS", "p2", "2024-03-13T12:10:00Z", cmA);
  event("SPM", "p3", "2024-03-13T13:00:00Z", cmA);
  const cmB = { $message: "CM_B", "Segment Count": 2 };
  event("RSMS", "p1", "2024-03-14T15:00:00Z", cmB);
  event("RSMS", "p2", "2024-03-14T15:00:00Z", cmB);
  event("CSMS", "p1", "2024-03-14T15:30:00Z", { $message: "CM_B" });
  const fm = { $message: "FM1", $flow: "F1" };
  event("RCV", "p1", "2024-03-12T08:00:00Z", fm);
  event("RCV", "p2", "2024-03-13T08:00:00Z", fm);
  event("RCV", "p3", "2024-03-13T09:00:00Z", fm);
  event("OPN", "p1", "2024-03-13T07:00:00Z", fm); // p1's 03-12 send
  event("OPN", "p2", "2024-03-13T10:00:00Z", fm);
  event("OPN", "p2", "2024-03-13T11:00:00Z", fm);
  event("CLK", "p2", "2024-03-14T08:00:00Z", fm);
  event("ORD", "p1", "2024-03-14T10:00:00Z", { $value: 50, $attributed_message: "CM_A" });
  event("ORD", "p1", "2024-03-15T09:00:00Z", { $value: 25.5, $attributed_message: "CM_A" });
  event("ORD", "p2", "2024-03-14T02:00:00Z", { $value: 10, Source: "web" });
  event("ORD", "p2", "2024-03-14T15:00:00Z", {
    $value: 40,
    $attributed_message: "FM1",
    $attributed_flow: "F1",
    Source: "app",
  });
  return store;
}

const store = buildStore();

/** The ReportError a call throws, or fails the test. */
function reportError(call: () => unknown): ReportError {
  try {
    call();
  } catch (error) {
    if (error instanceof ReportError) return error;
    throw error;
  }
  throw new Error("expected a ReportError");
}

const campaignQuery = (extra: Record<string, unknown> = {}) => ({
  statistics: ["recipients", "delivered", "opens", "opens_unique", "open_rate"],
  timeframe: { key: "last_7_days" },
  conversion_metric_id: "ORD",
  ...extra,
});

describe("campaignValuesReport", () => {
  it("computes every statistic of a message from its events", () => {
    const { results } = campaignValuesReport(store, campaignQuery({ statistics: STATISTICS })) as {
      results: Array<{ groupings: unknown; statistics: Record<string, number> }>;
    };
    expect(results.map((r) => r.groupings)).toEqual([
      { campaign_id: "CAMPAIGN_A", campaign_message_id: "CM_A", send_channel: "email" },
      { campaign_id: "CAMPAIGN_B", campaign_message_id: "CM_B", send_channel: "sms" },
    ]);
    expect(results[0]?.statistics).toEqual({
      average_order_value: 37.75,
      bounce_rate: 0.25,
      bounced: 1,
      bounced_or_failed: 1,
      bounced_or_failed_rate: 0.25,
      click_rate: 0.333333,
      click_to_open_rate: 0.5,
      clicks: 1,
      clicks_unique: 1,
      conversion_rate: 0.333333,
      conversion_uniques: 1,
      conversion_value: 75.5,
      conversions: 2,
      delivered: 3,
      delivery_rate: 0.75,
      failed: 0,
      failed_rate: 0,
      message_segment_count_sum: 0,
      open_rate: 0.666667,
      opens: 3,
      opens_unique: 2,
      recipients: 4,
      revenue_per_recipient: 25.166667,
      spam_complaint_rate: 0.333333,
      spam_complaints: 1,
      text_message_credit_usage_amount: 0,
      text_message_roi: 0,
      text_message_spend: 0,
      unsubscribe_rate: 0.333333,
      unsubscribe_uniques: 1,
      unsubscribes: 1,
    });
    expect(results[1]?.statistics).toMatchObject({
      recipients: 2,
      delivered: 2,
      clicks_unique: 1,
      click_rate: 0.5,
      message_segment_count_sum: 4,
      conversions: 0,
      average_order_value: 0, // zero denominator
    });
  });

  it("counts Received-plus-Bounced sends once", () => {
    const both = buildStore();
    const { id } = both.insert("event", {
      timestamp: Date.parse("2024-03-13T10:00:00Z") / 1000,
      event_properties: { $message: "CM_A" },
    });
    both.link("event", id, "metric", ["RCV"]);
    both.link("event", id, "profile", ["p4"]); // p4 now has Received and Bounced
    const { results } = campaignValuesReport(
      both,
      campaignQuery({ statistics: ["recipients", "delivered"] }),
    ) as { results: Array<{ statistics: unknown }> };
    expect(results[0]?.statistics).toEqual({ recipients: 4, delivered: 3 });
  });

  it("groups by tag and send channel, and filters", () => {
    const stats = ["recipients"];
    const byTag = campaignValuesReport(
      store,
      campaignQuery({
        statistics: stats,
        group_by: ["campaign_id", "campaign_message_id", "tag_name", "campaign_message_name"],
      }),
    );
    expect(byTag.results).toEqual([
      {
        groupings: {
          campaign_id: "CAMPAIGN_A",
          campaign_message_id: "CM_A",
          tag_name: "Promo",
          campaign_message_name: "Spring A",
        },
        statistics: { recipients: 4 },
      },
      {
        groupings: {
          campaign_id: "CAMPAIGN_B",
          campaign_message_id: "CM_B",
          tag_name: null,
          campaign_message_name: "SMS blast",
        },
        statistics: { recipients: 2 },
      },
    ]);
    const sms = campaignValuesReport(
      store,
      campaignQuery({ statistics: stats, filter: 'equals(send_channel,"sms")' }),
    );
    expect(sms.results).toEqual([
      {
        groupings: { campaign_id: "CAMPAIGN_B", campaign_message_id: "CM_B", send_channel: "sms" },
        statistics: { recipients: 2 },
      },
    ]);
    const tagged = campaignValuesReport(
      store,
      campaignQuery({
        statistics: stats,
        filter: 'and(contains-any(tag_id,["TAG1"]),contains-any(send_channel,["email","sms"]))',
      }),
    ) as { results: unknown[] };
    expect(tagged.results).toHaveLength(1);
  });

  it("selects by send date within the timeframe", () => {
    // CM_A went out on 03-13, so its 03-14 open and order stay out of "yesterday".
    const yesterday = campaignValuesReport(
      store,
      campaignQuery({ statistics: ["recipients", "opens"], timeframe: { key: "yesterday" } }),
    ) as { results: Array<{ groupings: { campaign_id: string }; statistics: unknown }> };
    expect(yesterday.results.map((r) => r.groupings.campaign_id)).toEqual(["CAMPAIGN_B"]);
    // A custom range ignores the offset: this is 03-13 00:00 to 03-14 00:00 in UTC.
    const custom = campaignValuesReport(
      store,
      campaignQuery({
        statistics: ["opens", "conversion_value"],
        timeframe: { start: "2024-03-13T00:00:00+09:00", end: "2024-03-14T00:00:00+09:00" },
      }),
    ) as { results: Array<{ statistics: unknown }> };
    expect(custom.results.map((r) => r.statistics)).toEqual([{ opens: 3, conversion_value: 75.5 }]);
  });

  it.each([
    [{ statistics: undefined }, "/data/attributes/statistics", "required"],
    [{ statistics: ["opens", "open_rates"] }, "/data/attributes/statistics/1", "open_rate"],
    [{ timeframe: undefined }, "/data/attributes/timeframe", "required"],
    [{ timeframe: { key: "last_2_days" } }, "/data/attributes/timeframe/key", "last_7_days"],
    [{ timeframe: { start: "2024-03-10T00:00:00" } }, "/data/attributes/timeframe/end", "required"],
    [
      { timeframe: { start: "2024-03-10T00:00:00", end: "2024-03-01T00:00:00" } },
      "/data/attributes/timeframe/start",
      "before",
    ],
    [
      { timeframe: { start: "2022-01-01T00:00:00", end: "2024-01-01T00:00:00" } },
      "/data/attributes/timeframe/end",
      "1 year",
    ],
    [{ timeframe: { start: "soon", end: "later" } }, "/data/attributes/timeframe/start", "ISO"],
    [{ conversion_metric_id: undefined }, "/data/attributes/conversion_metric_id", "required"],
    [{ conversion_metric_id: "NOPE" }, "/data/attributes/conversion_metric_id", "NOPE"],
    [{ group_by: ["campaign_id"] }, "/data/attributes/group_by", "campaign_message_id"],
    [{ group_by: ["flow_id"] }, "/data/attributes/group_by/0", "campaign_id"],
    [{ filter: 'equals(send_channel,"fax")' }, "/data/attributes/filter", "push-notification"],
    [{ filter: 'equals(flow_id,"F1")' }, "/data/attributes/filter", "campaign_id"],
    [
      { filter: 'equals(campaign_id,"A"),equals(campaign_id,"B")' },
      "/data/attributes/filter",
      "one filter",
    ],
  ])("rejects %j at %s", (extra, pointer, mention) => {
    const error = reportError(() => campaignValuesReport(store, campaignQuery(extra)));
    expect(error.pointer).toBe(pointer);
    expect(error.detail).toContain(mention);
  });
});

describe("flowValuesReport", () => {
  it("reports flow messages only", () => {
    const report = flowValuesReport(store, {
      statistics: ["recipients", "opens", "opens_unique", "clicks_unique", "conversion_value"],
      timeframe: { key: "this_month" },
      conversion_metric_id: "ORD",
      group_by: ["flow_id", "flow_message_id", "flow_name", "flow_message_name"],
    });
    expect(report).toEqual({
      results: [
        {
          groupings: {
            flow_id: "F1",
            flow_message_id: "FM1",
            flow_name: "Welcome",
            flow_message_name: "Welcome 1",
          },
          statistics: {
            recipients: 3,
            opens: 3,
            opens_unique: 2,
            clicks_unique: 1,
            conversion_value: 40,
          },
        },
      ],
    });
  });

  it("rejects campaign attributes in group_by and filter", () => {
    const base = {
      statistics: ["opens"],
      timeframe: { key: "today" },
      conversion_metric_id: "ORD",
    };
    const groupBy = reportError(() => flowValuesReport(store, { ...base, group_by: ["flow_id"] }));
    expect(groupBy.pointer).toBe("/data/attributes/group_by");
    const filter = reportError(() =>
      flowValuesReport(store, { ...base, filter: 'equals(campaign_id,"x")' }),
    );
    expect(filter.pointer).toBe("/data/attributes/filter");
  });
});

describe("flowSeriesReport", () => {
  const series = (extra: Record<string, unknown> = {}, on = store) =>
    flowSeriesReport(on, {
      statistics: ["recipients", "opens", "opens_unique", "open_rate", "conversion_value"],
      timeframe: { start: "2024-03-11T00:00:00", end: "2024-03-15T00:00:00" },
      interval: "daily",
      conversion_metric_id: "ORD",
      ...extra,
    });

  it("buckets statistics by send day", () => {
    expect(series()).toEqual({
      date_times: [
        "2024-03-11T00:00:00+00:00",
        "2024-03-12T00:00:00+00:00",
        "2024-03-13T00:00:00+00:00",
        "2024-03-14T00:00:00+00:00",
      ],
      results: [
        {
          groupings: { flow_id: "F1", flow_message_id: "FM1", send_channel: "email" },
          statistics: {
            recipients: [0, 1, 2, 0],
            opens: [0, 1, 2, 0],
            opens_unique: [0, 1, 1, 0],
            open_rate: [0, 1, 0.5, 0],
            conversion_value: [0, 0, 40, 0],
          },
        },
      ],
    });
  });

  it("uses the company time zone for keys and buckets", () => {
    const newYork = buildStore("America/New_York");
    const today = series({ timeframe: { key: "today" }, interval: "hourly" }, newYork) as {
      date_times: string[];
    };
    expect(today.date_times).toHaveLength(24);
    expect(today.date_times[0]).toBe("2024-03-15T00:00:00-04:00");
    const weekly = series({ timeframe: { key: "last_30_days" }, interval: "weekly" }) as {
      date_times: string[];
    };
    expect(weekly.date_times[0]).toBe("2024-02-12T00:00:00+00:00"); // the Monday of 02-15
  });

  it.each([
    [{ interval: undefined }, "/data/attributes/interval", "required"],
    [{ interval: "daily_ish" }, "/data/attributes/interval", "hourly"],
    [
      { interval: "hourly", timeframe: { key: "last_30_days" } },
      "/data/attributes/interval",
      "7 days",
    ],
    [
      { interval: "daily", timeframe: { key: "last_90_days" } },
      "/data/attributes/interval",
      "60 days",
    ],
  ])("rejects %j at %s", (extra, pointer, mention) => {
    const error = reportError(() => series(extra));
    expect(error.pointer).toBe(pointer);
    expect(error.detail).toContain(mention);
  });
});

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

describe("the reports implement exactly the spec's choices", () => {
  const enums = (id: string) => OPERATIONS.find((op) => op.id === id)?.requestEnums ?? {};
  const sorted = (values: readonly string[]) => [...values].sort();

  it("statistics, timeframe keys and group_by match the generated catalog", () => {
    for (const id of ["query_campaign_values", "query_flow_values", "query_flow_series"]) {
      expect(sorted(STATISTICS)).toEqual(enums(id).statistics);
      expect(sorted(TIMEFRAME_KEYS)).toEqual(enums(id)["timeframe.key"]);
    }
    expect(sorted(CAMPAIGN_FAMILY.groupBy)).toEqual(enums("query_campaign_values").group_by);
    expect(sorted(FLOW_FAMILY.groupBy)).toEqual(enums("query_flow_values").group_by);
    expect(sorted(FLOW_FAMILY.groupBy)).toEqual(enums("query_flow_series").group_by);
  });

  it("metric aggregate dimensions come from the catalog", () => {
    expect(DIMENSIONS).toEqual(enums("query_metric_aggregates").by);
    expect(DIMENSIONS).toContain("$message");
  });
});
