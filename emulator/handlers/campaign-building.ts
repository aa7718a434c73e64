/**
 * Building campaigns: create one with its message, clone one (messages and their templates
 * copied, new ids), assign a copy of a template to a message, and refresh a campaign's
 * recipient estimate (a job; the estimate is what get_campaign_recipient_estimation reads).
 */
import { ApiError, invalidPointer } from "../api-error.js";
import {
  isObject,
  type JsonObject,
  relationshipIds,
  requireString,
  resourceData,
} from "../body.js";
import type { EmulatorRequest, EmulatorState, Handler } from "../handler-types.js";
import { readQuery, selfLink } from "../listing.js";
import { collectionOf, document } from "../render.js";
import type { Attributes, Store, StoredResource } from "../store.js";
import { stamp } from "./generic.js";
import { jobResponse, readEntries } from "./jobs/common.js";

const CHANNELS = ["email", "sms", "mobile_push"] as const;
type Channel = (typeof CHANNELS)[number];
const SEND_METHODS = ["static", "throttled", "immediate", "smart_send_time"];

/** An audience id names a list or a segment of the account. */
function readAudience(state: EmulatorState, value: unknown, pointer: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((id) => typeof id === "string")) {
    throw invalidPointer(pointer, "Expected an array of list or segment ids.");
  }
  value.forEach((id, index) => {
    if (!state.store.get("list", id) && !state.store.get("segment", id)) {
      throw invalidPointer(`${pointer}/${index}`, `No list or segment has the id ${id}.`);
    }
  });
  return value as string[];
}

function readAudiences(state: EmulatorState, value: unknown) {
  const pointer = "/data/attributes/audiences";
  if (!isObject(value))
    throw invalidPointer(pointer, "'audiences' is required: {included: [...]}.");
  const included = readAudience(state, value.included, `${pointer}/included`);
  if (included.length === 0) {
    throw invalidPointer(`${pointer}/included`, "A campaign needs at least one included audience.");
  }
  return { included, excluded: readAudience(state, value.excluded, `${pointer}/excluded`) };
}

function readSendStrategy(value: unknown): JsonObject {
  const pointer = "/data/attributes/send_strategy";
  if (value === undefined || value === null) return { method: "immediate" };
  if (!isObject(value) || !SEND_METHODS.includes(String(value.method))) {
    throw invalidPointer(
      `${pointer}/method`,
      `'method' must be one of ${SEND_METHODS.join(", ")}.`,
    );
  }
  const needs = value.method === "smart_send_time" ? "date" : "datetime";
  if (value.method !== "immediate" && typeof value[needs] !== "string") {
    throw invalidPointer(`${pointer}/${needs}`, `A ${value.method} send needs '${needs}'.`);
  }
  return value;
}

/** The account's sender, which Klaviyo fills in when an email leaves it out. */
function sender(state: EmulatorState): JsonObject {
  const account = state.store.all("account")[0]?.attributes.contact_information;
  return isObject(account) ? account : {};
}

/** A message definition with Klaviyo's defaults for its channel. */
function messageDefinition(
  state: EmulatorState,
  definition: JsonObject,
  campaignName: string,
): JsonObject {
  const channel = definition.channel as Channel;
  if (channel === "email") {
    const content = isObject(definition.content) ? definition.content : {};
    const from = sender(state);
    return {
      channel,
      label: typeof definition.label === "string" ? definition.label : campaignName,
      content: {
        subject: null,
        preview_text: null,
        from_email: from.default_sender_email ?? null,
        from_label: from.default_sender_name ?? null,
        reply_to_email: null,
        cc_email: null,
        bcc_email: null,
        ...content,
      },
    };
  }
  if (channel === "sms") {
    const content = isObject(definition.content) ? definition.content : {};
    const render = isObject(definition.render_options) ? definition.render_options : {};
    return {
      channel,
      content: { body: null, media_url: null, ...content },
      render_options: {
        shorten_links: true,
        add_org_prefix: true,
        add_info_link: true,
        add_opt_out_language: false,
        ...render,
      },
    };
  }
  return { notification_type: "standard", ...definition };
}

/** Tracking options a new campaign gets: the account's UTM setting decides add_tracking_params. */
function defaultTracking(state: EmulatorState, channel: Channel): JsonObject | null {
  if (channel === "mobile_push") return null;
  const setting = state.store.all("tracking-setting")[0]?.attributes;
  const tracking = {
    add_tracking_params: setting?.auto_add_parameters === true,
    custom_tracking_params: [],
  };
  return channel === "email"
    ? { ...tracking, is_tracking_clicks: true, is_tracking_opens: true }
    : tracking;
}

const createCampaign: Handler = (request, state) => {
  const options = readQuery(request, state);
  const { attributes } = resourceData(request);
  const name = requireString(attributes, "name");
  const audiences = readAudiences(state, attributes.audiences);
  const sendStrategy = readSendStrategy(attributes.send_strategy);
  const [entry] = readEntries(attributes, "campaign-messages", {
    type: "campaign-message",
    max: 1,
  });
  if (!entry) throw invalidPointer("/data/attributes/campaign-messages", "A message is required.");
  const definition = entry.attributes.definition;
  if (!isObject(definition) || !CHANNELS.includes(definition.channel as Channel)) {
    throw invalidPointer(
      `${entry.pointer}/attributes/definition/channel`,
      `The message definition needs a 'channel': ${CHANNELS.join(", ")}.`,
    );
  }
  const imageId = relationshipIds(entry.relationships, "image", "image", entry.pointer)?.[0];
  if (imageId !== undefined && !state.store.get("image", imageId)) {
    throw new ApiError(404, `An image with id ${imageId} does not exist.`, {
      pointer: `${entry.pointer}/relationships/image/data/id`,
    });
  }
  const channel = definition.channel as Channel;
  const { store } = state;
  const campaign = store.insert(
    "campaign",
    stamp(
      "campaign",
      {
        name,
        status: "Draft",
        archived: false,
        audiences,
        send_options: attributes.send_options ?? { use_smart_sending: true },
        tracking_options: attributes.tracking_options ?? defaultTracking(state, channel),
        send_strategy: sendStrategy,
        scheduled_at: null,
        send_time: null,
      },
      true,
      store.now(),
    ),
  );
  const message = store.insert(
    "campaign-message",
    stamp(
      "campaign-message",
      { definition: messageDefinition(state, definition, name), send_times: [] },
      true,
      store.now(),
    ),
  );
  store.link("campaign", campaign.id, "campaign-messages", [message.id]);
  if (imageId) store.link("campaign-message", message.id, "image", [imageId]);
  return {
    status: request.op.status,
    body: withMessageIds(
      store,
      document(store, campaign, options, { self: selfLink(state.baseUrl, request) }),
    ),
  };
};

/** A non-reusable copy of a template, as Klaviyo makes for a message. */
function copyTemplate(state: EmulatorState, template: StoredResource): StoredResource {
  const { created: _c, updated: _u, ...rest } = template.attributes;
  return state.store.insert(
    "template",
    stamp("template", structuredClone(rest), true, state.store.now()),
  );
}

function existingById(
  state: EmulatorState,
  request: EmulatorRequest,
  type: string,
): StoredResource {
  const { id } = resourceData(request);
  if (!id) throw invalidPointer("/data/id", `'id' is required: the ${type}'s id.`);
  const found = state.store.get(type, id);
  if (!found)
    throw new ApiError(404, `A ${type} with id ${id} does not exist.`, { pointer: "/data/id" });
  return found;
}

const cloneCampaign: Handler = (request, state) => {
  const options = readQuery(request, state);
  const original = existingById(state, request, "campaign");
  const { attributes } = resourceData(request);
  const newName = attributes.new_name;
  const { store } = state;
  const {
    created_at: _c,
    updated_at: _u,
    scheduled_at: _s,
    send_time: _t,
    ...rest
  } = original.attributes;
  const clone = store.insert(
    "campaign",
    stamp(
      "campaign",
      {
        ...structuredClone(rest),
        name:
          typeof newName === "string" && newName.trim()
            ? newName
            : `${String(original.attributes.name)} (Clone)`,
        status: "Draft",
        archived: false,
        scheduled_at: null,
        send_time: null,
      },
      true,
      store.now(),
    ),
  );
  for (const messageId of store.related("campaign", original.id, "campaign-messages")) {
    const message = store.get("campaign-message", messageId);
    if (!message) continue;
    const copy = store.insert(
      "campaign-message",
      stamp(
        "campaign-message",
        { definition: structuredClone(message.attributes.definition), send_times: [] },
        true,
        store.now(),
      ),
    );
    store.link("campaign", clone.id, "campaign-messages", [copy.id]);
    const templateId = store.relatedOne("campaign-message", messageId, "template");
    const template = templateId ? store.get("template", templateId) : undefined;
    if (template)
      store.link("campaign-message", copy.id, "template", [copyTemplate(state, template).id]);
    const imageId = store.relatedOne("campaign-message", messageId, "image");
    if (imageId) store.link("campaign-message", copy.id, "image", [imageId]);
  }
  return {
    status: request.op.status,
    body: withMessageIds(
      store,
      document(store, clone, options, { self: selfLink(state.baseUrl, request) }),
    ),
  };
};

/** Klaviyo's answer to a new campaign names its messages: their ids are what a caller needs next. */
function withMessageIds(store: Store, body: Record<string, unknown>): Record<string, unknown> {
  const data = body.data as { id: string; relationships?: Record<string, Record<string, unknown>> };
  const messages = data.relationships?.["campaign-messages"];
  if (messages) {
    messages.data = store
      .related("campaign", data.id, "campaign-messages")
      .map((id) => ({ type: "campaign-message", id }));
  }
  return body;
}

/** The campaign-message in the flat shape the assign-template answer uses. */
function flatMessage(state: EmulatorState, message: StoredResource, fields?: string[]) {
  const { store, baseUrl } = state;
  const definition = isObject(message.attributes.definition) ? message.attributes.definition : {};
  const campaignId = store.relatedOne("campaign-message", message.id, "campaign");
  const campaignName = store.get("campaign", campaignId ?? "")?.attributes.name;
  const attributes: Attributes = {
    label: definition.label ?? campaignName ?? "",
    channel: definition.channel,
    content: definition.content ?? {},
    send_times: message.attributes.send_times ?? [],
    ...(definition.render_options ? { render_options: definition.render_options } : {}),
    created_at: message.attributes.created_at ?? null,
    updated_at: message.attributes.updated_at ?? null,
  };
  const self = `${baseUrl}/api/${collectionOf("campaign-message")}/${message.id}/`;
  const relationship = (name: string, type: string) => {
    const id = store.relatedOne("campaign-message", message.id, name);
    return {
      ...(id ? { data: { type, id } } : {}),
      links: { self: `${self}relationships/${name}/`, related: `${self}${name}/` },
    };
  };
  return {
    type: "campaign-message",
    id: message.id,
    attributes: fields
      ? Object.fromEntries(Object.entries(attributes).filter(([k]) => fields.includes(k)))
      : attributes,
    relationships: {
      campaign: relationship("campaign", "campaign"),
      template: relationship("template", "template"),
    },
    links: { self },
  };
}

const assignTemplate: Handler = (request, state) => {
  const options = readQuery(request, state);
  const message = existingById(state, request, "campaign-message");
  const { relationships } = resourceData(request);
  const templateId = relationshipIds(relationships, "template", "template")?.[0];
  if (!templateId) {
    throw invalidPointer(
      "/data/relationships/template",
      "'template' is required: {data: {type, id}}.",
    );
  }
  const template = state.store.get("template", templateId);
  if (!template) {
    throw new ApiError(404, `A template with id ${templateId} does not exist.`, {
      pointer: "/data/relationships/template/data/id",
    });
  }
  const channel = isObject(message.attributes.definition)
    ? message.attributes.definition.channel
    : undefined;
  if (channel !== "email") {
    throw invalidPointer(
      "/data/id",
      `Only email messages take a template; this one is ${String(channel)}.`,
    );
  }
  const campaignId = state.store.relatedOne("campaign-message", message.id, "campaign");
  const status = state.store.get("campaign", campaignId ?? "")?.attributes.status;
  if (status !== undefined && status !== "Draft") {
    throw invalidPointer(
      "/data/id",
      `The campaign is '${String(status)}': only a Draft campaign's message can change.`,
    );
  }
  state.store.link("campaign-message", message.id, "template", [copyTemplate(state, template).id]);
  stamp("campaign-message", message.attributes, false, state.store.now());
  return {
    status: request.op.status,
    body: {
      data: flatMessage(state, message, options.fields?.get("campaign-message")),
      links: { self: selfLink(state.baseUrl, request) },
    },
  };
};

/** Profiles in the included lists and segments, less the excluded, that the channel reaches. */
export function estimateRecipients(state: EmulatorState, campaign: StoredResource): number {
  const { store } = state;
  const audiences = isObject(campaign.attributes.audiences) ? campaign.attributes.audiences : {};
  const members = (ids: unknown) =>
    (Array.isArray(ids) ? ids : []).flatMap((id) => [
      ...store.related("list", String(id), "profiles"),
      ...store.related("segment", String(id), "profiles"),
    ]);
  const excluded = new Set(members(audiences.excluded));
  const messageId = store.related("campaign", campaign.id, "campaign-messages")[0];
  const definition = store.get("campaign-message", messageId ?? "")?.attributes.definition;
  const channel = isObject(definition) ? definition.channel : "email";
  const reachable = (profileId: string) => {
    const subscriptions = store.get("profile", profileId)?.attributes.subscriptions;
    const marketing = (key: string) => {
      const value = isObject(subscriptions) ? subscriptions[key] : undefined;
      return isObject(value) && isObject(value.marketing) ? value.marketing : {};
    };
    if (channel === "sms") return marketing("sms").can_receive_sms_marketing === true;
    if (channel === "mobile_push")
      return marketing("mobile_push").can_receive_push_marketing === true;
    return marketing("email").can_receive_email_marketing === true;
  };
  return new Set(members(audiences.included).filter((id) => !excluded.has(id) && reachable(id)))
    .size;
}

const refreshEstimation: Handler = (request, state) => {
  readQuery(request, state);
  const campaign = existingById(state, request, "campaign");
  const job = state.jobs.enqueue(
    "campaign-recipient-estimation-job",
    {},
    () => {
      const current = state.store.get("campaign", campaign.id);
      if (!current) return { status: "cancelled" };
      const count = { estimated_recipient_count: estimateRecipients(state, current) };
      if (!state.store.update("campaign-recipient-estimation", campaign.id, count)) {
        state.store.insert("campaign-recipient-estimation", count, campaign.id);
      }
      return undefined;
    },
    campaign.id,
  );
  return jobResponse(request, state, job);
};

export const campaignBuildingHandlers: Record<string, Handler> = {
  create_campaign: createCampaign,
  create_campaign_clone: cloneCampaign,
  assign_template_to_campaign_message: assignTemplate,
  refresh_campaign_recipient_estimation: refreshEstimation,
};
