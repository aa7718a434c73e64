/**
 * Builds the MCP server: selects the tools (toolsets, read-only), lists them once, and routes
 * each call to the engine. Transport-agnostic: stdio and HTTP both connect to what this returns.
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv-provider.js";
import { allTools } from "../tools/index.js";
import { errorResult } from "./engine/call/error-result.js";
import {
  type ExecutionContext,
  executeTool,
  type KlaviyoSender,
  type ResultOptions,
} from "./engine/call/execute.js";
import { outputSchemaFor } from "./engine/call/result.js";
import type { ToolDefinition } from "./engine/definition.js";
import {
  catalogListing,
  describeTool,
  resolveCall,
  searchTools,
} from "./engine/surface/catalog-mode.js";
import { readersOfWrites } from "./engine/surface/check-with.js";
import { sharedEnumsNote } from "./engine/surface/compact-schema.js";
import {
  type CompactTool,
  compactTool,
  fullInputSchema,
  idSources,
  selectTools,
  type ToolSelection,
} from "./engine/surface/registry.js";
import { KlaviyoAbortError, KlaviyoStoppedError } from "./klaviyo/errors.js";
import type { Logger } from "./logger.js";
import { VERSION } from "./version.js";

export interface ServerOptions extends ToolSelection {
  client: ExecutionContext["client"];
  logger: Logger;
  publicKey?: string;
  allowFilePaths: boolean;
  /** Aborts when the server shuts down: calls still running stop and answer with their outcome. */
  shutdown?: AbortSignal;
  /** Where file_path may read from, when allowFilePaths (KLAVIYO_UPLOAD_DIRS). */
  uploadDirs?: readonly string[];
  /** True when the client talks to the built-in emulator, not a real account. */
  sandbox?: boolean;
  definitions?: readonly ToolDefinition[];
  /** How results are shaped (budget, structured content, untrusted text). */
  results?: ResultOptions;
  /** tools: one MCP tool per endpoint (default); catalog: search_tools, describe_tool, call_tool. */
  toolMode?: "tools" | "catalog";
  /** The selected tools, prepared once; the HTTP transport builds a server per request. */
  surface?: ToolSurface;
}

/** The selected tools and their tools/list entries (JSON Schema conversion is not cheap). */
export interface ToolSurface {
  tools: readonly ToolDefinition[];
  byName: ReadonlyMap<string, ToolDefinition>;
  /** tools/list entries: compact schemas (see engine/compact-schema.ts). */
  listed: readonly CompactTool[];
  /** For each write tool, the read tool that shows its effect (POST /x -> GET /x). */
  checkWith: ReadonlyMap<string, string>;
  /** Enum values shared by several tools, stated once in the instructions. */
  sharedNote: string;
}

export function prepareToolSurface(
  selection: ToolSelection & { definitions?: readonly ToolDefinition[] },
): ToolSurface {
  const tools = selectTools(selection.definitions ?? allTools, selection);
  const context = { idSources: idSources(allTools) };
  return {
    tools,
    byName: new Map(tools.map((tool) => [tool.name, tool])),
    listed: tools.map((tool) => compactTool(tool, context)),
    checkWith: readersOfWrites(allTools),
    sharedNote: sharedEnumsNote(tools.map(fullInputSchema)),
  };
}

/**
 * One validator for every server: the SDK builds a new Ajv per Server otherwise, which costs
 * more than the rest of a stateless HTTP request's set-up (it only validates elicitation).
 */
let sharedValidator: AjvJsonSchemaValidator | undefined;
function jsonSchemaValidator(): AjvJsonSchemaValidator {
  sharedValidator ??= new AjvJsonSchemaValidator();
  return sharedValidator;
}

export function createMcpServer(options: ServerOptions): Server {
  const { tools, byName, listed, checkWith, sharedNote } =
    options.surface ?? prepareToolSurface(options);
  const server = new Server(
    { name: "klaviyo-mcp", title: "Klaviyo", version: VERSION },
    {
      capabilities: { tools: { listChanged: false } },
      instructions: instructions(options, tools.length, sharedNote),
      jsonSchemaValidator: jsonSchemaValidator(),
    },
  );
  const catalogMode = options.toolMode === "catalog";
  const shown = catalogMode
    ? catalogListing(tools, [...new Set(tools.map((t) => t.group))].sort())
    : options.results?.structuredContent
      ? withOutputSchemas(options.surface ?? { tools, byName, listed, checkWith, sharedNote })
      : listed;
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [...shown] }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name, arguments: args } = request.params;
    const { shutdown } = options;
    const run = (tool: ToolDefinition, toolArgs: unknown) =>
      executeTool(tool, toolArgs, {
        client: shutdown ? stoppedAtShutdown(options.client, shutdown) : options.client,
        logger: options.logger,
        publicKey: options.publicKey,
        allowFilePaths: options.allowFilePaths,
        uploadDirs: options.uploadDirs,
        signal: shutdown ? AbortSignal.any([extra.signal, shutdown]) : extra.signal,
        checkWith: checkWith.get(tool.name),
        results: options.results,
        // A call queued behind Klaviyo's rate limit says so, if the client asked for progress.
        onWait: progressReporter(tool.name, request.params._meta?.progressToken, extra),
      });
    if (catalogMode) {
      const catalog = { tools, byName, all: allTools };
      if (name === "search_tools") return searchTools(args, catalog);
      if (name === "describe_tool") return describeTool(args, catalog);
      if (name === "call_tool") {
        const resolved = resolveCall(args, catalog);
        return "run" in resolved ? run(resolved.run, resolved.arguments) : resolved.answer;
      }
    }
    const tool = catalogMode ? undefined : byName.get(name);
    if (!tool) {
      const reason = catalogMode
        ? "this server is in catalog mode: use search_tools, describe_tool and call_tool"
        : allTools.some((t) => t.name === name)
          ? "it is not enabled on this server (see KLAVIYO_TOOLSETS and KLAVIYO_READ_ONLY)"
          : "no such tool; call tools/list for the available names";
      return errorResult(new Error(`Unknown tool ${name}: ${reason}.`), { toolName: name });
    }
    return run(tool, args);
  });
  return server;
}

/** The client, with aborts caused by the shutdown told apart from a caller's cancellation. */
function stoppedAtShutdown(client: KlaviyoSender, shutdown: AbortSignal): KlaviyoSender {
  return {
    async request(request, options) {
      try {
        return await client.request(request, options);
      } catch (error) {
        if (shutdown.aborted && error instanceof KlaviyoAbortError) {
          throw new KlaviyoStoppedError(request.operationId, error);
        }
        throw error;
      }
    },
  };
}

/** With structuredContent on, each tool declares its outputSchema (computed once per surface). */
const outputListings = new WeakMap<ToolSurface, readonly CompactTool[]>();
function withOutputSchemas(surface: ToolSurface): readonly CompactTool[] {
  let listing = outputListings.get(surface);
  if (!listing) {
    listing = surface.listed.map((entry) => {
      const tool = surface.byName.get(entry.name);
      return tool
        ? { ...entry, outputSchema: outputSchemaFor(tool) as CompactTool["outputSchema"] }
        : entry;
    });
    outputListings.set(surface, listing);
  }
  return listing;
}

type Extra = Parameters<Parameters<Server["setRequestHandler"]>[1]>[1];

function progressReporter(
  toolName: string,
  progressToken: string | number | undefined,
  extra: Extra,
): ((waitedMs: number) => void) | undefined {
  if (progressToken === undefined) return undefined;
  return (waitedMs) => {
    const seconds = Math.round(waitedMs / 1000);
    void extra
      .sendNotification({
        method: "notifications/progress",
        params: {
          progressToken,
          progress: seconds,
          message: `${toolName} is queued behind Klaviyo's rate limit for this endpoint (${seconds} s so far).`,
        },
      })
      .catch(() => {});
  };
}

function instructions(
  options: ToolSelection & { sandbox?: boolean; toolMode?: "tools" | "catalog" },
  count: number,
  shared: string,
): string {
  const mode = options.readOnly
    ? " Read-only mode: tools that write, send or delete are not available."
    : "";
  const sandbox = options.sandbox
    ? "SANDBOX MODE: these tools act on an emulated Klaviyo account filled with demo data (the store 'Juniper & Pine'), not on the user's real Klaviyo account. Say so when you report results. "
    : "";
  // What every tool's listing leaves out, stated once (see engine/compact-schema.ts).
  return [
    `${sandbox}Tools for the Klaviyo API (${count} tools).${mode}`,
    options.toolMode === "catalog"
      ? "Catalog mode: find tools with search_tools, read one's schema with describe_tool, run it with call_tool."
      : "",
    "Conventions shared by the tools:",
    "- List tools also take page_size (each tool's maximum is in its description), page_cursor (pass a result's next_cursor to get the next page) and max_items (fetch pages until that many items; the result says truncated and gives next_cursor).",
    '- Read tools also take fields: {resource type: [attribute, ...]}, e.g. {"profile": ["email", "first_name"]}, to return only those attributes. Use filter, fields and page_size to keep results small.',
    '- filter: Klaviyo filter expressions, e.g. equals(email,"a@b.com"), any(id,["X","Y"]), greater-than(created,2026-01-01T00:00:00Z), combined with and(...). Each tool\'s filter lists its fields and operators; "compare" there means greater-or-equal, greater-than, less-or-equal and less-than.',
    "- sort: one of the listed fields; prefix it with - for descending.",
    '- An id parameter says which tool lists such ids ("From get_lists").',
    shared ? `- Report values: ${shared}` : "",
    "- A wrong value is refused with the allowed values, and nothing is sent to Klaviyo.",
  ]
    .filter(Boolean)
    .join("\n");
}
