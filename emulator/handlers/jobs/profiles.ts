/**
 * Profile bulk import (upsert by email, phone number or external id, then add to lists) and
 * data-privacy deletion. An import entry Klaviyo can't use (no identifier, a bad email) does
 * not fail the request: it becomes an `import-error` of the job.
 */
import { ApiError, invalidPointer } from "../../api-error.js";
import { isObject, type JsonObject, resourceData } from "../../body.js";
import type { EmulatorState, Handler, HandlerResult } from "../../handler-types.js";
import { isoTime } from "../../jobs.js";
import { readQuery } from "../../listing.js";
import { PROFILE_KEYS } from "../../resources.js";
import type { StoredResource } from "../../store.js";
import { upsertProfile } from "../profile-upsert.js";
import {
  attempt,
  checkAttributes,
  entryRelationshipIds,
  type FieldRules,
  jobResponse,
  queuedJobAttributes,
  readEntries,
} from "./common.js";

const MAX_IMPORT_PROFILES = 10_000;
const IMPORT_JOB = "profile-bulk-import-job";

const text = { kind: "string", nullable: true } as const;

export const PROFILE_RULES: FieldRules = {
  email: text,
  phone_number: text,
  external_id: text,
  _kx: text,
  first_name: text,
  last_name: text,
  organization: text,
  locale: text,
  title: text,
  image: text,
  location: { kind: "object", nullable: true },
  properties: { kind: "object", nullable: true },
};

const LOCATION_RULES: FieldRules = {
  address1: text,
  address2: text,
  city: text,
  country: text,
  latitude: { kind: "scalar", nullable: true },
  longitude: { kind: "scalar", nullable: true },
  region: text,
  zip: text,
  timezone: text,
  ip: text,
};

const PATCH_RULES: FieldRules = {
  append: { kind: "object", nullable: true },
  unappend: { kind: "object", nullable: true },
  unset: { kind: "scalar", nullable: true },
};

/** Checks `meta.patch_properties` of an import entry; returns it (or undefined). */
function readPatch(meta: JsonObject, pointer: string): JsonObject | undefined {
  for (const key of Object.keys(meta)) {
    if (key !== "patch_properties" && key !== "patch_identifiers") {
      throw invalidPointer(`${pointer}/meta/${key}`, `'${key}' is not a valid meta field.`);
    }
  }
  const patch = meta.patch_properties;
  if (patch === undefined || patch === null) return undefined;
  const at = `${pointer}/meta/patch_properties`;
  if (!isObject(patch)) throw invalidPointer(at, "'patch_properties' must be an object.");
  const { unset, ...rest } = patch;
  checkAttributes(rest, PATCH_RULES, at, "patch_properties");
  if (
    unset !== undefined &&
    unset !== null &&
    typeof unset !== "string" &&
    !(Array.isArray(unset) && unset.every((key) => typeof key === "string"))
  ) {
    throw invalidPointer(`${at}/unset`, "'unset' must be a property name or a list of them.");
  }
  return patch;
}

/** Applies `append`, `unappend` and `unset` to a profile's custom properties. */
function applyPatch(profile: StoredResource, patch: JsonObject | undefined): void {
  if (!patch) return;
  const properties = { ...((profile.attributes.properties as JsonObject | undefined) ?? {}) };
  const asList = (value: unknown): unknown[] =>
    Array.isArray(value) ? [...value] : value === undefined || value === null ? [] : [value];
  for (const [key, value] of Object.entries((patch.append as JsonObject | null) ?? {})) {
    properties[key] = [...asList(properties[key]), ...asList(value)];
  }
  for (const [key, value] of Object.entries((patch.unappend as JsonObject | null) ?? {})) {
    const drop = asList(value);
    properties[key] = asList(properties[key]).filter((item) => !drop.includes(item));
  }
  const unset = patch.unset;
  for (const key of typeof unset === "string" ? [unset] : Array.isArray(unset) ? unset : []) {
    delete properties[key as string];
  }
  profile.attributes.properties = properties;
}

/** Creates or updates the profile an import entry names, then applies its property patch. */
function importProfile(
  state: EmulatorState,
  id: string | undefined,
  attributes: JsonObject,
  patch: JsonObject | undefined,
): string {
  const { profile } = upsertProfile(state, { id, attributes }, "/data");
  applyPatch(profile, patch);
  return profile.id;
}

/** `bulk_import_profiles`: upserts profiles and adds them to the given lists. */
const bulkImportProfiles: Handler = (request, state) => {
  const data = resourceData(request);
  checkAttributes(
    data.attributes,
    { profiles: { kind: "object", required: true } },
    "/data/attributes",
    IMPORT_JOB,
  );
  const entries = readEntries(data.attributes, "profiles", {
    type: "profile",
    max: MAX_IMPORT_PROFILES,
  }).map((entry) => {
    checkAttributes(entry.attributes, PROFILE_RULES, `${entry.pointer}/attributes`, "profile");
    if (isObject(entry.attributes.location)) {
      checkAttributes(
        entry.attributes.location,
        LOCATION_RULES,
        `${entry.pointer}/attributes/location`,
        "location",
      );
    }
    return { entry, patch: readPatch(entry.meta, entry.pointer) };
  });
  const lists = entryRelationshipIds(data.relationships, "lists", "list", "/data", true) ?? [];
  lists.forEach((id, index) => {
    if (!state.store.get("list", id)) {
      throw new ApiError(404, `A list with id ${id} does not exist.`, {
        pointer: `/data/relationships/lists/data/${index}/id`,
      });
    }
  });
  const { store } = state;
  const job = state.jobs.enqueue(
    IMPORT_JOB,
    { ...queuedJobAttributes(state, entries.length, { errors: false }), started_at: null },
    () => {
      const done = new Set<string>();
      const errors: string[] = [];
      for (const { entry, patch } of entries) {
        const result = attempt(entry.pointer, () =>
          importProfile(state, entry.id, entry.attributes, patch),
        );
        if (result.ok) {
          done.add(result.value);
          continue;
        }
        const { id: _id, ...error } = result.error;
        errors.push(store.insert("import-error", { ...error, original_payload: entry.raw }).id);
      }
      const profiles = [...done];
      for (const list of lists) {
        if (store.get("list", list)) store.link("list", list, "profiles", profiles);
      }
      store.link(IMPORT_JOB, job.id, "profiles", profiles);
      store.link(IMPORT_JOB, job.id, "import-errors", errors);
      const now = isoTime(store.now());
      return {
        completed_count: entries.length - errors.length,
        failed_count: errors.length,
        started_at: job.attributes.started_at ?? now,
      };
    },
  );
  store.link(IMPORT_JOB, job.id, "lists", lists);
  return jobResponse(request, state, job);
};

/** Deletes a profile and what belongs to it: events, push tokens, coupon assignments. */
export function eraseProfile(state: EmulatorState, id: string): void {
  const { store } = state;
  for (const event of store.all("event")) {
    if (store.relatedOne("event", event.id, "profile") === id) store.delete("event", event.id);
  }
  for (const token of store.related("profile", id, "push-tokens"))
    store.delete("push-token", token);
  for (const code of store.all("coupon-code")) {
    if (store.relatedOne("coupon-code", code.id, "profile") === id) {
      store.unlink("coupon-code", code.id, "profile", [id]);
    }
  }
  store.delete("profile", id);
}

/**
 * `request_profile_deletion`: exactly one of id, email or phone number. Every matching profile
 * is deleted when the job runs; as Klaviyo does, a request matching nothing is still accepted.
 */
const requestProfileDeletion: Handler = (request, state): HandlerResult => {
  readQuery(request, state);
  const data = resourceData(request);
  checkAttributes(
    data.attributes,
    { profile: { kind: "object", required: true } },
    "/data/attributes",
    "data-privacy-deletion-job",
  );
  const profile = data.attributes.profile as JsonObject;
  const at = "/data/attributes/profile/data";
  const target = profile.data;
  if (!isObject(target)) throw invalidPointer(at, "'data' must be a profile resource object.");
  for (const key of Object.keys(profile)) {
    if (key !== "data")
      throw invalidPointer(`/data/attributes/profile/${key}`, `Unexpected '${key}'.`);
  }
  if (target.type !== "profile") throw invalidPointer(`${at}/type`, "'type' must be 'profile'.");
  const attributes = target.attributes ?? {};
  if (!isObject(attributes))
    throw invalidPointer(`${at}/attributes`, "'attributes' must be an object.");
  checkAttributes(
    attributes,
    { email: { kind: "string" }, phone_number: { kind: "string" } },
    `${at}/attributes`,
    "profile",
  );
  if (target.id !== undefined && target.id !== null && typeof target.id !== "string") {
    throw invalidPointer(`${at}/id`, "'id' must be a string.");
  }
  const given = [
    ...(typeof target.id === "string" && target.id !== "" ? [["id", target.id]] : []),
    ...PROFILE_KEYS.filter((key) => key !== "external_id")
      .filter((key) => typeof attributes[key] === "string" && attributes[key] !== "")
      .map((key) => [key, attributes[key] as string]),
  ] as Array<[string, string]>;
  if (given.length !== 1) {
    throw invalidPointer(
      at,
      given.length === 0
        ? "Provide one identifier of the profile to delete: id, email or phone_number."
        : `Provide only one identifier of the profile to delete; got ${given.map(([k]) => k).join(", ")}.`,
    );
  }
  const [key, value] = given[0] as [string, string];
  state.jobs.defer(() => {
    const matches =
      key === "id"
        ? [state.store.get("profile", value)].filter((p): p is StoredResource => p !== undefined)
        : state.store
            .all("profile")
            .filter((p) =>
              key === "email"
                ? String(p.attributes.email ?? "").toLowerCase() === value.toLowerCase()
                : p.attributes.phone_number === value,
            );
    for (const match of matches) eraseProfile(state, match.id);
    return undefined;
  });
  return { status: request.op.status };
};

export const profileJobHandlers: Record<string, Handler> = {
  bulk_import_profiles: bulkImportProfiles,
  request_profile_deletion: requestProfileDeletion,
};
