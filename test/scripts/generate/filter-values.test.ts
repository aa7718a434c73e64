/**
 * Where a filter field's values come from, on the vendored spec: the rule's enum, else the
 * response attribute's enum, else the errata (whose quotes must still be in the spec); and the
 * fields that stay open are exactly the ones scripts/generate/filter-values.ts names.
 */
import { describe, expect, it } from "vitest";
import {
  attributeValues,
  FILTER_VALUE_ERRATA,
  type FilterRule,
  filterValues,
} from "../../../scripts/generate/filter-values.js";
import { deref, loadInputs, type Operation, type Schema } from "../../../scripts/generate/spec.js";
import { specDir } from "../../../scripts/generate.js";

const { spec } = loadInputs(specDir);
const operations = new Map<string, Operation>(
  Object.values(spec.paths).flatMap((methods) =>
    Object.values(methods).map((op) => [op.operationId, op] as const),
  ),
);

function operation(id: string): Operation {
  const op = operations.get(id);
  if (!op) throw new Error(`no operation ${id} in the spec`);
  return op;
}

function valuesOf(id: string, field: string): string[] | undefined {
  const op = operation(id);
  const rule = op["x-klaviyo-filters"]?.[field] as FilterRule | undefined;
  if (!rule) throw new Error(`${id} has no filter field ${field}`);
  return filterValues(spec, op, field, rule);
}

describe("filterValues", () => {
  it("takes the rule's own enum first, even where the resource's enum says more", () => {
    expect(valuesOf("get_bulk_import_profiles_jobs", "status")).toEqual([
      "queued",
      "processing",
      "complete",
    ]);
    expect(attributeValues(spec, operation("get_bulk_import_profiles_jobs"), "status")).toEqual([
      "cancelled",
      "complete",
      "processing",
      "queued",
    ]);
  });

  it("else the enum of the response attribute at that dotted path, through allOf and arrays", () => {
    expect(valuesOf("get_profiles", "subscriptions.email.marketing.suppression.reason")).toEqual([
      "HARD_BOUNCE",
      "INVALID_EMAIL",
      "SPAM_COMPLAINT",
      "UNSUBSCRIBE",
      "USER_SUPPRESSED",
    ]);
  });

  it("finds the same set in the resource as the rule states, where both say it", () => {
    expect(attributeValues(spec, operation("get_flows"), "trigger_type")).toEqual([
      "Added to List",
      "Date Based",
      "Low Inventory",
      "Metric",
      "Price Drop",
      "Unconfigured",
    ]);
    // A relationship-ish field: campaign-messages, then the message's definition.channel.
    expect(attributeValues(spec, operation("get_campaigns"), "messages.channel")).toEqual([
      "email",
      "mobile_push",
      "sms",
    ]);
    // A linkage-only response: the values come from the type's resource schemas.
    expect(attributeValues(spec, operation("get_coupon_code_ids_for_coupon"), "status")).toEqual(
      attributeValues(spec, operation("get_coupon_codes_for_coupon"), "status"),
    );
  });

  it("else the errata: flow status from update_flow's prose", () => {
    const erratum = FILTER_VALUE_ERRATA["flow status"];
    const described = deref(spec, { $ref: "#/components/schemas/FlowUpdateQueryResourceObject" })
      .properties?.attributes?.properties?.status?.description;
    expect(described).toBe(erratum?.source);
    for (const value of erratum?.values ?? []) expect(described).toContain(`'${value}'`);
    expect(attributeValues(spec, operation("get_flows"), "status")).toBeUndefined();
    expect(valuesOf("get_flows", "status")).toEqual(["draft", "manual", "live"]);
  });

  it("else the errata: flow-action status from the action definitions' data", () => {
    const definition = deref(spec, {
      $ref: "#/components/schemas/FlowActionEncodedResponseObjectResource",
    }).properties?.attributes?.properties?.definition;
    const statuses = new Set<string>();
    for (const branch of definition?.oneOf ?? []) {
      const data = deref(spec, deref(spec, branch).properties?.data);
      const status = deref(spec, data.properties?.status) as Schema;
      expect([undefined, "Flow action status."]).toContain(status.description);
      for (const value of status.enum ?? []) statuses.add(String(value));
    }
    expect([...statuses].sort()).toEqual(FILTER_VALUE_ERRATA["flow-action status"]?.values);
    expect(valuesOf("get_actions_for_flow", "status")).toEqual([...statuses].sort());
    expect(valuesOf("get_action_ids_for_flow", "status")).toEqual([...statuses].sort());
  });

  it("gives no values to non-string fields, dates, or free text", () => {
    expect(valuesOf("get_flows", "archived")).toBeUndefined();
    expect(valuesOf("get_flows", "created")).toBeUndefined();
    expect(valuesOf("get_flows", "name")).toBeUndefined();
  });

  it("leaves open exactly the status/type-like fields the file says the spec does not close", () => {
    const open: string[] = [];
    for (const op of operations.values()) {
      for (const [field, raw] of Object.entries(op["x-klaviyo-filters"] ?? {})) {
        const rule = raw as FilterRule;
        const last = field.split(".").at(-1) ?? field;
        const named = /status|channel|type|method|kind|format|source|reason|category/.test(last);
        if (rule.value?.type !== "string" || rule.value.format || !named) continue;
        if (!filterValues(spec, op, field, rule)) open.push(`${op.operationId} ${field}`);
      }
    }
    expect(open.sort()).toEqual([
      "get_action_ids_for_flow action_type",
      "get_actions_for_flow action_type",
      "get_images format",
      "get_metrics integration.category",
      "get_profiles subscriptions.email.marketing.list_suppressions.reason",
    ]);
  });
});
