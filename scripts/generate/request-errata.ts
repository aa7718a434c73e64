/**
 * Hand-kept corrections to the request schemas of Klaviyo's spec, each with its reason: what the
 * engine sends on purpose although the spec does not state it. The request check
 * (scripts/generate/request-schemas.ts) compiles the corrected spec, and the every-tool test
 * applies the same corrections before its independent check. The generator fails when an entry
 * no longer matches the spec, or when an operation needs one that is missing, so the list
 * cannot go stale silently.
 */
import { deref, type Schema, type Spec } from "./spec.js";

export interface EmptyAttributesErratum {
  spec: "stable" | "beta";
  /** Operations whose request document lists no `attributes`: an empty one is accepted. */
  operations: readonly string[];
  reason: string;
}

const EMPTY_ATTRIBUTES_REASON =
  "src/engine/call/request.ts writes `attributes` into every resource document, empty when no argument sets one";

export const EMPTY_ATTRIBUTES: readonly EmptyAttributesErratum[] = [
  {
    spec: "stable",
    operations: [
      "assign_template_to_campaign_message",
      "bulk_delete_object_records",
      "merge_profiles",
      "refresh_campaign_recipient_estimation",
      "send_campaign",
      "update_image_for_campaign_message",
      "update_mapped_metric",
      "update_object_schema_relationship",
      "update_profile_schema_relationship",
    ],
    reason: EMPTY_ATTRIBUTES_REASON,
  },
  {
    spec: "beta",
    operations: ["create_sending_domain_verification_job_beta"],
    reason: EMPTY_ATTRIBUTES_REASON,
  },
];

/** The spec with that spec's corrections applied (a copy: the spec itself is left alone). */
export function applyRequestErrata(
  spec: Spec,
  which: "stable" | "beta",
  errata: readonly EmptyAttributesErratum[] = EMPTY_ATTRIBUTES,
): Spec {
  const listed = new Set(errata.filter((e) => e.spec === which).flatMap((e) => e.operations));
  const unlisted: string[] = [];
  const paths: Spec["paths"] = {};
  for (const [path, methods] of Object.entries(spec.paths)) {
    paths[path] = {};
    for (const [method, op] of Object.entries(methods)) {
      const fixed = op.requestBody && withEmptyAttributes(spec, op.requestBody);
      if (fixed && !listed.delete(op.operationId)) unlisted.push(op.operationId);
      paths[path][method] = fixed ? { ...op, requestBody: fixed } : op;
    }
  }
  const problems = [
    ...[...listed].map(
      (id) =>
        `${id} is listed in EMPTY_ATTRIBUTES but its document has attributes (or it is gone): remove it`,
    ),
    ...unlisted.map((id) => `${id}: its document lists no attributes; add it to EMPTY_ATTRIBUTES`),
  ];
  if (problems.length > 0) {
    throw new Error(`scripts/generate/request-errata.ts (${which}): ${problems.join("; ")}`);
  }
  return { ...spec, paths };
}

type RequestBody = NonNullable<Spec["paths"][string][string]["requestBody"]>;

/** The body with an empty `attributes` allowed, when its resource document lists none. */
function withEmptyAttributes(spec: Spec, body: RequestBody): RequestBody | undefined {
  const media = body.content["application/vnd.api+json"];
  if (!media) return undefined;
  const root = deref(spec, media.schema);
  const data = deref(spec, root.properties?.data);
  if (data.type === "array" || !data.properties || data.properties.attributes) return undefined;
  const attributes = { type: "object", maxProperties: 0 } as Schema;
  const fixed: Schema = {
    ...root,
    properties: {
      ...root.properties,
      data: { ...data, properties: { ...data.properties, attributes } },
    },
  };
  return { ...body, content: { ...body.content, "application/vnd.api+json": { schema: fixed } } };
}
