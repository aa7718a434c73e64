/**
 * One seed endpoint + its spec operation -> a tool plan: the definition's data and the zod
 * source of its input schema. All naming decisions (profile_id, list_id, fields, ...) live here.
 */
import type {
  ArgMapping,
  BodyKind,
  NestedResource,
  Paging,
  RateLimit,
  RelationshipMapping,
  ToolAnnotations,
} from "../../src/engine/definition.js";
import { responseShape } from "./emulator-catalog.js";
import { operationRateLimit } from "./rate-limit.js";
import {
  deref,
  type Operation,
  type Parameter,
  type Schema,
  type SeedEndpoint,
  type Spec,
} from "./spec.js";
import { cleanText, groupSlug, shortText, singular, snakeCase } from "./text.js";
import { describe, enumZod, objectFields, type ZodContext, zodFor } from "./zod-code.js";

export interface ToolPlan {
  name: string;
  title: string;
  description: string;
  group: string;
  operation: { id: string; method: string; path: string };
  auth: "private" | "public";
  scopes: string[];
  rateLimit: RateLimit;
  annotations: ToolAnnotations;
  args: Record<string, ArgMapping>;
  body: BodyKind;
  special?: string;
  paging?: Paging;
  /** `name: zodCode` lines of the input object, in argument order. */
  fields: string[];
}

/** Reads that Klaviyo exposes as POST (reports, and rendering a template): read-only on purpose. */
const READ_ONLY_POSTS = new Set([
  "query_campaign_values",
  "query_flow_series",
  "query_flow_values",
  "query_metric_aggregates",
  "create_template_render", // needs only templates:read and stores nothing
]);
/** Writes with effects that cannot be undone, beyond DELETE and PATCH. */
const DESTRUCTIVE_POSTS = new Set([
  "create_campaign_send_job", // sends real messages to real people
  "merge_profiles", // source profiles are deleted
  "request_profile_deletion",
  "spawn_delete_categories_job",
  "spawn_delete_items_job",
  "spawn_delete_variants_job",
  "spawn_update_categories_job", // bulk overwrites, like PATCH
  "spawn_update_items_job",
  "spawn_update_variants_job",
  "suppress_profiles", // withdraws marketing consent
  "unsubscribe_profiles",
  "unregister_client_push_token",
]);
/** POSTs whose repetition leaves the same state (upserts, set membership). */
const IDEMPOTENT_POSTS = new Set([
  "create_or_update_profile",
  "create_or_update_push_token",
  "create_or_update_client_profile",
  "create_or_update_client_push_token",
  "unregister_client_push_token",
]);

/** Descriptions for arguments the spec leaves undescribed (mostly `$ref`'d objects). */
const FALLBACK_DESCRIPTIONS: Record<string, string> = {
  location:
    "Postal address and coordinates: address1, address2, city, region, zip, country, latitude, longitude, timezone, ip.",
  meta: "Profile property edits: patch_properties with append, unappend or unset.",
  metric: "The event's metric, by name (a new name creates the metric).",
  profile:
    "The profile: identify it by email, phone_number, external_id or id; other attributes are set on it.",
  definition:
    "The segment definition: condition_groups, each with a list of conditions (Klaviyo's segment definition format).",
  name: "The name.",
  is_starred: "Whether it is starred in the Klaviyo app.",
  exclusive: "Whether a resource may carry only one tag from this group.",
  return_fields: "Fields to return in the response.",
  anonymous_id: "An anonymous identifier of the profile, from client-side tracking.",
};

/** Argument names chosen by hand where the generic rule would mislead. */
const BODY_ID_NAMES: Record<string, string> = {
  create_campaign_send_job: "campaign_id",
  merge_profiles: "destination_profile_id",
};
const RELATIONSHIP_ARG_NAMES: Record<string, Record<string, string>> = {
  merge_profiles: { profiles: "source_profile_ids" },
};
const SPECIAL: Record<string, string> = {
  remove_profile_from_list: "remove_profiles_from_list",
  upload_image_from_file: "upload_image_from_file",
};

export function buildTool(
  spec: Spec,
  seed: SeedEndpoint,
  description: string | undefined,
): ToolPlan {
  const method = seed.method.toUpperCase();
  const op = spec.paths[seed.path]?.[method.toLowerCase()];
  if (!op) throw new Error(`${seed.tool_name}: no operation ${method} ${seed.path} in the spec`);
  const ctx: ZodContext = { spec, depth: 0, stack: [], allowNull: method === "PATCH" };
  const plan: ToolPlan = {
    name: seed.tool_name,
    title: op.summary,
    description: description ?? shortText(op.description, 280),
    group: groupSlug(seed.tag),
    operation: { id: op.operationId, method, path: seed.path },
    auth: seed.path.startsWith("/client/") ? "public" : "private",
    scopes: op["x-klaviyo-scopes"] ?? seed.scopes,
    rateLimit: operationRateLimit(spec, op, seed.rate_limit),
    annotations: annotationsFor(seed.tool_name, method),
    args: {},
    body: { kind: "none" },
    fields: [],
  };
  const special = SPECIAL[seed.tool_name];
  if (special) plan.special = special;
  const params = (op.parameters ?? []).filter((p) => p.in !== "header");
  for (const param of params.filter((p) => p.in === "path")) addPathParam(plan, seed.path, param);
  addBody(plan, op, ctx);
  const query = params.filter((p) => p.in === "query");
  const paging = pagingFor(spec, op, query, method);
  addQueryParams(plan, op, query, paging);
  if (paging) plan.paging = paging;
  return plan;
}

/** Collections whose items are this large get a smaller default page (tokens matter). */
const SMALL_PAGE_TYPES = new Set(["profile", "event"]);
const SMALL_PAGE_SIZE = 20;

/**
 * Paging from the spec: `page[size]` bounds (the default capped at 20 for profile and event
 * collections), or the fixed size stated in prose ("Returns a maximum of 200 results per page").
 * Only GET collections collect pages (max_items); reports page with page_cursor alone.
 */
function pagingFor(
  spec: Spec,
  op: Operation,
  params: Parameter[],
  method: string,
): Paging | undefined {
  const cursor = params.find((p) => p.name === "page[cursor]" || p.name === "page_cursor");
  if (!cursor) return undefined;
  const paging: Paging = { cursor: cursor.name as Paging["cursor"] };
  const size = params.find((p) => p.name === "page[size]")?.schema;
  if (size) {
    const min = Number(size.minimum ?? 1);
    const max = Number(size.maximum ?? 100);
    let fallback = Number(size.default ?? Math.min(max, SMALL_PAGE_SIZE));
    const shape = responseShape(spec, op, 200);
    if (shape?.type && SMALL_PAGE_TYPES.has(shape.type) && !shape.linkage) {
      fallback = Math.min(fallback, SMALL_PAGE_SIZE);
    }
    paging.size = { default: Math.max(min, fallback), min, max };
  } else if (cursor.name === "page[cursor]") {
    const stated = /maximum of (\d+) \w+ per (?:page|request)/i.exec(op.description)?.[1];
    paging.fixed = Number(stated ?? 100);
  }
  if (method === "GET" && cursor.name === "page[cursor]") paging.collect = true;
  return paging;
}

function annotationsFor(name: string, method: string): ToolAnnotations {
  const readOnly = method === "GET" || READ_ONLY_POSTS.has(name);
  return {
    readOnlyHint: readOnly,
    destructiveHint:
      !readOnly && (method === "DELETE" || method === "PATCH" || DESTRUCTIVE_POSTS.has(name)),
    idempotentHint:
      readOnly ||
      method !== "POST" ||
      IDEMPOTENT_POSTS.has(name) ||
      name.includes("_relationships_"),
    openWorldHint: true,
  };
}

function addArg(plan: ToolPlan, name: string, mapping: ArgMapping, code: string): void {
  if (plan.args[name]) throw new Error(`${plan.name}: argument name collision on "${name}"`);
  plan.args[name] = mapping;
  plan.fields.push(`${name}: ${code}`);
}

/** `{id}` after `/api/profiles` is `profile_id`; job ids are `job_id`. */
function pathArgName(path: string, param: string): string {
  if (param !== "id") return snakeCase(param);
  const segments = path.split("/");
  const resource = segments[segments.indexOf("{id}") - 1] ?? "resource";
  if (resource.endsWith("-jobs")) return "job_id";
  if (resource === "campaign-recipient-estimations") return "campaign_id";
  return `${snakeCase(singular(resource))}_id`;
}

function addPathParam(plan: ToolPlan, path: string, param: Parameter): void {
  const name = pathArgName(path, param.name);
  const text =
    cleanText(param.description ?? param.schema.description) || `The ${name.replace(/_/g, " ")}.`;
  addArg(plan, name, { in: "path", name: param.name }, describe("z.string().min(1)", text, 200));
}

function addQueryParams(
  plan: ToolPlan,
  op: Operation,
  params: Parameter[],
  paging: Paging | undefined,
): void {
  const fieldTypes: Record<string, string> = {};
  const fieldCodes: string[] = [];
  for (const param of params) {
    const { name, schema } = param;
    const optional = param.required ? "" : ".optional()";
    if (name.startsWith("fields[")) {
      const type = name.slice(7, -1);
      const key = snakeCase(type);
      fieldTypes[key] = type;
      fieldCodes.push(`${key}: z.array(${enumZod(schema.items?.enum ?? [])}).min(1).optional()`);
    } else if (name.startsWith("additional-fields[")) {
      const type = name.slice(18, -1);
      const code = describe(
        `z.array(${enumZod(schema.items?.enum ?? [])}).min(1)`,
        `Extra ${type} fields to return (not included by default).`,
      );
      addArg(plan, "additional_fields", { in: "additional_fields", type }, code + optional);
    } else if (name === "filter") {
      addArg(
        plan,
        "filter",
        { in: "query", name },
        describe("z.string().min(1)", filterDescription(op, schema), 2000) + optional,
      );
    } else if (name === "sort") {
      addArg(
        plan,
        "sort",
        { in: "query", name },
        describe(enumZod(schema.enum ?? []), "Sort field; prefix with - for descending.") +
          optional,
      );
    } else if (name === "include") {
      addArg(
        plan,
        "include",
        { in: "query", name },
        describe(
          `z.array(${enumZod(schema.items?.enum ?? [])}).min(1)`,
          "Related resources to include in the result.",
        ) + optional,
      );
    } else if (name === "page[cursor]" || name === "page_cursor") {
      addArg(
        plan,
        "page_cursor",
        { in: "query", name },
        describe(
          "z.string().min(1)",
          "Cursor from a previous result's next_cursor, to get the next page.",
        ) + optional,
      );
    } else if (name === "page[size]") {
      const text = `Results per page (${schema.minimum}-${schema.maximum}, default ${paging?.size?.default ?? schema.default}).`;
      addArg(
        plan,
        "page_size",
        { in: "query", name },
        describe(`z.number().int().min(${schema.minimum}).max(${schema.maximum})`, text) + optional,
      );
    } else if (name === "company_id") {
      addArg(
        plan,
        "company_id",
        { in: "company_id" },
        `${describe(
          "z.string().min(1)",
          "Public API key (site id) of the account. Defaults to KLAVIYO_PUBLIC_KEY.",
        )}.optional()`,
      );
    } else {
      throw new Error(`${plan.name}: unhandled query parameter ${name}`);
    }
  }
  if (fieldCodes.length > 0) {
    const code = describe(
      `z.strictObject({ ${fieldCodes.join(", ")} })`,
      "Sparse fieldsets: for each resource type, only the attributes to return.",
    );
    addArg(plan, "fields", { in: "fields", types: fieldTypes }, `${code}.optional()`);
  }
  if (paging?.collect) {
    // Not sent to Klaviyo: the engine pages until it has this many items.
    plan.fields.push(
      `max_items: ${describe(
        `z.number().int().min(1).max(${MAX_ITEMS})`,
        "Page through until this many items are collected; the result says truncated, with next_cursor if more remain.",
      )}.optional()`,
    );
  }
}

/** Largest max_items: ten pages of 100. */
const MAX_ITEMS = 1000;

/** `x-klaviyo-filters` -> "email: any, equals; created: greater-than (date-time)". */
function filterDescription(op: Operation, schema: Schema): string {
  const filters = op["x-klaviyo-filters"] ?? {};
  const allowed = Object.entries(filters).map(([field, rule]) => {
    const ops = [...new Set(Object.values(rule.operators).flat())];
    const type = rule.value?.format ?? rule.value?.type;
    return `${field}: ${ops.join(", ")}${type && type !== "string" ? ` (${type})` : ""}`;
  });
  const example = typeof schema.example === "string" ? ` Example: ${schema.example}.` : "";
  return `Klaviyo filter expression; combine conditions with and(...).${example} Allowed fields and operators: ${allowed.join("; ")}.`;
}

function addBody(plan: ToolPlan, op: Operation, ctx: ZodContext): void {
  if (!op.requestBody) return;
  const [contentType, media] = Object.entries(op.requestBody.content)[0] ?? [];
  const root = deref(ctx.spec, media?.schema);
  if (contentType === "multipart/form-data") {
    plan.body = { kind: "multipart" };
    addMultipart(plan, root, ctx);
    return;
  }
  const data = deref(ctx.spec, root.properties?.data);
  if (data.type === "array") {
    addIdentifiers(plan, ctx.spec, deref(ctx.spec, data.items));
    return;
  }
  const props = data.properties ?? {};
  const unknown = Object.keys(props).filter(
    (k) => !["type", "id", "attributes", "relationships", "meta"].includes(k),
  );
  if (unknown.length) throw new Error(`${plan.name}: unexpected data keys ${unknown.join(", ")}`);
  const type = typeName(ctx.spec, props.type);
  plan.body = { kind: "resource", type };
  if (props.id) addBodyId(plan, props.id, (data.required ?? []).includes("id"), type);
  const attributes = deref(ctx.spec, props.attributes);
  addAttributes(plan, attributes, ctx);
  const relationships = deref(ctx.spec, props.relationships);
  const required = new Set(relationships.required ?? []);
  for (const [rel, relSchema] of Object.entries(relationships.properties ?? {})) {
    const mapping = relationshipMapping(ctx.spec, rel, relSchema);
    const argName = RELATIONSHIP_ARG_NAMES[plan.name]?.[rel] ?? relationshipArgName(mapping);
    const idCode = mapping.many ? "z.array(z.string().min(1)).min(1)" : "z.string().min(1)";
    const text = `${mapping.many ? "Ids" : "Id"} of the related ${mapping.type}${mapping.many ? "s" : ""} (relationship ${rel}).`;
    addArg(
      plan,
      argName,
      { in: "relationship", ...mapping },
      describe(idCode, cleanText(relSchema.description) || text) +
        (required.has(rel) ? "" : ".optional()"),
    );
  }
  if (props.meta) {
    const code = describe(
      zodFor(props.meta, ctx),
      props.meta.description ??
        deref(ctx.spec, props.meta).description ??
        FALLBACK_DESCRIPTIONS.meta,
    );
    addArg(
      plan,
      "meta",
      { in: "meta" },
      `${code}${(data.required ?? []).includes("meta") ? "" : ".optional()"}`,
    );
  }
}

function addBodyId(plan: ToolPlan, idSchema: Schema, required: boolean, type: string): void {
  const pathArg = Object.entries(plan.args).find(([, m]) => m.in === "path")?.[0];
  if (pathArg && plan.operation.method !== "POST") {
    plan.body = { kind: "resource", type, idArg: pathArg };
    return;
  }
  const name = BODY_ID_NAMES[plan.name] ?? `${snakeCase(type)}_id`;
  plan.body = { kind: "resource", type, idArg: name };
  const text = cleanText(idSchema.description) || `Id of the ${type}.`;
  addArg(
    plan,
    name,
    { in: "body_id" },
    describe("z.string().min(1)", text, 200) + (required ? "" : ".optional()"),
  );
}

function addAttributes(plan: ToolPlan, attributes: Schema, ctx: ZodContext): void {
  const required = new Set(attributes.required ?? []);
  for (const [attr, raw] of Object.entries(attributes.properties ?? {})) {
    const name = snakeCase(attr);
    const optional = required.has(attr) ? "" : ".optional()";
    const nested = nestedResource(ctx, raw, name);
    if (nested) {
      addArg(
        plan,
        name,
        { in: "attribute", name: attr, nested: nested.mapping },
        nested.code + optional,
      );
      continue;
    }
    const resolved = deref(ctx.spec, raw);
    const text = raw.description ?? resolved.description ?? FALLBACK_DESCRIPTIONS[name];
    addArg(
      plan,
      name,
      { in: "attribute", name: attr },
      describe(zodFor(raw, ctx), text, 200) + optional,
    );
  }
}

/**
 * An attribute holding a JSON:API document of its own (`{data: {type, id, attributes}}` or
 * `{data: [...]}`) becomes a plain object (or id) the model can write; the engine re-wraps it.
 */
function nestedResource(
  ctx: ZodContext,
  raw: Schema,
  argName: string,
): { mapping: NestedResource; code: string } | undefined {
  const holder = deref(ctx.spec, raw);
  const keys = Object.keys(holder.properties ?? {});
  if (keys.length !== 1 || keys[0] !== "data") return undefined;
  const data = deref(ctx.spec, holder.properties?.data);
  const many = data.type === "array";
  const item = many ? deref(ctx.spec, data.items) : data;
  const props = item.properties ?? {};
  if (!props.type) return undefined;
  const type = typeName(ctx.spec, props.type);
  const mapping: NestedResource = { type, many };
  const described = (code: string, argName: string) =>
    describe(code, raw.description ?? holder.description ?? FALLBACK_DESCRIPTIONS[argName], 200);
  if (!props.attributes && !props.relationships) {
    mapping.idOnly = true;
    const code = many ? "z.array(z.string().min(1)).min(1)" : "z.string().min(1)";
    return { mapping, code: described(code, argName) };
  }
  const inner: ZodContext = { ...ctx, depth: ctx.depth + 1 };
  const attributes = deref(ctx.spec, props.attributes);
  const lines = objectFields(attributes, inner);
  const taken = new Set(Object.keys(attributes.properties ?? {}));
  const claim = (key: string) => {
    if (taken.has(key)) throw new Error(`nested ${type}: key collision on "${key}"`);
    taken.add(key);
  };
  if (props.id) {
    claim("id");
    const idRequired = (item.required ?? []).includes("id");
    lines.unshift(
      `id: ${describe("z.string().min(1)", `Id of an existing ${type}.`)}${idRequired ? "" : ".optional()"}`,
    );
  }
  if (props.meta) {
    claim("meta");
    mapping.meta = true;
    const metaText = props.meta.description ?? FALLBACK_DESCRIPTIONS.meta;
    lines.push(`meta: ${describe(zodFor(props.meta, inner), metaText)}.optional()`);
  }
  const relationships = deref(ctx.spec, props.relationships);
  const relRequired = new Set(relationships.required ?? []);
  for (const [rel, relSchema] of Object.entries(relationships.properties ?? {})) {
    const relMapping = relationshipMapping(ctx.spec, rel, relSchema);
    const relArg = relationshipArgName(relMapping);
    claim(relArg);
    mapping.relationships = { ...mapping.relationships, [relArg]: relMapping };
    const idCode = relMapping.many ? "z.array(z.string().min(1)).min(1)" : "z.string().min(1)";
    lines.push(`${relArg}: ${idCode}${relRequired.has(rel) ? "" : ".optional()"}`);
  }
  const objectCode = `z.strictObject({ ${lines.join(", ")} })`;
  const code = many
    ? `z.array(${objectCode}).min(1)${data.maxItems ? `.max(${data.maxItems})` : ""}`
    : objectCode;
  return { mapping, code: described(code, argName) };
}

function relationshipMapping(spec: Spec, rel: string, relSchema: Schema): RelationshipMapping {
  const data = deref(spec, deref(spec, relSchema).properties?.data);
  const many = data.type === "array";
  const item = many ? deref(spec, data.items) : data;
  return { name: rel, type: typeName(spec, item.properties?.type), many };
}

function relationshipArgName(mapping: RelationshipMapping): string {
  const base = snakeCase(singular(mapping.name));
  return mapping.many ? `${base}_ids` : `${base}_id`;
}

/** Relationship endpoints: `data: [{type, id}]` -> `<related>_ids`. */
function addIdentifiers(plan: ToolPlan, spec: Spec, item: Schema): void {
  const type = typeName(spec, item.properties?.type);
  plan.body = { kind: "identifiers", type };
  const related = plan.operation.path.split("/").pop() ?? "resource";
  const name = `${snakeCase(singular(related))}_ids`;
  const text = `Ids of the ${type}s (at most 1000 per call).`;
  if (plan.special === "remove_profiles_from_list") {
    addArg(
      plan,
      name,
      { in: "identifiers", type },
      `${describe("z.array(z.string().min(1)).min(1).max(1000)", `${text} Give profile_ids, emails, or both.`)}.optional()`,
    );
    plan.fields.push(
      `emails: ${describe("z.array(z.email()).min(1).max(1000)", "Emails of the profiles to remove; each is looked up first (profiles:read).")}.optional()`,
    );
    return;
  }
  addArg(
    plan,
    name,
    { in: "identifiers", type },
    describe("z.array(z.string().min(1)).min(1)", text),
  );
}

function addMultipart(plan: ToolPlan, root: Schema, ctx: ZodContext): void {
  const props = root.properties ?? {};
  plan.fields.push(
    `file_path: ${describe("z.string().min(1)", "Path of a local image file (jpeg, png or gif, at most 5 MB). Give file_path or file_base64.")}.optional()`,
    `file_base64: ${describe("z.string().min(1)", "The image's bytes, base64-encoded. Give file_path or file_base64.")}.optional()`,
    `filename: ${describe("z.string().min(1)", "File name to send with file_base64, e.g. banner.png (sets the content type).")}.optional()`,
  );
  for (const [key, prop] of Object.entries(props)) {
    if (key === "file") continue;
    addArg(
      plan,
      key,
      { in: "form", name: key },
      `${describe(zodFor(prop, ctx), prop.description)}.optional()`,
    );
  }
}

function typeName(spec: Spec, raw: Schema | undefined): string {
  const value = deref(spec, raw).enum?.[0];
  if (typeof value !== "string")
    throw new Error(`cannot find the JSON:API type in ${JSON.stringify(raw)}`);
  return value;
}
