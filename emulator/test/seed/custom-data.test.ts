/** The custom data of the demo store: objects, records and logs, metric definitions, conversations. */
import { describe, expect, it } from "vitest";
import { all, attrs, demo, NOW, store } from "./fixture.js";

const typeTitled = (title: string) => {
  const type = all("object-type").find((t) => t.attributes.title === title);
  if (!type) throw new Error(`no ${title}`);
  return type;
};

describe("the demo's custom data", () => {
  it("has data sources and object types with active schemas, mappings and a draft", () => {
    expect(attrs("data-source").map((s) => s.title)).toEqual([
      "Rental desk reservations",
      "Warranty registrations",
    ]);
    const rental = typeTitled("Gear Rental");
    expect(rental.attributes.status).toBe("active");
    const current = store.relatedOne("object-type", rental.id, "current-schema") ?? "";
    const draft = store.relatedOne("object-type", rental.id, "draft-schema") ?? "";
    expect(store.related("object-type", rental.id, "schema-versions")).toEqual([current, draft]);
    expect(store.get("object-schema", current)?.attributes.status).toBe("active");
    expect(store.get("object-schema", draft)?.attributes.status).toBe("draft");
    const mapping = store.relatedOne("object-schema", current, "source-mapping") ?? "";
    const mappings = (store.get("source-mapping", mapping)?.attributes.property_mappings ??
      []) as Array<{ source: { source_id: string } }>;
    const sources = mappings.map((m) => m.source.source_id);
    expect(new Set(sources)).toEqual(new Set([all("data-source")[0]?.id]));
    expect(typeTitled("Warranty Registration").attributes.status).toBe("active");
  });

  it("ingested the records through the mappings, logging the one that failed", () => {
    const rental = typeTitled("Gear Rental");
    const records = store.related("object-type", rental.id, "object-records");
    expect(records).toHaveLength(7);
    const first = store.get("object-record", records[0] ?? "")?.attributes
      .record_properties as Record<string, unknown>;
    expect(Object.keys(first)).toEqual(
      expect.arrayContaining(["reservation_id", "item", "pickup_date", "nights", "returned"]),
    );
    expect(Date.parse(String(first.pickup_date))).toBeLessThan(NOW);
    const logs = store.related("object-type", rental.id, "object-ingestion-logs");
    expect(logs).toHaveLength(1);
    const log = store.get("object-ingestion-log", logs[0] ?? "")?.attributes;
    expect(log?.errors).toEqual([
      expect.objectContaining({ code: "int_type", property: "nights", invalid_value: '"three"' }),
    ]);
    const warranty = typeTitled("Warranty Registration");
    expect(store.related("object-type", warranty.id, "object-records")).toHaveLength(6);
  });

  it("maps five metric slots, defines two custom metrics, links flow triggers", () => {
    const mapped = all("mapped-metric");
    expect(mapped).toHaveLength(7);
    expect(mapped.filter((m) => store.relatedOne("mapped-metric", m.id, "metric"))).toHaveLength(5);
    expect(store.relatedOne("mapped-metric", "revenue", "metric")).toBe(
      demo.metricIds["Placed Order"],
    );
    expect(attrs("custom-metric").map((m) => m.name)).toEqual([
      "Shopping Intent",
      "Camp Kitchen Revenue",
    ]);
    const intent = all("custom-metric")[0]?.id ?? "";
    expect(store.related("custom-metric", intent, "metrics")).toHaveLength(3);
    const abandoned = demo.flows["Abandoned Cart"];
    expect(
      store.related("metric", demo.metricIds["Started Checkout"] ?? "", "flow-triggers"),
    ).toEqual([abandoned]);
  });

  it("gives a few SMS subscribers conversations", () => {
    const conversations = attrs("conversation");
    expect(conversations.filter((c) => c.channel === "sms")).toHaveLength(8);
    expect(conversations.filter((c) => c.channel === "whatsapp")).toHaveLength(2);
    for (const conversation of all("conversation")) {
      const profile = store.relatedOne("conversation", conversation.id, "profile") ?? "";
      expect(store.get("profile", profile)?.attributes.phone_number).toMatch(/^\+1/);
    }
  });
});
