/** Events in batches: they land together, with their profiles and metrics, or not at all. */
import { describe, expect, it } from "vitest";
import { useDemo } from "./demo.js";

const demo = useDemo();

const event = (metric: string, properties: Record<string, unknown>, extra = {}) => ({
  type: "event",
  attributes: {
    properties,
    metric: { data: { type: "metric", attributes: { name: metric } } },
    ...extra,
  },
});
const profile = (email: string) => ({ data: { type: "profile", attributes: { email } } });

function eventsOf(email: string) {
  const { store } = demo.emulator;
  const person = store.all("profile").find((p) => p.attributes.email === email);
  if (!person) return [];
  return store
    .all("event")
    .filter((e) => store.relatedOne("event", e.id, "profile") === person.id)
    .map((e) => ({
      metric: store.get("metric", store.relatedOne("event", e.id, "metric") ?? "")?.attributes.name,
      properties: e.attributes.event_properties,
    }));
}

describe("bulk_create_events", () => {
  it("creates every entry's events, profiles and new metrics when the job lands", async () => {
    const body = demo.body("event-bulk-create-job", {
      "events-bulk-create": {
        data: [
          {
            type: "event-bulk-create",
            attributes: {
              profile: profile("batch.one@example.com"),
              events: {
                data: [
                  event("Viewed Product", { ProductName: "Lantern" }),
                  event("Returned Item", { OrderId: "R-1" }, { value: 25 }),
                ],
              },
            },
          },
          {
            type: "event-bulk-create",
            attributes: {
              profile: profile("batch.two@example.com"),
              events: { data: [event("Viewed Product", { ProductName: "Stove" })] },
            },
          },
        ],
      },
    });
    const queued = await demo.call("POST", "/api/event-bulk-create-jobs", body);
    expect(queued.status).toBe(202);
    expect(queued.body).toBeUndefined();
    await demo.call("GET", "/api/accounts"); // the next request lands the batch
    expect(eventsOf("batch.one@example.com")).toEqual([
      { metric: "Viewed Product", properties: { ProductName: "Lantern" } },
      { metric: "Returned Item", properties: { OrderId: "R-1", $value: 25 } },
    ]);
    expect(eventsOf("batch.two@example.com")).toEqual([
      { metric: "Viewed Product", properties: { ProductName: "Stove" } },
    ]);
  });

  it("refuses the whole batch when one event is bad, naming it", async () => {
    const events = demo.emulator.store.count("event");
    const refused = await demo.call(
      "POST",
      "/api/event-bulk-create-jobs",
      demo.body("event-bulk-create-job", {
        "events-bulk-create": {
          data: [
            {
              type: "event-bulk-create",
              attributes: {
                profile: profile("batch.three@example.com"),
                events: { data: [event("Viewed Product", {}), event("", {})] },
              },
            },
          ],
        },
      }),
    );
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].source.pointer).toBe(
      "/data/attributes/events-bulk-create/data/0/attributes/events/data/1/attributes/metric/data/attributes/name",
    );
    await demo.call("GET", "/api/accounts");
    expect(demo.emulator.store.count("event")).toBe(events);
  });
});

describe("bulk_create_client_events", () => {
  it("tracks one visitor's events with the public key", async () => {
    const { emulator } = demo;
    const response = await fetch(
      `${emulator.url}/client/event-bulk-create?company_id=${emulator.publicKey}`,
      {
        method: "POST",
        headers: { revision: "2026-07-15", "Content-Type": "application/vnd.api+json" },
        body: JSON.stringify(
          demo.body("event-bulk-create", {
            profile: profile("browser@example.com"),
            events: {
              data: [event("Active on Site", { page: "/" }), event("Viewed Product", { id: 7 })],
            },
          }),
        ),
      },
    );
    expect(response.status).toBe(202);
    await demo.call("GET", "/api/accounts");
    expect(eventsOf("browser@example.com").map((e) => e.metric)).toEqual([
      "Active on Site",
      "Viewed Product",
    ]);
  });
});
