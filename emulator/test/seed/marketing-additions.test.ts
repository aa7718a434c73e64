/** The demo data of the added resources: deterministic, consistent with the rest of the store. */
import { describe, expect, it } from "vitest";
import { FORM_INTERACTION, SEGMENT_CHANGE } from "../../reports/audience-reports.js";
import { all, attrs, DAY, demo, NOW, seeded, store } from "./fixture.js";

const TYPES = [
  "template-universal-content",
  "web-feed",
  "tracking-setting",
  "review",
  "geofence",
  "ip-allowlist",
  FORM_INTERACTION,
  SEGMENT_CHANGE,
];

describe("seedMarketingAdditions", () => {
  it("is deterministic, links included", () => {
    const other = seeded();
    for (const type of TYPES) expect(other.store.all(type), type).toEqual(all(type));
    for (const review of all("review")) {
      for (const rel of ["item", "events"]) {
        expect(other.store.related("review", review.id, rel)).toEqual(
          store.related("review", review.id, rel),
        );
      }
    }
  });

  it("seeds a few of each resource", () => {
    expect(store.count("template-universal-content")).toBe(5);
    expect(store.count("web-feed")).toBe(3);
    expect(all("tracking-setting").map((s) => s.id)).toEqual([demo.accountId]);
    expect(store.count("review")).toBeGreaterThanOrEqual(12);
    expect(store.count("geofence")).toBe(3);
    expect(store.get("ip-allowlist", "integration-egress")).toBeDefined();
  });

  it("writes reviews by customers who ordered the product they review", () => {
    const statuses = new Set(attrs("review").map((r) => (r.status as { value: string }).value));
    expect([...statuses].sort()).toEqual([
      "featured",
      "pending",
      "published",
      "rejected",
      "unpublished",
    ]);
    for (const review of all("review").filter((r) => r.attributes.review_type !== "store")) {
      const item = store.get("catalog-item", store.relatedOne("review", review.id, "item") ?? "");
      const order = store.get("event", store.related("review", review.id, "events")[0] ?? "");
      const product = review.attributes.product as { external_id: string };
      expect(product.external_id).toBe(item?.attributes.external_id);
      expect(
        (order?.attributes.event_properties as { ProductID?: string } | undefined)?.ProductID,
      ).toBe(product.external_id);
      expect(store.relatedOne("event", order?.id ?? "", "profile")).toBe(
        all("profile").find((p) => p.attributes.email === review.attributes.email)?.id,
      );
      const created = Date.parse(String(review.attributes.created));
      expect(created).toBeGreaterThan((order?.attributes.timestamp as number) * 1000);
      expect(created).toBeLessThan(NOW);
    }
  });

  it("records form traffic on live versions only, in the last 90 days", () => {
    const interactions = attrs(FORM_INTERACTION);
    expect(interactions.length).toBeGreaterThan(1000);
    for (const i of interactions) {
      expect(store.get("form-version", String(i.form_version_id))?.attributes.status).toBe("live");
      expect(i.time as number).toBeGreaterThanOrEqual(NOW - 91 * DAY);
      expect(i.time as number).toBeLessThan(NOW);
    }
    const count = (kind: string) => interactions.filter((i) => i.kind === kind).length;
    expect(count("viewed_form")).toBeGreaterThan(count("closed_form"));
    expect(count("closed_form")).toBeGreaterThan(count("submitted_form"));
    expect(count("submitted_form")).toBeGreaterThan(20);
  });

  it("gives every segment a membership history that ends at its current members", () => {
    const changes = attrs(SEGMENT_CHANGE);
    for (const segment of demo.segmentIds) {
      const own = changes.filter((c) => c.segment_id === segment);
      const net = own.reduce((n, c) => n + (c.kind === "added" ? 1 : -1), 0);
      expect(net, segment).toBe(store.related("segment", segment, "profiles").length);
      expect(
        own.some((c) => c.kind === "removed"),
        segment,
      ).toBe(true);
      expect(own.every((c) => (c.time as number) < NOW)).toBe(true);
    }
  });

  it("starts the Welcome Series from the Newsletter list, and sends the SMS campaign with an image", () => {
    expect(store.related("list", demo.lists.Newsletter ?? "", "flow-triggers")).toEqual([
      demo.flows["Welcome Series"],
    ]);
    const sms = store.related("campaign", demo.smsCampaignId, "campaign-messages")[0] ?? "";
    expect(demo.imageIds).toContain(store.relatedOne("campaign-message", sms, "image"));
  });
});
