/**
 * Reading collections the Klaviyo way: query parameters checked against the operation
 * (unknown ones are a 400 naming the parameter), then filter, sort, cursor paging, sparse
 * fieldsets, additional fields and `include`.
 */
import { invalidParameter } from "./api-error.js";
import { filterRules, readField } from "./fields.js";
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
import { document, linkageDocument, type RenderOptions } from "./render.js";
import type { StoredResource } from "./store.js";

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
  return { baseUrl: state.baseUrl, fields, additionalFields, include, shapes: request.shapes };
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
  // A member's `joined_group_at` exists only in its list or segment: read it from there.
  // Fields are read on what the revision shows (a beta campaign's `builder`).
  const read = (r: StoredResource, field: string) => {
    const context = options.contextAttributes?.(r);
    if (context && Object.hasOwn(context, field)) return context[field];
    return readField(state.store, request.shapes?.view(state.store, r) ?? r, field);
  };
  let selected = items;
  if (filterText !== undefined && op.query.filters) {
    let conditions: ReturnType<typeof parseFilter>;
    try {
      conditions = parseFilter(filterText, filterRules(op.query.filters, op.response?.type));
    } catch (error) {
      if (error instanceof FilterError) throw invalidParameter("filter", error.detail);
      throw error;
    }
    selected = selected.filter((r) => matchesFilter(conditions, (field) => read(r, field)));
  }
  const sort = guard(() => parseSort(query.get("sort") ?? undefined, op.query.sort ?? []));
  selected = sortResources(selected, sort, read);
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
