/**
 * The beta's campaigns: create (with its messages, their variations and the audiences in one
 * request), update, clone and delete, on the same stored campaigns the stable operations serve
 * (beta/campaign-views.ts maps the shapes). Messages, audiences, variations and schedules of
 * their own are in campaign-parts.ts.
 */
import { invalidPointer } from "../../api-error.js";
import {
  copyExtras,
  dropExtras,
  insertAudience,
  insertVariation,
  markCompanioned,
  stableMessageAttributes,
  writeCampaign,
  writeExtras,
  writeMessage,
  writeVariation,
} from "../../beta/campaign-views.js";
import { connect } from "../../beta/links.js";
import { isObject, relationshipIds } from "../../body.js";
import type { EmulatorState, Handler } from "../../handler-types.js";
import { isoTime } from "../../jobs.js";
import { listDocument, readQuery } from "../../listing.js";
import type { Store, StoredResource } from "../../store.js";
import { answer, checkedData, existing } from "./crud.js";

type Json = Record<string, unknown>;
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);
const object = (value: unknown): Json => (isObject(value) ? value : {});

/** The stable channel of a beta variation's `details.channel`. */
export function stableChannel(details: unknown): string {
  const channel = object(details).channel;
  if (channel === "push") return "mobile_push";
  return typeof channel === "string" ? channel : "email";
}

const THROTTLING: Record<string, string> = {
  FOR_CAMPAIGNS: "throttle-for-campaigns",
  FOR_CAMPAIGNS_AND_FLOWS: "throttle-for-campaigns-and-flows",
  FOR_FLOWS: "throttle-for-flows",
  NONE: "none",
};

/**
 * A message and its variations, stored under a campaign and an audience: the first variation
 * is the primary one (its details are the stable message's content), the others the beta's own.
 */
export function insertMessage(
  store: Store,
  campaignId: string,
  audienceId: string | undefined,
  definition: Json,
  variations: Json[],
): StoredResource {
  const first = object(variations[0]?.definition);
  const name = typeof definition.name === "string" ? definition.name : null;
  const message = store.insert(
    "campaign-message",
    stableMessageAttributes(store, name, stableChannel(first.details)),
  );
  markCompanioned(store, "message", message.id);
  store.link("campaign", campaignId, "campaign-messages", [message.id]);
  if (audienceId) connect(store, "campaign-message", message.id, "campaign-audience", [audienceId]);
  writeMessage(store, message, definition);
  variations.forEach((variation, index) => {
    const own = object(variation.definition);
    const stored = insertVariation(store, message.id, { name: own.name ?? null }, index === 0);
    writeVariation(store, stored, own);
  });
  if (variations.length === 0) insertVariation(store, message.id, { name: "Variation A" }, true);
  return message;
}

/** The stable attributes of a campaign the beta creates: a draft, sent when scheduled. */
function stableCampaign(store: Store, audience: Json): Json {
  const now = isoTime(store.now());
  return {
    name: null,
    status: "Draft",
    archived: false,
    audiences: { included: audience.included ?? [], excluded: audience.excluded ?? [] },
    send_options: { use_smart_sending: true },
    tracking_options: {
      add_tracking_params: false,
      is_tracking_clicks: true,
      is_tracking_opens: true,
    },
    send_strategy: { method: "immediate" },
    created_at: now,
    scheduled_at: null,
    updated_at: now,
    send_time: null,
  };
}

const createCampaign: Handler = (request, state) => {
  readQuery(request, state);
  const { attributes, relationships } = checkedData(request);
  const { store } = state;
  const audiences = list(attributes.audiences);
  const messages = list(attributes.messages);
  const temporary = new Set(audiences.map((a) => a.temporary_id));
  messages.forEach((message, index) => {
    if (!temporary.has(message.audience_temporary_id)) {
      throw invalidPointer(
        `/data/attributes/messages/${index}/audience_temporary_id`,
        `'${String(message.audience_temporary_id)}' names none of the campaign's audiences (their temporary_id).`,
      );
    }
  });
  const tags = relationshipIds(relationships, "tags", "tag") ?? [];
  for (const tag of tags) existing(state, "tag", tag);
  const campaign = store.insert("campaign", stableCampaign(store, object(audiences[0])));
  markCompanioned(store, "campaign", campaign.id);
  writeCampaign(store, campaign, object(attributes.definition));
  const audienceIds = new Map<unknown, string>();
  (audiences.length ? audiences : [{}]).forEach((audience, index) => {
    const { temporary_id: temporaryId, ...definition } = audience;
    const stored = insertAudience(store, campaign.id, definition, index === 0);
    audienceIds.set(temporaryId, stored.id);
  });
  for (const message of messages) {
    const {
      audience_temporary_id: temporaryId,
      variations,
      is_add_utm,
      throttling_type,
      ...rest
    } = message;
    const definition: Json = { ...rest };
    if (typeof is_add_utm === "boolean") definition.tracking_options = { is_add_utm };
    if (typeof throttling_type === "string") {
      definition.send_options = { throttling_type: THROTTLING[throttling_type] ?? "none" };
    }
    insertMessage(store, campaign.id, audienceIds.get(temporaryId), definition, list(variations));
  }
  if (tags.length > 0) store.link("campaign", campaign.id, "tags", tags);
  return answer(request, state, campaign);
};

const updateCampaign: Handler = (request, state) => {
  readQuery(request, state);
  const campaign = existing(state, "campaign", request.params.id ?? "");
  const data = checkedData(request);
  if (data.id !== undefined && data.id !== campaign.id) {
    throw invalidPointer("/data/id", `'id' (${data.id}) must match the id in the path.`);
  }
  writeCampaign(state.store, campaign, object(data.attributes.definition));
  return answer(request, state, campaign, 200);
};

/** Deletes a message with its variations and schedule. */
export function deleteMessage(store: Store, messageId: string): void {
  for (const variation of store.related("campaign-message", messageId, "campaign-variations")) {
    store.delete("campaign-variation", variation);
  }
  store.delete("campaign-message-schedule", messageId);
  store.delete("campaign-message", messageId);
  dropExtras(store, "campaign-message", messageId);
}

const deleteCampaign: Handler = (request, state) => {
  readQuery(request, state);
  const { store } = state;
  const campaign = existing(state, "campaign", request.params.id ?? "");
  for (const message of store.related("campaign", campaign.id, "campaign-messages")) {
    deleteMessage(store, message);
  }
  for (const audience of store.related("campaign", campaign.id, "campaign-audiences")) {
    store.delete("campaign-audience", audience);
  }
  store.delete("campaign", campaign.id);
  dropExtras(store, "campaign", campaign.id);
  return { status: 204 };
};

/** A copy of a stored resource's attributes, with fresh stamps. */
function copied(store: Store, resource: StoredResource, changes: Json = {}): Json {
  const now = isoTime(store.now());
  const attributes = structuredClone(resource.attributes);
  for (const name of ["created", "created_at", "updated", "updated_at"]) {
    if (name in attributes) attributes[name] = now;
  }
  return { ...attributes, ...changes };
}

/** A message copied with its variations into a campaign and audience (a draft again). */
export function cloneMessage(
  state: EmulatorState,
  source: StoredResource,
  campaignId: string,
  audienceId: string | undefined,
  name?: unknown,
): StoredResource {
  const { store } = state;
  const changes: Json = {};
  if (typeof name === "string") {
    changes.definition = { ...object(source.attributes.definition), label: name };
  }
  changes.send_times = [];
  const message = store.insert("campaign-message", copied(store, source, changes));
  copyExtras(store, source, message);
  writeExtras(store, message, { definition: { status: "draft" } });
  markCompanioned(store, "message", message.id);
  store.link("campaign", campaignId, "campaign-messages", [message.id]);
  if (audienceId) connect(store, "campaign-message", message.id, "campaign-audience", [audienceId]);
  for (const relationship of ["template", "image"]) {
    const target = store.relatedOne("campaign-message", source.id, relationship);
    if (target) store.link("campaign-message", message.id, relationship, [target]);
  }
  for (const id of store.related("campaign-message", source.id, "campaign-variations")) {
    const variation = store.get("campaign-variation", id);
    if (!variation) continue;
    const copy = store.insert("campaign-variation", copied(store, variation));
    connect(store, "campaign-variation", copy.id, "campaign-message", [message.id]);
  }
  return message;
}

const cloneCampaign: Handler = (request, state) => {
  readQuery(request, state);
  const { store } = state;
  const data = checkedData(request);
  if (!data.id) throw invalidPointer("/data/id", "'id' is required: the campaign to clone.");
  const source = existing(state, "campaign", data.id);
  const name = typeof data.attributes.name === "string" ? data.attributes.name : null;
  const campaign = store.insert(
    "campaign",
    copied(store, source, {
      name: name ?? `${String(source.attributes.name ?? "Campaign")} (Clone)`,
      status: "Draft",
      scheduled_at: null,
      send_time: null,
    }),
  );
  markCompanioned(store, "campaign", campaign.id);
  copyExtras(store, source, campaign);
  const audiences = new Map<string, string>();
  for (const id of store.related("campaign", source.id, "campaign-audiences")) {
    const audience = store.get("campaign-audience", id);
    if (!audience) continue;
    const copy = store.insert("campaign-audience", copied(store, audience));
    connect(store, "campaign-audience", copy.id, "campaign", [campaign.id]);
    audiences.set(id, copy.id);
  }
  for (const id of store.related("campaign", source.id, "campaign-messages")) {
    const message = store.get("campaign-message", id);
    const audience = store.relatedOne("campaign-message", id, "campaign-audience");
    if (message) cloneMessage(state, message, campaign.id, audience && audiences.get(audience));
  }
  const tags = store.related("campaign", source.id, "tags");
  if (tags.length > 0) store.link("campaign", campaign.id, "tags", tags);
  return answer(request, state, campaign);
};

/** A message's tags are its campaign's. */
function messageTags(linkage: boolean): Handler {
  return (request, state) => {
    const { store } = state;
    const message = existing(state, "campaign-message", request.params.id ?? "");
    const campaign = store.relatedOne("campaign-message", message.id, "campaign");
    const tags = (campaign ? store.related("campaign", campaign, "tags") : [])
      .map((id) => store.get("tag", id))
      .filter((tag): tag is StoredResource => tag !== undefined);
    return { status: 200, body: listDocument(request, state, tags, { linkage }) };
  };
}

export const betaCampaignHandlers: Record<string, Handler> = {
  create_campaign_beta: createCampaign,
  update_campaign_beta: updateCampaign,
  delete_campaign_beta: deleteCampaign,
  clone_campaign_beta: cloneCampaign,
  get_tags_for_campaign_message_beta: messageTags(false),
  get_tag_ids_for_campaign_message_beta: messageTags(true),
};
