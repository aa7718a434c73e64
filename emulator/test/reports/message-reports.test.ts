/** Campaign and flow reports (values and series) computed from the fixture's events. */
import { describe, expect, it } from "vitest";
import {
  campaignValuesReport,
  flowSeriesReport,
  flowValuesReport,
  STATISTICS,
} from "../../reports.js";
import { buildStore, reportError } from "./fixture.js";

const store = buildStore();

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
