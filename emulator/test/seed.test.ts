import { describe, expect, it } from "vitest";
import { RESOURCE_TYPES } from "../catalog/index.js";
import { RELATIONS } from "../relations.js";
import { type DemoSummary, seedDemoData } from "../seed.js";
import { Store, type StoredResource } from "../store.js";

const NOW = Date.parse("2026-10-01T12:00:00Z");
const DAY = 86_400_000;

function seeded(seed = 1, storeSeed = 1): { store: Store; demo: DemoSummary } {
  const store = new Store({ seed: storeSeed, now: () => NOW });
  return { store, demo: seedDemoData(store, { seed }) };
}

const { store, demo } = seeded();
const seededTypes = Object.keys(RESOURCE_TYPES).filter((type) => store.count(type) > 0);
const all = (type: string) => store.all(type);
const attrs = (type: string) => all(type).map((r) => r.attributes);
const metricName = (event: StoredResource) =>
  store.get("metric", store.relatedOne("event", event.id, "metric") ?? "")?.attributes.name;
const props = (event: StoredResource) =>
  event.attributes.event_properties as Record<string, unknown>;
const eventsOf = (metric: string) => all("event").filter((e) => metricName(e) === metric);

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

  it("gives every profile a unique email and consistent consent", () => {
    const emails = attrs("profile").map((p) => p.email);
    expect(new Set(emails).size).toBe(emails.length);
    expect(emails.every((e) => typeof e === "string" && /^[^@\s]+@[^@\s]+\.[a-z]+$/.test(e))).toBe(
      true,
    );
    const phones = attrs("profile").flatMap((p) => (p.phone_number ? [p.phone_number] : []));
    expect(phones.length).toBeGreaterThan(50);
    expect(new Set(phones).size).toBe(phones.length);
    expect(phones.every((p) => /^\+1\d{10}$/.test(String(p)))).toBe(true);

    const consents = new Map<string, number>();
    for (const p of attrs("profile")) {
      const subs = p.subscriptions as {
        email: { marketing: Record<string, unknown> };
        sms: { marketing: Record<string, unknown> };
      };
      const email = subs.email.marketing;
      consents.set(String(email.consent), (consents.get(String(email.consent)) ?? 0) + 1);
      expect(["SUBSCRIBED", "UNSUBSCRIBED", "NEVER_SUBSCRIBED"]).toContain(email.consent);
      expect(typeof email.can_receive_email_marketing).toBe("boolean");
      if (email.consent !== "SUBSCRIBED") expect(email.can_receive_email_marketing).toBe(false);
      if (!p.phone_number) expect(subs.sms.marketing.consent).toBe("NEVER_SUBSCRIBED");
      const location = p.location as Record<string, unknown>;
      expect(typeof location.city).toBe("string");
      expect(typeof location.latitude).toBe("number");
    }
    expect(consents.get("SUBSCRIBED")).toBeGreaterThan(150);
    expect(consents.get("UNSUBSCRIBED")).toBeGreaterThan(5);
    expect(consents.get("NEVER_SUBSCRIBED")).toBeGreaterThan(20);
    const suppressed = attrs("profile").filter(
      (p) =>
        (p.subscriptions as { email: { marketing: { suppression: unknown[] } } }).email.marketing
          .suppression.length > 0,
    );
    expect(suppressed.length).toBeGreaterThan(3);
    expect(attrs("profile").filter((p) => p.predictive_analytics).length).toBeGreaterThan(50);
  });

  it("puts every event in the 90 days before now, in order, with one profile and one metric", () => {
    const problems: string[] = [];
    let previous = 0;
    for (const event of all("event")) {
      const { timestamp, datetime, uuid } = event.attributes;
      const ms = typeof timestamp === "number" ? timestamp * 1000 : Number.NaN;
      const profile = store.related("event", event.id, "profile");
      const metric = store.related("event", event.id, "metric");
      if (!(ms >= NOW - 90 * DAY && ms <= NOW)) problems.push(`${event.id}: out of range`);
      if (ms < previous) problems.push(`${event.id}: out of order`);
      if (Date.parse(String(datetime)) !== ms) problems.push(`${event.id}: datetime ${datetime}`);
      if (!/^[0-9a-f-]{36}$/.test(String(uuid))) problems.push(`${event.id}: uuid`);
      if (profile.length !== 1 || !store.get("profile", profile[0] ?? "")) {
        problems.push(`${event.id}: profile ${profile}`);
      }
      if (metric.length !== 1 || !store.get("metric", metric[0] ?? "")) {
        problems.push(`${event.id}: metric ${metric}`);
      }
      previous = ms;
    }
    expect(problems).toEqual([]);
  });

  it("makes a plausible funnel with the message conventions the reports use", () => {
    const count = (metric: string) => eventsOf(metric).length;
    expect(count("Received Email")).toBeGreaterThan(count("Opened Email"));
    expect(count("Opened Email")).toBeGreaterThan(count("Clicked Email"));
    const attributed = eventsOf("Placed Order").filter((e) => props(e).$attributed_message);
    expect(count("Clicked Email") + count("Clicked SMS")).toBeGreaterThan(attributed.length * 2);
    expect(attributed.length).toBeGreaterThan(5);
    expect(count("Placed Order")).toBeGreaterThan(40);
    expect(count("Received SMS")).toBeGreaterThan(count("Clicked SMS"));
    expect(count("Viewed Product")).toBeGreaterThan(count("Added to Cart"));
    expect(count("Added to Cart")).toBeGreaterThan(count("Started Checkout"));

    const messageTypes = ["campaign-message", "flow-message"];
    const isMessage = (id: unknown) =>
      typeof id === "string" && messageTypes.some((t) => store.get(t, id));
    const flowOfMessage = (id: string) => {
      const action = store.relatedOne("flow-message", id, "flow-action");
      return action ? store.relatedOne("flow-action", action, "flow") : undefined;
    };
    for (const metric of ["Received Email", "Opened Email", "Clicked Email", "Received SMS"]) {
      for (const event of eventsOf(metric)) {
        const p = props(event);
        expect(isMessage(p.$message), `${metric} ${String(p.$message)}`).toBe(true);
        const message = String(p.$message);
        if (store.get("flow-message", message)) {
          expect(p.$flow).toBe(flowOfMessage(message));
        } else {
          expect(p["Campaign Name"]).toBe(
            store.get("campaign", store.relatedOne("campaign-message", message, "campaign") ?? "")
              ?.attributes.name,
          );
          if (metric.endsWith("Email")) expect(typeof p.Subject).toBe("string");
        }
        if (metric === "Received SMS") expect(p["Segment Count"]).toBeGreaterThan(0);
      }
    }

    const orders = eventsOf("Placed Order");
    const ids = new Set<string>();
    for (const order of orders) {
      const p = props(order);
      expect(typeof p.$value).toBe("number");
      expect(p.$value as number).toBeGreaterThan(0);
      expect(Array.isArray(p.Items)).toBe(true);
      expect(p.ItemCount).toBeGreaterThanOrEqual((p.Items as unknown[]).length);
      ids.add(String(p.OrderId));
      if (p.$attributed_message !== undefined) expect(isMessage(p.$attributed_message)).toBe(true);
      if (p.$attributed_flow !== undefined) {
        expect(p.$attributed_flow).toBe(flowOfMessage(String(p.$attributed_message)));
      }
    }
    expect(ids.size).toBe(orders.length);
    expect(orders.some((o) => props(o).$attributed_flow)).toBe(true);
    expect(orders.some((o) => props(o).$attributed_message && !props(o).$attributed_flow)).toBe(
      true,
    );
    // Every sent campaign reached someone; drafts and scheduled ones did not.
    for (const id of demo.campaignIds) {
      const message = store.related("campaign", id, "campaign-messages")[0] ?? "";
      const received = all("event").filter((e) => props(e).$message === message).length;
      if (demo.sentCampaignIds.includes(id)) expect(received, id).toBeGreaterThan(0);
      else expect(received, id).toBe(0);
    }
  });

  it("keeps nobody on a send after they unsubscribed or bounced", () => {
    const optedOut = new Map<string, number>();
    for (const event of all("event")) {
      const profile = store.relatedOne("event", event.id, "profile") ?? "";
      const metric = metricName(event);
      const at = event.attributes.timestamp as number;
      const out = optedOut.get(profile);
      if (metric === "Received Email") expect(out === undefined || at < out).toBe(true);
      if (metric === "Unsubscribed" || metric === "Bounced Email") optedOut.set(profile, at);
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
