/**
 * The stored events a campaign or flow report counts: message events (`$message`) and
 * conversions of the conversion metric attributed to a message (`$attributed_message`).
 * Klaviyo's reports are "based on send date": engagement is dated by the send it belongs to,
 * so an open on Tuesday of Monday's email counts for Monday.
 */
import type { Store, StoredResource } from "../store.js";
import { kindOfMetric, type MessageEventKind } from "./statistics.js";

export interface MessageHit {
  kind: MessageEventKind | "conversion";
  messageId: string;
  /** Profile id; events without a profile count as their own "person". */
  person: string;
  /** Send-date of the message instance, epoch ms (the event's own time for sends). */
  time: number;
  variation: string | null;
  value: number;
  segments: number;
  creditUsage: number;
  /** A bounce/failure with no Received event for the same person and message. */
  unreceived: boolean;
}

const SENDS = new Set<string>(["received", "bounced", "failed"]);

export function eventTime(event: StoredResource): number {
  const { timestamp, datetime } = event.attributes;
  if (typeof timestamp === "number") return timestamp * 1000;
  return typeof datetime === "string" ? Date.parse(datetime) : Number.NaN;
}

export function eventProperties(event: StoredResource): Record<string, unknown> {
  const props = event.attributes.event_properties;
  return props && typeof props === "object" ? (props as Record<string, unknown>) : {};
}

const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
const number = (value: unknown) =>
  typeof value === "number" && Number.isFinite(value) ? value : 0;

/** Every hit on a message of `messageType` ("campaign-message" / "flow-message"). */
export function messageHits(
  store: Store,
  messageType: string,
  conversionMetricId: string,
): MessageHit[] {
  const kinds = new Map<string, MessageEventKind | undefined>();
  const kindOf = (metricId: string) => {
    if (!kinds.has(metricId)) {
      const name = store.get("metric", metricId)?.attributes.name;
      kinds.set(metricId, typeof name === "string" ? kindOfMetric(name) : undefined);
    }
    return kinds.get(metricId);
  };
  const isMessage = (id: string | undefined): id is string =>
    id !== undefined && store.get(messageType, id) !== undefined;

  const hits: MessageHit[] = [];
  for (const event of store.all("event")) {
    const metricId = store.relatedOne("event", event.id, "metric");
    if (!metricId) continue;
    const props = eventProperties(event);
    const base = {
      person: store.relatedOne("event", event.id, "profile") ?? `event:${event.id}`,
      time: eventTime(event),
      variation: text(props.$variation) ?? null,
      value: 0,
      segments: 0,
      creditUsage: 0,
      unreceived: false,
    };
    if (Number.isNaN(base.time)) continue;
    const kind = kindOf(metricId);
    const message = text(props.$message);
    if (kind && isMessage(message)) {
      const sms = kind === "received" ? props : {};
      hits.push({
        ...base,
        kind,
        messageId: message,
        segments: number(sms["Segment Count"]),
        creditUsage: number(sms.$usage_amount),
      });
    }
    const attributed = text(props.$attributed_message);
    if (metricId === conversionMetricId && isMessage(attributed)) {
      hits.push({
        ...base,
        kind: "conversion",
        messageId: attributed,
        value: number(props.$value),
      });
    }
  }
  return datedBySend(hits);
}

/** Re-dates engagement to the latest earlier send of the same message to the same person. */
function datedBySend(hits: MessageHit[]): MessageHit[] {
  const sends = new Map<string, number[]>();
  const received = new Set<string>();
  for (const hit of hits) {
    if (!SENDS.has(hit.kind)) continue;
    const pair = `${hit.messageId}|${hit.person}`;
    sends.set(pair, [...(sends.get(pair) ?? []), hit.time]);
    if (hit.kind === "received") received.add(pair);
  }
  for (const times of sends.values()) times.sort((a, b) => a - b);
  return hits.map((hit) => {
    const pair = `${hit.messageId}|${hit.person}`;
    if (SENDS.has(hit.kind)) {
      return hit.kind === "received" ? hit : { ...hit, unreceived: !received.has(pair) };
    }
    const sentAt = (sends.get(pair) ?? []).filter((time) => time <= hit.time).at(-1);
    return sentAt === undefined ? hit : { ...hit, time: sentAt };
  });
}
