/**
 * The emulator's in-memory data: resources by JSON:API type, plus relationship links kept
 * consistent in both directions (see relations.ts). Everything is synchronous and
 * deterministic: ids come from a seeded generator and timestamps from an injectable clock.
 */

import { RESOURCE_TYPES as BETA_RESOURCE_TYPES } from "./operations/beta/resource-types.js";
import { RESOURCE_TYPES } from "./operations/index.js";
import { createRng, shortId, ulid, uuid } from "./random.js";
import { relationOf } from "./relations.js";

export type Attributes = Record<string, unknown>;

export interface StoredResource {
  type: string;
  id: string;
  attributes: Attributes;
}

export interface StoreOptions {
  /** Seed for generated ids. */
  seed?: number;
  /** The clock, in ms; the demo data and `created`/`updated` stamps use it. */
  now?: () => number;
}

/** Types whose Klaviyo ids are six characters; most others are ULIDs. */
const SHORT_ID_TYPES = new Set([
  "list",
  "segment",
  "metric",
  "flow",
  "template",
  "form",
  "flow-action",
  "flow-message",
  "form-version",
  "image",
]);
const UUID_TYPES = new Set(["tag", "tag-group", "webhook"]);

export class Store {
  private readonly resources = new Map<string, Map<string, StoredResource>>();
  /** `type:id:relationship` → related ids, in insertion order. */
  private readonly links = new Map<string, string[]>();
  /** `type:id:relationship:other` → when the link was made (Klaviyo's `joined_group_at`). */
  private readonly linkTimes = new Map<string, number>();
  private readonly rng: () => number;
  readonly now: () => number;

  constructor(options: StoreOptions = {}) {
    this.rng = createRng(options.seed ?? 1);
    this.now = options.now ?? Date.now;
  }

  newId(type: string): string {
    if (SHORT_ID_TYPES.has(type)) return shortId(this.rng);
    if (UUID_TYPES.has(type)) return uuid(this.rng);
    return ulid(this.rng, this.now());
  }

  /** All resources of a type, oldest first. */
  all(type: string): StoredResource[] {
    return [...(this.resources.get(type)?.values() ?? [])];
  }

  count(type: string): number {
    return this.resources.get(type)?.size ?? 0;
  }

  get(type: string, id: string): StoredResource | undefined {
    return this.resources.get(type)?.get(id);
  }

  /** Stores a new resource; `id` defaults to a fresh one of the type's shape. */
  insert(type: string, attributes: Attributes, id?: string): StoredResource {
    const resource = { type, id: id ?? this.newId(type), attributes };
    let table = this.resources.get(type);
    if (!table) {
      table = new Map();
      this.resources.set(type, table);
    }
    if (table.has(resource.id)) throw new Error(`${type} ${resource.id} already exists`);
    table.set(resource.id, resource);
    return resource;
  }

  /** Merges attributes into a stored resource; `undefined` values are ignored. */
  update(type: string, id: string, attributes: Attributes): StoredResource | undefined {
    const resource = this.get(type, id);
    if (!resource) return undefined;
    for (const [key, value] of Object.entries(attributes)) {
      if (value !== undefined) resource.attributes[key] = value;
    }
    return resource;
  }

  /** Removes a resource and every link to or from it, one-way links included. */
  delete(type: string, id: string): boolean {
    const removed = this.resources.get(type)?.delete(id) ?? false;
    if (!removed) return false;
    const prefix = `${type}:${id}:`;
    for (const [key, ids] of [...this.links]) {
      if (key.startsWith(prefix)) {
        const relationship = key.slice(prefix.length);
        this.unlink(type, id, relationship, this.related(type, id, relationship));
      } else if (ids.includes(id)) {
        const [ownerType, , relationship] = splitLinkKey(key);
        const target =
          relationOf(ownerType, relationship)?.target ??
          RESOURCE_TYPES[ownerType]?.relationships[relationship]?.type ??
          BETA_RESOURCE_TYPES[ownerType]?.relationships[relationship]?.type;
        // Ids are unique per type only, so a link is dropped when it points at this type.
        if (target === undefined || target === type) this.removeOne(key, id);
      }
    }
    return true;
  }

  /** Ids related through `relationship`, oldest link first. */
  related(type: string, id: string, relationship: string): string[] {
    return [...(this.links.get(`${type}:${id}:${relationship}`) ?? [])];
  }

  /** The single related id of a to-one relationship. */
  relatedOne(type: string, id: string, relationship: string): string | undefined {
    return this.links.get(`${type}:${id}:${relationship}`)?.[0];
  }

  /** Adds links (a to-one relationship is replaced); the inverse side follows. */
  link(type: string, id: string, relationship: string, ids: readonly string[]): void {
    const info = relationOf(type, relationship);
    if (info && !info.many) {
      this.unlink(type, id, relationship, this.related(type, id, relationship));
    }
    for (const other of ids) {
      this.addOne(`${type}:${id}:${relationship}`, other, info?.many ?? true);
      if (info?.inverse) {
        const [inverseType, inverseRel] = splitKey(info.inverse);
        const inverseInfo = relationOf(inverseType, inverseRel);
        if (inverseInfo && !inverseInfo.many) {
          // Moving a to-one: drop the old owner's link to this resource first.
          const previous = this.relatedOne(inverseType, other, inverseRel);
          if (previous && previous !== id) this.unlink(type, previous, relationship, [other]);
        }
        this.addOne(`${inverseType}:${other}:${inverseRel}`, id, inverseInfo?.many ?? true);
      }
    }
  }

  unlink(type: string, id: string, relationship: string, ids: readonly string[]): void {
    const info = relationOf(type, relationship);
    for (const other of ids) {
      this.removeOne(`${type}:${id}:${relationship}`, other);
      if (info?.inverse) {
        const [inverseType, inverseRel] = splitKey(info.inverse);
        this.removeOne(`${inverseType}:${other}:${inverseRel}`, id);
      }
    }
  }

  /** Replaces a relationship's members (JSON:API PATCH on a relationship). */
  setLinks(type: string, id: string, relationship: string, ids: readonly string[]): void {
    this.unlink(type, id, relationship, this.related(type, id, relationship));
    this.link(type, id, relationship, ids);
  }

  /** When `other` was linked to the resource through `relationship`, in ms. */
  linkedAt(type: string, id: string, relationship: string, other: string): number | undefined {
    return this.linkTimes.get(`${type}:${id}:${relationship}:${other}`);
  }

  private addOne(key: string, id: string, many: boolean): void {
    if (!this.linkTimes.has(`${key}:${id}`)) this.linkTimes.set(`${key}:${id}`, this.now());
    const list = this.links.get(key);
    if (!list) this.links.set(key, [id]);
    else if (!many) list.splice(0, list.length, id);
    else if (!list.includes(id)) list.push(id);
  }

  private removeOne(key: string, id: string): void {
    const list = this.links.get(key);
    if (!list) return;
    this.linkTimes.delete(`${key}:${id}`);
    const index = list.indexOf(id);
    if (index >= 0) list.splice(index, 1);
    if (list.length === 0) this.links.delete(key);
  }
}

/** `type:id:relationship`; ids may contain colons (catalog ids), so split from both ends. */
function splitLinkKey(key: string): [string, string, string] {
  const first = key.indexOf(":");
  const last = key.lastIndexOf(":");
  return [key.slice(0, first), key.slice(first + 1, last), key.slice(last + 1)];
}

function splitKey(key: string): [string, string] {
  const dot = key.indexOf(".");
  return [key.slice(0, dot), key.slice(dot + 1)];
}
