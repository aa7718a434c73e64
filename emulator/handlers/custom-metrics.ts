/**
 * Custom metrics (a name and a definition combining metrics, each optionally filtered) and the
 * account's mapped metrics: the seven fixed slots (`revenue`, `viewed_product`, ...) that each
 * point at a metric or a custom metric. A custom metric is linked to the metrics its definition
 * names; deleting it unsets the slots that used it (the store drops links to deleted resources).
 */
import { createHash } from "node:crypto";
import { ApiError, invalidPointer, notFound } from "../api-error.js";
import { isObject, relationshipIds, requireString, resourceData } from "../body.js";
import type { EmulatorRequest, EmulatorState, Handler, HandlerResult } from "../handler-types.js";
import { isoTime } from "../jobs.js";
import { readQuery, selfLink } from "../listing.js";
import { document } from "../render.js";
import type { Store, StoredResource } from "../store.js";
import { genericHandler, stamp } from "./generic.js";
import { checkAttributes } from "./jobs/common.js";

const CUSTOM_METRIC = "custom-metric";
const MAPPED_METRIC = "mapped-metric";

/** Klaviyo's mapped metric slots, which every account has. */
export const MAPPED_METRIC_IDS = [
  "added_to_cart",
  "cancelled_sales",
  "ordered_product",
  "refunded_sales",
  "revenue",
  "started_checkout",
  "viewed_product",
] as const;

export function ensureMappedMetrics(store: Store): void {
  for (const id of MAPPED_METRIC_IDS) {
    if (!store.get(MAPPED_METRIC, id)) {
      store.insert(MAPPED_METRIC, { updated: isoTime(store.now()) }, id);
    }
  }
}

function respond(
  request: EmulatorRequest,
  state: EmulatorState,
  resource: StoredResource,
  status = request.op.status,
): HandlerResult {
  const options = readQuery(request, state);
  return {
    status,
    body: document(state.store, resource, options, { self: selfLink(state.baseUrl, request) }),
  };
}

/** The metric ids a definition names, after checking it against the spec's shape. */
function checkDefinition(store: Store, definition: unknown): string[] {
  const at = "/data/attributes/definition";
  if (!isObject(definition))
    throw invalidPointer(at, "'definition' is required: {aggregation_method, metric_groups}.");
  const { metric_groups: groups, ...others } = definition;
  checkAttributes(
    others,
    { aggregation_method: { kind: { enum: ["count", "value"] }, required: true } },
    at,
    "custom metric definition",
  );
  if (!Array.isArray(groups) || groups.length === 0) {
    throw invalidPointer(
      `${at}/metric_groups`,
      "'metric_groups' must list at least one {metric_id}.",
    );
  }
  return groups.map((group, index) => {
    const g = `${at}/metric_groups/${index}`;
    if (!isObject(group))
      throw invalidPointer(g, "Expected {metric_id, metric_filters?, value_property?}.");
    const { metric_filters: filters, ...rest } = group;
    checkAttributes(
      rest,
      {
        metric_id: { kind: "string", required: true },
        value_property: { kind: "string", nullable: true },
      },
      g,
      "metric group",
    );
    const metricId = group.metric_id as string;
    if (!store.get("metric", metricId)) {
      throw new ApiError(404, `A metric with id ${metricId} does not exist.`, {
        pointer: `${g}/metric_id`,
      });
    }
    if (filters !== undefined && filters !== null) {
      if (!Array.isArray(filters))
        throw invalidPointer(`${g}/metric_filters`, "'metric_filters' must be an array.");
      filters.forEach((filter, i) => {
        if (!isObject(filter) || typeof filter.property !== "string" || !isObject(filter.filter)) {
          throw invalidPointer(
            `${g}/metric_filters/${i}`,
            "Expected {property, filter: {type, operator, value}}.",
          );
        }
      });
    }
    return metricId;
  });
}

function checkName(store: Store, name: string, except?: string): void {
  // The spec: a duplicate name is a 400.
  const taken = store.all(CUSTOM_METRIC).some((m) => m.id !== except && m.attributes.name === name);
  if (taken)
    throw invalidPointer(
      "/data/attributes/name",
      `A custom metric named '${name}' already exists.`,
    );
}

const createCustomMetric: Handler = (request, state) => {
  readQuery(request, state);
  const { store } = state;
  const { attributes } = resourceData(request);
  const { definition, ...rest } = attributes;
  checkAttributes(
    rest,
    { name: { kind: "string", required: true } },
    "/data/attributes",
    CUSTOM_METRIC,
  );
  const name = requireString(attributes, "name");
  const metrics = checkDefinition(store, definition);
  checkName(store, name);
  const id = createHash("md5").update(store.newId(CUSTOM_METRIC)).digest("hex");
  const metric = store.insert(
    CUSTOM_METRIC,
    stamp(CUSTOM_METRIC, { name, definition }, true, store.now()),
    id,
  );
  store.link(CUSTOM_METRIC, metric.id, "metrics", [...new Set(metrics)]);
  return respond(request, state, metric);
};

const updateCustomMetric: Handler = (request, state) => {
  readQuery(request, state);
  const { store } = state;
  const metric = store.get(CUSTOM_METRIC, request.params.id ?? "");
  if (!metric) throw notFound(CUSTOM_METRIC, request.params.id ?? "");
  const data = resourceData(request);
  if (data.id !== undefined && data.id !== metric.id) {
    throw invalidPointer(
      "/data/id",
      `'id' (${data.id}) must match the id in the path (${metric.id}).`,
    );
  }
  const { definition, ...rest } = data.attributes;
  checkAttributes(
    rest,
    { name: { kind: "string", nullable: true } },
    "/data/attributes",
    CUSTOM_METRIC,
  );
  if (typeof rest.name === "string") {
    requireString(rest, "name");
    checkName(store, rest.name, metric.id);
    metric.attributes.name = rest.name;
  }
  if (definition !== undefined && definition !== null) {
    const metrics = checkDefinition(store, definition);
    metric.attributes.definition = definition;
    store.setLinks(CUSTOM_METRIC, metric.id, "metrics", [...new Set(metrics)]);
  }
  stamp(CUSTOM_METRIC, metric.attributes, false, store.now());
  return respond(request, state, metric, 200);
};

const updateMappedMetric: Handler = (request, state) => {
  readQuery(request, state);
  const { store } = state;
  ensureMappedMetrics(store);
  const id = request.params.id ?? "";
  const mapped = store.get(MAPPED_METRIC, id);
  if (!mapped) {
    throw new ApiError(
      404,
      `'${id}' is not a mapped metric; use one of ${MAPPED_METRIC_IDS.join(", ")}.`,
    );
  }
  const data = resourceData(request);
  if (data.id !== undefined && data.id !== mapped.id) {
    throw invalidPointer(
      "/data/id",
      `'id' (${data.id}) must match the id in the path (${mapped.id}).`,
    );
  }
  const metric = relationshipIds(data.relationships, "metric", "metric");
  const custom = relationshipIds(data.relationships, CUSTOM_METRIC, CUSTOM_METRIC);
  if (metric?.length && custom?.length) {
    throw invalidPointer(
      "/data/relationships",
      "A mapped metric points at a metric or a custom metric, not both.",
    );
  }
  for (const [name, type, ids] of [
    ["metric", "metric", metric],
    [CUSTOM_METRIC, CUSTOM_METRIC, custom],
  ] as const) {
    const target = ids?.[0];
    if (target && !store.get(type, target)) {
      throw new ApiError(404, `A ${type} with id ${target} does not exist.`, {
        pointer: `/data/relationships/${name}/data/id`,
      });
    }
  }
  // Mapping to one kind unsets the other; a null relationship unsets the mapping.
  if (metric !== undefined) {
    store.setLinks(MAPPED_METRIC, mapped.id, "metric", metric);
    if (metric.length) store.setLinks(MAPPED_METRIC, mapped.id, CUSTOM_METRIC, []);
  }
  if (custom !== undefined) {
    store.setLinks(MAPPED_METRIC, mapped.id, CUSTOM_METRIC, custom);
    if (custom.length) store.setLinks(MAPPED_METRIC, mapped.id, "metric", []);
  }
  mapped.attributes.updated = isoTime(store.now());
  return respond(request, state, mapped, 200);
};

/** A generic read of the mapped metrics, once the account has its seven slots. */
function mappedRead(path: string): Handler {
  const base = genericHandler("GET", path) as Handler;
  return (request, state) => {
    ensureMappedMetrics(state.store);
    return base(request, state);
  };
}

export const customMetricHandlers: Record<string, Handler> = {
  create_custom_metric: createCustomMetric,
  update_custom_metric: updateCustomMetric,
  update_mapped_metric: updateMappedMetric,
  get_mapped_metrics: mappedRead("/api/mapped-metrics"),
  get_mapped_metric: mappedRead("/api/mapped-metrics/{id}"),
  get_metric_for_mapped_metric: mappedRead("/api/mapped-metrics/{id}/metric"),
  get_metric_id_for_mapped_metric: mappedRead("/api/mapped-metrics/{id}/relationships/metric"),
  get_custom_metric_for_mapped_metric: mappedRead("/api/mapped-metrics/{id}/custom-metric"),
  get_custom_metric_id_for_mapped_metric: mappedRead(
    "/api/mapped-metrics/{id}/relationships/custom-metric",
  ),
};
