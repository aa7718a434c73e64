/**
 * The demo store the seed tests read: seeded once per test file with a pinned clock, and small
 * readers over it.
 */
import { type DemoSummary, seedDemoData } from "../../seed.js";
import { Store, type StoredResource } from "../../store.js";

export const NOW = Date.parse("2026-10-01T12:00:00Z");
export const DAY = 86_400_000;

export function seeded(seed = 1, storeSeed = 1): { store: Store; demo: DemoSummary } {
  const store = new Store({ seed: storeSeed, now: () => NOW });
  return { store, demo: seedDemoData(store, { seed }) };
}

export const { store, demo } = seeded();
export const all = (type: string) => store.all(type);
export const attrs = (type: string) => all(type).map((r) => r.attributes);
export const metricName = (event: StoredResource) =>
  store.get("metric", store.relatedOne("event", event.id, "metric") ?? "")?.attributes.name;
export const props = (event: StoredResource) =>
  event.attributes.event_properties as Record<string, unknown>;
export const eventsOf = (metric: string) => all("event").filter((e) => metricName(e) === metric);
