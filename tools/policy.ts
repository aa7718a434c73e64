/**
 * HAND-WRITTEN (not generated): the one place where a tool is adjusted. Each tool has one entry,
 * keyed by its name, in tools/policy/<group>.ts; everything else about it (title, group, operation, scopes, rate limit,
 * arguments, schema) comes from Klaviyo's spec through `npm run generate`, which writes the
 * definitions beside this file (tools/<group>.ts, schemas/<group>.ts) from the spec and this
 * policy. Change an entry, run `npm run generate`, review the snapshots.
 *
 * An entry (ToolPolicy, src/engine/definition.ts):
 * - `description`: what the model reads; name the arguments and the tool to use instead.
 * - `annotations`: hints the HTTP method cannot tell (a POST that only reads, or sends, deletes,
 *   overwrites; an upsert that is safe to repeat). The generator writes them into the definition.
 * - `core: true`: a member of the `core` toolset (read by the engine's registry).
 * - `checkWith`: the read tool that shows whether a write whose answer was lost took effect, when
 *   it is not the GET of the same collection (read by the engine).
 * - `handler`: a hand-written function (src/engine/call/special/) in place of the generic request;
 *   the generator wires it into the definition.
 * - `argNames`, `input`: argument names, and the handler's own arguments, as the generator writes
 *   them.
 * Below the entries: descriptions of arguments the spec leaves undescribed, for every tool.
 */
import type { ToolPolicy } from "../src/engine/definition.js";
import { accountsPolicy } from "./policy/accounts.js";
import { betaPolicy } from "./policy/beta.js";
import { campaignsPolicy } from "./policy/campaigns.js";
import { catalogsPolicy } from "./policy/catalogs.js";
import { clientPolicy } from "./policy/client.js";
import { conversationsPolicy } from "./policy/conversations.js";
import { couponsPolicy } from "./policy/coupons.js";
import { customObjectsPolicy } from "./policy/custom_objects.js";
import { dataPrivacyPolicy } from "./policy/data_privacy.js";
import { eventsPolicy } from "./policy/events.js";
import { flowsPolicy } from "./policy/flows.js";
import { formsPolicy } from "./policy/forms.js";
import { imagesPolicy } from "./policy/images.js";
import { listsPolicy } from "./policy/lists.js";
import { metricsPolicy } from "./policy/metrics.js";
import { profilesPolicy } from "./policy/profiles.js";
import { reportingPolicy } from "./policy/reporting.js";
import { reviewsPolicy } from "./policy/reviews.js";
import { segmentsPolicy } from "./policy/segments.js";
import { tagsPolicy } from "./policy/tags.js";
import { templatesPolicy } from "./policy/templates.js";
import { trackingSettingsPolicy } from "./policy/tracking_settings.js";
import { webFeedsPolicy } from "./policy/web_feeds.js";
import { webhooksPolicy } from "./policy/webhooks.js";

/** Every tool's entry: one file per group in tools/policy/, one line per tool. */
export const TOOL_POLICY = {
  ...accountsPolicy,
  ...betaPolicy,
  ...campaignsPolicy,
  ...catalogsPolicy,
  ...clientPolicy,
  ...conversationsPolicy,
  ...couponsPolicy,
  ...customObjectsPolicy,
  ...dataPrivacyPolicy,
  ...eventsPolicy,
  ...flowsPolicy,
  ...formsPolicy,
  ...imagesPolicy,
  ...listsPolicy,
  ...metricsPolicy,
  ...profilesPolicy,
  ...reportingPolicy,
  ...reviewsPolicy,
  ...segmentsPolicy,
  ...tagsPolicy,
  ...templatesPolicy,
  ...trackingSettingsPolicy,
  ...webFeedsPolicy,
  ...webhooksPolicy,
};

/** The same entries, for lookups by a name that is only known at run time. */
export const policyByName: ReadonlyMap<string, ToolPolicy> = new Map(Object.entries(TOOL_POLICY));

/**
 * Descriptions of arguments the spec leaves undescribed (mostly `$ref`'d objects), by argument
 * name, in every tool that has one.
 */
export const ARGUMENT_DESCRIPTIONS: Readonly<Record<string, string>> = {
  location:
    "Postal address and coordinates: address1, address2, city, region, zip, country, latitude, longitude, timezone, ip.",
  meta: "Profile property edits: patch_properties with append, unappend or unset.",
  metric: "The event's metric, by name (a new name creates the metric).",
  profile:
    "The profile: identify it by email, phone_number, external_id or id; other attributes are set on it.",
  definition:
    "The segment definition: condition_groups, each with a list of conditions (Klaviyo's segment definition format).",
  name: "The name.",
  description: "The description.",
  body: "The text of the message to send.",
  is_starred: "Whether it is starred in the Klaviyo app.",
  exclusive: "Whether a resource may carry only one tag from this group.",
  return_fields: "Fields to return in the response.",
  anonymous_id: "An anonymous identifier of the profile, from client-side tracking.",
  events: "The events to create, each with a metric (by name) and its properties.",
  events_bulk_create:
    "One item per profile: the profile (JSON:API, identified by email, phone_number or id) and the events to create for it.",
};
