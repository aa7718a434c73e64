/** Policy of the profiles tools (see tools/policy.ts). */
import type { ToolPolicy } from "../../src/engine/definition.js";

// biome-ignore format: one line per tool, so that adjusting a tool is a one-line diff.
export const profilesPolicy = {
  create_or_update_profile: { core: true, annotations: { idempotentHint: true }, checkWith: "get_profiles", description: "Create a profile, or update the existing one matching the given id or identifiers (email, phone number, external id). Setting a field to null clears it; omitted fields stay unchanged." },
  create_or_update_push_token: { annotations: { idempotentHint: true }, checkWith: "get_profiles", description: "Create or update a push token for a profile from the server, mainly to migrate push tokens from another platform to Klaviyo. Tokens from users' devices normally come from the mobile SDKs." },
  create_profile: { description: "Create a new profile with identifiers (email, phone_number, external_id), name, location and custom properties. To create or update in one call, use create_or_update_profile." },
  delete_push_token: { description: "Delete the push token with the given push_token_id, so push notifications stop reaching that device." },
  get_bulk_profile_import_job: { description: "Get a bulk profile import job by id to check its status and progress. Use include to add the lists the profiles are imported into." },
  get_bulk_profile_import_job_errors: { description: "List the import errors of the bulk profile import job with the given id, paged with page_cursor and page_size. Use it to find out which profiles failed and why." },
  get_bulk_profile_import_job_lists: { description: "Get the list(s) that the bulk profile import job with the given id imports profiles into, as full list resources." },
  get_bulk_profile_import_job_profiles: { description: "List the profiles imported by the bulk profile import job with the given id, as full profile resources. For ids only, use get_bulk_profile_import_job_relationships_profiles." },
  get_bulk_profile_import_job_relationships_lists: { description: "Get only the ids of the lists that the bulk profile import job with the given id imports into. For full list details, use get_bulk_profile_import_job_lists." },
  get_bulk_profile_import_job_relationships_profiles: { description: "Get only the ids of the profiles imported by the bulk profile import job with the given id, paged. For full profiles, use get_bulk_profile_import_job_profiles." },
  get_bulk_profile_import_jobs: { description: "List bulk profile import jobs in the account, filterable by status, sortable by created_at and paged (at most 100 per page)." },
  get_bulk_suppress_profiles_job: { description: "Get a bulk suppress profiles job (started by suppress_profiles) by job_id, to check its status and counts." },
  get_bulk_suppress_profiles_jobs: { description: "List the bulk suppress profiles jobs started by suppress_profiles, filterable by status, list or segment, sortable by created." },
  get_bulk_unsuppress_profiles_job: { description: "Get a bulk unsuppress profiles job (started by unsuppress_profiles) by job_id, to check its status and counts." },
  get_bulk_unsuppress_profiles_jobs: { description: "List the bulk unsuppress profiles jobs started by unsuppress_profiles, filterable by status, list or segment, sortable by created." },
  get_conversation_for_profile: { description: "Get the conversation of the profile with the given profile_id. For its conversations on every channel, use get_conversations_for_profile." },
  get_conversation_id_for_profile: { description: "Get only the id of the given profile's conversation. For the conversation, use get_conversation_for_profile." },
  get_conversation_ids_for_profile: { description: "Get only the ids of the given profile's conversations on every channel. For the conversations, use get_conversations_for_profile." },
  get_conversations_for_profile: { description: "List the conversations (SMS, WhatsApp, Instagram) of the profile with the given profile_id; reply in one with create_conversation_message." },
  get_profile: { core: true, description: "Get the profile with the given profile_id. Use additional_fields for subscriptions and predictive analytics, and include for its lists, segments, push tokens or conversations." },
  get_profile_for_push_token: { description: "Get the profile that the push token with the given push_token_id belongs to. Use additional_fields for subscriptions and predictive analytics." },
  get_profile_id_for_push_token: { description: "Get only the id of the profile that the given push token belongs to. For the profile, use get_profile_for_push_token." },
  get_profile_lists: { description: "Get the lists that the profile with the given profile_id belongs to, as full list resources." },
  get_profile_relationships_lists: { description: "Get only the ids of the lists that the given profile belongs to. For full lists, use get_profile_lists." },
  get_profile_relationships_segments: { description: "Get only the ids of the segments that the given profile belongs to. For full segments, use get_profile_segments." },
  get_profile_segments: { description: "Get the segments that the profile with the given profile_id belongs to, as full segment resources." },
  get_profiles: { core: true, description: "List profiles in the account, with filtering, sorting and paging. Use it to find profiles by email, phone number or external id; additional_fields adds subscriptions and predictive analytics." },
  get_push_token: { description: "Get the push token with the given push_token_id: token, platform, vendor, enablement status. Use include to add its profile." },
  get_push_token_ids_for_profile: { description: "Get only the ids of the given profile's push tokens. For the tokens, use get_push_tokens_for_profile." },
  get_push_tokens: { description: "List the account's push tokens, filterable by profile id, platform and enablement status, paged. Use include to add their profiles." },
  get_push_tokens_for_profile: { description: "List the push tokens of the profile with the given profile_id." },
  merge_profiles: { annotations: { destructiveHint: true }, checkWith: "get_profiles", argNames: { "data.id": "destination_profile_id", "data.relationships.profiles": "source_profile_ids" }, description: "Merge one source profile into the destination profile with the given id; the source's data moves to the destination and the source is deleted. Runs asynchronously and accepts exactly one source profile." }, // the source profiles are deleted
  spawn_bulk_profile_import_job: { description: "Start an asynchronous job that creates or updates up to 10,000 profiles (5MB payload, 100KB per profile), optionally adding them to lists. Poll get_bulk_profile_import_job for progress." },
  subscribe_profiles: { hints: {"profiles[].subscriptions": "E.g. {\"email\":{\"marketing\":{\"consent\":\"SUBSCRIBED\"}},\"sms\":{\"marketing\":{\"consent\":\"SUBSCRIBED\"}}}; also sms/whatsapp transactional, email open_tracking, push marketing; consented_at only with historical_import"}, core: true, checkWith: "get_profiles", description: "Subscribe up to 1,000 profiles to email, SMS, WhatsApp or push marketing, optionally to a list (double opt-in lists send a confirmation first). Removes unsubscribe and suppression blocks; historical_import skips opt-in (needs consented_at)." },
  suppress_profiles: { annotations: { destructiveHint: true }, checkWith: "get_profiles", description: "Suppress profiles from email marketing regardless of consent, by email address (at most 100 per request) or all current members of a list or segment. Undo with unsuppress_profiles." }, // withdraws marketing consent
  unsubscribe_profiles: { hints: {"profiles[].subscriptions": "E.g. {\"email\":{\"marketing\":{\"consent\":\"UNSUBSCRIBED\"}}}; also sms/whatsapp transactional, whatsapp conversational, email open_tracking, push marketing"}, core: true, annotations: { destructiveHint: true }, checkWith: "get_profiles", description: "Unsubscribe up to 100 profiles from email, SMS or push marketing. Profiles not in the given list are unsubscribed globally. To take someone off a list without changing consent, use remove_profile_from_list." },
  unsuppress_profiles: { checkWith: "get_profiles", description: "Remove USER_SUPPRESSED blocks by email address (at most 100 per request) or for all current members of a list or segment. Unsubscribes and INVALID_EMAIL or HARD_BOUNCE suppressions stay." },
  update_profile: { core: true, description: "Update the profile with the given profile_id. Setting a field to null clears it; omitted fields stay unchanged." },
} satisfies Record<string, ToolPolicy>;
