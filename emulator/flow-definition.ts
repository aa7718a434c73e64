/**
 * A flow's encoded `definition` (its additional field), read from what the store holds: the
 * flow's actions in order, and its trigger. A flow made with create_flow keeps its trigger,
 * profile filter and re-entry criteria in the stored `definition`; a demo flow's trigger is the
 * list, segment or metric whose `flow-triggers` name it.
 */
import { isObject, type JsonObject } from "./body.js";
import type { Store, StoredResource } from "./store.js";

/** Trigger types whose id names a stored resource that lists the flow under `flow-triggers`. */
export const TRIGGER_SOURCES: Readonly<Record<string, string>> = {
  list: "list",
  segment: "segment",
  metric: "metric",
};

/** The flow's `trigger_type` attribute for a definition's trigger `type`. */
export const TRIGGER_TYPES: Readonly<Record<string, string>> = {
  list: "Added to List",
  segment: "Added to List",
  metric: "Metric",
  date: "Date Based",
  "price-drop": "Price Drop",
  "low-inventory": "Low Inventory",
};

function linkedTriggers(store: Store, flowId: string): JsonObject[] {
  return Object.entries(TRIGGER_SOURCES).flatMap(([type, source]) =>
    store
      .all(source)
      .filter((owner) => store.related(source, owner.id, "flow-triggers").includes(flowId))
      .map((owner) => ({ type, id: owner.id })),
  );
}

export function flowDefinition(store: Store, flow: StoredResource): JsonObject {
  const stored = isObject(flow.attributes.definition) ? flow.attributes.definition : {};
  const actions = store
    .related("flow", flow.id, "flow-actions")
    .map((id) => store.get("flow-action", id)?.attributes.definition)
    .filter(isObject);
  const ids = actions.map((action) => action.id);
  const entry = ids.includes(stored.entry_action_id) ? stored.entry_action_id : ids[0];
  return {
    triggers: Array.isArray(stored.triggers) ? stored.triggers : linkedTriggers(store, flow.id),
    profile_filter: stored.profile_filter ?? null,
    actions,
    entry_action_id: entry ?? "",
    reentry_criteria: stored.reentry_criteria ?? null,
  };
}
