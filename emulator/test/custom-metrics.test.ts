import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../emulator.js";
import { api } from "./support.js";

describe("custom and mapped metrics", () => {
  let emulator: Emulator;
  let call: ReturnType<typeof api>;
  const metric = (name: string) => emulator.store.insert("metric", { name }).id;
  let viewed: string;
  let ordered: string;
  beforeAll(async () => {
    emulator = await startEmulator({
      demoData: false,
      rateLimits: false,
      now: () => Date.UTC(2026, 6, 1),
    });
    call = api(emulator);
    viewed = metric("Viewed Product");
    ordered = metric("Placed Order");
  });
  afterAll(() => emulator.close());

  const create = (name: string, groups: unknown[], method = "count") =>
    call("POST", "/api/custom-metrics", {
      data: {
        type: "custom-metric",
        attributes: { name, definition: { aggregation_method: method, metric_groups: groups } },
      },
    });

  it("creates a custom metric linked to the metrics its definition names", async () => {
    const created = await create("Browsers and buyers", [
      { metric_id: viewed },
      { metric_id: ordered },
    ]);
    expect(created.status).toBe(201);
    expect(created.body.data.id).toMatch(/^[0-9a-f]{32}$/);
    expect(created.body.data.attributes).toMatchObject({
      name: "Browsers and buyers",
      created: "2026-07-01T00:00:00+00:00",
      definition: { aggregation_method: "count" },
    });
    const metrics = await call("GET", `/api/custom-metrics/${created.body.data.id}/metrics`);
    expect(metrics.body.data.map((m: { id: string }) => m.id)).toEqual([viewed, ordered]);

    const updated = await call("PATCH", `/api/custom-metrics/${created.body.data.id}`, {
      data: {
        type: "custom-metric",
        id: created.body.data.id,
        attributes: {
          definition: {
            aggregation_method: "value",
            metric_groups: [{ metric_id: ordered, value_property: "$value" }],
          },
        },
      },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.data.attributes.name).toBe("Browsers and buyers");
    const ids = await call(
      "GET",
      `/api/custom-metrics/${created.body.data.id}/relationships/metrics`,
    );
    expect(ids.body.data).toEqual([{ type: "metric", id: ordered }]);
  });

  it("refuses duplicate names, unknown metrics and empty definitions", async () => {
    await create("Unique", [{ metric_id: viewed }]);
    const duplicate = await create("Unique", [{ metric_id: viewed }]);
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.errors[0].source.pointer).toBe("/data/attributes/name");
    const unknown = await create("Other", [{ metric_id: "NOPE01" }]);
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0].source.pointer).toBe(
      "/data/attributes/definition/metric_groups/0/metric_id",
    );
    expect((await create("Empty", [])).status).toBe(400);
    expect((await create("Bad method", [{ metric_id: viewed }], "sum")).status).toBe(400);
  });

  it("has the seven mapped metric slots, each on a metric or a custom metric", async () => {
    const slots = await call("GET", "/api/mapped-metrics");
    expect(slots.body.data.map((m: { id: string }) => m.id)).toEqual([
      "added_to_cart",
      "cancelled_sales",
      "ordered_product",
      "refunded_sales",
      "revenue",
      "started_checkout",
      "viewed_product",
    ]);
    const custom = (await create("Net revenue", [{ metric_id: ordered }], "value")).body.data.id;
    const patch = (relationships: unknown) =>
      call("PATCH", "/api/mapped-metrics/revenue", {
        data: { type: "mapped-metric", id: "revenue", relationships },
      });
    expect((await patch({ metric: { data: { type: "metric", id: ordered } } })).status).toBe(200);
    expect((await call("GET", "/api/mapped-metrics/revenue/metric")).body.data.id).toBe(ordered);
    const toCustom = await patch({
      "custom-metric": { data: { type: "custom-metric", id: custom } },
    });
    expect(toCustom.body.data.relationships["custom-metric"].data).toEqual({
      type: "custom-metric",
      id: custom,
    });
    // Mapping to a custom metric unsets the metric.
    expect(
      (await call("GET", "/api/mapped-metrics/revenue/relationships/metric")).body.data,
    ).toBeNull();
    const both = await patch({
      metric: { data: { type: "metric", id: ordered } },
      "custom-metric": { data: { type: "custom-metric", id: custom } },
    });
    expect(both.status).toBe(400);
    expect((await call("GET", "/api/mapped-metrics/gross_sales")).status).toBe(404);
    // Deleting the custom metric leaves the slot unmapped.
    expect((await call("DELETE", `/api/custom-metrics/${custom}`)).status).toBe(204);
    const slot = await call("GET", "/api/mapped-metrics/revenue?include=custom-metric,metric");
    expect(slot.body.data.relationships["custom-metric"].data).toBeUndefined();
    expect(slot.body.included).toEqual([]);
  });
});
