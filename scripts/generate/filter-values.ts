/**
 * The values a filter field can take, where that set is finite and the spec says what it is:
 * (a) the `x-klaviyo-filters` rule's own enum; else (b) the enum of the attribute of that
 * (dotted) name in the operation's response resource; else (c) the errata below, for values the
 * spec gives only in prose or in another schema. A field with none of these stays open: a wrong
 * set would make the server refuse filters Klaviyo accepts.
 */
import { deref, type Operation, type Schema, type Spec } from "./spec.js";

/** One field of `x-klaviyo-filters`; the spec's rule may carry the values as `value.enum`. */
export type FilterRule = NonNullable<Operation["x-klaviyo-filters"]>[string] & {
  value?: { enum?: unknown[] };
};

/** Enough for the deepest attribute path a filter names (subscriptions.email.marketing...). */
const MAX_SCHEMA_DEPTH = 16;

/**
 * Values stated outside the filtered resource's schema, by `<resource type> <field>`. Each entry
 * quotes where the spec says it; test/scripts/generate/filter-values.test.ts checks the quote.
 *
 * Left open on purpose (no complete set in the spec):
 * - flow-action `action_type`: the response no longer has the attribute; its `definition.type`
 *   (send-email, time-delay, ...) is another vocabulary, and public clients filter with the
 *   legacy one (`equals(action_type,'SEND_EMAIL')`), so neither can be called complete.
 * - image `format`: a plain string; "jpeg,png,gif" in the upload prose is what may be uploaded,
 *   not what the library holds (ImageAsset.format lists webp too).
 * - metric `integration.category`, `integration.name`: `integration` is an untyped object.
 * - profile `subscriptions.email.marketing.list_suppressions.reason`: only an example
 *   (USER_SUPPRESSED); the global `suppression.reason` has an enum and resolves by rule (b).
 */
export const FILTER_VALUE_ERRATA: Readonly<
  Record<string, { values: readonly string[]; source: string }>
> = {
  // FlowUpdateQueryResourceObject.attributes.status (update_flow's body).
  "flow status": {
    values: ["draft", "manual", "live"],
    source: "Status you want to update the flow to. ['draft', 'manual', or 'live']",
  },
  // The `status` enum of every *ActionData schema (SendEmailActionData, ListUpdateActionData, ...)
  // under FlowActionEncodedResponseObjectResource.attributes.definition.
  "flow-action status": {
    values: ["disabled", "draft", "live", "manual"],
    source: "Flow action status.",
  },
};

/** (a), else (b), else (c); undefined when the set is open. Only string fields have values. */
export function filterValues(
  spec: Spec,
  op: Operation,
  field: string,
  rule: FilterRule,
): string[] | undefined {
  if (rule.value?.type !== "string" || rule.value.format) return undefined;
  const fromRule = rule.value.enum?.filter((v): v is string => typeof v === "string");
  if (fromRule?.length) return fromRule;
  const fromSchema = attributeValues(spec, op, field);
  if (fromSchema) return fromSchema;
  const type = responseResources(spec, op).type;
  const erratum = type ? FILTER_VALUE_ERRATA[`${type} ${field}`] : undefined;
  return erratum ? [...erratum.values] : undefined;
}

/**
 * (b) alone: the enum of the attribute at the dotted `field` in the operation's 200 response
 * resource, through $ref, allOf/oneOf/anyOf (union) and arrays. A first segment that names a
 * relationship (`messages` of `campaign-messages`) continues in the related type's attributes.
 */
export function attributeValues(spec: Spec, op: Operation, field: string): string[] | undefined {
  const path = field.split(".");
  const { type, resources } = responseResources(spec, op);
  const own = resources.length > 0 ? resources : type ? resourcesOfType(spec, type) : [];
  const direct = union(own.map((r) => inAttributes(spec, r, path)));
  if (direct || path.length < 2) return direct;
  const head = path[0] as string;
  const related = own.flatMap((resource) =>
    branchesOf(spec, resource).flatMap((branch) =>
      Object.entries(deref(spec, branch.properties?.relationships).properties ?? {})
        .filter(([name]) => name === head || name.endsWith(`-${head}`))
        .map(([, rel]) => linkageType(spec, rel)),
    ),
  );
  return union(
    related
      .filter((t): t is string => t !== undefined)
      .flatMap((t) => resourcesOfType(spec, t).map((r) => inAttributes(spec, r, path.slice(1)))),
  );
}

/** The path in a resource's attributes, or under their `definition` (messages, flow actions). */
function inAttributes(spec: Spec, resource: Schema, path: string[]): string[] | undefined {
  const found = branchesOf(spec, resource).map((branch) => {
    const attributes = branch.properties?.attributes;
    return (
      enumAt(spec, attributes, path, 0) ?? enumAt(spec, attributes, ["definition", ...path], 0)
    );
  });
  return union(found);
}

function enumAt(
  spec: Spec,
  raw: Schema | undefined,
  path: string[],
  depth: number,
): string[] | undefined {
  if (!raw || depth > MAX_SCHEMA_DEPTH) return undefined;
  const found = branchesOf(spec, raw).map((schema) => {
    if (schema.type === "array") return enumAt(spec, schema.items, path, depth + 1);
    const [head, ...rest] = path;
    if (head === undefined) {
      const values = schema.enum?.filter((v): v is string => typeof v === "string");
      return values?.length ? values : undefined;
    }
    return enumAt(spec, schema.properties?.[head], rest, depth + 1);
  });
  return union(found);
}

/** A schema and its allOf/oneOf/anyOf members, each resolved: the places a property may be. */
function branchesOf(spec: Spec, raw: Schema | undefined, depth = 0): Schema[] {
  const schema = deref(spec, raw);
  const members = [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])];
  if (members.length === 0 || depth > MAX_SCHEMA_DEPTH) return [schema];
  return [schema, ...members.flatMap((member) => branchesOf(spec, member, depth + 1))];
}

/** Sorted union of the sets found; undefined when none was. */
function union(sets: Array<string[] | undefined>): string[] | undefined {
  const found = sets.filter((set): set is string[] => set !== undefined);
  if (found.length === 0) return undefined;
  return [...new Set(found.flat())].sort();
}

/** The 200 response's primary resource (none when it is only linkage) and its JSON:API type. */
function responseResources(spec: Spec, op: Operation): { type?: string; resources: Schema[] } {
  const content = (op.responses["200"] as { content?: Record<string, { schema: Schema }> })
    ?.content;
  const document = content ? Object.values(content)[0]?.schema : undefined;
  const data = branchesOf(spec, document)
    .map((branch) => branch.properties?.data)
    .find((schema) => schema !== undefined);
  const resolved = deref(spec, data);
  const item = resolved.type === "array" ? resolved.items : data;
  const branches = branchesOf(spec, item);
  const type = branches.map((branch) => typeOf(spec, branch)).find((t) => t !== undefined);
  const hasAttributes = branches.some((branch) => branch.properties?.attributes);
  return { ...(type ? { type } : {}), resources: item && hasAttributes ? [item] : [] };
}

/** Every `*ResponseObjectResource` schema of a JSON:API type. */
function resourcesOfType(spec: Spec, type: string): Schema[] {
  return Object.entries(spec.components.schemas)
    .filter(([name]) => name.endsWith("ResponseObjectResource"))
    .map(([, schema]) => schema)
    .filter((schema) => branchesOf(spec, schema).some((b) => typeOf(spec, b) === type));
}

function typeOf(spec: Spec, schema: Schema): string | undefined {
  const value = deref(spec, schema.properties?.type).enum?.[0];
  return typeof value === "string" ? value : undefined;
}

function linkageType(spec: Spec, relationship: Schema): string | undefined {
  const data = deref(spec, deref(spec, relationship).properties?.data);
  const item = data.type === "array" ? deref(spec, data.items) : data;
  return typeOf(spec, item);
}
