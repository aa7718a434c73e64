/**
 * Bulk suppress and unsuppress: by email, or every current member of a list or segment. The
 * job resource counts what changed (`completed_count`) and what already was that way
 * (`skipped_count`); only the USER_SUPPRESSED suppression is added or removed.
 */
import { invalidPointer } from "../../api-error.js";
import { resourceData } from "../../body.js";
import type { Handler } from "../../handler-types.js";
import { isoTime } from "../../jobs.js";
import { findProfileByIdentifiers } from "../../resources.js";
import type { StoredResource } from "../../store.js";
import { stamp } from "../generic.js";
import {
  checkAttributes,
  existingRelated,
  jobResponse,
  queuedJobAttributes,
  readEntries,
} from "./common.js";
import {
  EMAIL,
  resolveProfile,
  section,
  subscriptionsOf,
  suppressionsOf,
} from "./consent-state.js";

/** Suppress (`add`) or unsuppress profiles by email or a whole list / segment. */
function suppressionJob(add: boolean): Handler {
  return (request, state) => {
    const data = resourceData(request);
    const jobType = request.op.requestType as string;
    checkAttributes(
      data.attributes,
      { profiles: { kind: "object", nullable: true } },
      "/data/attributes",
      jobType,
    );
    const emails = readEntries(data.attributes, "profiles", {
      type: "profile",
      max: 100,
      optional: true,
    }).map((entry) => {
      const at = `${entry.pointer}/attributes`;
      checkAttributes(
        entry.attributes,
        { email: { kind: "string", required: true } },
        at,
        "profile",
      );
      const email = entry.attributes.email as string;
      if (!EMAIL.test(email))
        throw invalidPointer(`${at}/email`, `Invalid email address: ${email}.`);
      return email;
    });
    for (const name of Object.keys(data.relationships)) {
      if (name !== "list" && name !== "segment") {
        throw invalidPointer(
          `/data/relationships/${name}`,
          `'${name}' is not a valid relationship here.`,
        );
      }
    }
    const listId = existingRelated(state, data.relationships, "list", "list");
    const segmentId = existingRelated(state, data.relationships, "segment", "segment");
    if (emails.length === 0 && !listId && !segmentId) {
      throw invalidPointer(
        "/data",
        "Name the profiles to suppress: attributes.profiles (by email), or a list or segment relationship.",
      );
    }
    const { store } = state;
    const members = [
      ...new Set([
        ...(listId ? store.related("list", listId, "profiles") : []),
        ...(segmentId ? store.related("segment", segmentId, "profiles") : []),
      ]),
    ];
    const total = emails.length + members.length;
    const job = state.jobs.enqueue(
      jobType,
      queuedJobAttributes(state, total, {
        errors: false,
        failed: false,
        skipped: true,
        expires: false,
      }),
      () => {
        const now = isoTime(store.now());
        let completed = 0;
        const targets: Array<StoredResource | undefined> = [
          ...emails.map((email) =>
            add
              ? resolveProfile(state, { email })
              : findProfileByIdentifiers(state, { email })?.profile,
          ),
          ...members.map((id) => store.get("profile", id)),
        ];
        for (const profile of targets) {
          if (profile && setSuppressed(profile, add, now)) {
            stamp("profile", profile.attributes, false, store.now());
            completed += 1;
          }
        }
        return { completed_count: completed, skipped_count: total - completed };
      },
    );
    if (listId) store.link(jobType, job.id, "lists", [listId]);
    if (segmentId) store.link(jobType, job.id, "segments", [segmentId]);
    return jobResponse(request, state, job);
  };
}

/** Adds or clears the USER_SUPPRESSED suppression; false when there was nothing to do. */
function setSuppressed(profile: StoredResource, add: boolean, now: string): boolean {
  const subscriptions = subscriptionsOf(profile);
  const marketing = section(subscriptions, "email", "marketing");
  const suppression = suppressionsOf(marketing);
  const has = suppression.some((s) => s.reason === "USER_SUPPRESSED");
  if (add === has) return false;
  const next = add
    ? [...suppression, { reason: "USER_SUPPRESSED", timestamp: now }]
    : suppression.filter((s) => s.reason !== "USER_SUPPRESSED");
  marketing.suppression = next;
  marketing.last_updated = now;
  marketing.can_receive_email_marketing = next.length === 0 && marketing.consent === "SUBSCRIBED";
  profile.attributes.subscriptions = subscriptions;
  return true;
}

export const suppressionJobHandlers: Record<string, Handler> = {
  bulk_suppress_profiles: suppressionJob(true),
  bulk_unsuppress_profiles: suppressionJob(false),
};
