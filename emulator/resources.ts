/**
 * The few rules that differ per resource type: required attributes, Klaviyo's id shapes
 * (catalog ids, coupon ids), unique keys (a duplicate profile is a 409 naming the existing
 * one), and defaults Klaviyo fills in.
 */
import { ApiError, invalidPointer } from "./api-error.js";
import { type JsonObject, relationshipIds, requireString } from "./body.js";
import type { EmulatorState } from "./handler-types.js";
import { MARKETING_HOOKS } from "./marketing-resources.js";
import type { Attributes, StoredResource } from "./store.js";

export interface ResourceHooks {
  /** Validates a create and returns the attributes to store (and the id, when Klaviyo derives it). */
  create?(
    state: EmulatorState,
    attributes: JsonObject,
    relationships: JsonObject,
  ): { id?: string; attributes: Attributes };
  afterCreate?(state: EmulatorState, resource: StoredResource): void;
  /** Validates an update and returns the attribute changes. */
  update?(state: EmulatorState, resource: StoredResource, attributes: JsonObject): Attributes;
  beforeDelete?(state: EmulatorState, resource: StoredResource): void;
}

const named = (extra: Attributes = {}): ResourceHooks => ({
  create: (_state, attributes) => {
    requireString(attributes, "name");
    return { attributes: { ...extra, ...attributes } };
  },
});

/** A catalog id: `$custom:::$default:::<external_id>`. */
function catalogId(attributes: JsonObject): string {
  const external = requireString(attributes, "external_id");
  const type = (attributes.catalog_type as string | undefined) ?? "$default";
  const integration = (attributes.integration_type as string | undefined) ?? "$custom";
  return `${integration}:::${type}:::${external}`;
}

function unique(state: EmulatorState, type: string, id: string): string {
  if (state.store.get(type, id)) {
    throw new ApiError(
      409,
      `A ${type} with id ${id} already exists.`,
      { pointer: "/data/attributes/external_id" },
      { code: "duplicate" },
    );
  }
  return id;
}

const catalogResource = (type: string): ResourceHooks => ({
  create: (state, attributes) => {
    const id = unique(state, type, catalogId(attributes));
    const { catalog_type: _c, integration_type: _i, ...rest } = attributes;
    return { id, attributes: { published: true, custom_metadata: null, ...rest } };
  },
});

export const PROFILE_KEYS = ["email", "phone_number", "external_id"] as const;

/** The stored profile that already owns `attributes`' email, phone number or external id. */
export function findProfileByIdentifiers(
  state: EmulatorState,
  attributes: JsonObject,
  except?: string,
): { profile: StoredResource; key: string } | undefined {
  for (const key of PROFILE_KEYS) {
    const value = attributes[key];
    if (typeof value !== "string" || value === "") continue;
    const normalized = key === "email" ? value.toLowerCase() : value;
    const profile = state.store
      .all("profile")
      .find(
        (p) =>
          p.id !== except &&
          (key === "email"
            ? String(p.attributes.email ?? "").toLowerCase() === normalized
            : p.attributes[key] === value),
      );
    if (profile) return { profile, key };
  }
  return undefined;
}

function checkProfileIdentifiers(attributes: JsonObject): void {
  const email = attributes.email;
  if (
    email !== undefined &&
    email !== null &&
    (typeof email !== "string" || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
  ) {
    throw invalidPointer("/data/attributes/email", `Invalid email address: ${String(email)}.`);
  }
  const phone = attributes.phone_number;
  if (
    phone !== undefined &&
    phone !== null &&
    (typeof phone !== "string" || !/^\+[1-9]\d{6,14}$/.test(phone))
  ) {
    throw invalidPointer(
      "/data/attributes/phone_number",
      `Invalid phone number: ${String(phone)}. Use E.164 format, e.g. +15005550006.`,
    );
  }
}

export function duplicateProfile(profile: StoredResource, key: string): ApiError {
  return new ApiError(
    409,
    `A profile already exists with one of these identifiers.`,
    { pointer: `/data/attributes/${key}` },
    { code: "duplicate_profile", title: "Conflict.", meta: { duplicate_profile_id: profile.id } },
  );
}

const profileHooks: ResourceHooks = {
  create: (state, attributes) => {
    if (
      !PROFILE_KEYS.some((key) => typeof attributes[key] === "string" && attributes[key] !== "")
    ) {
      throw invalidPointer(
        "/data/attributes",
        "A profile needs at least one identifier: email, phone_number or external_id.",
      );
    }
    checkProfileIdentifiers(attributes);
    const duplicate = findProfileByIdentifiers(state, attributes);
    if (duplicate) throw duplicateProfile(duplicate.profile, duplicate.key);
    return { attributes: { properties: {}, ...attributes } };
  },
  update: (state, resource, attributes) => {
    checkProfileIdentifiers(attributes);
    const duplicate = findProfileByIdentifiers(state, attributes, resource.id);
    if (duplicate) throw duplicateProfile(duplicate.profile, duplicate.key);
    return attributes;
  },
};

const HOOKS: Record<string, ResourceHooks> = {
  ...MARKETING_HOOKS,
  profile: profileHooks,
  list: named({ opt_in_process: "single_opt_in" }),
  segment: {
    create: (_state, attributes) => {
      requireString(attributes, "name");
      if (typeof attributes.definition !== "object" || attributes.definition === null) {
        throw invalidPointer(
          "/data/attributes/definition",
          "'definition' is required: {condition_groups: [...]}.",
        );
      }
      return {
        attributes: { is_active: true, is_processing: false, is_starred: false, ...attributes },
      };
    },
  },
  tag: {
    ...named(),
    // Klaviyo puts a tag created without a tag group in the account's default tag group.
    afterCreate: (state, tag) => {
      if (state.store.relatedOne("tag", tag.id, "tag-group")) return;
      state.store.link("tag", tag.id, "tag-group", [defaultTagGroup(state).id]);
    },
  },
  "tag-group": {
    // `default` is Klaviyo's to set: an account has exactly one default tag group.
    create: (_state, attributes) => {
      requireString(attributes, "name");
      return { attributes: { exclusive: false, ...attributes, default: false } };
    },
    update: (_state, _resource, { default: _default, ...attributes }) => attributes,
    beforeDelete: (state, group) => {
      if (group.attributes.default === true) {
        throw new ApiError(
          400,
          `Tag group ${group.id} is the account's default tag group, which cannot be deleted.`,
        );
      }
      // Deleting a tag group deletes its tags, and with them their links.
      for (const tag of state.store.related("tag-group", group.id, "tags")) {
        state.store.delete("tag", tag);
      }
    },
  },
  template: {
    create: (_state, attributes) => {
      requireString(attributes, "name");
      requireString(attributes, "editor_type");
      return { attributes };
    },
  },
  webhook: {
    create: (_state, attributes, relationships) => {
      requireString(attributes, "name");
      const url = requireString(attributes, "endpoint_url");
      if (!/^https:\/\//.test(url)) {
        throw invalidPointer(
          "/data/attributes/endpoint_url",
          "'endpoint_url' must be an https URL.",
        );
      }
      if (!relationshipIds(relationships, "webhook-topics")?.length) {
        throw invalidPointer(
          "/data/relationships/webhook-topics",
          "A webhook needs at least one topic.",
        );
      }
      const { secret_key: _secret, ...rest } = attributes; // never echoed back
      return { attributes: { enabled: true, ...rest } };
    },
  },
  coupon: {
    create: (state, attributes) => {
      const external = requireString(attributes, "external_id");
      if (!/^[A-Za-z0-9_-]+$/.test(external)) {
        throw invalidPointer(
          "/data/attributes/external_id",
          "'external_id' may use letters, digits, _ and - only.",
        );
      }
      return { id: unique(state, "coupon", external), attributes };
    },
  },
  "coupon-code": {
    create: (state, attributes, relationships) => {
      const code = requireString(attributes, "unique_code");
      const coupon = relationshipIds(relationships, "coupon")?.[0];
      if (!coupon)
        throw invalidPointer("/data/relationships/coupon", "A coupon code needs its coupon.");
      const taken = state.store.all("coupon-code").some((c) => c.attributes.unique_code === code);
      if (taken) {
        throw new ApiError(
          409,
          `The code ${code} already exists.`,
          { pointer: "/data/attributes/unique_code" },
          { code: "duplicate" },
        );
      }
      return { attributes: { status: "UNASSIGNED", ...attributes } };
    },
  },
  "catalog-item": catalogResource("catalog-item"),
  "catalog-variant": catalogResource("catalog-variant"),
  "catalog-category": catalogResource("catalog-category"),
  image: {
    create: (_state, attributes) => {
      const url = requireString(attributes, "import_from_url");
      const { import_from_url: _url, ...rest } = attributes;
      const format =
        /\.(png|gif|jpe?g|webp)(\?|$)/i.exec(url)?.[1]?.toLowerCase().replace("jpg", "jpeg") ??
        "jpeg";
      return {
        attributes: {
          name: url.split("/").pop()?.split("?")[0] ?? "image",
          hidden: false,
          ...rest,
          image_url: url,
          format,
          size: 48_213,
        },
      };
    },
  },
};

/** The account's default tag group; an empty account gets it when it first needs it. */
export function defaultTagGroup(state: EmulatorState): StoredResource {
  const existing = state.store.all("tag-group").find((g) => g.attributes.default === true);
  return existing ?? state.store.insert("tag-group", DEFAULT_TAG_GROUP());
}

/** The default tag group's attributes, as the demo data seeds it too. */
export const DEFAULT_TAG_GROUP = (): Attributes => ({
  name: "Tags",
  exclusive: false,
  default: true,
});

export function hooksFor(type: string): ResourceHooks {
  return HOOKS[type] ?? {};
}
