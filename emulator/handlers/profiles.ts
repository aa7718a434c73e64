/**
 * Profile-centred operations that are not plain CRUD: upsert (profile-import), merge, event
 * tracking (which creates the profile and metric on the fly, as Klaviyo does), push tokens and
 * the public /client/ endpoints.
 */
import { randomUUID } from "node:crypto";
import { ApiError, invalidPointer, notFound } from "../api-error.js";
import { isObject, type JsonObject, relationshipIds, resourceData } from "../body.js";
import type { EmulatorRequest, EmulatorState, Handler } from "../handler-types.js";
import { isoTime } from "../jobs.js";
import { readQuery, selfLink } from "../listing.js";
import { document } from "../render.js";
import { PROFILE_KEYS } from "../resources.js";
import { stamp } from "./generic.js";
import { upsertProfile } from "./profile-upsert.js";

/** The profile a request body names: `{data: {id?, attributes}}` or the resource object itself. */
function upsertFromBody(state: EmulatorState, profileData: unknown, pointer: string) {
  const data = isObject(profileData) && isObject(profileData.data) ? profileData.data : profileData;
  if (!isObject(data)) {
    throw invalidPointer(
      pointer,
      "Expected a profile: {data: {type: 'profile', attributes: {...}}}.",
    );
  }
  const id = typeof data.id === "string" ? data.id : undefined;
  return upsertProfile(
    state,
    { id, attributes: isObject(data.attributes) ? data.attributes : {} },
    pointer,
  );
}

const createOrUpdateProfile: Handler = (request, state) => {
  const options = readQuery(request, state);
  const data = resourceData(request);
  const { profile, created } = upsertProfile(
    state,
    { id: data.id, attributes: data.attributes },
    "/data",
  );
  return {
    status: created ? 201 : 200,
    body: document(state.store, profile, options, { self: selfLink(state.baseUrl, request) }),
  };
};

const mergeProfiles: Handler = (request, state) => {
  readQuery(request, state);
  const data = resourceData(request);
  const { store } = state;
  const destination = data.id ? store.get("profile", data.id) : undefined;
  if (!destination)
    throw new ApiError(404, `A profile with id ${data.id} does not exist.`, {
      pointer: "/data/id",
    });
  const sources = relationshipIds(data.relationships, "profiles", "profile") ?? [];
  if (sources.length === 0)
    throw invalidPointer(
      "/data/relationships/profiles",
      "Name at least one source profile to merge.",
    );
  sources.forEach((id, index) => {
    if (id === destination.id)
      throw invalidPointer(
        `/data/relationships/profiles/data/${index}/id`,
        "A profile cannot be merged into itself.",
      );
    if (!store.get("profile", id))
      throw new ApiError(404, `A profile with id ${id} does not exist.`, {
        pointer: `/data/relationships/profiles/data/${index}/id`,
      });
  });
  // Klaviyo merges in the background; the destination keeps its own values where it has them.
  state.jobs.defer(() => {
    for (const id of sources) {
      const source = store.get("profile", id);
      if (!source) continue;
      for (const [key, value] of Object.entries(source.attributes)) {
        if (destination.attributes[key] === undefined || destination.attributes[key] === null)
          destination.attributes[key] = value;
      }
      for (const rel of ["lists", "segments", "push-tokens"])
        store.link("profile", destination.id, rel, store.related("profile", id, rel));
      for (const event of store.all("event")) {
        if (store.relatedOne("event", event.id, "profile") === id)
          store.link("event", event.id, "profile", [destination.id]);
      }
      store.delete("profile", id);
    }
    return undefined;
  });
  const profileUrl = `${state.baseUrl}/api/profiles/${destination.id}/`;
  return {
    status: request.op.status,
    body: {
      data: { type: "profile", id: destination.id, links: { self: profileUrl } },
      links: { self: selfLink(state.baseUrl, request) },
    },
  };
};

/** Validates an event and queues it; the profile and metric are created when it lands. */
function trackEvent(request: EmulatorRequest, state: EmulatorState) {
  readQuery(request, state);
  state.jobs.defer(prepareEvent(state, resourceData(request).attributes));
  return { status: 202 };
}

/**
 * Validates one event's attributes (`base` is where they sit in the request) and returns the
 * work that stores it, with its profile and metric, once it lands.
 */
export function prepareEvent(
  state: EmulatorState,
  attributes: JsonObject,
  base = "/data/attributes",
): () => undefined {
  if (!isObject(attributes.properties))
    throw invalidPointer(
      `${base}/properties`,
      "'properties' is required: an object of event properties.",
    );
  const metric =
    isObject(attributes.metric) && isObject(attributes.metric.data)
      ? attributes.metric.data
      : undefined;
  const metricName = isObject(metric?.attributes) ? metric.attributes.name : undefined;
  if (typeof metricName !== "string" || metricName.trim() === "") {
    throw invalidPointer(`${base}/metric/data/attributes/name`, "The metric name is required.");
  }
  const time =
    attributes.time === undefined || attributes.time === null
      ? state.store.now()
      : Date.parse(String(attributes.time));
  if (Number.isNaN(time))
    throw invalidPointer(`${base}/time`, `Invalid datetime: ${String(attributes.time)}.`);
  const profileData = isObject(attributes.profile) ? attributes.profile.data : undefined;
  const profileAttributes =
    isObject(profileData) && isObject(profileData.attributes) ? profileData.attributes : {};
  const hasIdentifier =
    (isObject(profileData) && typeof profileData.id === "string") ||
    [...PROFILE_KEYS, "anonymous_id", "_kx"].some((k) => typeof profileAttributes[k] === "string");
  if (!hasIdentifier)
    throw invalidPointer(
      `${base}/profile/data/attributes`,
      "The profile needs an identifier: id, email, phone_number, external_id or anonymous_id.",
    );
  const uniqueId = typeof attributes.unique_id === "string" ? attributes.unique_id : randomUUID();
  return () => {
    const { store } = state;
    // A repeated unique_id is deduplicated, as Klaviyo does.
    if (store.all("event").some((e) => e.attributes.uuid === uniqueId)) return undefined;
    const withIdentifier =
      PROFILE_KEYS.some((k) => typeof profileAttributes[k] === "string") ||
      (isObject(profileData) && typeof profileData.id === "string");
    const profile = withIdentifier
      ? upsertFromBody(state, profileData, `${base}/profile/data`).profile
      : undefined;
    const metricResource =
      store.all("metric").find((m) => m.attributes.name === metricName) ??
      store.insert(
        "metric",
        stamp(
          "metric",
          {
            name: metricName,
            integration: {
              object: "integration",
              id: "0rG4eQ",
              key: "api",
              name: "API",
              category: "API",
            },
          },
          true,
          store.now(),
        ),
      );
    const properties: JsonObject = { ...(attributes.properties as JsonObject) };
    if (typeof attributes.value === "number") properties.$value = attributes.value;
    const event = store.insert("event", {
      timestamp: Math.floor(time / 1000),
      datetime: isoTime(time),
      uuid: uniqueId,
      event_properties: properties,
    });
    store.link("event", event.id, "metric", [metricResource.id]);
    if (profile) store.link("event", event.id, "profile", [profile.id]);
    return undefined;
  };
}

function createPushToken(request: EmulatorRequest, state: EmulatorState) {
  readQuery(request, state);
  const { attributes } = resourceData(request);
  for (const key of ["token", "platform", "vendor"]) {
    if (typeof attributes[key] !== "string")
      throw invalidPointer(`/data/attributes/${key}`, `'${key}' is required.`);
  }
  const { profile } = upsertFromBody(state, attributes.profile, "/data/attributes/profile");
  const existing = state.store
    .all("push-token")
    .find((t) => t.attributes.token === attributes.token);
  const { profile: _p, device_metadata, ...rest } = attributes;
  // Registering a known token again updates its state; either way it is recorded now.
  const now = isoTime(state.store.now());
  const changes = {
    ...Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== null)),
    ...(device_metadata ? { metadata: device_metadata } : {}),
    recorded_date: now,
  };
  const token =
    existing ??
    state.store.insert("push-token", {
      created: now,
      enablement_status: "AUTHORIZED",
      background: "AVAILABLE",
      metadata: null,
      ...changes,
    });
  if (existing) state.store.update("push-token", existing.id, changes);
  state.store.link("push-token", token.id, "profile", [profile.id]);
  return { status: 202 };
}

const unregisterPushToken: Handler = (request, state) => {
  readQuery(request, state);
  const { attributes } = resourceData(request);
  if (typeof attributes.token !== "string")
    throw invalidPointer("/data/attributes/token", "'token' is required.");
  const token = state.store.all("push-token").find((t) => t.attributes.token === attributes.token);
  if (token) state.store.update("push-token", token.id, { enablement_status: "UNAUTHORIZED" });
  return { status: 202 };
};

const clientSubscribe: Handler = (request, state) => {
  readQuery(request, state);
  const data = resourceData(request);
  const listId = relationshipIds(data.relationships, "list", "list")?.[0];
  if (!listId) throw invalidPointer("/data/relationships/list", "A list is required.");
  if (!state.store.get("list", listId)) throw notFound("list", listId);
  const profileData = isObject(data.attributes.profile) ? data.attributes.profile.data : undefined;
  state.jobs.defer(() => {
    const { profile } = upsertFromBody(state, profileData, "/data/attributes/profile/data");
    const now = isoTime(state.store.now());
    const consent = {
      consent: "SUBSCRIBED",
      consent_timestamp: now,
      method: "FORM",
      method_detail: String(data.attributes.custom_source ?? "Client API"),
      can_receive_email_marketing: true,
      last_updated: now,
    };
    const subscriptions = (profile.attributes.subscriptions as JsonObject | undefined) ?? {};
    profile.attributes.subscriptions = {
      ...subscriptions,
      email: { ...(subscriptions.email as JsonObject | undefined), marketing: consent },
    };
    state.store.link("list", listId, "profiles", [profile.id]);
    return undefined;
  });
  return { status: 202 };
};

const clientBackInStock: Handler = (request, state) => {
  readQuery(request, state);
  const data = resourceData(request);
  const variantId = relationshipIds(data.relationships, "variant", "catalog-variant")?.[0];
  if (!variantId)
    throw invalidPointer("/data/relationships/variant", "A catalog variant is required.");
  if (!state.store.get("catalog-variant", variantId)) throw notFound("catalog-variant", variantId);
  const channels = data.attributes.channels;
  if (!Array.isArray(channels) || channels.length === 0)
    throw invalidPointer("/data/attributes/channels", "'channels' is required, e.g. [\"EMAIL\"].");
  const profileData = isObject(data.attributes.profile) ? data.attributes.profile : undefined;
  state.jobs.defer(() => {
    const { profile } = upsertFromBody(state, profileData, "/data/attributes/profile");
    const metric =
      state.store.all("metric").find((m) => m.attributes.name === "Subscribed to Back in Stock") ??
      state.store.insert(
        "metric",
        stamp(
          "metric",
          {
            name: "Subscribed to Back in Stock",
            integration: {
              object: "integration",
              id: "7FtS4J",
              key: "klaviyo",
              name: "Klaviyo",
              category: "Internal",
            },
          },
          true,
          state.store.now(),
        ),
      );
    const now = state.store.now();
    const event = state.store.insert("event", {
      timestamp: Math.floor(now / 1000),
      datetime: isoTime(now),
      uuid: randomUUID(),
      event_properties: { "Catalog Variant": variantId, channels },
    });
    state.store.link("event", event.id, "metric", [metric.id]);
    state.store.link("event", event.id, "profile", [profile.id]);
    return undefined;
  });
  return { status: 202 };
};

const clientProfile: Handler = (request, state) => {
  readQuery(request, state);
  const data = resourceData(request);
  state.jobs.defer(() => {
    upsertProfile(state, { attributes: data.attributes }, "/data");
    return undefined;
  });
  return { status: 202 };
};

export const profileHandlers: Record<string, Handler> = {
  create_or_update_profile: createOrUpdateProfile,
  merge_profiles: mergeProfiles,
  create_event: trackEvent,
  create_client_event: trackEvent,
  create_push_token: createPushToken,
  create_client_push_token: createPushToken,
  unregister_client_push_token: unregisterPushToken,
  create_client_subscription: clientSubscribe,
  create_client_back_in_stock_subscription: clientBackInStock,
  create_client_profile: clientProfile,
};
