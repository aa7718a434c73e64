/**
 * Where a filter or sort field is read on a stored resource. Most fields are the attribute of the
 * same name (dotted paths go into objects), `id`, or a relationship's linked ids (`metric_id`,
 * `coupon.id`). The others are listed in FIELD_SOURCES, per resource type, because Klaviyo's
 * `x-klaviyo-filters` name fields as its query layer knows them, and in this revision some live
 * elsewhere in the resource (a flow action's type and status are inside its encoded
 * `definition`) or on related resources (a campaign's `messages.channel`). A field read from the
 * wrong place matches nothing and says nothing: emulator/test/filter/every-field.test.ts checks
 * every field of every filtered collection against the seeded data.
 */
import type { FilterRule } from "./operation-types.js";
import { relationOf } from "./relations.js";
import type { Store, StoredResource } from "./store.js";

type FieldSource =
  /** The resource's own id. */
  | { id: true }
  /**
   * A dotted path in the attributes; `alsoMatches` is a filter value that matches every resource
   * (a review's status `all`).
   */
  | { path: string; alsoMatches?: string }
  /** The ids linked through a relationship. */
  | { relationship: string }
  /** A dotted path in the attributes of the resources linked through a relationship. */
  | { through: string; path: string };

const SUPPRESSION_JOB_FIELDS: Record<string, FieldSource> = {
  list_id: { relationship: "lists" },
  segment_id: { relationship: "segments" },
  created: { path: "created_at" },
};

const FIELD_SOURCES: Record<string, Record<string, FieldSource>> = {
  // The flow action's type is the branch of its definition; only actions with a status
  // (message sends, profile and list updates, ...) have one, in `definition.data.status`.
  "flow-action": {
    action_type: { path: "definition.type" },
    status: { path: "definition.data.status" },
  },
  // A flow message's name is in its definition, like the rest of the message.
  "flow-message": { name: { path: "definition.name" } },
  campaign: { "messages.channel": { through: "campaign-messages", path: "definition.channel" } },
  profile: {
    profile_id: { id: true },
    push_token: { through: "push-tokens", path: "token" },
  },
  // Singular in the filter, plural as relationships.
  "catalog-item": { "category.id": { relationship: "categories" } },
  "catalog-category": { "item.id": { relationship: "items" } },
  // Suppression jobs name their list or segment in the singular, and sort on `created`.
  "profile-suppression-bulk-create-job": SUPPRESSION_JOB_FIELDS,
  "profile-suppression-bulk-delete-job": SUPPRESSION_JOB_FIELDS,
  // An ingestion log's record is its `object-record` relationship.
  "object-ingestion-log": { record_id: { relationship: "object-record" } },
  // A review's status is an object ({value, rejection_reason}), and `all` matches any; its
  // media are its images.
  review: { status: { path: "status.value", alsoMatches: "all" }, media: { path: "images" } },
};

/** Reads a filter or sort field from a resource (see FIELD_SOURCES). */
export function readField(store: Store, resource: StoredResource, field: string): unknown {
  const source = FIELD_SOURCES[resource.type]?.[field];
  if (source) return readSource(store, resource, source);
  if (field === "id" || field === "ids") return resource.id;
  const fromAttributes = readPath(resource.attributes, field.split("."));
  if (fromAttributes !== undefined) return fromAttributes;
  // `metric_id`, `profile`, `coupon.id`, `item.id`: a relationship's linked id(s).
  const relationship = field.replace(/(_id|\.id)$/, "");
  const info = relationOf(resource.type, relationship);
  if (!info) return undefined;
  const ids = store.related(resource.type, resource.id, relationship);
  return info.many ? ids : ids[0];
}

function readSource(store: Store, resource: StoredResource, source: FieldSource): unknown {
  if ("id" in source) return resource.id;
  if ("path" in source && !("through" in source)) {
    const value = readPath(resource.attributes, source.path.split("."));
    return "alsoMatches" in source && source.alsoMatches ? [value, source.alsoMatches] : value;
  }
  const relationship = "through" in source ? source.through : source.relationship;
  const ids = store.related(resource.type, resource.id, relationship);
  if (!("through" in source)) return ids;
  const target = relationOf(resource.type, source.through)?.target ?? "";
  const path = source.path.split(".");
  return ids
    .map((id) => readPath(store.get(target, id)?.attributes, path))
    .filter((value) => value !== undefined);
}

/** Follows a dotted path; through arrays it collects every element's value. */
export function readPath(value: unknown, path: string[]): unknown {
  if (path.length === 0) return value;
  if (Array.isArray(value)) {
    const values = value.map((item) => readPath(item, path)).filter((v) => v !== undefined);
    return values.length ? values.flat() : undefined;
  }
  if (value === null || typeof value !== "object") return undefined;
  const [head, ...rest] = path;
  return readPath((value as Record<string, unknown>)[head as string], rest);
}

// Enumerations ---------------------------------------------------------------------------------

/** Every branch of a flow action's `definition` (the `type` enum of each *Action schema). */
export const FLOW_ACTION_TYPES = [
  "ab-test",
  "action-output-split",
  "back-in-stock-delay",
  "code",
  "conditional-split",
  "content-experiment",
  "countdown-delay",
  "internal-service",
  "list-update",
  "multi-branch-split",
  "send-email",
  "send-internal-alert",
  "send-mobile-push",
  "send-sms",
  "send-webhook",
  "send-whatsapp",
  "target-date",
  "time-delay",
  "trigger-split",
  "update-profile",
];

/** The `status` enum of the *ActionData schemas. */
export const FLOW_ACTION_STATUSES = ["disabled", "draft", "live", "manual"];

/**
 * Value sets `x-klaviyo-filters` leaves out but the spec's schemas state, by resource type and
 * field: Klaviyo answers 400 for a value outside them, so the filter parser refuses it too.
 */
const FILTER_ENUMS: Record<string, Record<string, string[]>> = {
  "flow-action": { action_type: FLOW_ACTION_TYPES, status: FLOW_ACTION_STATUSES },
};

/** An operation's filter rules, with the enumerations of FILTER_ENUMS for its resource type. */
export function filterRules(
  filters: Record<string, FilterRule>,
  type: string | undefined,
): Record<string, FilterRule> {
  const enums = FILTER_ENUMS[type ?? ""];
  if (!enums) return filters;
  return Object.fromEntries(
    Object.entries(filters).map(([field, rule]) => {
      const values = enums[field];
      return [field, values && !rule.value?.enum ? withEnum(rule, values) : rule];
    }),
  );
}

function withEnum(rule: FilterRule, values: string[]): FilterRule {
  return { ...rule, value: { type: "string", ...rule.value, enum: values } };
}
