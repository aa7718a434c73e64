/**
 * Bulk subscribe and unsubscribe (202 with no body). The change is applied once the job
 * duration has passed: consent in the profile's `subscriptions`, list membership, and for a
 * profile Klaviyo doesn't know yet, the profile itself.
 */
import { ApiError, invalidPointer } from "../../api-error.js";
import { isObject, type JsonObject, resourceData } from "../../body.js";
import type { EmulatorState, Handler, HandlerResult } from "../../handler-types.js";
import { isoTime } from "../../jobs.js";
import { readQuery } from "../../listing.js";
import { stamp } from "../generic.js";
import {
  checkAttributes,
  type Entry,
  existingRelated,
  type FieldRules,
  readEntries,
} from "./common.js";
import {
  EMAIL,
  PHONE,
  resolveProfile,
  section,
  subscriptionsOf,
  suppressionsOf,
} from "./consent-state.js";

type Consent = "SUBSCRIBED" | "UNSUBSCRIBED";

/** Channels and the consent kinds each accepts, per direction. */
const CHANNELS: Record<Consent, Record<string, string[]>> = {
  SUBSCRIBED: {
    email: ["marketing", "open_tracking"],
    sms: ["marketing", "transactional"],
    whatsapp: ["marketing", "transactional"],
    push: ["marketing"],
  },
  UNSUBSCRIBED: {
    email: ["marketing", "open_tracking"],
    sms: ["marketing", "transactional"],
    whatsapp: ["marketing", "transactional", "conversational"],
    push: ["marketing"],
  },
};

/** A subscribe or unsubscribe entry, validated. */
interface ConsentEntry {
  entry: Entry;
  email?: string;
  phone?: string;
  /** channel → kind → consented_at (or null). */
  consents: Array<{ channel: string; kind: string; at: string | null }>;
  tokens: string[];
}

function readConsentEntry(
  state: EmulatorState,
  entry: Entry,
  consent: Consent,
  historical: boolean,
): ConsentEntry {
  const at = `${entry.pointer}/attributes`;
  const { subscriptions, ...identity } = entry.attributes;
  const identityRules: FieldRules = {
    email: { kind: "string", nullable: true },
    phone_number: { kind: "string", nullable: true },
    ...(consent === "SUBSCRIBED"
      ? { age_gated_date_of_birth: { kind: "string", nullable: true } }
      : {}),
  };
  checkAttributes(identity, identityRules, at, "profile");
  const email = typeof identity.email === "string" && identity.email ? identity.email : undefined;
  const phone =
    typeof identity.phone_number === "string" && identity.phone_number
      ? identity.phone_number
      : undefined;
  if (email !== undefined && !EMAIL.test(email)) {
    throw invalidPointer(`${at}/email`, `Invalid email address: ${email}.`);
  }
  if (phone !== undefined && !PHONE.test(phone)) {
    throw invalidPointer(
      `${at}/phone_number`,
      `Invalid phone number: ${phone}. Use E.164 format, e.g. +15005550006.`,
    );
  }
  if (entry.id !== undefined && consent === "SUBSCRIBED") {
    if (!state.store.get("profile", entry.id)) {
      throw new ApiError(404, `A profile with id ${entry.id} does not exist.`, {
        pointer: `${entry.pointer}/id`,
      });
    }
  } else if (entry.id !== undefined) {
    throw invalidPointer(
      `${entry.pointer}/id`,
      "'id' is not accepted here; use email or phone_number.",
    );
  }
  if (!email && !phone && entry.id === undefined) {
    throw invalidPointer(at, "Each profile needs an email or a phone_number.");
  }
  const subsAt = `${at}/subscriptions`;
  if (!isObject(subscriptions)) {
    throw invalidPointer(subsAt, "'subscriptions' is required and must be an object.");
  }
  const consents: ConsentEntry["consents"] = [];
  const tokens: string[] = [];
  for (const [channel, value] of Object.entries(subscriptions)) {
    const kinds = CHANNELS[consent][channel];
    const channelAt = `${subsAt}/${channel}`;
    if (!kinds) throw invalidPointer(channelAt, `'${channel}' is not a subscription channel.`);
    if (!isObject(value)) throw invalidPointer(channelAt, `'${channel}' must be an object.`);
    if (channel === "email" && !email && entry.id === undefined) {
      throw invalidPointer(`${at}/email`, "Email consent needs the profile's email.");
    }
    if ((channel === "sms" || channel === "whatsapp") && !phone && entry.id === undefined) {
      throw invalidPointer(`${at}/phone_number`, `${channel} consent needs the phone_number.`);
    }
    if (channel === "push" && !isObject(value.marketing)) {
      throw invalidPointer(`${channelAt}/marketing`, "'marketing' is required for push.");
    }
    for (const [kind, detail] of Object.entries(value)) {
      const kindAt = `${channelAt}/${kind}`;
      if (channel === "push" && kind === "tokens") {
        if (!Array.isArray(detail)) throw invalidPointer(kindAt, "'tokens' must be an array.");
        detail.forEach((token, index) => {
          if (!isObject(token) || typeof token.token !== "string") {
            throw invalidPointer(`${kindAt}/${index}/token`, "'token' is required.");
          }
          tokens.push(token.token);
        });
        continue;
      }
      if (channel === "push" && kind === "anonymous_id" && consent === "SUBSCRIBED") continue;
      if (!kinds.includes(kind)) {
        throw invalidPointer(kindAt, `'${kind}' is not a valid ${channel} subscription.`);
      }
      if (!isObject(detail)) throw invalidPointer(kindAt, `'${kind}' must be an object.`);
      const datable = consent === "SUBSCRIBED" && kind !== "open_tracking";
      checkAttributes(
        detail,
        {
          consent: { kind: { enum: [consent] }, required: true },
          ...(datable ? { consented_at: { kind: "datetime", nullable: true } } : {}),
        },
        kindAt,
        `${channel}.${kind}`,
      );
      const consentedAt = typeof detail.consented_at === "string" ? detail.consented_at : null;
      if (historical && datable) {
        if (!consentedAt) {
          throw invalidPointer(
            `${kindAt}/consented_at`,
            "'consented_at' is required when historical_import is true.",
          );
        }
        if (Date.parse(consentedAt) > state.store.now()) {
          throw invalidPointer(`${kindAt}/consented_at`, "'consented_at' must be in the past.");
        }
      }
      consents.push({ channel, kind, at: consentedAt });
    }
  }
  if (consents.length === 0) {
    throw invalidPointer(subsAt, "Give at least one channel's consent.");
  }
  return { entry, email, phone, consents, tokens };
}

const CLEARED_BY_SUBSCRIBE = new Set(["UNSUBSCRIBE", "SPAM_COMPLAINT", "USER_SUPPRESSED"]);

function subscriptionJob(consent: Consent, maxProfiles: number): Handler {
  return (request, state): HandlerResult => {
    readQuery(request, state);
    const data = resourceData(request);
    const subscribing = consent === "SUBSCRIBED";
    checkAttributes(
      data.attributes,
      {
        profiles: { kind: "object", required: true },
        ...(subscribing
          ? {
              custom_source: { kind: "string", nullable: true },
              historical_import: { kind: "boolean", nullable: true },
            }
          : {}),
      },
      "/data/attributes",
      request.op.requestType ?? "job",
    );
    const historical = data.attributes.historical_import === true;
    const source = (data.attributes.custom_source as string | undefined) ?? null;
    const items = readEntries(data.attributes, "profiles", {
      type: "profile",
      max: maxProfiles,
    }).map((entry) => readConsentEntry(state, entry, consent, historical));
    const listId = existingRelated(state, data.relationships, "list", "list");
    const list = listId ? state.store.get("list", listId) : undefined;
    const doubleOptIn =
      subscribing && !historical && list?.attributes.opt_in_process === "double_opt_in";

    state.jobs.defer(() => {
      const { store } = state;
      const now = isoTime(store.now());
      for (const item of items) {
        const { email, phone } = item;
        const profile = resolveProfile(state, { id: item.entry.id, email, phone });
        const subscriptions = subscriptionsOf(profile);
        for (const { channel, kind, at } of item.consents) {
          if (subscribing)
            subscribe(subscriptions, channel, kind, at ?? now, now, source, doubleOptIn, listId);
          else unsubscribe(subscriptions, channel, kind, now);
        }
        if (!subscribing && item.tokens.length > 0) {
          for (const tokenId of store.related("profile", profile.id, "push-tokens")) {
            const token = store.get("push-token", tokenId);
            if (token && item.tokens.includes(String(token.attributes.token))) {
              store.delete("push-token", tokenId);
            }
          }
        }
        profile.attributes.subscriptions = subscriptions;
        stamp("profile", profile.attributes, false, store.now());
        if (listId && store.get("list", listId)) {
          const pendingConfirmation =
            doubleOptIn && item.consents.every((c) => c.channel === "email");
          if (subscribing && !pendingConfirmation) {
            store.link("list", listId, "profiles", [profile.id]);
          }
          if (!subscribing) store.unlink("list", listId, "profiles", [profile.id]);
        }
      }
      return undefined;
    });
    return { status: request.op.status };
  };
}

function subscribe(
  subscriptions: JsonObject,
  channel: string,
  kind: string,
  consentedAt: string,
  now: string,
  source: string | null,
  doubleOptIn: boolean,
  listId: string | undefined,
): void {
  const stampIt = { consent: "SUBSCRIBED", consent_timestamp: consentedAt, last_updated: now };
  if (channel === "email" && kind === "marketing") {
    // A double opt-in list asks the profile to confirm first; consent waits for that.
    if (doubleOptIn) return;
    const marketing = section(subscriptions, "email", "marketing");
    const suppression = suppressionsOf(marketing).filter(
      (s) => !CLEARED_BY_SUBSCRIBE.has(s.reason),
    );
    const listSuppressions = Array.isArray(marketing.list_suppressions)
      ? (marketing.list_suppressions as JsonObject[]).filter((s) => s.list_id !== listId)
      : [];
    Object.assign(marketing, stampIt, {
      method: "API",
      method_detail: source,
      double_optin: false,
      suppression,
      list_suppressions: listSuppressions,
      can_receive_email_marketing: suppression.length === 0,
    });
  } else if (channel === "email") {
    Object.assign(section(subscriptions, "email", kind), stampIt, {
      created_timestamp: now,
      can_receive: true,
    });
  } else if (channel === "sms") {
    Object.assign(section(subscriptions, "sms", kind), stampIt, {
      method: "API",
      method_detail: source,
      [`can_receive_sms_${kind}`]: true,
    });
  } else if (channel === "whatsapp") {
    Object.assign(section(subscriptions, "whatsapp", kind), stampIt, { can_receive: true });
  } else if (channel === "push") {
    Object.assign(section(subscriptions, "mobile_push", "marketing"), {
      consent: "SUBSCRIBED",
      consent_timestamp: consentedAt,
      can_receive_push_marketing: true,
    });
  }
}

function unsubscribe(subscriptions: JsonObject, channel: string, kind: string, now: string): void {
  const stampIt = { consent: "UNSUBSCRIBED", consent_timestamp: now, last_updated: now };
  if (channel === "email" && kind === "marketing") {
    const marketing = section(subscriptions, "email", "marketing");
    const suppression = suppressionsOf(marketing);
    if (!suppression.some((s) => s.reason === "UNSUBSCRIBE")) {
      suppression.push({ reason: "UNSUBSCRIBE", timestamp: now });
    }
    Object.assign(marketing, stampIt, {
      method: "API",
      suppression,
      can_receive_email_marketing: false,
    });
  } else if (channel === "email") {
    Object.assign(section(subscriptions, "email", kind), stampIt, { can_receive: false });
  } else if (channel === "sms") {
    Object.assign(section(subscriptions, "sms", kind), stampIt, {
      method: "API",
      [`can_receive_sms_${kind}`]: false,
    });
  } else if (channel === "whatsapp") {
    Object.assign(section(subscriptions, "whatsapp", kind), stampIt, { can_receive: false });
  } else if (channel === "push") {
    Object.assign(section(subscriptions, "mobile_push", "marketing"), {
      consent: "UNSUBSCRIBED",
      consent_timestamp: now,
      can_receive_push_marketing: false,
    });
  }
}

export const subscriptionJobHandlers: Record<string, Handler> = {
  bulk_subscribe_profiles: subscriptionJob("SUBSCRIBED", 1000),
  bulk_unsubscribe_profiles: subscriptionJob("UNSUBSCRIBED", 100),
};
