/**
 * The generic path of a call, once its request is built: send it through the one Klaviyo
 * client (or page through a list for max_items) and shape Klaviyo's answer for the model.
 */
import type { KlaviyoRequest } from "../../klaviyo/client.js";
import type { ToolDefinition } from "../definition.js";
import type { BudgetContext } from "./budget.js";
import type { ExecutionContext } from "./context.js";
import { collectPages } from "./paginate.js";
import { rawResult } from "./raw-result.js";
import { type SuccessContext, successResult, type ToolResult } from "./result.js";
import { DEFAULT_RESULT_OPTIONS } from "./result-options.js";

export async function send(
  tool: ToolDefinition,
  request: KlaviyoRequest,
  ctx: ExecutionContext,
): Promise<ToolResult> {
  const idempotent = tool.annotations.idempotentHint && !appendsToProperties(request);
  const response = await ctx.client.request(
    { ...request, idempotent },
    { signal: ctx.signal, onWait: ctx.onWait },
  );
  return shapeAnswer(tool, ctx, response.status, response.body, { budget: budgetContext(tool) });
}

/** max_items: pages through the list, then shapes all the items as one result. */
export async function sendCollected(
  tool: ToolDefinition,
  args: Record<string, unknown>,
  maxItems: number,
  ctx: ExecutionContext,
): Promise<ToolResult> {
  const pages = await collectPages(tool, args, ctx, maxItems);
  return shapeAnswer(tool, ctx, 200, pages.document, {
    budget: budgetContext(tool, maxItems),
    collected: { nextCursor: pages.nextCursor, dropped: pages.dropped },
  });
}

/**
 * Klaviyo's successful answer as the model sees it. Should shaping fail, the answer is still
 * returned, raw: a 2xx write was applied, and an error result would invite repeating it.
 */
function shapeAnswer(
  tool: ToolDefinition,
  ctx: ExecutionContext,
  status: number,
  body: unknown,
  extra: Pick<SuccessContext, "budget" | "collected">,
): ToolResult {
  const results = ctx.results ?? DEFAULT_RESULT_OPTIONS;
  const write = !tool.annotations.readOnlyHint;
  const confirm = { checkWith: ctx.checkWith, checkJobWith: ctx.checkJobWith };
  // A beta tool's types are not in the untrusted table: all their text is marked.
  const beta = tool.beta !== undefined;
  const context = {
    toolName: tool.name,
    method: tool.operation.method,
    results,
    write,
    confirm,
    beta,
  };
  // A job endpoint answering 204 (custom object record ingestion) has queued the work, as a 202.
  const queued = status === 204 && write && /-jobs$/.test(tool.operation.path);
  try {
    return successResult(queued ? 202 : status, body, { ...context, ...extra });
  } catch (error) {
    const name = error instanceof Error ? error.name : typeof error;
    ctx.logger.warn({ tool: tool.name, status, error: name }, "answer could not be shaped: raw");
    return rawResult(status, body, { toolName: tool.name, write, results, error });
  }
}

/** What the tool lets the model ask for instead, named in the budget's hints. */
function budgetContext(
  tool: ToolDefinition,
  maxItems?: number,
): Omit<BudgetContext, "budgetTokens"> {
  const context: Omit<BudgetContext, "budgetTokens"> = { filter: "filter" in tool.args };
  const fields = tool.args.fields;
  if (fields?.in === "fields") context.fieldTypes = fields.types;
  if (tool.paging?.collect) {
    context.list = { pageSize: tool.paging.size !== undefined };
    if (maxItems !== undefined) context.list.maxItems = maxItems;
  }
  return context;
}

/** update_profile's `patch_properties.append` adds a value each time: not safe to repeat. */
function appendsToProperties(request: KlaviyoRequest): boolean {
  if (request.body?.kind !== "json") return false;
  const data = (request.body.value as { data?: { meta?: { patch_properties?: object } } }).data;
  const patch = data?.meta?.patch_properties;
  return patch !== undefined && "append" in patch;
}
