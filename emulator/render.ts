/**
 * Stored resources → JSON:API resource objects and documents, the way Klaviyo writes them:
 * every documented attribute present (null when unknown), `links.self`, relationship links,
 * linkage data for to-one relationships and for included ones, sparse fieldsets and
 * additional fields.
 */
import { flowDefinition } from "./flow-definition.js";
import type { ResourceTypeInfo } from "./operation-types.js";
import { OPERATIONS, RESOURCE_TYPES } from "./operations/index.js";
import { pickFields } from "./query.js";
import type { Store, StoredResource } from "./store.js";

/** JSON:API type → its collection path segment (`profile` → `profiles`). */
const COLLECTIONS = new Map<string, string>();
for (const op of OPERATIONS) {
  const match = /^\/api\/([a-z-]+)\/\{(?:id|job_id)\}$/.exec(op.path);
  if (op.method === "GET" && match?.[1] && op.response?.type) {
    COLLECTIONS.set(op.response.type, match[1]);
  }
}

const TYPES = new Map([...COLLECTIONS].map(([type, collection]) => [collection, type]));

/** Collection path segment → JSON:API type (`catalog-items` → `catalog-item`). */
export function typeOfCollection(collection: string): string {
  return TYPES.get(collection) ?? collection.replace(/ies$/, "y").replace(/s$/, "");
}

export function collectionOf(type: string): string {
  return COLLECTIONS.get(type) ?? `${type}s`;
}

/** Attributes computed on read rather than stored. */
type Computed = (store: Store, resource: StoredResource) => unknown;
const COMPUTED: Record<string, Record<string, Computed>> = {
  list: { profile_count: (store, r) => store.related("list", r.id, "profiles").length },
  segment: { profile_count: (store, r) => store.related("segment", r.id, "profiles").length },
  flow: { definition: flowDefinition },
};

/**
 * How a revision other than the stable one (the beta) shows stored resources: its resource
 * types, the view of a stored resource in its shape (a stored campaign as the beta's
 * `definition`), and each type's collection path.
 */
export interface RevisionShapes {
  types: Readonly<Record<string, ResourceTypeInfo>>;
  view(store: Store, resource: StoredResource): StoredResource;
  collectionOf(type: string): string;
}

export interface RenderOptions {
  baseUrl: string;
  /** The request's revision, when not the stable one. */
  shapes?: RevisionShapes;
  /** `fields[type]` sparse fieldsets. */
  fields?: ReadonlyMap<string, string[]>;
  /** `additional-fields[type]` that were asked for. */
  additionalFields?: ReadonlyMap<string, string[]>;
  /** Relationship names of the primary data to include. */
  include?: readonly string[];
  /** Attributes that only exist in a context, e.g. a list member's `joined_group_at`. */
  contextAttributes?: (resource: StoredResource) => Record<string, unknown>;
}

/** Documented attributes that appear only with a context (see contextAttributes). */
const CONTEXT_ONLY: Record<string, string[]> = { profile: ["joined_group_at"] };

export function resourceObject(
  store: Store,
  resource: StoredResource,
  options: RenderOptions,
  included?: Map<string, Record<string, unknown>>,
): Record<string, unknown> {
  const { type, id } = resource;
  const { shapes } = options;
  const shown = shapes ? shapes.view(store, resource) : resource;
  const info = (shapes?.types ?? RESOURCE_TYPES)[type];
  const collection = shapes ? shapes.collectionOf(type) : collectionOf(type);
  const self = `${options.baseUrl}/api/${collection}/${encodeURIComponent(id)}/`;
  const attributes: Record<string, unknown> = {};
  for (const name of info?.attributes ?? Object.keys(shown.attributes)) {
    if (!CONTEXT_ONLY[type]?.includes(name)) attributes[name] = attributeValue(store, shown, name);
  }
  Object.assign(attributes, options.contextAttributes?.(resource));
  for (const name of options.additionalFields?.get(type) ?? []) {
    attributes[name] = attributeValue(store, shown, name);
  }
  const sparse = options.fields?.get(type);
  const object: Record<string, unknown> = {
    type,
    id,
    attributes: sparse ? pickFields(attributes, sparse) : attributes,
  };
  const relationships: Record<string, unknown> = {};
  for (const [name, rel] of Object.entries(info?.relationships ?? {})) {
    const entry: Record<string, unknown> = {};
    const wanted = included && options.include?.includes(name);
    if (wanted || !rel.many) {
      const ids = store.related(type, id, name);
      const linkage = ids.map((other) => ({ type: rel.type, id: other }));
      if (rel.many) entry.data = linkage;
      else if (linkage[0]) entry.data = linkage[0];
      if (wanted) {
        for (const other of ids) {
          const target = store.get(rel.type, other);
          const key = `${rel.type}:${other}`;
          if (target && !included.has(key)) {
            const nested = { ...options, include: [], contextAttributes: undefined };
            included.set(key, resourceObject(store, target, nested));
          }
        }
      }
    }
    entry.links = { self: `${self}relationships/${name}/`, related: `${self}${name}/` };
    relationships[name] = entry;
  }
  if (Object.keys(relationships).length > 0) object.relationships = relationships;
  object.links = { self };
  return object;
}

function attributeValue(store: Store, resource: StoredResource, name: string): unknown {
  const computed = COMPUTED[resource.type]?.[name];
  if (computed) return computed(store, resource);
  return resource.attributes[name] ?? null;
}

/** A document with one resource or a list of them as primary data. */
export function document(
  store: Store,
  data: StoredResource | StoredResource[],
  options: RenderOptions,
  links: Record<string, string | undefined>,
): Record<string, unknown> {
  const included = options.include?.length ? new Map<string, Record<string, unknown>>() : undefined;
  const primary = Array.isArray(data)
    ? data.map((r) => resourceObject(store, r, options, included))
    : resourceObject(store, data, options, included);
  const doc: Record<string, unknown> = { data: primary, links: definedOnly(links) };
  if (included) {
    // JSON:API: a resource is never both primary data and included.
    const primaryKeys = new Set(
      (Array.isArray(data) ? data : [data]).map((r) => `${r.type}:${r.id}`),
    );
    doc.included = [...included].filter(([key]) => !primaryKeys.has(key)).map(([, v]) => v);
  }
  return doc;
}

/** A relationship document: resource linkage only. */
export function linkageDocument(
  data: StoredResource | StoredResource[] | null,
  links: Record<string, string | undefined>,
): Record<string, unknown> {
  const linkage = (r: StoredResource) => ({ type: r.type, id: r.id });
  return {
    data: Array.isArray(data) ? data.map(linkage) : data ? linkage(data) : null,
    links: definedOnly(links),
  };
}

function definedOnly(links: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(links).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
