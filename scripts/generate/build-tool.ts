/**
 * One catalog endpoint (catalog.ts) + its spec operation + its hand-written policy (tools/policy.ts) -> a tool
 * plan: the definition's data and the zod source of its input schema. The naming rules
 * (profile_id, list_id, fields, ...) live here; the exceptions for one tool live in its policy.
 */
import type {
  NestedResource,
  RelationshipMapping,
  ToolAnnotations,
  ToolPolicy,
} from "../../src/engine/definition.js";
import { ARGUMENT_DESCRIPTIONS } from "../../tools/policy.js";
import type { CatalogEndpoint } from "./catalog.js";
import { addQueryParams, filterFields, pagingFor } from "./query-args.js";
import { operationRateLimit } from "./rate-limit.js";
import { deref, type Operation, type Parameter, type Schema, type Spec } from "./spec.js";
import { cleanText, shortText, singular, snakeCase } from "./text.js";
import { addArg, type ToolPlan } from "./tool-plan.js";
import { describe, enumZod, objectFields, type ZodContext, zodFor } from "./zod-code.js";

export function buildTool(
  spec: Spec,
  seed: CatalogEndpoint,
  policy: ToolPolicy | undefined,
  betaRevision?: string,
): ToolPlan {
  const method = seed.method.toUpperCase();
  const op = spec.paths[seed.path]?.[method.toLowerCase()];
  if (!op) throw new Error(`${seed.tool_name}: no operation ${method} ${seed.path} in the spec`);
  const ctx: ZodContext = { spec, depth: 0, stack: [], allowNull: method === "PATCH" };
  const plan: ToolPlan = {
    name: seed.tool_name,
    title: op.summary,
    description: policy?.description ?? shortText(op.description, 280),
    group: seed.group,
    operation: { id: op.operationId, method, path: seed.path },
    auth: seed.path.startsWith("/client/") ? "public" : "private",
    scopes: op["x-klaviyo-scopes"] ?? seed.scopes ?? [],
    rateLimit: operationRateLimit(spec, op, (seed.rate_limit ?? {}) as Record<string, string>),
    annotations: annotationsFor(seed.tool_name, method, policy?.annotations),
    args: {},
    body: { kind: "none" },
    fields: [],
  };
  if (betaRevision) {
    plan.beta = {
      revision: betaRevision,
      ...(seed.stable_twin ? { stableTwin: seed.stable_twin } : {}),
    };
    plan.description = `Beta: ${plan.description}`;
  }
  if (policy?.handler) plan.handler = true;
  const argNames = policy?.argNames ?? {};
  const params = (op.parameters ?? []).filter((p) => p.in !== "header");
  for (const param of params.filter((p) => p.in === "path")) {
    addPathParam(plan, spec, seed.path, param);
  }
  addBody(plan, op, ctx, argNames);
  // Sparse fieldsets shape what a read returns. On a write or a report they only trim the
  // echo of what was sent, which the engine trims anyway: not worth a place in every listing.
  const query = params.filter(
    (p) => p.in === "query" && (method === "GET" || !p.name.startsWith("fields[")),
  );
  const paging = pagingFor(spec, op, query, method);
  addQueryParams(plan, op, query, paging);
  if (paging) plan.paging = paging;
  const filters = filterFields(spec, op, query);
  if (filters) plan.filters = filters;
  for (const [where, name] of Object.entries(argNames)) {
    if (!plan.args[name])
      throw new Error(`${plan.name}: the policy's argNames["${where}"] names no argument`);
  }
  addHandlerInput(plan, policy?.input ?? {});
  return plan;
}

/** The handler's own arguments: each replaces the generated one of its name, or is added. */
function addHandlerInput(plan: ToolPlan, input: Readonly<Record<string, string>>): void {
  for (const [name, code] of Object.entries(input)) {
    const line = `${name}: ${code}`;
    const at = plan.fields.findIndex((field) => field.startsWith(`${name}: `));
    if (at === -1) plan.fields.push(line);
    else plan.fields[at] = line;
  }
}

/** From the HTTP method, unless the policy says otherwise (POSTs that read, send or upsert). */
function annotationsFor(
  name: string,
  method: string,
  overrides: ToolPolicy["annotations"] = {},
): ToolAnnotations {
  const readOnly = overrides.readOnlyHint ?? method === "GET";
  const annotations = {
    readOnlyHint: readOnly,
    destructiveHint:
      overrides.destructiveHint ?? (!readOnly && (method === "DELETE" || method === "PATCH")),
    idempotentHint:
      overrides.idempotentHint ??
      (readOnly || method !== "POST" || name.includes("_relationships_")),
    openWorldHint: true,
  };
  if (annotations.readOnlyHint && annotations.destructiveHint) {
    throw new Error(`${name}: a tool cannot be both read-only and destructive`);
  }
  return annotations;
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

function addPathParam(plan: ToolPlan, spec: Spec, path: string, param: Parameter): void {
  const name = pathArgName(path, param.name);
  const text =
    cleanText(param.description ?? param.schema.description) || `The ${name.replace(/_/g, " ")}.`;
  // A path id from a fixed set (the seven mapped metric slots) lists its values.
  const values = deref(spec, param.schema).enum;
  const code = values ? enumZod(values) : "z.string().min(1)";
  addArg(plan, name, { in: "path", name: param.name }, describe(code, text, 200));
}

function addBody(
  plan: ToolPlan,
  op: Operation,
  ctx: ZodContext,
  argNames: Readonly<Record<string, string>>,
): void {
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
    addIdentifiers(plan, ctx, deref(ctx.spec, data.items));
    return;
  }
  const props = data.properties ?? {};
  const unknown = Object.keys(props).filter(
    (k) => !["type", "id", "attributes", "relationships", "meta"].includes(k),
  );
  if (unknown.length) throw new Error(`${plan.name}: unexpected data keys ${unknown.join(", ")}`);
  const type = typeName(ctx.spec, props.type);
  plan.body = { kind: "resource", type };
  if (props.id) {
    const required = (data.required ?? []).includes("id");
    addBodyId(plan, props.id, required, type, argNames["data.id"]);
  }
  const attributes = deref(ctx.spec, props.attributes);
  addAttributes(plan, attributes, ctx);
  const relationships = deref(ctx.spec, props.relationships);
  const required = new Set(relationships.required ?? []);
  for (const [rel, relSchema] of Object.entries(relationships.properties ?? {})) {
    const mapping = relationshipMapping(ctx.spec, rel, relSchema);
    const argName = argNames[`data.relationships.${rel}`] ?? relationshipArgName(mapping);
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
        ARGUMENT_DESCRIPTIONS.meta,
    );
    addArg(
      plan,
      "meta",
      { in: "meta" },
      `${code}${(data.required ?? []).includes("meta") ? "" : ".optional()"}`,
    );
  }
}

function addBodyId(
  plan: ToolPlan,
  idSchema: Schema,
  required: boolean,
  type: string,
  chosenName: string | undefined,
): void {
  const pathArg = Object.entries(plan.args).find(([, m]) => m.in === "path")?.[0];
  // On a relationship path, or with a policy name for data.id, the body names another resource
  // than the path (the campaign message in the path, the image in the body).
  const relationship = plan.operation.path.includes("/relationships/");
  if (pathArg && plan.operation.method !== "POST" && !chosenName && !relationship) {
    plan.body = { kind: "resource", type, idArg: pathArg };
    return;
  }
  const name = chosenName ?? `${relationship ? "related_" : ""}${snakeCase(type)}_id`;
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
    const text =
      raw.description ??
      resolved.description ??
      ARGUMENT_DESCRIPTIONS[name] ??
      responseAttributeDescription(ctx.spec, plan.body, attr);
    addArg(
      plan,
      name,
      { in: "attribute", name: attr },
      describe(zodFor(raw, ctx), text, 200) + optional,
    );
  }
}

/**
 * Where a request leaves an attribute undescribed (the beta spec's updates), the response
 * resource of the same type usually says what it is.
 */
function responseAttributeDescription(
  spec: Spec,
  body: ToolPlan["body"],
  attr: string,
): string | undefined {
  if (body.kind !== "resource") return undefined;
  for (const [name, schema] of Object.entries(spec.components.schemas)) {
    if (!name.endsWith("ResponseObjectResource")) continue;
    const props = deref(spec, schema).properties ?? {};
    if (deref(spec, props.type).enum?.[0] !== body.type) continue;
    const description = deref(spec, props.attributes).properties?.[attr]?.description;
    if (description) return description;
  }
  return undefined;
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
    describe(code, raw.description ?? holder.description ?? ARGUMENT_DESCRIPTIONS[argName], 200);
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
    const metaText = props.meta.description ?? ARGUMENT_DESCRIPTIONS.meta;
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

/**
 * Relationship endpoints: `data: [{type, id}]` -> `<related>_ids`. Where each item also carries
 * a `meta` (a custom object schema relationship's name), the argument is `<related>s`, a list
 * of `{id, meta}`.
 */
function addIdentifiers(plan: ToolPlan, ctx: ZodContext, item: Schema): void {
  const type = typeName(ctx.spec, item.properties?.type);
  plan.body = { kind: "identifiers", type };
  const related = snakeCase(singular(plan.operation.path.split("/").pop() ?? "resource"));
  const meta = item.properties?.meta;
  if (meta) {
    const metaCode = `${describe(zodFor(meta, { ...ctx, depth: ctx.depth + 1 }), deref(ctx.spec, meta).description ?? "About this relationship.")}.optional()`;
    const idText = cleanText(item.properties?.id?.description) || `Id of the ${type}.`;
    const code = `z.array(z.strictObject({ id: ${describe("z.string().min(1)", idText)}, meta: ${metaCode} })).min(1)`;
    addArg(
      plan,
      `${related}s`,
      { in: "identifiers", type, withMeta: true },
      describe(code, "At most 1000 per call."),
    );
    return;
  }
  addArg(
    plan,
    `${related}_ids`,
    { in: "identifiers", type },
    describe("z.array(z.string().min(1)).min(1)", "At most 1000 per call."),
  );
}

/**
 * Multipart uploads: the file as base64 (or, for images over stdio, a local path) plus the
 * form's other fields. The tool's handler (tools/policy) checks the file and sends the form.
 */
function addMultipart(plan: ToolPlan, root: Schema, ctx: ZodContext): void {
  const props = root.properties ?? {};
  const required = new Set(root.required ?? []);
  if (plan.operation.path === "/api/image-upload") {
    plan.fields.push(
      `file_path: ${describe("z.string().min(1)", "Path of a local image file (jpeg, png or gif, at most 5 MB). Give file_path or file_base64.")}.optional()`,
      `file_base64: ${describe("z.string().min(1)", "The image's bytes, base64-encoded. Give file_path or file_base64.")}.optional()`,
      `filename: ${describe("z.string().min(1)", "File name to send with file_base64, e.g. banner.png (sets the content type).")}.optional()`,
    );
  } else {
    plan.fields.push(
      `file_base64: ${describe("z.string().min(1)", "The file's bytes, base64-encoded.")}`,
      `filename: ${describe("z.string().min(1)", "The file's name, e.g. size-guide.pdf (sets the content type).")}`,
    );
  }
  for (const [key, prop] of Object.entries(props)) {
    if (key === "file") continue;
    addArg(
      plan,
      key,
      { in: "form", name: key },
      `${describe(zodFor(prop, ctx), prop.description)}${required.has(key) ? "" : ".optional()"}`,
    );
  }
}

function typeName(spec: Spec, raw: Schema | undefined): string {
  const value = deref(spec, raw).enum?.[0];
  if (typeof value !== "string")
    throw new Error(`cannot find the JSON:API type in ${JSON.stringify(raw)}`);
  return value;
}
