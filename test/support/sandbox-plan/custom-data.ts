/** Sandbox plan steps of the tools added with the full stable spec: custom objects, custom and mapped metrics, metric properties, push tokens, conversations and suppression job reads. */
import type { Store } from "../../../emulator/index.js";
import { type PlanContext, type PlanStep, step } from "./steps.js";

function byTitle(store: Store, type: string, title: string): string {
  const found = store.all(type).find((r) => r.attributes.title === title);
  if (!found) throw new Error(`The demo data has no ${type} titled ${title}`);
  return found.id;
}

const gearRental = (c: PlanContext) => byTitle(c.store, "object-type", "Gear Rental");
const warranty = (c: PlanContext) => byTitle(c.store, "object-type", "Warranty Registration");
const schemaOf = (c: PlanContext, type: string, which: "current-schema" | "draft-schema") =>
  c.store.relatedOne("object-type", type, which) ?? "";
const mappingOf = (c: PlanContext, schema: string) =>
  c.store.relatedOne("object-schema", schema, "source-mapping") ?? "";
/** The internal id of a schema's relationship (the API shows it in `meta`). */
const relationshipId = (c: PlanContext, schema: string, profile: boolean) =>
  String(
    c.store
      .all("object-schema-relationship")
      .find(
        (r) =>
          r.attributes.object_schema_id === schema &&
          (r.attributes.related_schema_id === null) === profile,
      )?.attributes.relationship_id ?? "",
  );
const metric = (c: PlanContext, name: string) => c.demo.metricIds[name] ?? "";
const pushToken = (c: PlanContext) => c.demo.pushTokenIds[0] ?? "";
const pushTokenOwner = (c: PlanContext) =>
  c.store.relatedOne("push-token", pushToken(c), "profile") ?? "";
const texter = (c: PlanContext) => {
  const conversation = c.store.all("conversation")[0]?.id ?? "";
  return c.store.relatedOne("conversation", conversation, "profile") ?? "";
};
const placedOrderProperty = (c: PlanContext) =>
  c.store.related("metric", metric(c, "Placed Order"), "metric-properties")[0] ?? "";
const draftOfSandboxType = (c: PlanContext) =>
  schemaOf(c, c.saved.objectType ?? "", "draft-schema");

const customObjectReads: PlanStep[] = [
  step("get_data_sources"),
  step("get_data_source", (c) => ({ data_source_id: c.store.all("data-source")[0]?.id })),
  step("get_object_types", () => ({
    filter: 'equals(namespace,"custom-objects")',
    include: ["current-schema", "draft-schema"],
  })),
  step("get_object_type", (c) => ({
    object_type_id: gearRental(c),
    include: ["current-schema", "object-types", "profile-object-types"],
  })),
  step("get_current_schema_for_object_type", (c) => ({ object_type_id: gearRental(c) })),
  step("get_current_schema_id_for_object_type", (c) => ({ object_type_id: gearRental(c) })),
  step("get_draft_schema_for_object_type", (c) => ({ object_type_id: gearRental(c) })),
  step("get_draft_schema_id_for_object_type", (c) => ({ object_type_id: gearRental(c) })),
  step("get_schema_versions_for_object_type", (c) => ({ object_type_id: gearRental(c) })),
  step("get_schema_version_ids_for_object_type", (c) => ({ object_type_id: gearRental(c) })),
  step("get_object_schema", (c) => ({
    object_schema_id: schemaOf(c, gearRental(c), "current-schema"),
    include: ["source-mapping", "object-schemas", "profile-object-schemas"],
  })),
  step("get_source_mapping_for_object_schema", (c) => ({
    object_schema_id: schemaOf(c, gearRental(c), "current-schema"),
  })),
  step("get_source_mapping_id_for_object_schema", (c) => ({
    object_schema_id: schemaOf(c, gearRental(c), "current-schema"),
  })),
  step("get_source_mapping", (c) => ({
    source_mapping_id: mappingOf(c, schemaOf(c, warranty(c), "current-schema")),
  })),
  step("get_object_schema_relationships", (c) => ({
    object_schema_id: schemaOf(c, gearRental(c), "current-schema"),
  })),
  step("get_profile_schema_relationships", (c) => ({
    object_schema_id: schemaOf(c, gearRental(c), "current-schema"),
  })),
  step("get_object_type_relationships", (c) => ({ object_type_id: gearRental(c) })),
  step("get_profile_type_relationships", (c) => ({ object_type_id: warranty(c) })),
  step("get_records_for_object_type", (c) => ({ object_type_id: gearRental(c), page_size: 5 })),
  step("get_record_ids_for_object_type", (c) => ({ object_type_id: warranty(c) })),
  step("get_object_record", (c) => ({
    object_record_id: c.store.related("object-type", warranty(c), "object-records")[0],
  })),
  step("get_ingestion_logs_for_object_type", (c) => ({
    object_type_id: gearRental(c),
    filter: 'equals(status,"error")',
    include: ["object-type"],
  })),
  step("get_ingestion_log_ids_for_object_type", (c) => ({ object_type_id: gearRental(c) })),
];

const metricReads: PlanStep[] = [
  step("get_custom_metrics", () => ({ include: ["metrics"] })),
  step("get_custom_metric", (c) => ({ custom_metric_id: c.store.all("custom-metric")[0]?.id })),
  step("get_metrics_for_custom_metric", (c) => ({
    custom_metric_id: c.store.all("custom-metric")[0]?.id,
  })),
  step("get_metric_ids_for_custom_metric", (c) => ({
    custom_metric_id: c.store.all("custom-metric")[1]?.id,
  })),
  step("get_mapped_metrics", () => ({ include: ["metric"] })),
  step("get_mapped_metric", () => ({ mapped_metric_id: "revenue", include: ["metric"] })),
  step("get_metric_for_mapped_metric", () => ({ mapped_metric_id: "revenue" })),
  step("get_metric_id_for_mapped_metric", () => ({ mapped_metric_id: "viewed_product" })),
  step("get_properties_for_metric", (c) => ({
    metric_id: metric(c, "Placed Order"),
    additional_fields: ["sample_values"],
  })),
  step("get_property_ids_for_metric", (c) => ({ metric_id: metric(c, "Viewed Product") })),
  step("get_metric_property", (c) => ({
    metric_property_id: placedOrderProperty(c),
    include: ["metric"],
  })),
  step("get_metric_for_metric_property", (c) => ({
    metric_property_id: placedOrderProperty(c),
  })),
  step("get_metric_id_for_metric_property", (c) => ({
    metric_property_id: placedOrderProperty(c),
  })),
  step("get_flows_triggered_by_metric", (c) => ({ metric_id: metric(c, "Started Checkout") })),
  step("get_ids_for_flows_triggered_by_metric", (c) => ({ metric_id: metric(c, "Placed Order") })),
];

const profileReads: PlanStep[] = [
  step("get_push_tokens", () => ({ filter: 'equals(platform,"ios")', include: ["profile"] })),
  step("get_push_token", (c) => ({ push_token_id: pushToken(c) })),
  step("get_push_tokens_for_profile", (c) => ({ profile_id: pushTokenOwner(c) })),
  step("get_push_token_ids_for_profile", (c) => ({ profile_id: pushTokenOwner(c) })),
  step("get_profile_for_push_token", (c) => ({ push_token_id: pushToken(c) })),
  step("get_profile_id_for_push_token", (c) => ({ push_token_id: pushToken(c) })),
  step("get_conversation_for_profile", (c) => ({ profile_id: texter(c) })),
  step("get_conversation_id_for_profile", (c) => ({ profile_id: texter(c) })),
  step("get_conversations_for_profile", (c) => ({ profile_id: texter(c) })),
  step("get_conversation_ids_for_profile", (c) => ({ profile_id: texter(c) })),
  step("get_bulk_suppress_profiles_jobs", () => ({ sort: "-created" })),
  step("get_bulk_suppress_profiles_job", (c) => ({
    job_id: c.demo.jobIds["profile-suppression-bulk-create-job"],
  })),
  step("get_bulk_unsuppress_profiles_jobs", (c) => ({
    filter: `equals(list_id,"${c.store.all("list").find((l) => l.attributes.name === "Internal Test List")?.id}")`,
  })),
  step("get_bulk_unsuppress_profiles_job", (c) => ({
    job_id: c.demo.jobIds["profile-suppression-bulk-delete-job"],
  })),
];

const LOYALTY_PROPERTIES = [
  { id: 1, name: "card_number", type: "string" },
  { id: 2, name: "points", type: "int" },
  { id: 3, name: "tier", type: "string", description: "Trail, Summit or Peak" },
];

/** A loyalty card object built from scratch: source, type, relationships, mapping, records. */
const customObjectWrites: PlanStep[] = [
  step(
    "create_data_source",
    () => ({ title: "Sandbox loyalty ledger", description: "Loyalty cards from the POS." }),
    "dataSource",
  ),
  step(
    "create_object_type",
    () => ({
      title: "Sandbox Loyalty Card",
      description: "In-store loyalty cards.",
      object_schema: { properties: LOYALTY_PROPERTIES, required: ["card_number"] },
    }),
    "objectType",
  ),
  step("create_object_schema_relationship", (c) => ({
    object_schema_id: draftOfSandboxType(c),
    object_schemas: [
      { id: schemaOf(c, gearRental(c), "current-schema"), meta: { name: "rented_gear" } },
    ],
  })),
  step("create_profile_schema_relationship", (c) => ({
    object_schema_id: draftOfSandboxType(c),
    profile_object_schemas: [{ id: "profile", meta: { name: "card_holder" } }],
  })),
  step("update_object_schema_relationship", (c) => ({
    object_schema_id: draftOfSandboxType(c),
    related_object_schema_id: schemaOf(c, gearRental(c), "current-schema"),
    meta: {
      relationship_id: relationshipId(c, draftOfSandboxType(c), false),
      name: "rentals",
      description: "Rentals paid with loyalty points",
    },
  })),
  step("update_profile_schema_relationship", (c) => ({
    object_schema_id: draftOfSandboxType(c),
    related_profile_object_schema_id: "profile",
    meta: { relationship_id: relationshipId(c, draftOfSandboxType(c), true), name: "holder" },
  })),
  step("delete_object_schema_relationship", (c) => ({
    object_schema_id: draftOfSandboxType(c),
    object_schemas: [
      {
        id: schemaOf(c, gearRental(c), "current-schema"),
        meta: { relationship_id: relationshipId(c, draftOfSandboxType(c), false) },
      },
    ],
  })),
  step("update_source_mapping", (c) => {
    const source = (path: string) => ({
      source_id: c.saved.dataSource,
      id_path: "$.card",
      data_path: path,
    });
    return {
      source_mapping_id: mappingOf(c, draftOfSandboxType(c)),
      property_mappings: [
        { id: 1, type: "simple", source: source("$.card") },
        { id: 2, type: "simple", source: source("$.balance.points") },
        { id: 3, type: "simple", source: source("$.balance.tier") },
      ],
      relationship_mappings: [
        {
          relationship_id: relationshipId(c, draftOfSandboxType(c), true),
          type: "simple",
          source: {
            source_id: c.saved.dataSource,
            type: "profile",
            id_path: "$.card",
            related_id_paths: [{ identifier_type: "email", path: "$.email" }],
          },
        },
      ],
    };
  }),
  step("update_object_schema", (c) => ({
    object_schema_id: draftOfSandboxType(c),
    description: "In-store loyalty cards, from the POS ledger.",
    status: "active",
  })),
  step("create_data_source_record", (c) => ({
    data_source_id: c.saved.dataSource,
    data_source_record: {
      record: { card: "LC-1001", email: "robin.sandbox@example.com", balance: { points: 420 } },
    },
  })),
  step("bulk_create_data_source_records", (c) => ({
    data_source_id: c.saved.dataSource,
    data_source_records: [
      { record: { card: "LC-1002", balance: { points: 80, tier: "Trail" } } },
      { record: { card: "LC-1003", balance: { points: "lots" } } },
    ],
  })),
  step(
    "create_object_schema",
    (c) => ({
      object_type_id: c.saved.objectType,
      title: "Sandbox Loyalty Card",
      properties: [...LOYALTY_PROPERTIES, { id: 4, name: "expires_on", type: "timestamp" }],
      required: ["card_number"],
    }),
    "loyaltyV2",
  ),
  step("delete_profile_schema_relationship", (c) => ({
    object_schema_id: c.saved.loyaltyV2,
    profile_object_schemas: [{ id: "profile" }],
  })),
  step("bulk_delete_object_records", (c) => ({
    object_record_ids: c.store.related("object-type", gearRental(c), "object-records").slice(-1),
  })),
];

const metricWrites: PlanStep[] = [
  step(
    "create_custom_metric",
    (c) => ({
      name: "Sandbox checkout intent",
      definition: {
        aggregation_method: "count",
        metric_groups: [{ metric_id: metric(c, "Started Checkout") }],
      },
    }),
    "customMetric",
  ),
  step("update_custom_metric", (c) => ({
    custom_metric_id: c.saved.customMetric,
    name: "Sandbox checkout intent (carts too)",
    definition: {
      aggregation_method: "count",
      metric_groups: [
        { metric_id: metric(c, "Started Checkout") },
        { metric_id: metric(c, "Added to Cart") },
      ],
    },
  })),
  step("update_mapped_metric", (c) => ({
    mapped_metric_id: "refunded_sales",
    custom_metric_id: c.saved.customMetric,
  })),
  step("get_custom_metric_for_mapped_metric", () => ({ mapped_metric_id: "refunded_sales" })),
  step("get_custom_metric_id_for_mapped_metric", () => ({ mapped_metric_id: "refunded_sales" })),
];

const customDataDeletes: PlanStep[] = [
  step("delete_custom_metric", (c) => ({ custom_metric_id: c.saved.customMetric })),
  step("delete_push_token", (c) => ({ push_token_id: c.demo.pushTokenIds.at(-1) })),
  step("delete_object_type", (c) => ({ object_type_id: c.saved.objectType })),
  step("delete_data_source", (c) => ({ data_source_id: c.saved.dataSource })),
];

export const customDataSteps: readonly PlanStep[] = [
  ...customObjectReads,
  ...metricReads,
  ...profileReads,
  ...customObjectWrites,
  ...metricWrites,
  ...customDataDeletes,
];
