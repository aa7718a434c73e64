/**
 * The dedicated handlers of the custom data operations: custom objects, custom and mapped
 * metrics, metric properties and flow triggers, profile conversations, and suppression job reads.
 */
import type { Handler } from "../handler-types.js";
import { conversationHandlers } from "./conversations.js";
import { customMetricHandlers } from "./custom-metrics.js";
import { customObjectHandlers } from "./custom-objects.js";
import { metricPropertyHandlers } from "./metric-properties.js";
import { suppressionJobReadHandlers } from "./suppression-job-reads.js";

export const customDataHandlers: Record<string, Handler> = {
  ...customObjectHandlers,
  ...customMetricHandlers,
  ...metricPropertyHandlers,
  ...conversationHandlers,
  ...suppressionJobReadHandlers,
};
