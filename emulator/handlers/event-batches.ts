/**
 * Events sent in batches: bulk_create_events (a job of entries, each a profile and its events)
 * and bulk_create_client_events (one profile, many events, from a browser). Every event is
 * checked first, so a bad one refuses the whole request; then they land together, creating or
 * updating their profiles and metrics as a single create_event does.
 */
import { invalidPointer } from "../api-error.js";
import { isObject, type JsonObject, resourceData } from "../body.js";
import type { EmulatorState, Handler } from "../handler-types.js";
import { readQuery } from "../listing.js";
import { readEntries } from "./jobs/common.js";
import { prepareEvent } from "./profiles.js";

/** Klaviyo's cap on events per request, for both endpoints. */
const MAX_EVENTS = 1000;

/** The `events` of one profile: each event's attributes with the profile attached. */
function eventsOf(
  state: EmulatorState,
  attributes: JsonObject,
  base: string,
): Array<() => undefined> {
  const events = readEntries(attributes, "events", { type: "event", max: MAX_EVENTS }).map(
    (entry) => entry.attributes,
  );
  if (!isObject(attributes.profile) || !isObject(attributes.profile.data)) {
    throw invalidPointer(`${base}/profile`, "'profile' is required: {data: {type, attributes}}.");
  }
  const profile = attributes.profile;
  return events.map((event, index) =>
    prepareEvent(state, { ...event, profile }, `${base}/events/data/${index}/attributes`),
  );
}

/** Runs every prepared event when the batch lands, after the emulator's processing delay. */
function land(state: EmulatorState, work: Array<() => undefined>): void {
  state.jobs.defer(() => {
    for (const store of work) store();
    return undefined;
  });
}

const bulkCreateEvents: Handler = (request, state) => {
  readQuery(request, state);
  const { attributes } = resourceData(request);
  const entries = readEntries(attributes, "events-bulk-create", {
    type: "event-bulk-create",
    max: MAX_EVENTS,
  });
  const work = entries.flatMap((entry) =>
    eventsOf(state, entry.attributes, `${entry.pointer}/attributes`),
  );
  if (work.length > MAX_EVENTS) {
    throw invalidPointer(
      "/data/attributes/events-bulk-create",
      `At most ${MAX_EVENTS} events are accepted per request; got ${work.length}.`,
    );
  }
  land(state, work);
  return { status: request.op.status };
};

const bulkCreateClientEvents: Handler = (request, state) => {
  readQuery(request, state);
  const { attributes } = resourceData(request);
  land(state, eventsOf(state, attributes, "/data/attributes"));
  return { status: request.op.status };
};

export const eventBatchHandlers: Record<string, Handler> = {
  bulk_create_events: bulkCreateEvents,
  bulk_create_client_events: bulkCreateClientEvents,
};
