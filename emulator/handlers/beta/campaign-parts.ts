/**
 * The parts of a beta campaign as resources of their own: messages (created, updated, cloned to
 * another audience, deleted), audiences, variations, and a message's schedule. Each write goes
 * to the stored campaign the stable operations see where the stable shape has the field
 * (beta/campaign-views.ts).
 */
import { ApiError, invalidPointer } from "../../api-error.js";
import {
  audienceView,
  insertAudience,
  insertVariation,
  messageView,
  STABLE_STATUS,
  writeAudience,
  writeMessage,
  writeVariation,
} from "../../beta/campaign-views.js";
import { connect } from "../../beta/links.js";
import { isObject, relationshipIds } from "../../body.js";
import type { Handler } from "../../handler-types.js";
import { isoTime } from "../../jobs.js";
import { readQuery } from "../../listing.js";
import type { Store, StoredResource } from "../../store.js";
import { cloneMessage, deleteMessage, insertMessage, stableChannel } from "./campaigns.js";
import { answer, checkedData, existing, requiredLink } from "./crud.js";

type Json = Record<string, unknown>;
const object = (value: unknown): Json => (isObject(value) ? value : {});
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);

function campaignOfAudience(store: Store, audience: StoredResource): string {
  return store.relatedOne("campaign-audience", audience.id, "campaign") ?? "";
}

const createMessage: Handler = (request, state) => {
  readQuery(request, state);
  const { attributes, relationships } = checkedData(request);
  const campaign = requiredLink(state, relationships, "campaign", "campaign");
  const audience = requiredLink(state, relationships, "campaign-audience", "campaign-audience");
  if (campaignOfAudience(state.store, audience) !== campaign.id) {
    throw invalidPointer(
      "/data/relationships/campaign-audience/data/id",
      `Campaign audience ${audience.id} is not an audience of campaign ${campaign.id}.`,
    );
  }
  const message = insertMessage(
    state.store,
    campaign.id,
    audience.id,
    object(attributes.definition),
    list(attributes.variations),
  );
  return answer(request, state, message);
};

const updateMessage: Handler = (request, state) => {
  readQuery(request, state);
  const message = existing(state, "campaign-message", request.params.id ?? "");
  const data = checkedData(request);
  if (data.id !== undefined && data.id !== message.id) {
    throw invalidPointer("/data/id", `'id' (${data.id}) must match the id in the path.`);
  }
  writeMessage(state.store, message, object(data.attributes.definition));
  return answer(request, state, message, 200);
};

const deleteMessageHandler: Handler = (request, state) => {
  readQuery(request, state);
  const message = existing(state, "campaign-message", request.params.id ?? "");
  deleteMessage(state.store, message.id);
  return { status: 204 };
};

/** A clone names its source twice (`data.id`, `attributes.id`): they must agree. */
function sourceOf(data: { id?: string; attributes: Json }): string {
  const named = String(data.attributes.id ?? "");
  if (data.id !== undefined && named && data.id !== named) {
    throw invalidPointer("/data/attributes/id", `'id' (${named}) must match data.id (${data.id}).`);
  }
  return data.id ?? named;
}

const cloneMessageHandler: Handler = (request, state) => {
  readQuery(request, state);
  const data = checkedData(request);
  const source = existing(state, "campaign-message", sourceOf(data));
  const audience = requiredLink(
    state,
    data.relationships,
    "campaign-audience",
    "campaign-audience",
  );
  const campaignId = campaignOfAudience(state.store, audience);
  const message = cloneMessage(state, source, campaignId, audience.id, data.attributes.name);
  return answer(request, state, message);
};

const createAudience: Handler = (request, state) => {
  readQuery(request, state);
  const { attributes, relationships } = checkedData(request);
  const campaign = requiredLink(state, relationships, "campaign", "campaign");
  const messages = relationshipIds(relationships, "campaign-messages", "campaign-message") ?? [];
  for (const id of messages) existing(state, "campaign-message", id);
  const audience = insertAudience(state.store, campaign.id, object(attributes.definition));
  if (messages.length > 0) {
    connect(state.store, "campaign-audience", audience.id, "campaign-messages", messages);
  }
  return answer(request, state, audience);
};

const updateAudience: Handler = (request, state) => {
  readQuery(request, state);
  const audience = existing(state, "campaign-audience", request.params.id ?? "");
  const data = checkedData(request);
  writeAudience(state.store, audience, object(data.attributes.definition));
  return answer(request, state, audience, 200);
};

/** A copy of an audience (its included and excluded groups as shown) in a campaign. */
const cloneAudience: Handler = (request, state) => {
  readQuery(request, state);
  const { store } = state;
  const data = checkedData(request);
  const source = existing(state, "campaign-audience", sourceOf(data));
  const target = relationshipIds(data.relationships, "campaign", "campaign")?.[0];
  const campaignId = target ?? campaignOfAudience(store, source);
  existing(state, "campaign", campaignId);
  const shown = object(audienceView(store, source).attributes.definition);
  const name = data.attributes.name ?? `${String(shown.name ?? "Audience")} (Clone)`;
  const audience = insertAudience(store, campaignId, { ...shown, name });
  return answer(request, state, audience);
};

const createVariation: Handler = (request, state) => {
  readQuery(request, state);
  const { attributes, relationships } = checkedData(request);
  const message = requiredLink(state, relationships, "campaign-message", "campaign-message");
  const definition = object(attributes.definition);
  const channel = object(message.attributes.definition).channel ?? "email";
  if (definition.details && stableChannel(definition.details) !== channel) {
    throw invalidPointer(
      "/data/attributes/definition/details/channel",
      `Message ${message.id} is a ${String(channel)} message; its variations must be too.`,
    );
  }
  const variation = insertVariation(state.store, message.id, { name: definition.name ?? null });
  writeVariation(state.store, variation, definition);
  return answer(request, state, variation);
};

const updateVariation: Handler = (request, state) => {
  readQuery(request, state);
  const variation = existing(state, "campaign-variation", request.params.id ?? "");
  const data = checkedData(request);
  writeVariation(state.store, variation, object(data.attributes.definition));
  return answer(request, state, variation, 200);
};

/** Sets the message's beta status and its campaign's stable status and send time. */
function setStatus(store: Store, message: StoredResource, status: string, sendTime: string | null) {
  writeMessage(store, message, { status, send_options: { send_time: sendTime } });
  const campaignId = store.relatedOne("campaign-message", message.id, "campaign");
  const campaign = campaignId ? store.get("campaign", campaignId) : undefined;
  if (!campaign) return;
  campaign.attributes.status = STABLE_STATUS[status] ?? "Draft";
  campaign.attributes.scheduled_at = status === "scheduled" ? isoTime(store.now()) : null;
  campaign.attributes.send_time = sendTime;
  campaign.attributes.updated_at = isoTime(store.now());
}

/** Schedules a draft message: its schedule's id is the message's. */
const scheduleMessage: Handler = (request, state) => {
  readQuery(request, state);
  const { store } = state;
  const { attributes, relationships } = checkedData(request);
  const message = requiredLink(state, relationships, "campaign-message", "campaign-message");
  if (messageView(store, message).attributes.status !== "draft") {
    throw new ApiError(
      400,
      `Campaign message ${message.id} is not a draft; only a draft message can be scheduled.`,
      { pointer: "/data/relationships/campaign-message/data/id" },
    );
  }
  const throttled = object(attributes.throttled_options);
  const sendTime =
    typeof attributes.send_time === "string"
      ? attributes.send_time
      : typeof attributes.send_date === "string"
        ? `${attributes.send_date}T00:00:00+00:00`
        : isoTime(store.now() + 3_600_000);
  store.delete("campaign-message-schedule", message.id);
  const schedule = store.insert(
    "campaign-message-schedule",
    {
      send_time: sendTime,
      send_date: typeof attributes.send_date === "string" ? attributes.send_date : null,
      strategy: attributes.strategy,
      throttling_percentage: throttled.throttling_percentage ?? null,
      throttle_unit: throttled.throttle_unit ?? null,
    },
    message.id,
  );
  connect(store, "campaign-message-schedule", schedule.id, "campaign-message", [message.id]);
  setStatus(store, message, "scheduled", sendTime);
  return answer(request, state, schedule);
};

/** Cancels a scheduled message, or reverts it to a draft. */
const updateSchedule: Handler = (request, state) => {
  readQuery(request, state);
  const { store } = state;
  const schedule = existing(state, "campaign-message-schedule", request.params.id ?? "");
  const data = checkedData(request);
  const message = existing(state, "campaign-message", schedule.id);
  if (data.attributes.action === "cancel") setStatus(store, message, "cancelled", null);
  else setStatus(store, message, "draft", null);
  store.delete("campaign-message-schedule", schedule.id);
  return { status: 204 };
};

export const betaCampaignPartHandlers: Record<string, Handler> = {
  create_campaign_message_beta: createMessage,
  update_campaign_message_beta: updateMessage,
  delete_campaign_message_beta: deleteMessageHandler,
  clone_campaign_message_beta: cloneMessageHandler,
  create_campaign_audience_beta: createAudience,
  update_campaign_audience_beta: updateAudience,
  clone_campaign_audience_beta: cloneAudience,
  create_campaign_variation_beta: createVariation,
  update_campaign_variation_beta: updateVariation,
  schedule_campaign_message_beta: scheduleMessage,
  update_campaign_message_schedule_beta: updateSchedule,
};
