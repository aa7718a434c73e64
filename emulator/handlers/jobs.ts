/**
 * Handlers for Klaviyo's asynchronous bulk operations, by operation id: catalog and coupon-code
 * bulk jobs, profile import, subscribe / unsubscribe, suppress / unsuppress, data-privacy
 * deletion and campaign sends. Reading a job back (GET .../{job_id}) is the generic handler's.
 */
import type { Handler } from "../handler-types.js";
import { campaignJobHandlers } from "./jobs/campaigns.js";
import { catalogJobHandlers } from "./jobs/catalog.js";
import { profileJobHandlers } from "./jobs/profiles.js";
import { subscriptionJobHandlers } from "./jobs/subscriptions.js";
import { suppressionJobHandlers } from "./jobs/suppressions.js";

export const jobHandlers: Record<string, Handler> = {
  ...catalogJobHandlers,
  ...profileJobHandlers,
  ...subscriptionJobHandlers,
  ...suppressionJobHandlers,
  ...campaignJobHandlers,
};
