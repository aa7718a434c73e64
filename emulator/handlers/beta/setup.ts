/**
 * The beta's account setup: sending domains (DNS records, verification and activation jobs),
 * text messaging (the org prefix configuration, senders and their carrier registrations), API
 * keys, the brand kit and translations. Plain reads and deletes are the generic handler's.
 */
import { ApiError, invalidPointer } from "../../api-error.js";
import { connect } from "../../beta/links.js";
import { isObject, type JsonObject } from "../../body.js";
import type { EmulatorState, Handler } from "../../handler-types.js";
import { isoTime } from "../../jobs.js";
import { readQuery } from "../../listing.js";
import type { Attributes } from "../../store.js";
import { answer, betaCreate, betaStamp, betaUpdate, checkedData, requiredLink } from "./crud.js";

const object = (value: unknown): JsonObject => (isObject(value) ? value : {});

/** The records Klaviyo asks a sending domain's owner to publish. */
export function dnsRecords(domain: string, selector: string) {
  return [
    { type: "cname", host: `send.${domain}`, value: "send.klaviyomail.com", verified: false },
    {
      type: "cname",
      host: `${selector}._domainkey.${domain}`,
      value: `${selector}.dkim.klaviyomail.com`,
      verified: false,
    },
    { type: "txt", host: `_dmarc.${domain}`, value: "v=DMARC1; p=none;", verified: false },
  ];
}

const createSendingDomain = betaCreate("sending-domain", (state, attributes) => {
  const domain = String(attributes.domain).trim().toLowerCase();
  if (!/^(?=.{4,253}$)([a-z0-9-]+\.)+[a-z]{2,}$/.test(domain)) {
    throw invalidPointer("/data/attributes/domain", `'${domain}' is not a valid domain name.`);
  }
  if (state.store.all("sending-domain").some((d) => d.attributes.domain === domain)) {
    throw new ApiError(
      409,
      `The sending domain ${domain} already exists.`,
      {
        pointer: "/data/attributes/domain",
      },
      { code: "duplicate" },
    );
  }
  return {
    attributes: {
      domain,
      dkim_selector: "kl",
      purpose: attributes.purpose ?? "marketing",
      configuration: attributes.configuration ?? "static",
      status: "pending",
      dns_records: dnsRecords(domain, "kl"),
    },
  };
});

/** A DNS check: in the emulator every published record resolves. */
const verifySendingDomain: Handler = (request, state) => {
  readQuery(request, state);
  const { relationships } = checkedData(request);
  const domain = requiredLink(state, relationships, "sending-domain", "sending-domain");
  const records = (domain.attributes.dns_records as JsonObject[]).map((r) => ({
    ...r,
    verified: true,
  }));
  domain.attributes.dns_records = records;
  betaStamp("sending-domain", domain.attributes, false, state.store.now());
  const job = state.store.insert("sending-domain-verification-job", {
    verification_state: "verified",
    dns_records: records,
    error_code: null,
    checked_at: isoTime(state.store.now()),
  });
  state.store.link("sending-domain-verification-job", job.id, "sending-domain", [domain.id]);
  return answer(request, state, job);
};

const activateSendingDomain: Handler = (request, state) => {
  readQuery(request, state);
  const { attributes, relationships } = checkedData(request);
  const domain = requiredLink(state, relationships, "sending-domain", "sending-domain");
  const records = domain.attributes.dns_records as JsonObject[];
  if (records.some((r) => r.verified !== true)) {
    throw new ApiError(
      400,
      `Sending domain ${domain.id} has DNS records not verified yet: run a verification job first.`,
      { pointer: "/data/relationships/sending-domain/data/id" },
    );
  }
  const status = attributes.warming_enabled === true ? "warming" : "active";
  domain.attributes.status = status;
  betaStamp("sending-domain", domain.attributes, false, state.store.now());
  const job = state.store.insert("sending-domain-activation-job", {
    status,
    activated_at: isoTime(state.store.now()),
  });
  state.store.link("sending-domain-activation-job", job.id, "sending-domain", [domain.id]);
  return answer(request, state, job);
};

const createTextConfiguration = betaCreate("text-messaging-configuration", (state, attributes) => {
  if (state.store.count("text-messaging-configuration") > 0) {
    throw new ApiError(409, "The account already has a text messaging configuration.", undefined, {
      code: "duplicate",
    });
  }
  return {
    attributes: {
      org_prefix: attributes.org_prefix,
      opt_out_language: "Reply STOP to opt out.",
      status: "active",
    },
  };
});

/** A carrier registration as submitted: in review until the carrier decides. */
function registration(state: EmulatorState, submitted: JsonObject): Attributes {
  const now = isoTime(state.store.now());
  return betaStamp(
    "text-messaging-sender-registration",
    { status: "in_review", failures: [], submitted_at: now, decided_at: null, submitted },
    true,
    state.store.now(),
  );
}

const createTextSender: Handler = (request, state) => {
  readQuery(request, state);
  const { attributes } = checkedData(request);
  const { store } = state;
  const nested = object(object(attributes["text-messaging-sender-registration"]).data);
  const sender = store.insert(
    "text-messaging-sender",
    betaStamp(
      "text-messaging-sender",
      {
        sender_type: attributes.sender_type,
        sender_details: attributes.sender_details,
        status: "registering",
        forwarding_number: attributes.forwarding_number ?? null,
        sender_identifier: null,
      },
      true,
      store.now(),
    ),
  );
  const stored = store.insert(
    "text-messaging-sender-registration",
    registration(state, object(nested.attributes)),
  );
  connect(store, "text-messaging-sender", sender.id, "text-messaging-sender-registration", [
    stored.id,
  ]);
  return answer(request, state, sender);
};

/** A resubmission: the sender's registration is replaced, and it is registering again. */
const createTextRegistration: Handler = (request, state) => {
  readQuery(request, state);
  const { attributes, relationships } = checkedData(request);
  const sender = requiredLink(
    state,
    relationships,
    "text-messaging-sender",
    "text-messaging-sender",
  );
  const stored = state.store.insert(
    "text-messaging-sender-registration",
    registration(state, attributes),
  );
  connect(state.store, "text-messaging-sender", sender.id, "text-messaging-sender-registration", [
    stored.id,
  ]);
  sender.attributes.status = "registering";
  return answer(request, state, stored);
};

const updateApiKey = betaUpdate("api-key", (_state, _key, attributes) => {
  if (attributes.name !== undefined && (typeof attributes.name !== "string" || !attributes.name)) {
    throw invalidPointer("/data/attributes/name", "'name' must be a non-empty string.");
  }
  return attributes;
});

/** Descriptors a user writes are marked as theirs, and the voice gets a new version. */
const updateBrandVoice = betaUpdate("brand-voice", (_state, voice, attributes) => {
  const mine = (items: unknown) =>
    Array.isArray(items) ? items.map((item) => ({ ...object(item), user_modified: true })) : items;
  const version = Number.parseInt(String(voice.attributes.version ?? "1"), 10) || 1;
  return {
    tone_descriptors: mine(attributes.tone_descriptors),
    language_patterns: mine(attributes.language_patterns),
    version: String(version + 1),
  };
});

const createTranslation = betaCreate("translation", (_state, attributes, relationships) => {
  const targets = ["campaign-variation", "flow-message", "template", "template-universal-content"];
  const named = targets.filter((name) => object(relationships[name]).data);
  if (named.length !== 1) {
    throw invalidPointer(
      "/data/relationships",
      `A translation is of exactly one resource: give one of ${targets.join(", ")}.`,
    );
  }
  const resourceType = named[0] as string;
  const relatedId = String(object(object(relationships[resourceType]).data).id ?? "");
  return {
    attributes: {
      ...attributes,
      metadata: attributes.metadata ?? null,
      // What the filters name: the translated resource's type and id.
      resource_type: resourceType,
      related_resource_id: relatedId,
      // Value blocks appear as the translation work finds them; none yet.
      values: [],
    },
  };
});

export const betaSetupHandlers: Record<string, Handler> = {
  create_sending_domain_beta: createSendingDomain,
  create_sending_domain_verification_job_beta: verifySendingDomain,
  create_sending_domain_activation_job_beta: activateSendingDomain,
  create_text_messaging_configuration_beta: createTextConfiguration,
  create_text_messaging_sender_beta: createTextSender,
  create_text_messaging_sender_registration_beta: createTextRegistration,
  update_api_key_beta: updateApiKey,
  create_translation_beta: createTranslation,
  update_translation_beta: betaUpdate("translation"),
  create_brand_button_beta: betaCreate("brand-button"),
  create_brand_color_beta: betaCreate("brand-color"),
  create_brand_logo_beta: betaCreate("brand-logo"),
  create_brand_social_group_beta: betaCreate("brand-social-group"),
  update_brand_button_beta: betaUpdate("brand-button"),
  update_brand_color_beta: betaUpdate("brand-color"),
  update_brand_logo_beta: betaUpdate("brand-logo"),
  update_brand_social_group_beta: betaUpdate("brand-social-group"),
  update_brand_voice_beta: updateBrandVoice,
  update_brand_email_default_beta: betaUpdate("brand-email-default"),
};
