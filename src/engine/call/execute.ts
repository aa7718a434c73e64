/**
 * One tool call, end to end: validate the arguments (nothing is sent when they are wrong),
 * build the request, send it through the one Klaviyo client, trim the answer. Every failure
 * becomes an isError result the model can act on; nothing here throws to the protocol layer.
 */
import type { ToolDefinition } from "../definition.js";
import { normalizeAliases } from "./aliases.js";
import type { ExecutionContext } from "./context.js";
import { errorResult, validationErrorResult } from "./error-result.js";
import { ArgumentError, buildRequest, tooDeepArgument } from "./request.js";
import { checkedSender, RequestCheckError } from "./request-check.js";
import { type ToolResult, withStructuredContent } from "./result.js";
import { DEFAULT_RESULT_OPTIONS, type ResultOptions } from "./result-options.js";
import { send, sendCollected } from "./send.js";

export type { ExecutionContext, KlaviyoSender } from "./context.js";
export { DEFAULT_RESULT_OPTIONS, type ResultOptions };

export async function executeTool(
  tool: ToolDefinition,
  rawArgs: unknown,
  callCtx: ExecutionContext,
): Promise<ToolResult> {
  // Every request of the call (pages, a handler's own) is checked against Klaviyo's spec first.
  const ctx = { ...callCtx, client: checkedSender(callCtx.client, tool) };
  // Before zod, and iteratively: nothing below has to walk a structure of unbounded depth.
  const tooDeep = tooDeepArgument(rawArgs);
  if (tooDeep) {
    return validationErrorResult(tool.name, [
      { path: [tooDeep.argument], message: tooDeep.message },
    ]);
  }
  // reportInput: the error can then name the bad values, not only where they are.
  const parsed = tool.input.safeParse(normalizeAliases(tool, rawArgs ?? {}), { reportInput: true });
  if (!parsed.success) return validationErrorResult(tool.name, parsed.error.issues, tool.input);
  const args = parsed.data as Record<string, unknown>;
  const started = performance.now();
  try {
    const maxItems = typeof args.max_items === "number" ? args.max_items : undefined;
    let result: ToolResult;
    if (tool.handler) {
      // A hand-written tool: its handler sends what it needs (see tools/policy.ts).
      result = withStructuredContent(
        await tool.handler(tool, args, ctx),
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
    if (error instanceof RequestCheckError) return validationErrorResult(tool.name, error.issues);
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
