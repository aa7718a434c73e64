/**
 * Demo data of the custom data features: the metrics that trigger the flows, the mapped metric
 * slots and two custom metrics, SMS and WhatsApp conversations, a suppress job undone by an
 * unsuppress job (so that both name a list and a segment), and custom objects. The rental desk
 * and the warranty form each feed a data source; "Gear Rental" (with a draft second version) and
 * "Warranty Registration" have active schemas whose records came in through their source
 * mappings, one of them rejected with an ingestion log.
 */
import { MAPPED_METRIC_IDS } from "../handlers/custom-metrics.js";
import { ingest } from "../handlers/custom-objects/ingestion.js";
import {
  DATA_SOURCE,
  insertSchema,
  OBJECT_TYPE,
  SCHEMA_RELATIONSHIP,
  type SchemaProperty,
  syncTypeStatus,
} from "../handlers/custom-objects/model.js";
import type { Attributes, StoredResource } from "../store.js";
import { DAY, HOUR, iso, type SeedContext } from "./context.js";
import type { ProfileModel } from "./model.js";

export function seedCustomData(
  ctx: SeedContext,
  profiles: ProfileModel[],
  metricIds: Record<string, string>,
): void {
  seedFlowTriggers(ctx, metricIds);
  seedMetricDefinitions(ctx, metricIds);
  seedConversations(ctx, profiles);
  seedSuppressionRoundTrip(ctx);
  seedCustomObjects(ctx, profiles);
}

/** The metric each metric-triggered demo flow starts from. */
const FLOW_TRIGGERS: Record<string, string> = {
  "Abandoned Cart": "Started Checkout",
  "Browse Abandonment": "Viewed Product",
  "Post-Purchase Follow-Up": "Placed Order",
  Winback: "Placed Order",
};

function seedFlowTriggers(ctx: SeedContext, metricIds: Record<string, string>): void {
  for (const flow of ctx.store.all("flow")) {
    const metric = metricIds[FLOW_TRIGGERS[String(flow.attributes.name)] ?? ""];
    if (metric) ctx.link("metric", metric, "flow-triggers", [flow.id]);
  }
}

const MAPPED: Record<string, string> = {
  added_to_cart: "Added to Cart",
  ordered_product: "Ordered Product",
  revenue: "Placed Order",
  started_checkout: "Started Checkout",
  viewed_product: "Viewed Product",
};

function seedMetricDefinitions(ctx: SeedContext, metricIds: Record<string, string>): void {
  for (const slot of MAPPED_METRIC_IDS) {
    const metric = metricIds[MAPPED[slot] ?? ""];
    ctx.insert("mapped-metric", { updated: iso(ctx.now - (metric ? 120 : 300) * DAY) }, slot);
    if (metric) ctx.link("mapped-metric", slot, "metric", [metric]);
  }
  const group = (name: string, extra: Attributes = {}) => ({
    metric_id: metricIds[name] ?? "",
    metric_filters: null,
    value_property: null,
    ...extra,
  });
  const definitions: Array<[string, Attributes]> = [
    [
      "Shopping Intent",
      {
        aggregation_method: "count",
        metric_groups: [group("Viewed Product"), group("Added to Cart"), group("Started Checkout")],
      },
    ],
    [
      "Camp Kitchen Revenue",
      {
        aggregation_method: "value",
        metric_groups: [
          group("Placed Order", {
            metric_filters: [
              {
                property: "Categories",
                filter: { type: "list", operator: "contains", value: "Camp Kitchen" },
              },
            ],
            value_property: "$value",
          }),
        ],
      },
    ],
  ];
  for (const [name, definition] of definitions) {
    const created = iso(ctx.now - ctx.int(30, 90) * DAY);
    const id = ctx.hex(32);
    ctx.insert("custom-metric", { name, created, updated: created, definition }, id);
    const groups = definition.metric_groups as Array<{ metric_id: string }>;
    ctx.link("custom-metric", id, "metrics", [...new Set(groups.map((g) => g.metric_id))]);
  }
}

/** SMS conversations with a few subscribers, two of whom also write on WhatsApp. */
function seedConversations(ctx: SeedContext, profiles: ProfileModel[]): void {
  const texting = profiles.filter((p) => p.smsOptIn !== null && !p.staff).slice(0, 8);
  texting.forEach((profile, index) => {
    const channels = index < 2 ? ["sms", "whatsapp"] : ["sms"];
    for (const channel of channels) {
      const id = ctx.ulidAt(Math.max(profile.smsOptIn ?? profile.created, ctx.now - 60 * DAY));
      ctx.insert("conversation", { channel }, id);
      ctx.link("profile", profile.id, "conversations", [id]);
    }
  });
}

/**
 * A suppress job on the internal test list and a segment, undone by an unsuppress job of the
 * same audiences a day later: both jobs name a list and a segment, and no profile changes.
 */
function seedSuppressionRoundTrip(ctx: SeedContext): void {
  const { store } = ctx;
  const userSuppressed = (id: string) => {
    const marketing = (
      store.get("profile", id)?.attributes.subscriptions as
        | { email?: { marketing?: { suppression?: Array<{ reason: string }> } } }
        | undefined
    )?.email?.marketing;
    return (marketing?.suppression ?? []).some((s) => s.reason === "USER_SUPPRESSED");
  };
  const list = store.all("list").find((l) => l.attributes.name === "Internal Test List");
  const size = (id: string) => store.related("segment", id, "profiles").length;
  const segment = store
    .all("segment")
    .filter(
      (s) => size(s.id) > 0 && !store.related("segment", s.id, "profiles").some(userSuppressed),
    )
    .sort((a, b) => size(a.id) - size(b.id))[0];
  if (!list || !segment) return;
  const members = new Set([
    ...store.related("list", list.id, "profiles"),
    ...store.related("segment", segment.id, "profiles"),
  ]);
  if ([...members].some(userSuppressed)) return;
  const jobs: Array<[string, number]> = [
    ["profile-suppression-bulk-create-job", 3 * DAY],
    ["profile-suppression-bulk-delete-job", 2 * DAY],
  ];
  for (const [type, ago] of jobs) {
    const id = ctx.insert(type, {
      status: "complete",
      created_at: iso(ctx.now - ago),
      total_count: members.size,
      completed_count: members.size,
      completed_at: iso(ctx.now - ago + 2 * 60_000),
      skipped_count: 0,
    });
    ctx.link(type, id, "lists", [list.id]);
    ctx.link(type, id, "segments", [segment.id]);
  }
}

const RENTAL_PROPERTIES: SchemaProperty[] = [
  {
    id: 1,
    name: "reservation_id",
    type: "string",
    description: "The rental desk's reservation number",
  },
  { id: 2, name: "item", type: "string", description: "What was rented" },
  { id: 3, name: "pickup_date", type: "timestamp", description: "" },
  { id: 4, name: "return_date", type: "timestamp", description: "" },
  { id: 5, name: "nights", type: "int", description: "" },
  { id: 6, name: "deposit", type: "float", description: "Deposit held, in USD" },
  { id: 7, name: "returned", type: "boolean", description: "" },
];

const WARRANTY_PROPERTIES: SchemaProperty[] = [
  { id: 1, name: "serial_number", type: "string", description: "" },
  { id: 2, name: "product", type: "string", description: "" },
  { id: 3, name: "purchased_on", type: "timestamp", description: "" },
  { id: 4, name: "extended", type: "boolean", description: "Whether the 5-year plan was bought" },
];

function simple(source: string, idPath: string, paths: Record<number, string>) {
  return Object.entries(paths).map(([id, path]) => ({
    id: Number(id),
    type: "simple",
    source: { source_id: source, id_path: idPath, data_path: path },
  }));
}

function seedCustomObjects(ctx: SeedContext, profiles: ProfileModel[]): void {
  const { store } = ctx;
  const source = (title: string, description: string) =>
    ctx.insert(DATA_SOURCE, {
      title,
      visibility: "private",
      description,
      namespace: "custom-objects",
    });
  const rentalsSource = source(
    "Rental desk reservations",
    "Nightly export of the rental desk's reservations table.",
  );
  const warrantySource = source(
    "Warranty registrations",
    "Registrations from the warranty form on juniperandpine.example.com.",
  );
  const warranty = objectType(
    ctx,
    "Warranty Registration",
    "Registered products under warranty.",
    70,
  );
  const warrantyV1 = activeSchema(
    ctx,
    warranty,
    WARRANTY_PROPERTIES,
    ["serial_number", "product"],
    68,
    {
      property_mappings: simple(warrantySource, "$.serial", {
        1: "$.serial",
        2: "$.product",
        3: "$.purchased_on",
        4: "$.extended_plan",
      }),
      relationship_mappings: [],
    },
  );
  const owner = relationship(ctx, warrantyV1, null, "owner", "The customer who registered it");
  mapProfile(ctx, warrantyV1, owner, warrantySource, "$.serial", "$.email");

  const rental = objectType(ctx, "Gear Rental", "Gear rented from the shop's rental desk.", 60);
  const rentalV1 = activeSchema(
    ctx,
    rental,
    RENTAL_PROPERTIES,
    ["reservation_id", "item", "pickup_date"],
    55,
    {
      property_mappings: simple(rentalsSource, "$.reservation_id", {
        1: "$.reservation_id",
        2: "$.item.name",
        3: "$.pickup",
        4: "$.return",
        5: "$.nights",
        6: "$.deposit_usd",
        7: "$.returned",
      }),
      relationship_mappings: [],
    },
  );
  const renter = relationship(ctx, rentalV1, null, "renter", "The customer who rented the gear");
  relationship(ctx, rentalV1, warrantyV1.id, "warranty", "The rented unit's warranty registration");
  mapProfile(ctx, rentalV1, renter, rentalsSource, "$.reservation_id", "$.customer.email");
  // A second version in the works: it adds the pickup store.
  const rentalV2 = insertSchema(
    store,
    rental,
    {
      title: "Gear Rental",
      description: "Gear rented from the shop's rental desk.",
      properties: [
        ...RENTAL_PROPERTIES,
        { id: 8, name: "pickup_store", type: "string", description: "" },
      ],
      required: ["reservation_id", "item", "pickup_date"],
    },
    structuredClone(mappingAttributes(ctx, rentalV1)),
  );
  for (const r of store.all(SCHEMA_RELATIONSHIP)) {
    if (r.attributes.object_schema_id === rentalV1.id) {
      store.insert(SCHEMA_RELATIONSHIP, { ...r.attributes, object_schema_id: rentalV2.id });
    }
  }

  const customers = ctx.sample(
    profiles.filter((p) => !p.staff && p.email),
    10,
  );
  const gear = store.all("catalog-item").map((i) => String(i.attributes.title));
  const rentals = customers.slice(0, 8).map((p, i) => {
    const pickup = ctx.now - ctx.int(3, 50) * DAY + ctx.int(8, 17) * HOUR;
    const nights = ctx.int(1, 6);
    return {
      reservation_id: `R-${20400 + i * 7}`,
      item: { name: ctx.pick(gear), sku: null },
      pickup: iso(pickup),
      return: iso(pickup + nights * DAY),
      // The desk once typed the nights in words: Klaviyo rejects that record.
      nights: i === 5 ? "three" : nights,
      deposit_usd: ctx.int(4, 30) * 5,
      returned: pickup + nights * DAY < ctx.now,
      customer: { email: p.email },
    };
  });
  ingest(store, rentalsSource, rentals);
  const registrations = customers.slice(4, 10).map((p, i) => ({
    serial: `JP-${ctx.hex(8).toUpperCase()}`,
    product: ctx.pick(gear),
    purchased_on: iso(ctx.now - ctx.int(20, 80) * DAY),
    extended_plan: i % 3 === 0,
    email: p.email,
  }));
  ingest(store, warrantySource, registrations);
}

function objectType(ctx: SeedContext, title: string, description: string, daysAgo: number): string {
  const created = iso(ctx.now - daysAgo * DAY);
  return ctx.insert(OBJECT_TYPE, {
    title,
    description,
    status: "draft",
    namespace: "custom-objects",
    created_at: created,
    updated_at: created,
  });
}

function activeSchema(
  ctx: SeedContext,
  type: string,
  properties: SchemaProperty[],
  required: string[],
  publishedDaysAgo: number,
  mapping: Attributes,
): StoredResource {
  const typeAttributes = ctx.store.get(OBJECT_TYPE, type)?.attributes ?? {};
  const schema = insertSchema(
    ctx.store,
    type,
    {
      title: typeAttributes.title,
      description: typeAttributes.description,
      properties,
      required,
      status: "active",
      published_at: iso(ctx.now - publishedDaysAgo * DAY),
    },
    mapping,
  );
  ctx.store.setLinks(OBJECT_TYPE, type, "current-schema", [schema.id]);
  syncTypeStatus(ctx.store, type);
  return schema;
}

function relationship(
  ctx: SeedContext,
  schema: StoredResource,
  related: string | null,
  name: string,
  description: string,
): string {
  const id = ctx.store.newId(SCHEMA_RELATIONSHIP);
  ctx.store.insert(
    SCHEMA_RELATIONSHIP,
    {
      object_schema_id: schema.id,
      relationship_id: id,
      related_schema_id: related,
      name,
      description,
    },
    id,
  );
  return id;
}

function mappingAttributes(ctx: SeedContext, schema: StoredResource): Attributes {
  const id = ctx.store.relatedOne("object-schema", schema.id, "source-mapping") ?? "";
  return ctx.store.get("source-mapping", id)?.attributes ?? {};
}

/** Maps a profile relationship to the email in the source's records. */
function mapProfile(
  ctx: SeedContext,
  schema: StoredResource,
  relationshipId: string,
  source: string,
  idPath: string,
  emailPath: string,
): void {
  const mapping = mappingAttributes(ctx, schema);
  mapping.relationship_mappings = [
    {
      relationship_id: relationshipId,
      type: "simple",
      source: {
        source_id: source,
        type: "profile",
        id_path: idPath,
        related_id_paths: [{ identifier_type: "email", path: emailPath }],
        update_strategy: "replace_from_origin",
      },
    },
  ];
}
