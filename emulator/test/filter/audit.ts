/**
 * The filter audit's reader: where a filter field's value shows in Klaviyo's responses, and the
 * unfiltered listings of an operation's seeded resources, read over the emulator's HTTP API.
 * Kept apart from the emulator's own field reading (listing.ts) so that the audit checks the
 * emulator against what its responses show, not against itself.
 */
import type { Emulator } from "../../emulator.js";
import { routeOf } from "../../handlers/generic.js";
import type { EmulatedOperation, FilterRule } from "../../operation-types.js";
import { OPERATIONS } from "../../operations/index.js";
import { api } from "../support.js";

// biome-ignore lint/suspicious/noExplicitAny: JSON:API resource objects, read loosely
export type Resource = any;
/** Included resources by `type:id`. */
export type Included = Map<string, Resource>;

type Shown = (resource: Resource, included: Included) => unknown;
const relatedAttributes = (resource: Resource, included: Included, relationship: string) =>
  [resource.relationships?.[relationship]?.data ?? []]
    .flat()
    .map((link: Resource) => included.get(`${link.type}:${link.id}`)?.attributes);

/**
 * Fields a response shows somewhere other than `id`, `attributes.<field>` or a relationship's
 * linkage (`metric_id`, `coupon.id`): where Klaviyo documents them, per resource type.
 */
const SHOWN_AT: Record<string, Record<string, Shown>> = {
  // In this revision a flow action's type and status live in its encoded definition.
  "flow-action": {
    action_type: (r) => r.attributes.definition?.type,
    status: (r) => r.attributes.definition?.data?.status,
  },
  // The channel of a campaign's messages (definition.channel, as create_campaign takes it).
  campaign: {
    "messages.channel": (r, included) =>
      relatedAttributes(r, included, "campaign-messages").map((a) => a?.definition?.channel),
  },
  "flow-message": { name: (r) => r.attributes.definition?.name },
  // A review's status is {value, rejection_reason}; its media are its images.
  review: { status: (r) => r.attributes.status?.value, media: (r) => r.attributes.images },
  // The report groups by product: each result names the product's external id.
  "review-values-report": {
    product_external_ids: (r) =>
      r.attributes.results?.map((result: Resource) => result.groupings?.product_id),
  },
  // An ingestion log names its record in the `object-record` relationship.
  "object-ingestion-log": { record_id: (r) => r.relationships?.["object-record"]?.data?.id },
  profile: {
    profile_id: (r) => r.id,
    push_token: (r, included) => relatedAttributes(r, included, "push-tokens").map((a) => a?.token),
  },
};

/** The value(s) of `field` that `resource` shows, or undefined. */
export function shownValue(resource: Resource, included: Included, field: string): unknown {
  const special = SHOWN_AT[resource.type]?.[field];
  const value = special
    ? special(resource, included)
    : field === "id" || field === "ids"
      ? resource.id
      : (readPath(resource.attributes, field.split(".")) ?? linkedIds(resource, field));
  const values = [value].flat(2).filter((v) => v !== undefined && v !== null && v !== "");
  return values.length > 0 ? values[0] : undefined;
}

function linkedIds(resource: Resource, field: string): unknown {
  const name = relationshipFor(resource, field);
  const data = name === undefined ? undefined : resource.relationships[name].data;
  return data === undefined ? undefined : [data].flat().map((link: Resource) => link?.id);
}

function readPath(value: unknown, path: string[]): unknown {
  if (path.length === 0) return value;
  if (Array.isArray(value)) return value.map((item) => readPath(item, path));
  if (value === null || typeof value !== "object") return undefined;
  const [head, ...rest] = path;
  return readPath((value as Record<string, unknown>)[head as string], rest);
}

/** Names a field such as `metric_id` or `category.id` may give its relationship. */
function relationshipNames(field: string): string[] {
  const name = field.replace(/(_id|\.id)$/, "");
  return [name, `${name}s`, name.replace(/y$/, "ies")];
}

function relationshipFor(resource: Resource, field: string): string | undefined {
  return relationshipNames(field).find((candidate) => resource.relationships?.[candidate]);
}

/**
 * Fills in the linkage a listing leaves out (to-many relationships that cannot be included, or
 * that only their own endpoint shows, like a catalog item's categories) for the fields that
 * may name a relationship.
 */
export async function fillLinkage(
  emulator: Emulator,
  resource: Resource,
  fields: string[],
): Promise<void> {
  const self: string = resource.links?.self?.slice(emulator.url.length) ?? "";
  const template = self.replace(/[^/]+\/$/, "{id}");
  for (const field of fields) {
    for (const name of relationshipNames(field)) {
      const shown = resource.relationships?.[name];
      const served = OPERATIONS.some(
        (op) => op.method === "GET" && op.path === `${template}/relationships/${name}`,
      );
      if (shown?.data !== undefined || (!shown && !served)) continue;
      const response = await api(emulator)("GET", `${self}relationships/${name}`);
      if (response.status !== 200) continue;
      resource.relationships = {
        ...resource.relationships,
        [name]: { ...shown, data: response.body.data },
      };
    }
  }
}

/** Operators whose condition holds for the very value a resource has. */
const INCLUSIVE = [
  "equals",
  "any",
  "greater-or-equal",
  "less-or-equal",
  "contains",
  "contains-any",
  "contains-all",
  "starts-with",
  "ends-with",
  "has",
];

/** `filter` texts that must match a resource whose `field` is `value`, one per operator. */
export function filtersFor(field: string, rule: FilterRule, value: unknown): string[] {
  const { single = [], list = [], none = [] } = rule.operators;
  const format = rule.value?.format;
  const text =
    format === "date-time" || format === "date" || typeof value !== "string"
      ? String(value)
      : JSON.stringify(value);
  return INCLUSIVE.flatMap((operator) => {
    if (none.includes(operator)) return [`${operator}(${field})`];
    if (single.includes(operator)) return [`${operator}(${field},${text})`];
    if (list.includes(operator)) return [`${operator}(${field},[${text}])`];
    return [];
  });
}

/** The operation serving a linkage operation's resources (`.../relationships/x` → `.../x`). */
export function documentOperation(op: EmulatedOperation): EmulatedOperation {
  if (!op.response?.linkage) return op;
  const path = op.path.replace("/relationships/", "/");
  return OPERATIONS.find((other) => other.method === "GET" && other.path === path) ?? op;
}

/** Query parameters an operation cannot answer without (a report's grouping, statistics, window). */
const REQUIRED_QUERY: Record<string, Record<string, string>> = {
  get_client_review_values_reports: {
    group_by: "product_id",
    statistics: "total_reviews",
    timeframe: "all_time",
  },
};

/**
 * The operation's path for `parent`, with every `include` and additional field it allows, the
 * parameters it requires, and `filter` when given.
 */
export function queryPath(
  op: EmulatedOperation,
  parent: string | undefined,
  filter?: string,
): string {
  const path = op.path.replace("{id}", encodeURIComponent(parent ?? ""));
  const query = new URLSearchParams(REQUIRED_QUERY[op.id]);
  if (filter) query.set("filter", filter);
  if (op.query.include?.length) query.set("include", op.query.include.join(","));
  for (const [type, names] of Object.entries(op.query.additionalFields ?? {})) {
    query.set(`additional-fields[${type}]`, names.join(","));
  }
  if (op.query.page && !op.query.page.fixed) query.set("page[size]", String(op.query.page.max));
  return query.size ? `${path}?${query}` : path;
}

/** Parent ids to list a nested collection under: every stored resource of the parent type. */
export function parentsOf(emulator: Emulator, op: EmulatedOperation): Array<string | undefined> {
  const route = routeOf(op.path);
  if (!route?.hasId) return [undefined];
  return emulator.store.all(route.type).map((r) => r.id);
}

/**
 * The filters that together list everything: none, or, where Klaviyo requires a filter
 * (get_campaigns needs `messages.channel`), one per value of its enumerated field.
 */
export function baseFilters(op: EmulatedOperation): Array<string | undefined> {
  if (!op.query.required?.includes("filter")) return [undefined];
  const [field, rule] = Object.entries(op.query.filters ?? {}).find(([, r]) => r.value?.enum) ?? [];
  if (!field || !rule?.value?.enum) throw new Error(`${op.id}: which filter does it require?`);
  return rule.value.enum.map((value) => `equals(${field},${JSON.stringify(value)})`);
}

/** Every page of a listing (following `links.next`), with its included resources. */
export async function* pages(
  emulator: Emulator,
  path: string,
): AsyncGenerator<{ status: number; data: Resource[]; included: Included; body: Resource }> {
  const call = api(emulator);
  // The storefront endpoints name the account by its public key.
  const company = `company_id=${emulator.publicKey}`;
  let next: string | undefined =
    path.startsWith("/client/") && !path.includes("company_id=")
      ? `${path}${path.includes("?") ? "&" : "?"}${company}`
      : path;
  while (next) {
    const response = await call("GET", next);
    const included: Included = new Map();
    for (const r of response.body?.included ?? []) included.set(`${r.type}:${r.id}`, r);
    yield {
      status: response.status,
      data: response.body?.data ?? [],
      included,
      body: response.body,
    };
    const link: string | undefined = response.body?.links?.next;
    next = link ? link.slice(emulator.url.length) : undefined;
  }
}

/** The resource's own GET (`/api/<collection>/{id}`), to see fields a listing does not show. */
export function singleOperation(op: EmulatedOperation): EmulatedOperation | undefined {
  const type = op.response?.type;
  return OPERATIONS.find(
    (other) =>
      other.method === "GET" &&
      other.response?.type === type &&
      !other.response?.many &&
      /^\/api\/[a-z-]+\/\{id\}$/.test(other.path),
  );
}
