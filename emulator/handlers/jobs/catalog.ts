/**
 * Catalog bulk jobs (items, variants, categories: create, update, delete) and the coupon-code
 * bulk create job. The request is checked up front (a malformed entry is a 400 naming it);
 * what depends on the data (a duplicate external_id, an id that doesn't exist) is found when
 * the job runs and counted into `failed_count` and `errors`, as Klaviyo does.
 */
import { ApiError } from "../../api-error.js";
import { type JsonObject, resourceData } from "../../body.js";
import type { Handler } from "../../handler-types.js";
import { hooksFor } from "../../resources.js";
import { applyChanges, stamp } from "../generic.js";
import {
  attempt,
  checkAttributes,
  type Entry,
  entryRelationshipIds,
  type FieldRules,
  type JobError,
  jobResponse,
  queuedJobAttributes,
  readEntries,
} from "./common.js";

const MAX_CATALOG_ENTRIES = 100;
const MAX_COUPON_CODES = 1000;

const str = { kind: "string" } as const;
const nullableStr = { kind: "string", nullable: true } as const;
const required = { kind: "string", required: true } as const;
const media = {
  image_full_url: nullableStr,
  image_thumbnail_url: nullableStr,
  images: { kind: "strings", nullable: true },
  custom_metadata: { kind: "object", nullable: true },
  published: { kind: "boolean", nullable: true },
} as const satisfies FieldRules;
const origin = {
  integration_type: { kind: { enum: ["$custom"] }, nullable: true },
  catalog_type: nullableStr,
} as const satisfies FieldRules;

/** A catalog relationship an entry may carry: where it links and how it is checked. */
interface LinkRule {
  name: string;
  type: string;
  many: boolean;
  required?: boolean;
}

interface CatalogKind {
  /** The resource type, e.g. `catalog-item`. */
  type: string;
  /** The list's name under `data.attributes` and the job's relationship. */
  list: "items" | "variants" | "categories";
  createRules: FieldRules;
  updateRules: FieldRules;
  createLinks: LinkRule[];
  updateLinks: LinkRule[];
}

const ITEM: CatalogKind = {
  type: "catalog-item",
  list: "items",
  createRules: {
    external_id: required,
    ...origin,
    title: required,
    price: { kind: "number", nullable: true },
    description: required,
    url: required,
    ...media,
  },
  updateRules: {
    title: str,
    price: { kind: "number", nullable: true },
    description: str,
    url: str,
    ...media,
  },
  createLinks: [{ name: "categories", type: "catalog-category", many: true }],
  updateLinks: [{ name: "categories", type: "catalog-category", many: true }],
};

const VARIANT: CatalogKind = {
  type: "catalog-variant",
  list: "variants",
  createRules: {
    external_id: required,
    ...origin,
    title: required,
    description: required,
    sku: required,
    inventory_policy: { kind: { enum: [0, 1, 2] }, nullable: true },
    inventory_quantity: { kind: "number", required: true },
    price: { kind: "number", required: true },
    url: required,
    ...media,
  },
  updateRules: {
    title: str,
    description: str,
    sku: str,
    inventory_policy: { kind: { enum: [0, 1, 2] } },
    inventory_quantity: { kind: "number" },
    price: { kind: "number" },
    url: str,
    ...media,
  },
  createLinks: [{ name: "item", type: "catalog-item", many: false, required: true }],
  updateLinks: [],
};

const CATEGORY: CatalogKind = {
  type: "catalog-category",
  list: "categories",
  createRules: { external_id: required, name: required, ...origin },
  updateRules: { name: str },
  createLinks: [{ name: "items", type: "catalog-item", many: true }],
  updateLinks: [{ name: "items", type: "catalog-item", many: true }],
};

type Action = "create" | "update" | "delete";

/** Entries of the request, checked against the spec, with their relationship ids. */
interface Prepared {
  entry: Entry;
  links: Array<{ rule: LinkRule; ids: string[] }>;
}

function prepare(kind: CatalogKind, action: Action, attributes: JsonObject): Prepared[] {
  const entries = readEntries(attributes, kind.list, {
    type: kind.type,
    max: MAX_CATALOG_ENTRIES,
    needId: action !== "create",
    needAttributes: action !== "delete",
  });
  return entries.map((entry) => {
    if (action === "delete") {
      checkAttributes(entry.attributes, {}, `${entry.pointer}/attributes`, kind.type);
      return { entry, links: [] };
    }
    if (action === "create" && entry.id !== undefined) {
      throw new ApiError(
        400,
        `A new ${kind.type}'s id is derived from its external_id; do not send 'id'.`,
        { pointer: `${entry.pointer}/id` },
      );
    }
    const rules = action === "create" ? kind.createRules : kind.updateRules;
    checkAttributes(entry.attributes, rules, `${entry.pointer}/attributes`, kind.type);
    const linkRules = action === "create" ? kind.createLinks : kind.updateLinks;
    for (const name of Object.keys(entry.relationships)) {
      if (!linkRules.some((rule) => rule.name === name)) {
        throw new ApiError(400, `'${name}' is not a valid relationship here.`, {
          pointer: `${entry.pointer}/relationships/${name}`,
        });
      }
    }
    const links = linkRules.flatMap((rule) => {
      const ids = entryRelationshipIds(
        entry.relationships,
        rule.name,
        rule.type,
        entry.pointer,
        rule.many,
      );
      if (rule.required && !ids?.length) {
        throw new ApiError(400, `'${rule.name}' is required: {"data": {"type", "id"}}.`, {
          pointer: `${entry.pointer}/relationships/${rule.name}`,
        });
      }
      return ids ? [{ rule, ids }] : [];
    });
    return { entry, links };
  });
}

/** The handler of one catalog bulk job (e.g. `bulk_create_catalog_items`). */
function catalogJob(kind: CatalogKind, action: Action): Handler {
  return (request, state) => {
    const data = resourceData(request);
    checkAttributes(
      data.attributes,
      { [kind.list]: { kind: "object", required: true } },
      "/data/attributes",
      request.op.requestType ?? "job",
    );
    const prepared = prepare(kind, action, data.attributes);
    const jobType = request.op.requestType as string;
    const { store } = state;

    const effect = () => {
      const errors: JobError[] = [];
      const done: string[] = [];
      for (const { entry, links } of prepared) {
        const result = attempt(entry.pointer, () => {
          // Linked resources must exist when the job runs (an earlier job may create them).
          for (const { rule, ids } of links) {
            ids.forEach((id, index) => {
              if (!store.get(rule.type, id)) {
                const at = `/data/relationships/${rule.name}/data${rule.many ? `/${index}` : ""}/id`;
                throw new ApiError(404, `A ${rule.type} with id ${id} does not exist.`, {
                  pointer: at,
                });
              }
            });
          }
          return apply(entry, links);
        });
        if (result.ok) done.push(result.value);
        else errors.push(result.error);
      }
      store.link(jobType, job.id, kind.list, done);
      return { completed_count: done.length, failed_count: errors.length, errors };
    };

    const apply = (entry: Entry, links: Prepared["links"]): string => {
      const hooks = hooksFor(kind.type);
      if (action === "create") {
        const made = hooks.create?.(state, entry.attributes, entry.relationships) ?? {
          attributes: { ...entry.attributes },
        };
        const attributes = stamp(kind.type, { ...made.attributes }, true, store.now());
        const resource = store.insert(kind.type, attributes, made.id);
        for (const { rule, ids } of links) store.link(kind.type, resource.id, rule.name, ids);
        hooks.afterCreate?.(state, resource);
        return resource.id;
      }
      const id = entry.id as string;
      const resource = store.get(kind.type, id);
      if (!resource) {
        throw new ApiError(404, `A ${kind.type} with id ${id} does not exist.`, {
          pointer: "/data/id",
        });
      }
      if (action === "delete") {
        hooks.beforeDelete?.(state, resource);
        store.delete(kind.type, id);
        return id;
      }
      const changes = hooks.update?.(state, resource, entry.attributes) ?? entry.attributes;
      applyChanges(resource, changes, store.now());
      for (const { rule, ids } of links) store.setLinks(kind.type, id, rule.name, ids);
      return id;
    };

    const job = state.jobs.enqueue(jobType, queuedJobAttributes(state, prepared.length), effect);
    return jobResponse(request, state, job);
  };
}

const couponCodeRules: FieldRules = {
  unique_code: { kind: "string", required: true },
  expires_at: { kind: "datetime", nullable: true },
};

/** `bulk_create_coupon_codes`: codes linked to their coupon, created when the job runs. */
const bulkCreateCouponCodes: Handler = (request, state) => {
  const data = resourceData(request);
  const entries = readEntries(data.attributes, "coupon-codes", {
    type: "coupon-code",
    max: MAX_COUPON_CODES,
  });
  const prepared = entries.map((entry) => {
    checkAttributes(
      entry.attributes,
      couponCodeRules,
      `${entry.pointer}/attributes`,
      "coupon-code",
    );
    const coupon = entryRelationshipIds(
      entry.relationships,
      "coupon",
      "coupon",
      entry.pointer,
      false,
    )?.[0];
    if (!coupon) {
      throw new ApiError(400, "'coupon' is required: the coupon this code belongs to.", {
        pointer: `${entry.pointer}/relationships/coupon`,
      });
    }
    return { entry, coupon };
  });
  const { store } = state;
  const job = state.jobs.enqueue(
    "coupon-code-bulk-create-job",
    queuedJobAttributes(state, prepared.length),
    () => {
      const errors: JobError[] = [];
      const done: string[] = [];
      for (const { entry, coupon } of prepared) {
        const result = attempt(entry.pointer, () => {
          if (!store.get("coupon", coupon)) {
            throw new ApiError(404, `A coupon with id ${coupon} does not exist.`, {
              pointer: "/data/relationships/coupon/data/id",
            });
          }
          const hooks = hooksFor("coupon-code");
          const made = hooks.create?.(state, entry.attributes, entry.relationships) ?? {
            attributes: { ...entry.attributes },
          };
          const attributes = stamp("coupon-code", { ...made.attributes }, true, store.now());
          const code = store.insert("coupon-code", attributes, made.id);
          store.link("coupon-code", code.id, "coupon", [coupon]);
          return code.id;
        });
        if (result.ok) done.push(result.value);
        else errors.push(result.error);
      }
      store.link("coupon-code-bulk-create-job", job.id, "coupon-codes", done);
      return { completed_count: done.length, failed_count: errors.length, errors };
    },
  );
  return jobResponse(request, state, job);
};

export const catalogJobHandlers: Record<string, Handler> = {
  bulk_create_catalog_items: catalogJob(ITEM, "create"),
  bulk_update_catalog_items: catalogJob(ITEM, "update"),
  bulk_delete_catalog_items: catalogJob(ITEM, "delete"),
  bulk_create_catalog_variants: catalogJob(VARIANT, "create"),
  bulk_update_catalog_variants: catalogJob(VARIANT, "update"),
  bulk_delete_catalog_variants: catalogJob(VARIANT, "delete"),
  bulk_create_catalog_categories: catalogJob(CATEGORY, "create"),
  bulk_update_catalog_categories: catalogJob(CATEGORY, "update"),
  bulk_delete_catalog_categories: catalogJob(CATEGORY, "delete"),
  bulk_create_coupon_codes: bulkCreateCouponCodes,
};
