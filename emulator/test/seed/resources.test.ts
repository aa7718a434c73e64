/** The demo store's resources: determinism, amounts, attribute names and formats, links, jobs. */
import { describe, expect, it } from "vitest";
import { RESOURCE_TYPES } from "../../operations/index.js";
import { RELATIONS } from "../../relations.js";
import type { Store } from "../../store.js";
import { all, attrs, demo, NOW, seeded, store } from "./fixture.js";

const seededTypes = Object.keys(RESOURCE_TYPES).filter((type) => store.count(type) > 0);

/** Every stored link the seed could have written, for comparing two stores. */
function linkSnapshot(s: Store): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const key of RELATIONS.keys()) {
    const [type, relationship] = [key.slice(0, key.indexOf(".")), key.slice(key.indexOf(".") + 1)];
    for (const r of s.all(type)) {
      const ids = s.related(type, r.id, relationship);
      if (ids.length > 0) out[`${type}:${r.id}:${relationship}`] = ids;
    }
  }
  return out;
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/;
const DATE_KEYS = new Set([
  "created",
  "updated",
  "created_at",
  "updated_at",
  "completed_at",
  "expires_at",
  "started_at",
  "scheduled_at",
  "send_time",
  "datetime",
  "consent_timestamp",
  "last_updated",
  "last_event_date",
  "recorded_date",
  "expected_date_of_next_order",
]);

function badDates(value: unknown, path: string, out: string[]): string[] {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) badDates(v, `${path}[${i}]`, out);
  } else if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (DATE_KEYS.has(key) && v !== null && (typeof v !== "string" || !ISO.test(v))) {
        out.push(`${path}.${key}=${String(v)}`);
      }
      badDates(v, `${path}.${key}`, out);
    }
  }
  return out;
}

describe("seedDemoData", () => {
  it("is deterministic for a seed and now, ids included", () => {
    const other = seeded();
    for (const type of seededTypes) expect(other.store.all(type), type).toEqual(store.all(type));
    expect(linkSnapshot(other.store)).toEqual(linkSnapshot(store));
    expect(other.demo).toEqual(demo);
  });

  it("differs for another seed", () => {
    const other = seeded(2);
    expect(other.demo.profileIds).not.toEqual(demo.profileIds);
    expect(other.store.all("profile").map((p) => p.attributes.email)).not.toEqual(
      all("profile").map((p) => p.attributes.email),
    );
    expect(other.demo.eventCount).not.toBe(demo.eventCount);
  });

  it("seeds every kind of resource in the intended amounts", () => {
    const ranges: Record<string, [number, number]> = {
      account: [1, 1],
      profile: [280, 320],
      list: [6, 8],
      segment: [5, 6],
      metric: [12, 16],
      event: [2000, 8000],
      campaign: [8, 12],
      "campaign-message": [8, 12],
      flow: [5, 6],
      "flow-action": [10, 30],
      "flow-message": [5, 15],
      template: [8, 25],
      image: [6, 10],
      "catalog-category": [6, 6],
      "catalog-item": [36, 44],
      "catalog-variant": [40, 120],
      coupon: [3, 3],
      "coupon-code": [25, 35],
      "tag-group": [2, 3],
      tag: [6, 12],
      "webhook-topic": [5, 30],
      webhook: [2, 2],
      form: [3, 3],
      "form-version": [3, 6],
      "push-token": [3, 12],
      "import-error": [1, 1],
    };
    for (const [type, [min, max]] of Object.entries(ranges)) {
      expect(store.count(type), type).toBeGreaterThanOrEqual(min);
      expect(store.count(type), type).toBeLessThanOrEqual(max);
    }
    for (const type of [
      "profile-bulk-import-job",
      "catalog-item-bulk-create-job",
      "catalog-item-bulk-update-job",
      "catalog-item-bulk-delete-job",
      "catalog-variant-bulk-create-job",
      "catalog-variant-bulk-update-job",
      "catalog-variant-bulk-delete-job",
      "catalog-category-bulk-create-job",
      "catalog-category-bulk-update-job",
      "catalog-category-bulk-delete-job",
      "coupon-code-bulk-create-job",
      "profile-suppression-bulk-create-job",
      "profile-suppression-bulk-delete-job",
      "campaign-send-job",
      "campaign-recipient-estimation",
      "campaign-recipient-estimation-job",
    ]) {
      expect(store.count(type), type).toBeGreaterThan(0);
      expect(store.get(type, demo.jobIds[type] ?? ""), type).toBeDefined();
    }
    expect(demo.eventCount).toBe(store.count("event"));
  });

  it("returns a summary of ids that exist", () => {
    const check = (type: string, ids: string[]) => {
      expect(ids.length, type).toBeGreaterThan(0);
      for (const id of ids) expect(store.get(type, id), `${type} ${id}`).toBeDefined();
    };
    check("account", [demo.accountId]);
    check("list", demo.listIds);
    check("segment", demo.segmentIds);
    check("profile", demo.profileIds);
    check("metric", Object.values(demo.metricIds));
    check("campaign", demo.campaignIds);
    check("campaign-message", demo.campaignMessageIds);
    check("flow", demo.flowIds);
    check("flow-action", demo.flowActionIds);
    check("flow-message", demo.flowMessageIds);
    check("template", demo.templateIds);
    check("image", demo.imageIds);
    check("catalog-item", demo.catalogItemIds);
    check("catalog-variant", demo.catalogVariantIds);
    check("catalog-category", demo.catalogCategoryIds);
    check("coupon", demo.couponIds);
    check("coupon-code", demo.couponCodeIds);
    check("tag", Object.values(demo.tags));
    check("tag-group", demo.tagGroupIds);
    check("form", demo.formIds);
    check("webhook", demo.webhookIds);
    check("webhook-topic", demo.webhookTopicIds);
    check("push-token", demo.pushTokenIds);
    expect(demo.lists.Newsletter).toBe(demo.listIds[0]);
    expect(demo.flows["Welcome Series"]).toBeDefined();
    expect(demo.sentCampaignIds.length).toBeGreaterThanOrEqual(5);
    expect(demo.draftCampaignIds.length).toBeGreaterThanOrEqual(2);
    expect(demo.scheduledCampaignIds).toHaveLength(1);
    expect(store.get("account", demo.accountId)?.attributes.public_api_key).toBe(demo.accountId);
    expect(demo.accountId).toMatch(/^[A-Za-z0-9]{6}$/);
  });

  it("uses only attribute names the API returns", () => {
    const extra: Record<string, string[]> = { profile: ["subscriptions", "predictive_analytics"] };
    for (const type of seededTypes) {
      const allowed = new Set([
        ...(RESOURCE_TYPES[type]?.attributes ?? []),
        ...(extra[type] ?? []),
      ]);
      for (const resource of all(type)) {
        const unknown = Object.keys(resource.attributes).filter((name) => !allowed.has(name));
        expect(unknown, `${type} ${resource.id}`).toEqual([]);
      }
    }
  });

  it("writes Klaviyo-style date-times", () => {
    for (const type of seededTypes) {
      const bad = all(type).flatMap((r) => badDates(r.attributes, `${type}:${r.id}`, []));
      expect(bad, type).toEqual([]);
    }
  });

  it("matches the spec's enums and required fields for the main resources", () => {
    const campaignStatuses = ["Draft", "Scheduled", "Sent"];
    for (const c of attrs("campaign")) {
      expect(campaignStatuses).toContain(c.status);
      for (const key of ["name", "archived", "audiences", "send_options", "send_strategy"]) {
        expect(c[key], key).toBeDefined();
      }
      expect(Array.isArray((c.audiences as { included: unknown }).included)).toBe(true);
      expect(["static", "smart_send_time", "immediate"]).toContain(
        (c.send_strategy as { method: string }).method,
      );
      if (c.status === "Sent") expect(Date.parse(String(c.send_time))).toBeLessThan(NOW);
      if (c.status === "Scheduled") expect(Date.parse(String(c.send_time))).toBeGreaterThan(NOW);
    }
    for (const m of attrs("campaign-message")) {
      expect(["email", "sms"]).toContain((m.definition as { channel: string }).channel);
    }
    for (const message of all("campaign-message")) {
      if ((message.attributes.definition as { channel: string }).channel === "email") {
        expect(store.relatedOne("campaign-message", message.id, "template")).toBeDefined();
      }
    }
    const triggers = [
      "Added to List",
      "Date Based",
      "Low Inventory",
      "Metric",
      "Price Drop",
      "Unconfigured",
    ];
    for (const f of attrs("flow")) {
      expect(triggers).toContain(f.trigger_type);
      expect(["live", "draft", "manual"]).toContain(f.status);
      expect(f.archived).toBe(false);
    }
    for (const a of attrs("flow-action")) {
      const definition = a.definition as { type: string; data?: { status?: string } };
      expect(["send-email", "send-sms", "time-delay", "conditional-split"]).toContain(
        definition.type,
      );
      if (definition.type.startsWith("send-")) {
        expect(["disabled", "draft", "live", "manual"]).toContain(definition.data?.status);
      }
    }
    for (const id of demo.flowMessageIds) {
      const channel = store.get("flow-message", id)?.attributes.channel;
      if (channel === "email")
        expect(store.relatedOne("flow-message", id, "template")).toBeDefined();
    }
    for (const l of attrs("list"))
      expect(["single_opt_in", "double_opt_in"]).toContain(l.opt_in_process);
    for (const s of attrs("segment")) {
      expect(Array.isArray((s.definition as { condition_groups: unknown }).condition_groups)).toBe(
        true,
      );
      for (const key of ["is_active", "is_processing", "is_starred"])
        expect(typeof s[key]).toBe("boolean");
    }
    const codeStatuses = [
      "ASSIGNED_TO_PROFILE",
      "DELETING",
      "PROCESSING",
      "UNASSIGNED",
      "USED",
      "VERSION_NOT_ACTIVE",
    ];
    for (const c of attrs("coupon-code")) expect(codeStatuses).toContain(c.status);
    for (const v of attrs("catalog-variant")) expect([0, 1, 2]).toContain(v.inventory_policy);
    for (const f of attrs("form")) {
      expect(["draft", "live"]).toContain(f.status);
      expect(f.ab_test).toBe(false);
    }
    for (const v of attrs("form-version")) {
      expect(["banner", "embed", "flyout", "full_page", "popup"]).toContain(v.form_type);
      expect(typeof v.variation_name).toBe("string");
    }
    for (const t of attrs("template")) {
      expect(["CODE", "SYSTEM_DRAGGABLE"]).toContain(t.editor_type);
      expect(String(t.html)).toContain("{{ organization.name }}");
    }
    for (const i of attrs("image")) {
      expect(String(i.image_url)).toMatch(/^https:\/\/cdn\.example\.com\//);
      expect(Number.isInteger(i.size)).toBe(true);
      expect(i.hidden).toBe(false);
    }
    for (const w of attrs("webhook")) {
      expect(String(w.endpoint_url)).toMatch(/^https:\/\/hooks\.example\.com\//);
      expect(typeof w.enabled).toBe("boolean");
    }
    for (const id of demo.webhookIds) {
      expect(store.related("webhook", id, "webhook-topics").length).toBeGreaterThan(0);
    }
    for (const t of attrs("webhook-topic")) expect(t).toEqual({});
    for (const g of attrs("tag-group")) {
      expect(typeof g.exclusive).toBe("boolean");
      expect(typeof g.default).toBe("boolean");
    }
    for (const t of all("push-token")) {
      expect(["ios", "android"]).toContain(t.attributes.platform);
      expect(store.relatedOne("push-token", t.id, "profile")).toBeDefined();
    }
    for (const m of attrs("metric")) {
      expect((m.integration as { name: string }).name).toMatch(/^(Klaviyo|API)$/);
    }
  });

  it("links the catalog, coupons and tags", () => {
    for (const item of all("catalog-item")) {
      expect(item.id).toBe(`$custom:::$default:::${item.attributes.external_id}`);
      const variants = store.related("catalog-item", item.id, "variants");
      expect(variants.length).toBeGreaterThanOrEqual(1);
      expect(variants.length).toBeLessThanOrEqual(3);
      expect(store.related("catalog-item", item.id, "categories")).toHaveLength(1);
      for (const v of variants)
        expect(store.relatedOne("catalog-variant", v, "item")).toBe(item.id);
    }
    for (const coupon of all("coupon")) {
      expect(coupon.id).toBe(coupon.attributes.external_id);
      expect(store.related("coupon", coupon.id, "coupon-codes").length).toBeGreaterThan(0);
    }
    const codes = attrs("coupon-code").map((c) => c.unique_code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of all("coupon-code")) {
      const assigned = store.relatedOne("coupon-code", code.id, "profile");
      expect(assigned !== undefined).toBe(code.attributes.status !== "UNASSIGNED");
    }
    for (const tag of all("tag"))
      expect(store.relatedOne("tag", tag.id, "tag-group")).toBeDefined();
    expect(demo.campaignIds.some((id) => store.related("campaign", id, "tags").length > 0)).toBe(
      true,
    );
    expect(demo.flowIds.some((id) => store.related("flow", id, "tags").length > 0)).toBe(true);
    for (const id of demo.listIds)
      expect(store.related("list", id, "profiles").length, id).toBeGreaterThan(0);
    for (const id of demo.segmentIds)
      expect(store.related("segment", id, "profiles").length, id).toBeGreaterThan(0);
  });

  it("leaves finished jobs with consistent counts", () => {
    const jobTypes = seededTypes.filter((t) => t.endsWith("-job") && !t.startsWith("campaign-"));
    expect(jobTypes).toHaveLength(13);
    for (const type of jobTypes) {
      for (const job of attrs(type)) {
        expect(job.status, type).toBe("complete");
        const failed = (job.failed_count as number | undefined) ?? 0;
        const skipped = (job.skipped_count as number | undefined) ?? 0;
        expect((job.completed_count as number) + failed + skipped, type).toBe(job.total_count);
        if (Array.isArray(job.errors)) expect(job.errors.length, type).toBe(failed);
      }
    }
    const importJob = demo.jobIds["profile-bulk-import-job"] ?? "";
    expect(store.related("profile-bulk-import-job", importJob, "profiles")).toHaveLength(
      store.get("profile-bulk-import-job", importJob)?.attributes.completed_count as number,
    );
    expect(store.related("profile-bulk-import-job", importJob, "import-errors")).toEqual(
      demo.importErrorIds,
    );
    expect(store.related("profile-bulk-import-job", importJob, "lists")).toHaveLength(1);
    for (const id of demo.sentCampaignIds)
      expect(store.get("campaign-send-job", id)?.attributes.status).toBe("complete");
    for (const id of demo.draftCampaignIds) {
      expect(store.get("campaign-recipient-estimation-job", id)?.attributes.status).toBe(
        "complete",
      );
      expect(
        store.get("campaign-recipient-estimation", id)?.attributes.estimated_recipient_count,
      ).toBeGreaterThan(0);
    }
  });
});
