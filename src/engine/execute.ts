/**
 * One tool call, end to end: validate the arguments (nothing is sent when they are wrong),
 * build the request, send it through the one Klaviyo client, trim the answer. Every failure
 * becomes an isError result the model can act on; nothing here throws to the protocol layer.
 */
import type { KlaviyoRequest, KlaviyoResponse } from "../klaviyo/client.js";
import type { Logger } from "../logger.js";
import type { BudgetContext } from "./budget.js";
import type { ToolDefinition } from "./definition.js";
import { errorResult, validationErrorResult } from "./error-result.js";
import { collectPages } from "./paginate.js";
import { rawResult } from "./raw-result.js";
import { ArgumentError, buildRequest, tooDeepArgument } from "./request.js";
import {
  type SuccessContext,
  successResult,
  type ToolResult,
  withStructuredContent,
} from "./result.js";
import { DEFAULT_RESULT_OPTIONS, type ResultOptions } from "./result-options.js";
import { specialHandlers } from "./special/index.js";

export { DEFAULT_RESULT_OPTIONS, type ResultOptions };

/** The part of KlaviyoClient the engine needs; tests may pass a fake. */
export interface KlaviyoSender {
  request(
    request: KlaviyoRequest,
    options?: { signal?: AbortSignal; onWait?: (waitedMs: number) => void },
  ): Promise<KlaviyoResponse>;
}

export interface ExecutionContext {
  client: KlaviyoSender;
  logger: Logger;
  publicKey?: string;
  /** Whether tools may read local files (stdio: yes; remote transports: no). */
  allowFilePaths: boolean;
  /** Real directories file_path may read from (KLAVIYO_UPLOAD_DIRS); none: base64 only. */
  uploadDirs?: readonly string[];
  signal?: AbortSignal;
  /** Called about every second while the call waits for a rate-limit slot (MCP progress). */
  onWait?: (waitedMs: number) => void;
  /** The read tool that shows whether a write of unknown outcome took effect. */
  checkWith?: string;
  /** How results are shaped (budget, structured content, untrusted text). Defaults apply. */
  results?: ResultOptions;
}

export async function executeTool(
  tool: ToolDefinition,
  rawArgs: unknown,
  ctx: ExecutionContext,
): Promise<ToolResult> {
  // Before zod, and iteratively: nothing below has to walk a structure of unbounded depth.
  const tooDeep = tooDeepArgument(rawArgs);
  if (tooDeep) {
    return validationErrorResult(tool.name, [
      { path: [tooDeep.argument], message: tooDeep.message },
    ]);
  }
  const parsed = tool.input.safeParse(rawArgs ?? {});
  if (!parsed.success) return validationErrorResult(tool.name, parsed.error.issues);
  const args = parsed.data as Record<string, unknown>;
  const started = performance.now();
  try {
    const special = tool.special ? specialHandlers[tool.special] : undefined;
    const maxItems = typeof args.max_items === "number" ? args.max_items : undefined;
    let result: ToolResult;
    if (special) {
      result = withStructuredContent(
        await special(tool, args, ctx),
        ctx.results ?? DEFAULT_RESULT_OPTIONS,
      );
    } else if (maxItems !== undefined && tool.paging?.collect) {
      result = await sendCollected(tool, args, maxItems, ctx);
    } else {
      result = await send(tool, buildRequest(tool, args, { publicKey: ctx.publicKey }), ctx);
    }
    ctx.logger.info(
      {
        tool: tool.name,
        ms: Math.round(performance.now() - started),
        isError: result.isError === true,
      },
      "tool call",
    );
    return result;
  } catch (error) {
    if (error instanceof ArgumentError) {
      return validationErrorResult(tool.name, [{ path: [error.argument], message: error.message }]);
    }
    ctx.logger.warn(
      {
        tool: tool.name,
        ms: Math.round(performance.now() - started),
        error: (error as Error).name,
        status: (error as { status?: number }).status,
      },
      "tool call failed",
    );
    return errorResult(error, {
      toolName: tool.name,
      write: !tool.annotations.readOnlyHint,
      idempotent: tool.annotations.idempotentHint,
      checkWith: ctx.checkWith,
      markUntrusted: (ctx.results ?? DEFAULT_RESULT_OPTIONS).markUntrusted,
    });
  }
}

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
async function sendCollected(
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
  const context = { toolName: tool.name, method: tool.operation.method, results, write };
  try {
    return successResult(status, body, { ...context, ...extra });
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
