/** Policy of the events tools (see tools/policy.ts). */
import type { ToolPolicy } from "../../src/engine/definition.js";

// biome-ignore format: one line per tool, so that adjusting a tool is a one-line diff.
export const eventsPolicy = {
  bulk_create_events: { hints: {"events_bulk_create": "E.g. [{\"profile\":{\"data\":{\"type\":\"profile\",\"attributes\":{\"email\":\"a@example.com\"}}},\"events\":{\"data\":[{\"type\":\"event\",\"attributes\":{\"metric\":{\"data\":{\"type\":\"metric\",\"attributes\":{\"name\":\"Viewed Product\"}}},\"properties\":{\"sku\":\"A1\"}}}]}}]"}, checkWith: "get_events", description: "Create up to 1,000 events for one or more profiles in one request: for each profile (email, phone_number or id), its events (metric name, properties). Profiles are created or updated as needed." },
  create_event: { core: true, description: "Create an event to track a profile's activity, identifying the profile (id, email or phone_number) and the metric by name; the profile is created or updated as needed. Success means accepted for processing, not yet processed." },
  get_event: { description: "Get the event with the given event_id, including its properties and time. Use include to add its metric, profile or attributions." },
  get_event_metric: { description: "Get the metric of the event with the given event_id, as a full metric resource." },
  get_event_profile: { description: "Get the profile that the event with the given event_id belongs to, as a full profile resource." },
  get_event_relationships_metric: { description: "Get only the id of the metric of the given event. For the full metric, use get_event_metric." },
  get_event_relationships_profile: { description: "Get only the id of the profile that the given event belongs to. For the full profile, use get_event_profile." },
  get_events: { core: true, description: "List events in the account, filterable by metric_id, profile_id and datetime, sortable by datetime or timestamp, and paged. Custom metrics are not supported in the metric_id filter." },
} satisfies Record<string, ToolPolicy>;
