/** The small store the report tests compute from, and a helper to catch a ReportError. */
import { ReportError } from "../../reports.js";
import { Store } from "../../store.js";

// Friday 2024-03-15 12:00 UTC (08:00 in New York, which is on EDT, -04:00).
const NOW = Date.parse("2024-03-15T12:00:00Z");

const METRICS = {
  RCV: "Received Email",
  RSMS: "Received SMS",
  OPN: "Opened Email",
  CLK: "Clicked Email",
  CSMS: "Clicked SMS",
  BNC: "Bounced Email",
  UNS: "Unsubscribed",
  SPM: "Marked Email as Spam",
  ORD: "Placed Order",
};

/**
 * Campaign A (email, message CM_A, tagged "Promo") sent 03-13 10:00 to p1-p3, bounced for p4.
 * Campaign B (SMS, message CM_B) sent 03-14 to p1 and p2. Flow F1 (email message FM1) sent to
 * p1 on 03-12 and p2/p3 on 03-13. Orders: p1 50 + 25.5 from CM_A, p2 40 from FM1, p2 10 direct.
 */
export function buildStore(accountZone?: string): Store {
  const store = new Store({ now: () => NOW });
  if (accountZone) store.insert("account", { timezone: accountZone }, "ACCOUNT");
  for (const [id, name] of Object.entries(METRICS)) {
    store.insert("metric", { name, integration: { name: "Klaviyo" } }, id);
  }
  for (const id of ["p1", "p2", "p3", "p4"]) store.insert("profile", { email: `${id}@x.test` }, id);
  store.insert("campaign", { name: "Spring sale" }, "CAMPAIGN_A");
  store.insert("campaign", { name: "SMS blast" }, "CAMPAIGN_B");
  store.insert("tag", { name: "Promo" }, "TAG1");
  store.link("campaign", "CAMPAIGN_A", "tags", ["TAG1"]);
  store.insert("campaign-message", { definition: { channel: "email", label: "Spring A" } }, "CM_A");
  store.insert("campaign-message", { definition: { channel: "sms", content: {} } }, "CM_B");
  store.link("campaign-message", "CM_A", "campaign", ["CAMPAIGN_A"]);
  store.link("campaign-message", "CM_B", "campaign", ["CAMPAIGN_B"]);
  store.insert("flow", { name: "Welcome" }, "F1");
  store.insert("flow-action", { action_type: "SEND_EMAIL" }, "FA1");
  store.insert("flow-message", { name: "Welcome 1", definition: { channel: "email" } }, "FM1");
  store.link("flow-action", "FA1", "flow", ["F1"]);
  store.link("flow-message", "FM1", "flow-action", ["FA1"]);

  let n = 0;
  const event = (metric: string, profile: string, iso: string, props = {}) => {
    const ms = Date.parse(iso);
    const datetime = new Date(ms).toISOString();
    const attributes = { timestamp: ms / 1000, datetime, uuid: `u${n++}`, event_properties: props };
    const { id } = store.insert("event", attributes);
    store.link("event", id, "metric", [metric]);
    store.link("event", id, "profile", [profile]);
  };
  const cmA = { $message: "CM_A" };
  for (const p of ["p1", "p2", "p3"]) event("RCV", p, "2024-03-13T10:00:00Z", cmA);
  event("BNC", "p4", "2024-03-13T10:00:00Z", cmA);
  event("OPN", "p1", "2024-03-13T11:00:00Z", cmA);
  event("OPN", "p1", "2024-03-14T09:00:00Z", cmA); // dated by its send: counts on 03-13
  event("OPN", "p2", "2024-03-13T12:00:00Z", cmA);
  event("CLK", "p1", "2024-03-13T11:05:00Z", cmA);
  event("UNS", "p2", "2024-03-13T12:10:00Z", cmA);
  event("SPM", "p3", "2024-03-13T13:00:00Z", cmA);
  const cmB = { $message: "CM_B", "Segment Count": 2 };
  event("RSMS", "p1", "2024-03-14T15:00:00Z", cmB);
  event("RSMS", "p2", "2024-03-14T15:00:00Z", cmB);
  event("CSMS", "p1", "2024-03-14T15:30:00Z", { $message: "CM_B" });
  const fm = { $message: "FM1", $flow: "F1" };
  event("RCV", "p1", "2024-03-12T08:00:00Z", fm);
  event("RCV", "p2", "2024-03-13T08:00:00Z", fm);
  event("RCV", "p3", "2024-03-13T09:00:00Z", fm);
  event("OPN", "p1", "2024-03-13T07:00:00Z", fm); // p1's 03-12 send
  event("OPN", "p2", "2024-03-13T10:00:00Z", fm);
  event("OPN", "p2", "2024-03-13T11:00:00Z", fm);
  event("CLK", "p2", "2024-03-14T08:00:00Z", fm);
  event("ORD", "p1", "2024-03-14T10:00:00Z", { $value: 50, $attributed_message: "CM_A" });
  event("ORD", "p1", "2024-03-15T09:00:00Z", { $value: 25.5, $attributed_message: "CM_A" });
  event("ORD", "p2", "2024-03-14T02:00:00Z", { $value: 10, Source: "web" });
  event("ORD", "p2", "2024-03-14T15:00:00Z", {
    $value: 40,
    $attributed_message: "FM1",
    $attributed_flow: "F1",
    Source: "app",
  });
  return store;
}

/** The ReportError a call throws, or fails the test. */
export function reportError(call: () => unknown): ReportError {
  try {
    call();
  } catch (error) {
    if (error instanceof ReportError) return error;
    throw error;
  }
  throw new Error("expected a ReportError");
}
