/**
 * The beta revision (`2026-07-15.pre`, any `YYYY-MM-DD.pre`): which requests use it, and how it
 * shows the store. Its resource types come from the beta spec (a type it lacks, such as a
 * profile, keeps the stable shape); campaigns, messages and their primary audience and
 * variation are views over the stored campaigns (campaign-views.ts).
 */
import { isObject } from "../body.js";
import type { ResourceTypeInfo } from "../operation-types.js";
import {
  OPERATIONS as BETA_OPERATIONS,
  RESOURCE_TYPES as BETA_TYPES,
} from "../operations/beta/index.js";
import { RESOURCE_TYPES } from "../operations/index.js";
import { collectionOf, type RevisionShapes } from "../render.js";
import type { Store, StoredResource } from "../store.js";
import { audienceView, campaignView, messageView, variationView } from "./campaign-views.js";

/** A beta revision: a date with `.pre`. */
export function isBetaRevision(revision: string | undefined): boolean {
  return /^\d{4}-\d{2}-\d{2}\.pre$/.test(revision ?? "");
}

const TYPES: Readonly<Record<string, ResourceTypeInfo>> = { ...RESOURCE_TYPES, ...BETA_TYPES };

/** Beta type → collection path segment, where the beta names it (`brand-voice`, not `-voices`). */
const COLLECTIONS = new Map<string, string>();
for (const op of BETA_OPERATIONS) {
  const match = /^\/api\/([a-z-]+)\/\{(?:id|job_id)\}$/.exec(op.path);
  if (op.method === "GET" && match?.[1] && op.response?.type) {
    COLLECTIONS.set(op.response.type, match[1]);
  }
}

const object = (value: unknown): Record<string, unknown> => (isObject(value) ? value : {});

/** A flow message as the beta has it: name, channel and content beside its stable definition. */
function flowMessageView(message: StoredResource): StoredResource {
  const d = object(message.attributes.definition);
  const channel = String(message.attributes.channel ?? d.channel ?? "email");
  const content =
    channel === "email"
      ? {
          subject: d.subject_line ?? d.subject ?? "",
          preview_text: d.preview_text ?? "",
          from_email: d.from_email ?? "",
          from_label: d.from_label ?? "",
          reply_to_email: d.reply_to_email ?? null,
          cc_email: d.cc_email ?? null,
          bcc_email: d.bcc_email ?? null,
        }
      : channel === "sms"
        ? { body: d.body ?? "", media_url: null }
        : { title: d.title ?? "", body: d.body ?? "", on_open: "open_app", action_buttons: [] };
  const attributes = { ...message.attributes, name: d.name ?? "", channel, content };
  return { ...message, attributes };
}

function view(store: Store, resource: StoredResource): StoredResource {
  switch (resource.type) {
    case "campaign":
      return campaignView(store, resource);
    case "campaign-message":
      return messageView(store, resource);
    case "campaign-audience":
      return audienceView(store, resource);
    case "campaign-variation":
      return variationView(store, resource);
    case "flow-message":
      return flowMessageView(resource);
    default:
      return resource;
  }
}

export const BETA_SHAPES: RevisionShapes = {
  types: TYPES,
  view,
  collectionOf: (type) => COLLECTIONS.get(type) ?? collectionOf(type),
};

/** A beta type's attribute names (the stable ones for a type the beta spec lacks). */
export function betaAttributes(type: string): string[] {
  return TYPES[type]?.attributes ?? [];
}

export function betaRelationship(
  type: string,
  relationship: string,
): { type: string; many: boolean } | undefined {
  return TYPES[type]?.relationships[relationship];
}
