/**
 * Per-type rules (see resources.ts, which joins them in) for the resources added with the full
 * stable spec: web feeds, universal content blocks, forms and their versions, reviews'
 * moderation, and the account's UTM tracking setting. Shaped like resources.ts' ResourceHooks
 * without importing it, so the two modules stay free of a cycle.
 */
import { invalidPointer } from "./api-error.js";
import { isObject, type JsonObject, requireString } from "./body.js";
import type { EmulatorState } from "./handler-types.js";
import { isoTime } from "./jobs.js";
import type { Attributes, StoredResource } from "./store.js";

interface Hooks {
  create?(
    state: EmulatorState,
    attributes: JsonObject,
    relationships: JsonObject,
  ): { id?: string; attributes: Attributes };
  afterCreate?(state: EmulatorState, resource: StoredResource): void;
  update?(state: EmulatorState, resource: StoredResource, attributes: JsonObject): Attributes;
  beforeDelete?(state: EmulatorState, resource: StoredResource): void;
}

const ATTRIBUTES = "/data/attributes";

function oneOf(
  attributes: JsonObject,
  name: string,
  allowed: readonly string[],
  required: boolean,
) {
  const value = attributes[name];
  if ((value === undefined || value === null) && !required) return;
  if (!allowed.includes(value as string)) {
    throw invalidPointer(
      `${ATTRIBUTES}/${name}`,
      `'${name}' must be one of ${allowed.join(", ")}.`,
    );
  }
}

function onlyKnown(attributes: JsonObject, known: readonly string[], type: string): void {
  for (const name of Object.keys(attributes)) {
    if (!known.includes(name)) {
      throw invalidPointer(
        `${ATTRIBUTES}/${name}`,
        `'${name}' is not a valid field for the resource '${type}'.`,
      );
    }
  }
}

// Web feeds ----------------------------------------------------------------------------------

const FEED_FIELDS = ["name", "url", "request_method", "content_type"];

function checkFeed(attributes: JsonObject, creating: boolean): void {
  onlyKnown(attributes, FEED_FIELDS, "web-feed");
  if (creating) requireString(attributes, "name");
  const url = attributes.url;
  if ((creating || (url !== undefined && url !== null)) && !/^https?:\/\/\S+$/.test(String(url))) {
    throw invalidPointer(`${ATTRIBUTES}/url`, "'url' must be an http(s) URL.");
  }
  oneOf(attributes, "request_method", ["get", "post"], creating);
  oneOf(attributes, "content_type", ["json", "xml"], creating);
}

const webFeed: Hooks = {
  create: (_state, attributes) => {
    checkFeed(attributes, true);
    return { attributes: { ...attributes, status: "ok" } };
  },
  update: (_state, _feed, attributes) => {
    checkFeed(attributes, false);
    return attributes;
  },
};

// Universal content --------------------------------------------------------------------------

/** The block types Klaviyo lets the API create or change (the rest are read-only). */
export const WRITABLE_BLOCKS = [
  "button",
  "drop_shadow",
  "horizontal_rule",
  "html",
  "image",
  "spacer",
  "text",
];

function checkBlock(definition: unknown): void {
  const pointer = `${ATTRIBUTES}/definition`;
  if (!isObject(definition))
    throw invalidPointer(pointer, "'definition' must be a block: {content_type, type, data}.");
  if (definition.content_type !== "block") {
    throw invalidPointer(`${pointer}/content_type`, "'content_type' must be 'block'.");
  }
  if (!WRITABLE_BLOCKS.includes(String(definition.type))) {
    throw invalidPointer(
      `${pointer}/type`,
      `The API writes these block types only: ${WRITABLE_BLOCKS.join(", ")}.`,
    );
  }
  if (!("data" in definition))
    throw invalidPointer(`${pointer}/data`, "'data' is required (null for none).");
}

const universalContent: Hooks = {
  create: (_state, attributes) => {
    onlyKnown(attributes, ["name", "definition"], "template-universal-content");
    requireString(attributes, "name");
    checkBlock(attributes.definition);
    return {
      attributes: { ...attributes, screenshot_status: "never_generated", screenshot_url: "" },
    };
  },
  update: (_state, content, attributes) => {
    onlyKnown(attributes, ["name", "definition"], "template-universal-content");
    const { name, definition } = attributes;
    if (name !== undefined && name !== null) requireString(attributes, "name");
    if (definition === undefined || definition === null) return { name: name ?? undefined };
    const current = isObject(content.attributes.definition)
      ? content.attributes.definition.type
      : undefined;
    if (!WRITABLE_BLOCKS.includes(String(current))) {
      throw invalidPointer(
        `${ATTRIBUTES}/definition`,
        `A '${String(current)}' block cannot be changed through the API.`,
      );
    }
    checkBlock(definition);
    // The stored screenshot no longer shows the block.
    return { name: name ?? undefined, definition, screenshot_status: "stale" };
  },
};

// Forms -------------------------------------------------------------------------------------

const FORM_TYPES = ["banner", "embed", "flyout", "full_page", "popup"];

const form: Hooks = {
  create: (_state, attributes) => {
    requireString(attributes, "name");
    oneOf(attributes, "status", ["draft"], true);
    if (typeof attributes.ab_test !== "boolean") {
      throw invalidPointer(`${ATTRIBUTES}/ab_test`, "'ab_test' is required: true or false.");
    }
    const versions = isObject(attributes.definition) ? attributes.definition.versions : undefined;
    if (!Array.isArray(versions) || versions.length === 0) {
      throw invalidPointer(
        `${ATTRIBUTES}/definition/versions`,
        "A form needs at least one version.",
      );
    }
    versions.forEach((version, index) => {
      if (!isObject(version) || !FORM_TYPES.includes(String(version.type))) {
        throw invalidPointer(
          `${ATTRIBUTES}/definition/versions/${index}/type`,
          `A version's 'type' is one of ${FORM_TYPES.join(", ")}.`,
        );
      }
    });
    return { attributes };
  },
  // Each version of the definition is a form version of its own.
  afterCreate: (state, created) => {
    const definition = created.attributes.definition as { versions: JsonObject[] };
    const now = isoTime(state.store.now());
    const ids = definition.versions.map(
      (version, index) =>
        state.store.insert("form-version", {
          form_type: version.type,
          variation_name: typeof version.name === "string" ? version.name : `Version ${index + 1}`,
          ab_test: null,
          status: version.status === "live" ? "live" : "draft",
          created_at: now,
          updated_at: now,
        }).id,
    );
    state.store.link("form", created.id, "form-versions", ids);
  },
  beforeDelete: (state, deleted) => {
    for (const version of state.store.related("form", deleted.id, "form-versions")) {
      state.store.delete("form-version", version);
    }
  },
};

// Reviews -----------------------------------------------------------------------------------

export const REVIEW_STATUSES = ["featured", "pending", "published", "rejected", "unpublished"];
const REJECT_REASONS = [
  "fake",
  "false_or_misleading",
  "other",
  "private_information",
  "profanity_or_inappropriate",
  "unrelated",
];

const review: Hooks = {
  update: (_state, _review, attributes) => {
    onlyKnown(attributes, ["status"], "review");
    const status = attributes.status;
    const pointer = `${ATTRIBUTES}/status`;
    if (status === undefined || status === null) return {};
    if (!isObject(status) || !REVIEW_STATUSES.includes(String(status.value))) {
      throw invalidPointer(`${pointer}/value`, `'value' is one of ${REVIEW_STATUSES.join(", ")}.`);
    }
    if (status.value !== "rejected") return { status: { value: status.value } };
    const reason = status.rejection_reason;
    if (!isObject(reason) || !REJECT_REASONS.includes(String(reason.reason))) {
      throw invalidPointer(
        `${pointer}/rejection_reason/reason`,
        `A rejection needs a 'reason': ${REJECT_REASONS.join(", ")}.`,
      );
    }
    return { status: { value: "rejected", rejection_reason: reason } };
  },
};

// Tracking settings ------------------------------------------------------------------------

const UTM = ["utm_source", "utm_medium", "utm_campaign", "utm_id", "utm_term"];

const trackingSetting: Hooks = {
  update: (_state, _setting, attributes) => {
    onlyKnown(attributes, ["auto_add_parameters", ...UTM, "custom_parameters"], "tracking-setting");
    const auto = attributes.auto_add_parameters;
    if (auto !== undefined && auto !== null && typeof auto !== "boolean") {
      throw invalidPointer(
        `${ATTRIBUTES}/auto_add_parameters`,
        "'auto_add_parameters' is a boolean.",
      );
    }
    for (const name of UTM) {
      const value = attributes[name];
      if (value !== undefined && value !== null && !isObject(value)) {
        throw invalidPointer(`${ATTRIBUTES}/${name}`, `'${name}' is {campaign?, flow?}.`);
      }
    }
    const custom = attributes.custom_parameters;
    if (custom !== undefined && custom !== null) {
      if (
        !Array.isArray(custom) ||
        !custom.every((p) => isObject(p) && typeof p.name === "string")
      ) {
        throw invalidPointer(
          `${ATTRIBUTES}/custom_parameters`,
          "Each custom parameter needs a 'name'.",
        );
      }
    }
    // The required UTM parameters stay: null does not clear them.
    const { utm_source, utm_medium, auto_add_parameters, ...rest } = attributes;
    return {
      ...rest,
      utm_source: utm_source ?? undefined,
      utm_medium: utm_medium ?? undefined,
      auto_add_parameters: auto_add_parameters ?? undefined,
    };
  },
};

export const MARKETING_HOOKS: Readonly<Record<string, Hooks>> = {
  "web-feed": webFeed,
  "template-universal-content": universalContent,
  form,
  review,
  "tracking-setting": trackingSetting,
};
