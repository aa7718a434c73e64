/**
 * Reading collections the Klaviyo way: query parameters checked against the operation
 * (unknown ones are a 400 naming the parameter), then filter, sort, cursor paging, sparse
 * fieldsets, additional fields and `include`.
 */
import { invalidParameter } from "./api-error.js";
import { FilterError, matchesFilter, parseFilter } from "./filter.js";
import type { EmulatorRequest, EmulatorState } from "./handler-types.js";
import type { EmulatedOperation } from "./operation-types.js";
import {
  decodeCursor,
  encodeCursor,
  paginate,
  parseFieldList,
  parsePageSize,
  parseSort,
  QueryError,
  queryFingerprint,
  sortResources,
} from "./query.js";
import { relationOf } from "./relations.js";
import { document, linkageDocument, type RenderOptions } from "./render.js";
import type { Store, StoredResource } from "./store.js";

/** Query parameters every operation may receive, whatever the spec lists. */
const ALWAYS_ALLOWED = new Set(["revision"]);

/** Checks every query parameter against the operation; returns the render options. */
export function readQuery(request: EmulatorRequest, state: EmulatorState): RenderOptions {
  const { op, query } = request;
  const fields = new Map<string, string[]>();
  const additionalFields = new Map<string, string[]>();
  let include: string[] | undefined;
  for (const [name, value] of query) {
    const bracket = /^([a-z-]+)\[([^\]]+)\]$/.exec(name);
    if (name === "filter" && op.query.filters) continue;
    if (name === "sort" && op.query.sort) continue;
    if (name === "page[cursor]" && op.query.page) continue;
    if (name === "page[size]" && op.query.page && !op.query.page.fixed) continue;
    if (name === "company_id" && op.path.startsWith("/client/")) continue;
    if (ALWAYS_ALLOWED.has(name) || op.query.other?.includes(name)) continue;
    if (name === "include" && op.query.include) {
      include = guard(() => parseFieldList(value, "include", op.query.include));
    } else if (bracket?.[1] === "fields" && op.query.fields?.includes(bracket[2] ?? "")) {
      fields.set(bracket[2] as string, guard(() => parseFieldList(value, name, undefined)) ?? []);
    } else if (
      bracket?.[1] === "additional-fields" &&
      op.query.additionalFields?.[bracket[2] ?? ""]
    ) {
      const allowed = op.query.additionalFields[bracket[2] as string];
      additionalFields.set(
        bracket[2] as string,
        guard(() => parseFieldList(value, name, allowed)) ?? [],
      );
    } else {
      throw invalidParameter(name, unknownParameterDetail(name, op));
    }
  }
  for (const required of op.query.required ?? []) {
    if (!query.has(required)) {
      throw invalidParameter(required, `The '${required}' query parameter is required.`);
    }
  }
  return { baseUrl: state.baseUrl, fields, additionalFields, include };
}

function unknownParameterDetail(name: string, op: EmulatedOperation): string {
  const accepted = [
    op.query.filters && "filter",
    op.query.sort && "sort",
    op.query.include && "include",
    ...(op.query.fields ?? []).map((t) => `fields[${t}]`),
    ...Object.keys(op.query.additionalFields ?? {}).map((t) => `additional-fields[${t}]`),
    op.query.page && "page[cursor]",
    op.query.page && !op.query.page.fixed && "page[size]",
  ].filter(Boolean);
  return `'${name}' is not a valid query parameter for ${op.method} ${op.path}.${
    accepted.length ? ` Valid parameters: ${accepted.join(", ")}.` : ""
  }`;
}

function guard<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof QueryError) throw invalidParameter(error.parameter, error.message);
    throw error;
  }
}

/** Filter fields that are not plain attributes: aliases onto relationships. */
const FIELD_ALIASES: Record<string, Record<string, string>> = {
  "catalog-item": { "category.id": "categories" },
  "catalog-category": { "item.id": "items" },
};

/** Reads a filter or sort field from a resource: id, attribute path or relationship. */
export function readField(store: Store, resource: StoredResource, field: string): unknown {
  if (field === "id" || field === "ids") return resource.id;
  if (resource.type === "profile" && field === "profile_id") return resource.id;
  if (resource.type === "campaign" && field === "messages.channel") {
    return store
      .related("campaign", resource.id, "campaign-messages")
      .map((id) => channelOf(store.get("campaign-message", id)?.attributes));
  }
  if (resource.type === "profile" && field === "push_token") {
    return store
      .related("profile", resource.id, "push-tokens")
      .map((id) => store.get("push-token", id)?.attributes.token);
  }
  const alias = FIELD_ALIASES[resource.type]?.[field];
  if (alias) return store.related(resource.type, resource.id, alias);
  const fromAttributes = readPath(resource.attributes, field.split("."));
  if (fromAttributes !== undefined) return fromAttributes;
  // `metric_id`, `profile`, `coupon.id`, `item.id`: a relationship's linked id(s).
  const relationship = field.replace(/(_id|\.id)$/, "");
  if (relationOf(resource.type, relationship)) {
    const ids = store.related(resource.type, resource.id, relationship);
    return relationOf(resource.type, relationship)?.many ? ids : ids[0];
  }
  // Flow actions keep their type and status inside `definition`.
  return readPath(resource.attributes.definition, field.split("."));
}

function channelOf(attributes: Record<string, unknown> | undefined): unknown {
  const definition = attributes?.definition as Record<string, unknown> | undefined;
  return definition?.channel ?? attributes?.channel;
}

/** Follows a dotted path; through arrays it collects every element's value. */
function readPath(value: unknown, path: string[]): unknown {
  if (path.length === 0) return value;
  if (Array.isArray(value)) {
    const values = value.map((item) => readPath(item, path)).filter((v) => v !== undefined);
    return values.length ? values.flat() : undefined;
  }
  if (value === null || typeof value !== "object") return undefined;
  const [head, ...rest] = path;
  return readPath((value as Record<string, unknown>)[head as string], rest);
}

/** Applies filter, sort and paging to `items`, and renders the page as a document. */
export function listDocument(
  request: EmulatorRequest,
  state: EmulatorState,
  items: StoredResource[],
  options: { linkage?: boolean; contextAttributes?: RenderOptions["contextAttributes"] } = {},
): Record<string, unknown> {
  const { op, query } = request;
  const render = { ...readQuery(request, state), contextAttributes: options.contextAttributes };
  const filterText = query.get("filter") ?? undefined;
  let selected = items;
  if (filterText !== undefined && op.query.filters) {
    let conditions: ReturnType<typeof parseFilter>;
    try {
      conditions = parseFilter(filterText, op.query.filters);
    } catch (error) {
      if (error instanceof FilterError) throw invalidParameter("filter", error.detail);
      throw error;
    }
    selected = selected.filter((r) =>
      matchesFilter(conditions, (field) => readField(state.store, r, field)),
    );
  }
  const sort = guard(() => parseSort(query.get("sort") ?? undefined, op.query.sort ?? []));
  selected = sortResources(selected, sort, (r, field) => readField(state.store, r, field));
  const self = selfLink(state.baseUrl, request);
  let links: Record<string, string | undefined> = { self };
  if (op.query.page) {
    const fingerprint = queryFingerprint(
      op.id,
      request.params.id,
      filterText,
      query.get("sort") ?? undefined,
    );
    const size = guard(() =>
      parsePageSize(
        query.get("page[size]") ?? undefined,
        op.query.page as { default: number; max: number; min: number },
      ),
    );
    const cursor = query.get("page[cursor]");
    const offset = cursor ? guard(() => decodeCursor(cursor, fingerprint)) : 0;
    const page = paginate(selected, offset, size);
    selected = page.page;
    const at = (next: number | undefined) =>
      next === undefined ? undefined : withCursor(self, encodeCursor(next, fingerprint));
    links = { self, next: at(page.nextOffset), prev: at(page.prevOffset) };
  }
  return options.linkage
    ? linkageDocument(selected, links)
    : document(state.store, selected, render, links);
}

export function selfLink(baseUrl: string, request: EmulatorRequest): string {
  const path = request.op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(request.params[name] ?? ""),
  );
  const search = request.query.toString();
  return `${baseUrl}${path}/${search ? `?${search}` : ""}`;
}

function withCursor(self: string, cursor: string): string {
  const url = new URL(self);
  url.searchParams.set("page[cursor]", cursor);
  return url.toString();
}
