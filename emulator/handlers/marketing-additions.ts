/**
 * The dedicated handlers of the operations added with the full stable spec (campaign and flow
 * building, event batches, reviews, form and segment analytics), and the small ones that fit no
 * group: the storefront's geofences and egress IP allowlist, server-side back in stock
 * subscriptions, and outbound conversation messages.
 */
import { ApiError, invalidPointer, notFound } from "../api-error.js";
import { isObject, relationshipIds, requireString, resourceData } from "../body.js";
import type { Handler } from "../handler-types.js";
import { isoTime } from "../jobs.js";
import { listDocument, readQuery, selfLink } from "../listing.js";
import { document } from "../render.js";
import {
  formSeriesReport,
  formValuesReport,
  segmentSeriesReport,
  segmentValuesReport,
} from "../reports/audience-reports.js";
import { campaignBuildingHandlers } from "./campaign-building.js";
import { report } from "./content.js";
import { eventBatchHandlers } from "./event-batches.js";
import { flowBuildingHandlers } from "./flow-building.js";
import { profileHandlers } from "./profiles.js";
import { reviewHandlers } from "./reviews.js";

/** The one IP allowlist Klaviyo serves: the addresses its integrations call out from. */
export const EGRESS_ALLOWLIST = "integration-egress";

const getGeofences: Handler = (request, state) => ({
  status: 200,
  body: listDocument(request, state, state.store.all("geofence")),
});

const getIpAllowlist: Handler = (request, state) => {
  const options = readQuery(request, state);
  const id = request.params.id ?? "";
  const allowlist = id === EGRESS_ALLOWLIST ? state.store.get("ip-allowlist", id) : undefined;
  if (!allowlist) throw notFound("ip-allowlist", id);
  const self = selfLink(state.baseUrl, request);
  const body = document(state.store, allowlist, options, { self });
  // The resource lives under /client/, not /api/.
  if (isObject(body.data)) body.data.links = { self };
  return { status: 200, body };
};

/** Sends a reply into a conversation; the message is kept with it (no operation reads it). */
const createConversationMessage: Handler = (request, state) => {
  readQuery(request, state);
  const { attributes, relationships } = resourceData(request);
  requireString(attributes, "body");
  const hierarchy = attributes.message_hierarchy;
  if (hierarchy !== undefined && hierarchy !== null && !Array.isArray(hierarchy)) {
    throw invalidPointer("/data/attributes/message_hierarchy", "'message_hierarchy' is an array.");
  }
  const conversationId = relationshipIds(relationships, "conversation", "conversation")?.[0];
  if (!conversationId) {
    throw invalidPointer("/data/relationships/conversation", "'conversation' is required.");
  }
  if (!state.store.get("conversation", conversationId)) {
    throw new ApiError(404, `A conversation with id ${conversationId} does not exist.`, {
      pointer: "/data/relationships/conversation/data/id",
    });
  }
  const message = state.store.insert("conversation-message", {
    body: attributes.body,
    message_hierarchy: hierarchy ?? null,
    direction: "outbound",
    created: isoTime(state.store.now()),
  });
  state.store.link("conversation", conversationId, "messages", [message.id]);
  return { status: request.op.status };
};

export const marketingAdditionHandlers: Record<string, Handler> = {
  ...campaignBuildingHandlers,
  ...flowBuildingHandlers,
  ...eventBatchHandlers,
  ...reviewHandlers,
  get_client_geofences: getGeofences,
  get_client_ip_allowlist: getIpAllowlist,
  create_conversation_message: createConversationMessage,
  // The server-side subscription takes the same body as the storefront's.
  create_back_in_stock_subscription:
    profileHandlers.create_client_back_in_stock_subscription as Handler,
  query_form_values: report(formValuesReport),
  query_form_series: report(formSeriesReport),
  query_segment_values: report(segmentValuesReport),
  query_segment_series: report(segmentSeriesReport),
};
