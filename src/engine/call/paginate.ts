/**
 * `max_items`: follow a list endpoint's cursor until that many items are collected or the list
 * ends. Every page is one ordinary request through the same client (so the throttle and retries
 * apply), and cancellation is honoured between pages. Where the endpoint takes page[size], the
 * last page asks for exactly the items still missing, so `next_cursor` continues right after the
 * last item returned; a fixed-size page is cut, and the result says how many items it dropped.
 */
import { isRecord } from "../../json.js";
import { KlaviyoAbortError } from "../../klaviyo/errors.js";
import type { ToolDefinition } from "../definition.js";
import type { ExecutionContext } from "./context.js";
import { safeStringify } from "./deep-json.js";
import { buildRequest } from "./request.js";
import { nextCursor } from "./trim.js";

export interface CollectedPages {
  /** A JSON:API-like document: all items, the included resources (deduplicated), no links. */
  document: { data: unknown[]; included?: unknown[] };
  /** Cursor of the page after the last one fetched; undefined when the list ended. */
  nextCursor?: string;
  /** Items of the last (fixed-size) page left out to honour max_items. */
  dropped: number;
  pages: number;
}

export async function collectPages(
  tool: ToolDefinition,
  args: Record<string, unknown>,
  ctx: ExecutionContext,
  maxItems: number,
): Promise<CollectedPages> {
  const size = tool.paging?.size;
  const requested = typeof args.page_size === "number" ? args.page_size : undefined;
  const items: unknown[] = [];
  const included = new Map<string, unknown>();
  let cursor = typeof args.page_cursor === "string" ? args.page_cursor : undefined;
  let next: string | undefined;
  let pages = 0;
  for (;;) {
    if (ctx.signal?.aborted) throw new KlaviyoAbortError(tool.operation.id);
    const pageArgs: Record<string, unknown> = { ...args, page_cursor: cursor };
    if (size) {
      const wanted = Math.min(requested ?? size.max, maxItems - items.length);
      pageArgs.page_size = Math.max(size.min, Math.min(size.max, wanted));
    }
    const request = buildRequest(tool, pageArgs, { publicKey: ctx.publicKey });
    const response = await ctx.client.request(
      { ...request, idempotent: tool.annotations.idempotentHint },
      { signal: ctx.signal, onWait: ctx.onWait },
    );
    pages++;
    const body = isRecord(response.body) ? response.body : {};
    const data = Array.isArray(body.data) ? body.data : [];
    // One by one: spreading a huge page into push() would overflow the stack.
    for (const item of data) items.push(item);
    if (Array.isArray(body.included)) {
      for (const resource of body.included) {
        const key = isRecord(resource)
          ? `${resource.type}:${resource.id}`
          : safeStringify(resource);
        if (!included.has(key)) included.set(key, resource);
      }
    }
    next = nextCursor(body.links);
    if (next === undefined || data.length === 0 || items.length >= maxItems) break;
    cursor = next;
  }
  const dropped = Math.max(0, items.length - maxItems);
  const document: CollectedPages["document"] = { data: items.slice(0, maxItems) };
  if (included.size > 0) document.included = [...included.values()];
  return { document, nextCursor: next, dropped, pages };
}
