/**
 * What Klaviyo derives from a metric's events: its properties (every key its events'
 * `event_properties` carry, with an inferred type and sample values) and the flows it triggers.
 * Properties are brought up to date with the events before each read (only when events were
 * added since), and keep a stable id per metric and property name.
 */
import { createHash } from "node:crypto";
import { notFound } from "../api-error.js";
import type { Handler } from "../handler-types.js";
import { listDocument } from "../listing.js";
import type { Store, StoredResource } from "../store.js";
import { genericHandler } from "./generic.js";

const PROPERTY = "metric-property";
const SAMPLES = 10;

/** Event count each store's properties were computed at. */
const syncedAt = new WeakMap<Store, number>();

interface Seen {
  type: string;
  samples: unknown[];
}

function inferredType(value: unknown): string {
  if (Array.isArray(value)) return "List";
  if (typeof value === "number") return "Number";
  if (typeof value === "boolean") return "Boolean";
  if (typeof value === "object") return "Object";
  return /^\d{4}-\d\d-\d\d(T|$)/.test(String(value)) ? "Date" : "String";
}

export function metricPropertyId(metricId: string, property: string): string {
  return createHash("md5").update(`${metricId}:${property}`).digest("hex");
}

/** Brings the metric properties in line with the stored events. */
export function syncMetricProperties(store: Store): void {
  const events = store.count("event");
  if (syncedAt.get(store) === events) return;
  syncedAt.set(store, events);
  const byMetric = new Map<string, Map<string, Seen>>();
  for (const event of store.all("event")) {
    const metricId = store.relatedOne("event", event.id, "metric");
    const properties = event.attributes.event_properties;
    if (!metricId || typeof properties !== "object" || properties === null) continue;
    const seen = byMetric.get(metricId) ?? new Map<string, Seen>();
    byMetric.set(metricId, seen);
    for (const [name, value] of Object.entries(properties)) {
      if (value === null || value === undefined) continue;
      const entry = seen.get(name) ?? { type: inferredType(value), samples: [] };
      seen.set(name, entry);
      const scalar = ["string", "number", "boolean"].includes(typeof value);
      if (scalar && entry.samples.length < SAMPLES && !entry.samples.includes(value)) {
        entry.samples.push(value);
      }
    }
  }
  for (const [metricId, seen] of byMetric) {
    if (!store.get("metric", metricId)) continue;
    for (const [name, entry] of seen) {
      const id = metricPropertyId(metricId, name);
      const attributes = {
        label: name,
        property: name,
        inferred_type: entry.type,
        sample_values: entry.samples,
      };
      if (store.update(PROPERTY, id, attributes)) continue;
      store.insert(PROPERTY, attributes, id);
      store.link(PROPERTY, id, "metric", [metricId]);
      store.link("metric", metricId, "metric-properties", [id]);
    }
  }
}

function synced(path: string): Handler {
  const base = genericHandler("GET", path) as Handler;
  return (request, state) => {
    syncMetricProperties(state.store);
    return base(request, state);
  };
}

/** Flows whose trigger is the metric: linked ones, and any whose definition names it. */
function flowTriggers(linkage: boolean): Handler {
  return (request, state) => {
    const { store } = state;
    const metric = store.get("metric", request.params.id ?? "");
    if (!metric) throw notFound("metric", request.params.id ?? "");
    const linked = new Set(store.related("metric", metric.id, "flow-triggers"));
    const flows = store
      .all("flow")
      .filter((flow) => linked.has(flow.id) || namesMetric(flow, metric.id));
    return { status: 200, body: listDocument(request, state, flows, { linkage }) };
  };
}

function namesMetric(flow: StoredResource, metricId: string): boolean {
  const definition = flow.attributes.definition as { triggers?: unknown } | undefined;
  const triggers = Array.isArray(definition?.triggers) ? definition.triggers : [];
  return triggers.some(
    (t) =>
      typeof t === "object" &&
      t !== null &&
      (t as { type?: unknown }).type === "metric" &&
      (t as { id?: unknown }).id === metricId,
  );
}

export const metricPropertyHandlers: Record<string, Handler> = {
  get_metric_property: synced("/api/metric-properties/{id}"),
  get_properties_for_metric: synced("/api/metrics/{id}/metric-properties"),
  get_property_ids_for_metric: synced("/api/metrics/{id}/relationships/metric-properties"),
  get_metric_for_metric_property: synced("/api/metric-properties/{id}/metric"),
  get_metric_id_for_metric_property: synced("/api/metric-properties/{id}/relationships/metric"),
  get_flows_triggered_by_metric: flowTriggers(false),
  get_ids_for_flows_triggered_by_metric: flowTriggers(true),
};
