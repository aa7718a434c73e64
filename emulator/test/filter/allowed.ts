/** Allowed filters of a few endpoints, for the filter tests. */
import type { AllowedFilters } from "../../filter.js";

// Shapes copied from the OpenAPI spec's x-klaviyo-filters for a few endpoints.
export const EVENTS: AllowedFilters = {
  metric_id: { operators: { single: ["equals"] }, value: { type: "string" } },
  profile_id: { operators: { single: ["equals"] }, value: { type: "string" } },
  profile: { operators: { none: ["has"] } },
  datetime: {
    operators: { single: ["greater-or-equal", "greater-than", "less-or-equal", "less-than"] },
    value: { type: "string", format: "date-time" },
  },
  timestamp: {
    operators: { single: ["greater-or-equal", "greater-than", "less-or-equal", "less-than"] },
    value: { type: "number" },
  },
};

export const PROFILES: AllowedFilters = {
  id: { operators: { single: ["equals"], list: ["any"] }, value: { type: "string" } },
  email: { operators: { single: ["equals"], list: ["any"] }, value: { type: "string" } },
  created: {
    operators: { single: ["greater-than", "less-than"] },
    value: { type: "string", format: "date-time" },
  },
  "subscriptions.email.marketing.suppression.reason": {
    operators: { single: ["equals"] },
    value: { type: "string" },
  },
};

export const CAMPAIGNS: AllowedFilters = {
  "messages.channel": {
    operators: { single: ["equals"] },
    value: { type: "string", enum: ["email", "sms", "mobile_push"] },
  },
  name: {
    operators: { single: ["contains", "starts-with", "ends-with"] },
    value: { type: "string" },
  },
  status: {
    operators: { list: ["any", "equals"], single: ["equals"] },
    value: { type: "string", enum: ["Draft", "Sent", "Scheduled"] },
  },
  archived: { operators: { single: ["equals"] }, value: { type: "boolean" } },
  created_at: {
    operators: { single: ["greater-or-equal", "less-than"] },
    value: { type: "string", format: "date-time" },
  },
};

export const IMAGES: AllowedFilters = {
  size: {
    operators: { single: ["greater-or-equal", "greater-than", "less-or-equal", "less-than"] },
    value: { type: "integer" },
  },
  rating: {
    operators: { list: ["any", "equals"], single: ["equals", "greater-or-equal"] },
    value: { type: "integer" },
  },
  tags: { operators: { single: ["contains"], list: ["contains-any", "contains-all"] } },
};
