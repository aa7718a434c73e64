/**
 * Building flows from encoded definitions: create_flow (a draft flow, its actions with real ids
 * in place of the `temporary_id`s, their messages, and the trigger's `flow-triggers` link),
 * update_flow_action (a new definition of the same action type; its message follows) and
 * delete_flow_action (the actions that led to it now lead where it led).
 */
import { ApiError, invalidPointer, notFound } from "../api-error.js";
import { isObject, type JsonObject, requireString, resourceData } from "../body.js";
import { FLOW_ACTION_TYPES } from "../fields.js";
import { TRIGGER_SOURCES, TRIGGER_TYPES } from "../flow-definition.js";
import type { EmulatorState, Handler } from "../handler-types.js";
import { readQuery, selfLink } from "../listing.js";
import { document } from "../render.js";
import type { StoredResource } from "../store.js";
import { stamp } from "./generic.js";

/** Actions that send a message, and the channel of the flow-message they keep. */
const SENDS: Readonly<Record<string, string>> = {
  "send-email": "email",
  "send-sms": "sms",
  "send-mobile-push": "push",
  "send-whatsapp": "whatsapp",
};

/** What Klaviyo fills in on a flow email or SMS (FlowEmail / FlowSms defaults). */
const MESSAGE_DEFAULTS: Readonly<Record<string, JsonObject>> = {
  email: {
    smart_sending_enabled: true,
    transactional: false,
    add_tracking_params: false,
    custom_tracking_params: null,
    additional_filters: null,
  },
  sms: {
    shorten_links: true,
    include_contact_card: false,
    add_org_prefix: true,
    add_info_link: true,
    add_opt_out_language: false,
    smart_sending_enabled: true,
    sms_quiet_hours_enabled: true,
    transactional: false,
    add_tracking_params: false,
    custom_tracking_params: null,
    additional_filters: null,
  },
};

const DELAY_DEFAULTS: JsonObject = {
  unit: "days",
  secondary_value: null,
  timezone: "profile",
  delay_until_time: null,
  delay_until_weekdays: null,
};

/** `links` with every target id mapped (temporary ids → real ones) and checked. */
function mapLinks(links: unknown, resolve: (id: string) => string, pointer: string): JsonObject {
  if (links === undefined || links === null) return { next: null };
  if (!isObject(links)) throw invalidPointer(pointer, "'links' must be an object of action ids.");
  return Object.fromEntries(
    Object.entries(links).map(([key, target]) => {
      if (target === null) return [key, null];
      if (typeof target !== "string") {
        throw invalidPointer(`${pointer}/${key}`, "A link names an action id or is null.");
      }
      return [key, resolve(target)];
    }),
  );
}

/** Stores or updates the flow-message of a send action; returns the message with its id. */
function saveMessage(
  state: EmulatorState,
  actionId: string,
  type: string,
  message: JsonObject,
): JsonObject {
  const { store } = state;
  const channel = SENDS[type] as string;
  const existingId = store.related("flow-action", actionId, "flow-messages")[0];
  const existing = existingId ? store.get("flow-message", existingId) : undefined;
  const previous = isObject(existing?.attributes.definition) ? existing.attributes.definition : {};
  const id = existing?.id ?? store.newId("flow-message");
  const definition = { ...(MESSAGE_DEFAULTS[channel] ?? {}), ...previous, ...message, id };
  if (existing) {
    existing.attributes.definition = definition;
    stamp("flow-message", existing.attributes, false, store.now());
  } else {
    const attributes = stamp("flow-message", { channel, definition }, true, store.now());
    store.insert("flow-message", attributes, id);
    store.link("flow-action", actionId, "flow-messages", [id]);
  }
  const templateId = message.template_id;
  if (typeof templateId === "string") store.link("flow-message", id, "template", [templateId]);
  return definition;
}

/** Refuses what Klaviyo refuses in an action, before anything is stored. */
function checkAction(state: EmulatorState, raw: unknown, pointer: string): JsonObject {
  if (!isObject(raw) || !FLOW_ACTION_TYPES.includes(String(raw.type))) {
    throw invalidPointer(
      `${pointer}/type`,
      `An action's 'type' is one of ${FLOW_ACTION_TYPES.join(", ")}.`,
    );
  }
  const data = isObject(raw.data) ? raw.data : {};
  if (raw.type === "time-delay" && !Number.isInteger(data.value)) {
    throw invalidPointer(`${pointer}/data/value`, "A time delay needs an integer 'value'.");
  }
  const templateId = isObject(data.message) ? data.message.template_id : undefined;
  if (typeof templateId === "string" && !state.store.get("template", templateId)) {
    throw invalidPointer(
      `${pointer}/data/message/template_id`,
      `No template has the id ${templateId}.`,
    );
  }
  return raw;
}

/** An action definition as stored (checkAction passed): real id, links, defaults, message. */
function storedAction(
  state: EmulatorState,
  id: string,
  raw: JsonObject,
  links: JsonObject,
): JsonObject {
  const type = String(raw.type);
  let data = isObject(raw.data) ? { ...raw.data } : (raw.data ?? null);
  if (type === "time-delay") data = { ...DELAY_DEFAULTS, ...(data as JsonObject) };
  if (SENDS[type] && isObject(data)) {
    data.status ??= "draft";
    if (isObject(data.message)) data.message = saveMessage(state, id, type, data.message);
  }
  return { id, type, links, data };
}

function readTrigger(state: EmulatorState, definition: JsonObject): JsonObject {
  const pointer = "/data/attributes/definition/triggers";
  const triggers = definition.triggers;
  if (!Array.isArray(triggers) || triggers.length !== 1 || !isObject(triggers[0])) {
    throw invalidPointer(pointer, "A flow has exactly one trigger: [{type, id?}].");
  }
  const trigger = triggers[0];
  const type = String(trigger.type);
  if (!TRIGGER_TYPES[type]) {
    throw invalidPointer(
      `${pointer}/0/type`,
      `The trigger 'type' is one of ${Object.keys(TRIGGER_TYPES).join(", ")}.`,
    );
  }
  const source = TRIGGER_SOURCES[type];
  if (source && !state.store.get(source, String(trigger.id))) {
    throw new ApiError(404, `A ${source} with id ${String(trigger.id)} does not exist.`, {
      pointer: `${pointer}/0/id`,
    });
  }
  return trigger;
}

const createFlow: Handler = (request, state) => {
  const options = readQuery(request, state);
  const { attributes } = resourceData(request);
  const name = requireString(attributes, "name");
  const definition = attributes.definition;
  const base = "/data/attributes/definition";
  if (!isObject(definition)) {
    throw invalidPointer(base, "'definition' is required: {triggers, actions, entry_action_id}.");
  }
  const trigger = readTrigger(state, definition);
  const actions = definition.actions;
  if (!Array.isArray(actions) || actions.length === 0) {
    throw invalidPointer(`${base}/actions`, "A flow needs at least one action.");
  }
  const { store } = state;
  const realIds = new Map<string, string>();
  const checked = actions.map((raw, index) => {
    const pointer = `${base}/actions/${index}`;
    const action = checkAction(state, raw, pointer);
    if (action.id !== undefined && action.id !== null) {
      throw invalidPointer(`${pointer}/id`, "New actions take a 'temporary_id', not an 'id'.");
    }
    const temporary = action.temporary_id;
    if (typeof temporary !== "string" || temporary === "" || realIds.has(temporary)) {
      throw invalidPointer(`${pointer}/temporary_id`, "Each action needs its own 'temporary_id'.");
    }
    realIds.set(temporary, store.newId("flow-action"));
    return action;
  });
  const resolve = (pointer: string) => (temporary: string) => {
    const id = realIds.get(temporary);
    if (!id) {
      throw invalidPointer(pointer, `No action of this flow has the temporary_id ${temporary}.`);
    }
    return id;
  };
  const entry = resolve(`${base}/entry_action_id`)(String(definition.entry_action_id));
  const links = checked.map((raw, index) => {
    const pointer = `${base}/actions/${index}/links`;
    return mapLinks(raw.links, resolve(pointer), pointer);
  });
  const now = store.now();
  const flow = store.insert(
    "flow",
    stamp(
      "flow",
      {
        name,
        status: "draft",
        archived: false,
        trigger_type: TRIGGER_TYPES[String(trigger.type)],
        definition: {
          triggers: [trigger],
          profile_filter: definition.profile_filter ?? null,
          entry_action_id: entry,
          reentry_criteria: definition.reentry_criteria ?? null,
        },
      },
      true,
      now,
    ),
  );
  const ids = checked.map((raw, index) => {
    const id = realIds.get(String(raw.temporary_id)) as string;
    const stored = storedAction(state, id, raw, links[index] as JsonObject);
    store.insert("flow-action", stamp("flow-action", { definition: stored }, true, now), id);
    return id;
  });
  store.link("flow", flow.id, "flow-actions", ids);
  const source = TRIGGER_SOURCES[String(trigger.type)];
  if (source) store.link(source, String(trigger.id), "flow-triggers", [flow.id]);
  return {
    status: request.op.status,
    body: document(store, flow, options, { self: selfLink(state.baseUrl, request) }),
  };
};

function existingAction(state: EmulatorState, id: string): StoredResource {
  const action = state.store.get("flow-action", id);
  if (!action) throw notFound("flow-action", id);
  return action;
}

const updateFlowAction: Handler = (request, state) => {
  const options = readQuery(request, state);
  const action = existingAction(state, request.params.id ?? "");
  const data = resourceData(request);
  if (data.id !== action.id) {
    throw invalidPointer(
      "/data/id",
      `'id' (${String(data.id)}) must match the id in the path (${action.id}).`,
    );
  }
  const pointer = "/data/attributes/definition";
  const raw = checkAction(state, data.attributes.definition, pointer);
  const current = isObject(action.attributes.definition) ? action.attributes.definition : {};
  if (raw.type !== current.type) {
    throw invalidPointer(
      `${pointer}/type`,
      `This action is a '${String(current.type)}'; its type cannot change.`,
    );
  }
  const { store } = state;
  const flowId = store.relatedOne("flow-action", action.id, "flow");
  const siblings = store.related("flow", flowId ?? "", "flow-actions");
  const sibling = (id: string) => {
    if (!siblings.includes(id) || id === action.id) {
      throw invalidPointer(`${pointer}/links`, `No other action of this flow has the id ${id}.`);
    }
    return id;
  };
  const links = mapLinks(raw.links ?? current.links, sibling, `${pointer}/links`);
  action.attributes.definition = storedAction(state, action.id, raw, links);
  stamp("flow-action", action.attributes, false, store.now());
  const flow = store.get("flow", flowId ?? "");
  if (flow) stamp("flow", flow.attributes, false, store.now());
  return {
    status: 200,
    body: document(store, action, options, { self: selfLink(state.baseUrl, request) }),
  };
};

const deleteFlowAction: Handler = (request, state) => {
  readQuery(request, state);
  const action = existingAction(state, request.params.id ?? "");
  const { store } = state;
  const definition = isObject(action.attributes.definition) ? action.attributes.definition : {};
  const links = isObject(definition.links) ? definition.links : {};
  const next = typeof links.next === "string" ? links.next : null;
  const flowId = store.relatedOne("flow-action", action.id, "flow");
  for (const id of store.related("flow", flowId ?? "", "flow-actions")) {
    const other = store.get("flow-action", id)?.attributes.definition;
    if (!isObject(other) || !isObject(other.links)) continue;
    for (const [key, target] of Object.entries(other.links)) {
      if (target === action.id) other.links[key] = next;
    }
  }
  const flow = store.get("flow", flowId ?? "");
  const stored = flow?.attributes.definition;
  if (isObject(stored) && stored.entry_action_id === action.id) stored.entry_action_id = next;
  for (const message of store.related("flow-action", action.id, "flow-messages")) {
    store.delete("flow-message", message);
  }
  store.delete("flow-action", action.id);
  if (flow) stamp("flow", flow.attributes, false, store.now());
  return { status: 204 };
};

export const flowBuildingHandlers: Record<string, Handler> = {
  create_flow: createFlow,
  update_flow_action: updateFlowAction,
  delete_flow_action: deleteFlowAction,
};
