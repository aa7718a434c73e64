/** Reports served over HTTP agree with the demo store's events. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../emulator.js";
import type { StoredResource } from "../../store.js";
import { api } from "../support.js";

const NOW = Date.UTC(2026, 10, 1, 12);
const DAY = 86_400_000;

describe("reports over HTTP", () => {
  let emulator: Emulator;
  let call: ReturnType<typeof api>;
  beforeAll(async () => {
    emulator = await startEmulator({ now: () => NOW, rateLimits: false });
    call = api(emulator);
  });
  afterAll(() => emulator.close());

  const eventsOf = (metricName: string): StoredResource[] => {
    const metricId = emulator.demo?.metricIds[metricName] ?? "";
    return emulator.store
      .all("event")
      .filter((e) => emulator.store.relatedOne("event", e.id, "metric") === metricId);
  };

  it("metric aggregates count and sum the stored events", async () => {
    const start = NOW - 30 * DAY;
    const orders = eventsOf("Placed Order").filter((e) => {
      const at = Date.parse(String(e.attributes.datetime));
      return at >= start && at < NOW;
    });
    expect(orders.length).toBeGreaterThan(10);
    const response = await call("POST", "/api/metric-aggregates", {
      data: {
        type: "metric-aggregate",
        attributes: {
          metric_id: emulator.demo?.metricIds["Placed Order"],
          measurements: ["count", "sum_value", "unique"],
          interval: "day",
          timezone: "UTC",
          filter: [
            `greater-or-equal(datetime,${new Date(start).toISOString().slice(0, 19)})`,
            `less-than(datetime,${new Date(NOW).toISOString().slice(0, 19)})`,
          ],
        },
      },
    });
    expect(response.status).toBe(200);
    const row = response.body.data.attributes.data[0];
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    expect(sum(row.measurements.count)).toBe(orders.length);
    const value = orders.reduce(
      (total, e) =>
        total + Number((e.attributes.event_properties as Record<string, unknown>).$value ?? 0),
      0,
    );
    expect(sum(row.measurements.sum_value)).toBeCloseTo(value, 2);
    // Noon to noon over 30 days touches 31 calendar days.
    expect(response.body.data.attributes.dates).toHaveLength(31);
  });

  it("campaign values count each campaign's unique openers from its events", async () => {
    const campaignId = emulator.demo?.sentCampaignIds[0] ?? "";
    const messageId = emulator.store.related("campaign", campaignId, "campaign-messages")[0];
    const openers = new Set(
      eventsOf("Opened Email")
        .filter(
          (e) => (e.attributes.event_properties as Record<string, unknown>).$message === messageId,
        )
        .map((e) => emulator.store.relatedOne("event", e.id, "profile")),
    );
    expect(openers.size).toBeGreaterThan(0);
    // page_cursor is a documented query parameter of the reports; everything fits one page.
    const response = await call("POST", "/api/campaign-values-reports?page_cursor=abc", {
      data: {
        type: "campaign-values-report",
        attributes: {
          statistics: ["opens_unique", "open_rate", "delivered"],
          timeframe: { key: "last_365_days" },
          conversion_metric_id: emulator.demo?.metricIds["Placed Order"],
          filter: `equals(campaign_id,"${campaignId}")`,
        },
      },
    });
    expect(response.status).toBe(200);
    const [result] = response.body.data.attributes.results;
    expect(result.groupings.campaign_id).toBe(campaignId);
    expect(result.statistics.opens_unique).toBe(openers.size);
    expect(result.statistics.open_rate).toBeCloseTo(openers.size / result.statistics.delivered, 5);
  });

  it("rejects a bad report request with a pointer", async () => {
    const response = await call("POST", "/api/campaign-values-reports", {
      data: {
        type: "campaign-values-report",
        attributes: {
          statistics: ["opens", "vibes"],
          timeframe: { key: "last_7_days" },
          conversion_metric_id: emulator.demo?.metricIds["Placed Order"],
        },
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].source.pointer).toBe("/data/attributes/statistics/1");
  });
});
