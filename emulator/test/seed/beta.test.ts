/** The beta's demo data: deterministic, one of each beta resource, in the beta spec's names. */
import { describe, expect, it } from "vitest";
import { RESOURCE_TYPES as BETA_TYPES } from "../../operations/beta/index.js";
import { RESOURCE_TYPES } from "../../operations/index.js";
import { demo, seeded, store } from "./fixture.js";

const BETA_ONLY = Object.keys(BETA_TYPES).filter((type) => !RESOURCE_TYPES[type]);

/** Stored fields the beta's filters name that its attributes call otherwise. */
const FILTER_FIELDS: Record<string, string[]> = {
  application: ["built_by", "category"],
  translation: ["resource_type", "related_resource_id", "values"],
  "agent-tool": ["tool_type"],
  "agent-secret": ["fingerprint"],
  "customer-agent-conversation": ["channel"],
  "api-key": ["redacted_key"],
  "event-bulk-export-job": ["completed_at", "start_date", "end_date"],
  "profile-bulk-export-job": ["completed_at", "properties"],
  "campaign-audience": ["primary"],
  "campaign-variation": ["primary"],
};

describe("the beta demo data", () => {
  it("is the same for the same seed and clock, ids included", () => {
    const again = seeded().store;
    for (const type of BETA_ONLY) {
      expect(again.all(type), type).toEqual(store.all(type));
    }
  });

  it("has the beta resources each kind of read needs", () => {
    for (const type of [
      "brand-color",
      "brand-button",
      "brand-logo",
      "brand-social-group",
      "sending-domain",
      "text-messaging-sender",
      "text-messaging-sender-registration",
      "api-key",
      "application",
      "billing-usage",
      "translation",
      "agent-knowledge",
      "agent-secret",
      "agent-skill",
      "agent-tool",
      "customer-agent-conversation",
      "customer-agent-message",
      "profile-bulk-export-job",
      "event-bulk-export-job",
    ]) {
      expect(store.count(type), type).toBeGreaterThan(0);
    }
    for (const type of ["brand-voice", "brand-email-default", "customer-agent"]) {
      expect(store.get(type, demo.accountId), type).toBeDefined();
    }
  });

  it("gives every campaign one primary audience and every message one primary variation", () => {
    for (const campaign of store.all("campaign")) {
      const audiences = store.related("campaign", campaign.id, "campaign-audiences");
      expect(audiences, campaign.id).toHaveLength(1);
      for (const message of store.related("campaign", campaign.id, "campaign-messages")) {
        expect(store.relatedOne("campaign-message", message, "campaign-audience")).toBe(
          audiences[0],
        );
        expect(store.related("campaign-message", message, "campaign-variations")).toHaveLength(1);
      }
    }
  });

  it("stores only the beta spec's attribute names (and the fields filters read)", () => {
    for (const type of BETA_ONLY) {
      const allowed = new Set([
        ...(BETA_TYPES[type]?.attributes ?? []),
        ...(FILTER_FIELDS[type] ?? []),
      ]);
      for (const resource of store.all(type)) {
        const unknown = Object.keys(resource.attributes).filter((name) => !allowed.has(name));
        expect(unknown, `${type} ${resource.id}`).toEqual([]);
      }
    }
  });
});
