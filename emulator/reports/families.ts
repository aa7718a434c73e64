/**
 * What differs between campaign and flow reports: which message type they cover, the grouping
 * and filter attributes they allow, and how a message's attributes are looked up.
 */
import type { AllowedFilters } from "../filter.js";
import { OPERATIONS } from "../operations/index.js";
import type { Store } from "../store.js";

/** Attribute values of one message, keyed by group-by / filter attribute name. */
export interface MessageView {
  dims: Record<string, string | null>;
  tags: Array<{ id: string; name: string | null }>;
}

export interface ReportFamily {
  messageType: "campaign-message" | "flow-message";
  groupBy: readonly string[];
  /** Attributes every explicit group_by must contain. */
  requiredGroupBy: readonly string[];
  defaultGroupBy: readonly string[];
  filters: AllowedFilters;
  view(store: Store, messageId: string): MessageView | undefined;
}

/** Send channels as the reporting API spells them. */
const CHANNELS: Record<string, string> = {
  email: "email",
  sms: "sms",
  mobile_push: "push-notification",
  whatsapp: "whatsapp",
};
const SEND_CHANNELS = ["email", "sms", "push-notification", "whatsapp"];

const SCALAR = {
  operators: { single: ["equals"], list: ["contains-any"] },
  value: { type: "string" },
};
const LIST = { operators: { list: ["contains-any", "contains-all"] }, value: { type: "string" } };

function filtersFor(scalars: readonly string[]): AllowedFilters {
  const rules: AllowedFilters = { tag_id: LIST, tag_name: LIST };
  for (const field of scalars) rules[field] = SCALAR;
  rules.send_channel = { ...SCALAR, value: { type: "string", enum: SEND_CHANNELS } };
  return rules;
}

type Attrs = Record<string, unknown>;
const record = (value: unknown): Attrs =>
  value && typeof value === "object" ? (value as Attrs) : {};
const text = (value: unknown) => (typeof value === "string" ? value : null);

/** Shared message attributes: channel and SMS format (MMS when it carries media). */
function messageDims(attributes: Attrs): Record<string, string | null> {
  const definition = record(attributes.definition);
  const raw = text(definition.channel) ?? text(attributes.channel);
  const channel = raw === null ? null : (CHANNELS[raw] ?? raw);
  const content = { ...record(definition.content), ...definition };
  const media = content.media_url ?? content.image_id ?? content.dynamic_image;
  return {
    send_channel: channel,
    text_message_format: channel === "sms" ? (media ? "MMS" : "SMS") : null,
    // A/B variations are not modelled on messages; hits may still carry `$variation`.
    variation: null,
    variation_name: null,
  };
}

function tagsOf(store: Store, type: string, id: string | undefined): MessageView["tags"] {
  if (!id) return [];
  return store
    .related(type, id, "tags")
    .map((tag) => ({ id: tag, name: text(store.get("tag", tag)?.attributes.name) }));
}

/** The spec's `group_by` choices for a report (from the generated catalog). */
function specGroupBy(operationId: string): readonly string[] {
  return OPERATIONS.find((op) => op.id === operationId)?.requestEnums?.group_by ?? [];
}

export const CAMPAIGN_FAMILY: ReportFamily = {
  messageType: "campaign-message",
  groupBy: specGroupBy("query_campaign_values"),
  requiredGroupBy: ["campaign_id", "campaign_message_id"],
  defaultGroupBy: ["campaign_id", "campaign_message_id", "send_channel"],
  filters: filtersFor([
    "campaign_id",
    "campaign_message_id",
    "campaign_message_name",
    "variation",
    "variation_name",
    "text_message_format",
  ]),
  view(store, messageId) {
    const message = store.get("campaign-message", messageId);
    if (!message) return undefined;
    const campaignId = store.relatedOne("campaign-message", messageId, "campaign");
    const campaign = campaignId ? store.get("campaign", campaignId) : undefined;
    const label = text(record(message.attributes.definition).label);
    return {
      dims: {
        ...messageDims(message.attributes),
        campaign_id: campaignId ?? null,
        campaign_message_id: messageId,
        campaign_message_name: label ?? text(campaign?.attributes.name),
        // Send groups ("group") are a UI concept with no counterpart in the stored data.
        group: null,
        group_name: null,
      },
      tags: tagsOf(store, "campaign", campaignId),
    };
  },
};

export const FLOW_FAMILY: ReportFamily = {
  messageType: "flow-message",
  groupBy: specGroupBy("query_flow_values"),
  requiredGroupBy: ["flow_id", "flow_message_id"],
  defaultGroupBy: ["flow_id", "flow_message_id", "send_channel"],
  filters: filtersFor([
    "flow_id",
    "flow_name",
    "flow_message_id",
    "flow_message_name",
    "variation",
    "variation_name",
    "text_message_format",
  ]),
  view(store, messageId) {
    const message = store.get("flow-message", messageId);
    if (!message) return undefined;
    const actionId = store.relatedOne("flow-message", messageId, "flow-action");
    const flowId = actionId ? store.relatedOne("flow-action", actionId, "flow") : undefined;
    const flow = flowId ? store.get("flow", flowId) : undefined;
    const name = text(message.attributes.name) ?? text(record(message.attributes.definition).label);
    return {
      dims: {
        ...messageDims(message.attributes),
        flow_id: flowId ?? null,
        flow_message_id: messageId,
        flow_message_name: name,
        flow_name: text(flow?.attributes.name),
      },
      tags: tagsOf(store, "flow", flowId),
    };
  },
};
