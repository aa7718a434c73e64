/**
 * The beta revision's campaigns are the stored ones, seen in the beta's shape: a campaign and
 * its messages as `definition`s, with audiences and variations as resources of their own. A
 * campaign a stable call created is the same campaign here, and a beta write shows in stable
 * reads: each campaign gets a primary audience (its stable `audiences`) and each message a
 * primary variation (its stable content), whose beta definitions are read from, and written to,
 * the stable attributes. What only the beta has (a campaign's `color`, a message's throttling)
 * is kept beside the stored resource (`betaExtras`), so its attributes stay the stable API's.
 */
import { isObject } from "../body.js";
import { isoTime } from "../jobs.js";
import type { Attributes, Store, StoredResource } from "../store.js";
import { connect } from "./links.js";

type Json = Record<string, unknown>;

const object = (value: unknown): Json => (isObject(value) ? value : {});

/** Nested objects merge field by field; anything else replaces (PATCH semantics). */
export function deepMerge(base: Json, change: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(change)) {
    if (value === undefined) continue;
    out[key] = isObject(value) && isObject(base[key]) ? deepMerge(base[key] as Json, value) : value;
  }
  return out;
}

/** Beta's message status from the stable campaign status ("Sent", "Adding Recipients", ...). */
export function betaStatus(status: unknown): string {
  const text = String(status ?? "Draft").toLowerCase();
  if (text.startsWith("sent")) return "sent";
  if (text.startsWith("cancel")) return "cancelled";
  if (/sending|adding recipients|preparing/.test(text)) return "sending";
  if (/scheduled|queued/.test(text)) return "scheduled";
  return "draft";
}

/** The stable campaign status a beta message status stands for. */
export const STABLE_STATUS: Record<string, string> = {
  draft: "Draft",
  scheduled: "Scheduled",
  sending: "Sending",
  sent: "Sent",
  cancelled: "Cancelled",
};

function sendStrategy(strategy: unknown): string {
  const s = object(strategy);
  if (s.method === "smart_send_time") return "send_time_optimization";
  if (s.method === "throttled") return "throttled";
  if (s.method === "static" && object(s.options).is_local === true) return "local_timezone";
  return "static";
}

/** Where the beta-only fields of a stored stable resource live: a record of the same id. */
const extrasType = (type: string) => `beta-extras.${type}`;

/** The beta-only fields of a stored campaign or message (empty when it has none). */
export function betaExtras(store: Store, resource: StoredResource): Json {
  return store.get(extrasType(resource.type), resource.id)?.attributes ?? {};
}

/** Merges beta-only fields into a stored campaign's or message's (PATCH semantics). */
export function writeExtras(store: Store, resource: StoredResource, change: Json): void {
  const type = extrasType(resource.type);
  const stored = store.get(type, resource.id) ?? store.insert(type, {}, resource.id);
  stored.attributes = deepMerge(stored.attributes, change);
}

/** Forgets a deleted campaign's or message's beta-only fields. */
export function dropExtras(store: Store, type: string, id: string): void {
  store.delete(extrasType(type), id);
}

/** Copies a campaign's or message's beta-only fields to its clone. */
export function copyExtras(store: Store, from: StoredResource, to: StoredResource): void {
  const extras = structuredClone(betaExtras(store, from));
  if (Object.keys(extras).length > 0) writeExtras(store, to, extras);
}

function campaignOf(store: Store, messageId: string): StoredResource | undefined {
  const id = store.relatedOne("campaign-message", messageId, "campaign");
  return id ? store.get("campaign", id) : undefined;
}

export function campaignView(store: Store, campaign: StoredResource): StoredResource {
  const a = campaign.attributes;
  const extras = betaExtras(store, campaign);
  const settings = object(extras.send_settings);
  const definition = {
    name: a.name ?? null,
    builder: extras.builder ?? null,
    archived: a.archived ?? false,
    color: extras.color ?? null,
    description: extras.description ?? null,
    send_settings: {
      send_timezone: settings.send_timezone ?? null,
      send_strategy: settings.send_strategy ?? object(a.send_strategy).method ?? null,
      send_passed_rltz_immediately: settings.send_passed_rltz_immediately ?? false,
      exit_condition_enabled: settings.exit_condition_enabled ?? false,
      exit_condition_conversion_metric_id: settings.exit_condition_conversion_metric_id ?? null,
    },
  };
  return {
    type: "campaign",
    id: campaign.id,
    // `name`, `archived` and `builder` also flat: the beta's filters and sorts name them so.
    attributes: {
      created_at: a.created_at ?? null,
      updated_at: a.updated_at ?? null,
      definition,
      name: definition.name,
      archived: definition.archived,
      builder: definition.builder,
    },
  };
}

export function messageView(store: Store, message: StoredResource): StoredResource {
  const a = message.attributes;
  const campaign = object(campaignOf(store, message.id)?.attributes);
  const tracking = object(campaign.tracking_options);
  const sendTimes = Array.isArray(a.send_times) ? a.send_times : [];
  const derived: Json = {
    name: object(a.definition).label ?? campaign.name ?? null,
    status: betaStatus(campaign.status),
    tracking_options: {
      is_add_utm: tracking.add_tracking_params ?? false,
      is_tracking_clicks: tracking.is_tracking_clicks ?? null,
      is_tracking_opens: tracking.is_tracking_opens ?? null,
    },
    send_options: {
      send_time: campaign.send_time ?? object(sendTimes[0]).datetime ?? null,
      send_times: null,
      send_strategy: sendStrategy(campaign.send_strategy),
      recipient_percentage: null,
      throttling_type: "none",
      throttle_unit: null,
      is_ignoring_unsubscribes: false,
    },
  };
  const definition = deepMerge(derived, object(betaExtras(store, message).definition));
  return {
    type: "campaign-message",
    id: message.id,
    attributes: {
      created: a.created_at ?? null,
      updated: a.updated_at ?? null,
      definition,
      name: definition.name,
      status: definition.status,
    },
  };
}

/** A primary audience shows its campaign's stable `audiences`. */
export function audienceView(store: Store, audience: StoredResource): StoredResource {
  if (audience.attributes.primary !== true) return audience;
  const campaignId = store.relatedOne("campaign-audience", audience.id, "campaign");
  const audiences = object(campaignId && store.get("campaign", campaignId)?.attributes.audiences);
  const definition = {
    ...object(audience.attributes.definition),
    included: audiences.included ?? [],
    excluded: audiences.excluded ?? [],
  };
  return { ...audience, attributes: { ...audience.attributes, definition } };
}

/** The beta `details` of a stored stable message definition (the primary variation's). */
function detailsOf(store: Store, message: StoredResource): Json {
  const definition = object(message.attributes.definition);
  const content = object(definition.content);
  const render = object(definition.render_options);
  const templateId = store.relatedOne("campaign-message", message.id, "template") ?? null;
  if (definition.channel === "sms") {
    return {
      channel: "sms",
      template_id: templateId,
      cost: null,
      mms_static_image_asset_id: null,
      shorten_links: render.shorten_links ?? true,
      include_contact_card: false,
      body: content.body ?? "",
      add_org_prefix: render.add_org_prefix ?? true,
      add_info_link: render.add_info_link ?? false,
      add_opt_out_language: render.add_opt_out_language ?? false,
      mms_dynamic_image_template: null,
      text_message_type: content.media_url ? "MMS" : "SMS",
      message_hierarchy: null,
    };
  }
  if (definition.channel === "mobile_push") {
    return {
      channel: "push",
      title: content.title ?? "",
      body: content.body ?? "",
      badge: false,
      badge_config: "increment-one",
      badge_value: "1",
      sound_file_name: "",
      static_asset_id: null,
      sound: false,
      open_action: 0,
      dynamic_media_template: "",
      kv_pairs: null,
      push_type: "standard",
      ios_deep_link: null,
      android_deep_link: null,
      web_url: null,
      content_available: null,
      mutable_content: null,
      video_asset_id: null,
      action_buttons: null,
    };
  }
  return {
    channel: "email",
    template_id: templateId,
    from_label: content.from_label ?? "",
    from_email: content.from_email ?? "",
    reply_to_email: content.reply_to_email ?? "",
    cc_email: content.cc_email ?? "",
    bcc_email: content.bcc_email ?? "",
    subject: content.subject ?? "",
    preview_text: content.preview_text ?? "",
  };
}

/** A primary variation shows its message's stable content. */
export function variationView(store: Store, variation: StoredResource): StoredResource {
  if (variation.attributes.primary !== true) return variation;
  const messageId = store.relatedOne("campaign-variation", variation.id, "campaign-message");
  const message = messageId ? store.get("campaign-message", messageId) : undefined;
  if (!message) return variation;
  const definition = {
    ...object(variation.attributes.definition),
    details: detailsOf(store, message),
  };
  return { ...variation, attributes: { ...variation.attributes, definition } };
}

// Writes ---------------------------------------------------------------------------------------

const touch = (store: Store, resource: StoredResource, name: string) => {
  resource.attributes[name] = isoTime(store.now());
};

/** A beta campaign `definition` written onto the stored campaign. */
export function writeCampaign(store: Store, campaign: StoredResource, definition: Json): void {
  const { name, archived, ...rest } = definition;
  if (name !== undefined) campaign.attributes.name = name;
  if (archived !== undefined) campaign.attributes.archived = archived;
  writeExtras(store, campaign, rest);
  touch(store, campaign, "updated_at");
}

/** A beta message `definition`: its name is the stable label, the rest beta's own. */
export function writeMessage(store: Store, message: StoredResource, definition: Json): void {
  const { name, ...rest } = definition;
  if (typeof name === "string") {
    message.attributes.definition = { ...object(message.attributes.definition), label: name };
  }
  writeExtras(store, message, { definition: rest });
  touch(store, message, "updated_at");
}

export function writeAudience(store: Store, audience: StoredResource, definition: Json): void {
  const { included, excluded, ...rest } = definition;
  const campaignId = store.relatedOne("campaign-audience", audience.id, "campaign");
  const campaign = campaignId ? store.get("campaign", campaignId) : undefined;
  if (audience.attributes.primary === true && campaign) {
    const audiences = object(campaign.attributes.audiences);
    campaign.attributes.audiences = {
      included: included === undefined ? (audiences.included ?? []) : (included ?? []),
      excluded: excluded === undefined ? (audiences.excluded ?? []) : (excluded ?? []),
    };
    touch(store, campaign, "updated_at");
    audience.attributes.definition = deepMerge(object(audience.attributes.definition), rest);
  } else {
    audience.attributes.definition = deepMerge(object(audience.attributes.definition), definition);
  }
  touch(store, audience, "updated");
}

const EMAIL_CONTENT = [
  "subject",
  "preview_text",
  "from_email",
  "from_label",
  "reply_to_email",
  "cc_email",
  "bcc_email",
];

export function writeVariation(store: Store, variation: StoredResource, definition: Json): void {
  const messageId = store.relatedOne("campaign-variation", variation.id, "campaign-message");
  const message = messageId ? store.get("campaign-message", messageId) : undefined;
  const details = object(definition.details);
  if (variation.attributes.primary === true && message) {
    const stable = object(message.attributes.definition);
    const content: Json = { ...object(stable.content) };
    for (const key of EMAIL_CONTENT) if (details[key] !== undefined) content[key] = details[key];
    if (details.body !== undefined) content.body = details.body;
    if (details.title !== undefined) content.title = details.title;
    message.attributes.definition = { ...stable, content };
    if (typeof details.template_id === "string" && store.get("template", details.template_id)) {
      store.link("campaign-message", message.id, "template", [details.template_id]);
    }
    touch(store, message, "updated_at");
    const { details: _details, ...rest } = definition;
    variation.attributes.definition = deepMerge(object(variation.attributes.definition), rest);
  } else {
    variation.attributes.definition = deepMerge(
      object(variation.attributes.definition),
      definition,
    );
  }
  touch(store, variation, "updated");
}

// Companions -----------------------------------------------------------------------------------

/** A stored campaign audience (beta only), linked to its campaign. */
export function insertAudience(
  store: Store,
  campaignId: string,
  definition: Json,
  primary = false,
): StoredResource {
  const now = isoTime(store.now());
  const audience = store.insert("campaign-audience", {
    created: now,
    updated: now,
    definition: { name: null, included: [], excluded: [], priority: null, ...definition },
    ...(primary ? { primary: true } : {}),
  });
  connect(store, "campaign-audience", audience.id, "campaign", [campaignId]);
  return audience;
}

/** A stored variation (beta only), linked to its message. */
export function insertVariation(
  store: Store,
  messageId: string,
  definition: Json,
  primary = false,
): StoredResource {
  const now = isoTime(store.now());
  const variation = store.insert("campaign-variation", {
    created: now,
    updated: now,
    definition: { name: null, details: null, ...definition },
    ...(primary ? { primary: true } : {}),
  });
  connect(store, "campaign-variation", variation.id, "campaign-message", [messageId]);
  return variation;
}

/** Per store, the campaigns and messages that got their primary companions already. */
const companioned = new WeakMap<Store, Set<string>>();

/**
 * Gives every campaign its primary audience and every message its primary variation, once:
 * campaigns a stable call created get them on their first beta request. Deleting one later
 * does not bring it back.
 */
function companionedIn(store: Store): Set<string> {
  let done = companioned.get(store);
  if (!done) {
    done = new Set();
    companioned.set(store, done);
  }
  return done;
}

export function ensureCompanions(store: Store): void {
  const done = companionedIn(store);
  for (const campaign of store.all("campaign")) {
    if (done.has(`campaign:${campaign.id}`)) continue;
    done.add(`campaign:${campaign.id}`);
    const audience = insertAudience(
      store,
      campaign.id,
      { name: "Primary audience", priority: 1 },
      true,
    );
    for (const messageId of store.related("campaign", campaign.id, "campaign-messages")) {
      connect(store, "campaign-message", messageId, "campaign-audience", [audience.id]);
    }
  }
  for (const message of store.all("campaign-message")) {
    if (done.has(`message:${message.id}`)) continue;
    done.add(`message:${message.id}`);
    const label = object(message.attributes.definition).label;
    const variation = insertVariation(
      store,
      message.id,
      { name: typeof label === "string" ? `${label} (A)` : "Variation A" },
      true,
    );
    const image = store.relatedOne("campaign-message", message.id, "image");
    if (image) store.link("campaign-variation", variation.id, "image", [image]);
  }
}

/** Marks a campaign or message created by a beta call as having its companions. */
export function markCompanioned(store: Store, kind: "campaign" | "message", id: string): void {
  companionedIn(store).add(`${kind}:${id}`);
}

/** The attributes of a new stable campaign message for a beta message (no content yet). */
export function stableMessageAttributes(
  store: Store,
  name: string | null,
  channel: string,
): Attributes {
  const now = isoTime(store.now());
  const definition: Json =
    channel === "sms"
      ? { channel: "sms", label: name, content: { body: "", media_url: null } }
      : { channel, label: name, content: {} };
  return { definition, send_times: [], created_at: now, updated_at: now };
}
