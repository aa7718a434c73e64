/**
 * Klaviyo's profile upsert, shared by create_or_update_profile, event tracking, push tokens,
 * the /client/ endpoints and the bulk import: find the profile by id or by an identifier
 * (email, phone number, external id), update it, or create it.
 */
import { ApiError } from "../api-error.js";
import type { JsonObject } from "../body.js";
import type { EmulatorState } from "../handler-types.js";
import { findProfileByIdentifiers, hooksFor, PROFILE_KEYS } from "../resources.js";
import type { Attributes, StoredResource } from "../store.js";
import { applyChanges, stamp } from "./generic.js";

/** Profile attributes a caller may set; others in a request (`anonymous_id`, `_kx`) are not stored. */
const EDITABLE = new Set<string>([
  ...PROFILE_KEYS,
  "first_name",
  "last_name",
  "organization",
  "locale",
  "title",
  "image",
  "location",
  "properties",
]);

function editable(attributes: JsonObject): Attributes {
  return Object.fromEntries(Object.entries(attributes).filter(([key]) => EDITABLE.has(key)));
}

/**
 * Upserts a profile. `null` clears a field of an existing profile (as Klaviyo's upsert does);
 * custom properties merge key by key. `pointer` is where the profile sits in the request, so a
 * 404 for an unknown id points at `${pointer}/id`.
 */
export function upsertProfile(
  state: EmulatorState,
  who: { id?: string; attributes: JsonObject },
  pointer: string,
): { profile: StoredResource; created: boolean } {
  const { store } = state;
  const hooks = hooksFor("profile");
  const changes = editable(who.attributes);
  const existing =
    who.id !== undefined
      ? store.get("profile", who.id)
      : findProfileByIdentifiers(state, changes)?.profile;
  if (who.id !== undefined && !existing) {
    throw new ApiError(404, `A profile with id ${who.id} does not exist.`, {
      pointer: `${pointer}/id`,
    });
  }
  if (existing) {
    applyChanges(existing, hooks.update?.(state, existing, changes) ?? changes, store.now());
    return { profile: existing, created: false };
  }
  const made = hooks.create?.(state, changes, {}) ?? { attributes: changes };
  const values = Object.fromEntries(Object.entries(made.attributes).filter(([, v]) => v !== null));
  return {
    profile: store.insert("profile", stamp("profile", values, true, store.now())),
    created: true,
  };
}
