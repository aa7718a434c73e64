/**
 * A profile's consent as Klaviyo reports it (`subscriptions`, rendered by
 * `additional-fields[profile]=subscriptions`), and finding or creating the profile a consent
 * request names. Shared by the subscription and suppression jobs.
 */
import { isObject, type JsonObject } from "../../body.js";
import type { EmulatorState } from "../../handler-types.js";
import { findProfileByIdentifiers } from "../../resources.js";
import type { StoredResource } from "../../store.js";
import { stamp } from "../generic.js";

export const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
export const PHONE = /^\+[1-9]\d{6,14}$/;

/** What a profile has consented to before anyone asked. */
function neverSubscribed(): JsonObject {
  const base = { consent: "NEVER_SUBSCRIBED", consent_timestamp: null, last_updated: null };
  return {
    email: {
      marketing: {
        can_receive_email_marketing: false,
        ...base,
        method: null,
        method_detail: null,
        custom_method_detail: null,
        double_optin: null,
        suppression: [],
        list_suppressions: [],
      },
    },
    sms: {
      marketing: { can_receive_sms_marketing: false, ...base, method: null, method_detail: null },
      transactional: {
        can_receive_sms_transactional: false,
        ...base,
        method: null,
        method_detail: null,
      },
    },
  };
}

/** A deep copy of the profile's subscriptions with every default filled in. */
export function subscriptionsOf(profile: StoredResource): JsonObject {
  const merged = neverSubscribed();
  const stored = profile.attributes.subscriptions;
  if (isObject(stored)) {
    for (const [channel, kinds] of Object.entries(stored)) {
      if (!isObject(kinds)) continue;
      const target = child(merged, channel);
      for (const [kind, value] of Object.entries(kinds)) {
        target[kind] = {
          ...((target[kind] as JsonObject | undefined) ?? {}),
          ...(value as object),
        };
      }
    }
  }
  return structuredClone(merged);
}

/** `owner[key]` as an object, created empty when missing. */
function child(owner: JsonObject, key: string): JsonObject {
  const value = owner[key];
  if (isObject(value)) return value;
  const created: JsonObject = {};
  owner[key] = created;
  return created;
}

export function section(subscriptions: JsonObject, channel: string, kind: string): JsonObject {
  return child(child(subscriptions, channel), kind);
}

export interface Suppression {
  reason: string;
  timestamp: string;
}

export function suppressionsOf(marketing: JsonObject): Suppression[] {
  return Array.isArray(marketing.suppression) ? (marketing.suppression as Suppression[]) : [];
}

/** The profile with this id, email or phone number; created when there is none. */
export function resolveProfile(
  state: EmulatorState,
  who: { id?: string; email?: string; phone?: string },
): StoredResource {
  const { store } = state;
  const identifiers: JsonObject = {};
  if (who.email) identifiers.email = who.email;
  if (who.phone) identifiers.phone_number = who.phone;
  let profile = who.id ? store.get("profile", who.id) : undefined;
  profile ??= findProfileByIdentifiers(state, identifiers)?.profile;
  if (!profile) {
    const attributes = stamp("profile", { ...identifiers, properties: {} }, true, store.now());
    return store.insert("profile", attributes);
  }
  // Fill in an identifier the profile lacks, unless another profile owns it.
  for (const [key, value] of Object.entries(identifiers)) {
    if (profile.attributes[key]) continue;
    if (!findProfileByIdentifiers(state, { [key]: value }, profile.id)) {
      profile.attributes[key] = value;
    }
  }
  return profile;
}
