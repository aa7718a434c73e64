/** The demo store's people and activity: consent, the events' window and funnel, opt-outs. */
import { describe, expect, it } from "vitest";
import { all, attrs, DAY, demo, eventsOf, metricName, NOW, props, store } from "./fixture.js";

describe("seedDemoData: profiles and events", () => {
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
});
