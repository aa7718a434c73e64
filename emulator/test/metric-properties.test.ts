import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../emulator.js";
import { api } from "./support.js";

const NOW = Date.UTC(2026, 9, 1, 12);

describe("metric properties and flow triggers", () => {
  let emulator: Emulator;
  let call: ReturnType<typeof api>;
  const metricId = (name: string) => emulator.demo?.metricIds[name] ?? "";
  beforeAll(async () => {
    emulator = await startEmulator({ now: () => NOW, rateLimits: false, jobDurationMs: 0 });
    call = api(emulator);
  });
  afterAll(() => emulator.close());

  it("lists the properties a metric's events carry, with inferred types and samples", async () => {
    const placed = metricId("Placed Order");
    const listed = await call(
      "GET",
      `/api/metrics/${placed}/metric-properties?additional-fields[metric-property]=sample_values`,
    );
    expect(listed.status).toBe(200);
    const byName = new Map<string, { id: string; attributes: Record<string, unknown> }>(
      listed.body.data.map((p: { attributes: { property: string } }) => [p.attributes.property, p]),
    );
    expect([...byName.keys()]).toEqual(
      expect.arrayContaining(["$value", "OrderId", "Items", "ItemCount", "Categories"]),
    );
    expect(byName.get("$value")?.attributes).toMatchObject({
      label: "$value",
      inferred_type: "Number",
    });
    expect(byName.get("Categories")?.attributes.inferred_type).toBe("List");
    const samples = byName.get("OrderId")?.attributes.sample_values as string[];
    expect(samples.length).toBe(10);
    expect(samples.every((s) => /^JP-\d+$/.test(s))).toBe(true);

    const id = byName.get("$value")?.id ?? "";
    const one = await call("GET", `/api/metric-properties/${id}?include=metric`);
    expect(one.body.data.attributes.sample_values).toBeUndefined();
    expect(one.body.included.map((m: { id: string }) => m.id)).toEqual([placed]);
    expect(
      (await call("GET", `/api/metric-properties/${id}/relationships/metric`)).body.data,
    ).toEqual({
      type: "metric",
      id: placed,
    });
    const again = await call("GET", `/api/metrics/${placed}/relationships/metric-properties`);
    expect(again.body.data.map((p: { id: string }) => p.id)).toEqual(
      [...byName.values()].map((p) => p.id),
    );
  });

  it("picks up a property a new event brings", async () => {
    const placed = metricId("Placed Order");
    const before = await call("GET", `/api/metrics/${placed}/relationships/metric-properties`);
    const sent = await call("POST", "/api/events", {
      data: {
        type: "event",
        attributes: {
          properties: { GiftWrap: true, $value: 12 },
          metric: { data: { type: "metric", attributes: { name: "Placed Order" } } },
          profile: { data: { type: "profile", attributes: { email: "gift@example.com" } } },
        },
      },
    });
    expect(sent.status).toBe(202);
    const after = await call("GET", `/api/metrics/${placed}/metric-properties`);
    const added = after.body.data.filter(
      (p: { id: string }) => !before.body.data.some((b: { id: string }) => b.id === p.id),
    );
    expect(added.map((p: { attributes: unknown }) => p.attributes)).toEqual([
      { label: "GiftWrap", property: "GiftWrap", inferred_type: "Boolean" },
    ]);
  });

  it("lists the flows a metric triggers", async () => {
    const started = await call("GET", `/api/metrics/${metricId("Started Checkout")}/flow-triggers`);
    expect(
      started.body.data.map((f: { attributes: { name: string } }) => f.attributes.name),
    ).toEqual(["Abandoned Cart"]);
    const placed = await call(
      "GET",
      `/api/metrics/${metricId("Placed Order")}/relationships/flow-triggers`,
    );
    const names = placed.body.data.map(
      (f: { id: string }) => emulator.store.get("flow", f.id)?.attributes.name,
    );
    expect(names).toEqual(["Post-Purchase Follow-Up", "Winback"]);
    // A flow whose definition names the metric as its trigger counts too.
    const flow = emulator.store.insert("flow", {
      name: "VIP thank-you",
      status: "draft",
      definition: { triggers: [{ type: "metric", id: metricId("Opened Email") }] },
    });
    const opened = await call(
      "GET",
      `/api/metrics/${metricId("Opened Email")}/relationships/flow-triggers`,
    );
    expect(opened.body.data).toEqual([{ type: "flow", id: flow.id }]);
    expect((await call("GET", "/api/metrics/NOPE01/flow-triggers")).status).toBe(404);
  });
});
