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
import { loadSchemas, type ToolDefinition } from "./engine/definition.js";
import {
  catalogListing,
  describeTool,
  resolveCall,
  searchTools,
} from "./engine/surface/catalog-mode.js";
import { readersOfJobs, readersOfWrites } from "./engine/surface/check-with.js";
import { listTools } from "./engine/surface/listing.js";
import { type CompactTool, selectTools, type ToolSelection } from "./engine/surface/registry.js";
import { BETA_HOW_TO, isBetaToolName } from "./engine/surface/toolsets.js";
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
  /** Every tool the server can offer (runtime: the config's catalog); default the stable ones. */
  definitions?: readonly ToolDefinition[];
  /** The listing of all `definitions`, made at build time (ToolCatalog.prebuiltListing). */
  prebuiltListing?: readonly CompactTool[];
  /** How results are shaped (budget, structured content, untrusted text). */
  results?: ResultOptions;
  /** tools: one MCP tool per endpoint (default); catalog: search_tools, describe_tool, call_tool. */
  toolMode?: "tools" | "catalog";
  /** The selected tools, prepared once; the HTTP transport builds a server per request. */
  surface?: ToolSurface;
}

/** The selected tools and their tools/list entries (JSON Schema conversion is not cheap). */
export interface ToolSurface {
  /** The catalog the tools were selected from: tells "not enabled" from "no such tool". */
  all: readonly ToolDefinition[];
  tools: readonly ToolDefinition[];
  byName: ReadonlyMap<string, ToolDefinition>;
  /** tools/list entries: compact schemas (see engine/compact-schema.ts). */
  listed: readonly CompactTool[];
  /** For each write tool, the read tool that shows its effect (POST /x -> GET /x). */
  checkWith: ReadonlyMap<string, string>;
  /** For each write that starts a job, the read tool of one job (POST /x -> GET /x/{id}). */
  checkJobWith: ReadonlyMap<string, string>;
}

type SurfaceSelection = ToolSelection & {
  definitions?: readonly ToolDefinition[];
  prebuiltListing?: readonly CompactTool[];
};

export function prepareToolSurface(selection: SurfaceSelection): ToolSurface {
  const all = selection.definitions ?? allTools;
  const tools = selectTools(all, selection);
  return {
    all,
    tools,
    byName: new Map(tools.map((tool) => [tool.name, tool])),
    listed: prebuiltListingOf(selection, tools) ?? listTools(all, tools),
    checkWith: readersOfWrites(all),
    checkJobWith: readersOfJobs(all),
  };
}

/** prepareToolSurface, once the input schemas its listing reads are loaded (none if prebuilt). */
export async function loadToolSurface(selection: SurfaceSelection): Promise<ToolSurface> {
  const tools = selectTools(selection.definitions ?? allTools, selection);
  if (!prebuiltListingOf(selection, tools)) await loadSchemas(tools);
  return prepareToolSurface(selection);
}

/** A selection of every tool is the one the build listed (tools is a subset of all, in order). */
function prebuiltListingOf(
  selection: SurfaceSelection,
  tools: readonly ToolDefinition[],
): readonly CompactTool[] | undefined {
  const prebuilt = selection.prebuiltListing;
  const all = selection.definitions ?? allTools;
  return prebuilt?.length === all.length && tools.length === all.length ? prebuilt : undefined;
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

/**
 * One MCP server. Without `options.surface` it prepares its own, which lists every selected tool
 * from its input schemas: load them first (loadSchemas), or pass a surface from loadToolSurface.
 */
export function createMcpServer(options: ServerOptions): Server {
  const surface = options.surface ?? prepareToolSurface(options);
  const { all, tools, byName, listed, checkWith, checkJobWith } = surface;
  const server = new Server(
    { name: "klaviyo-mcp", title: "Klaviyo", version: VERSION },
    {
      capabilities: { tools: { listChanged: false } },
      instructions: instructions(options, tools),
      jsonSchemaValidator: jsonSchemaValidator(),
    },
  );
  const catalogMode = options.toolMode === "catalog";
  const shown = catalogMode
    ? catalogListing(tools, [...new Set(tools.map((t) => t.group))].sort())
    : options.results?.structuredContent
      ? withOutputSchemas(surface)
      : listed;
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [...shown] }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name, arguments: args } = request.params;
    const { shutdown } = options;
    const run = async (tool: ToolDefinition, toolArgs: unknown) => {
      // Start-up imports no input schema: a toolset's come with its first call.
      try {
        await tool.loadSchemas?.();
      } catch (error) {
        const reason = `its input schemas could not be loaded (${(error as Error).message}); nothing was sent to Klaviyo`;
        return errorResult(new Error(`${tool.name} cannot run: ${reason}.`), {
          toolName: tool.name,
        });
      }
      return executeTool(tool, toolArgs, {
        client: shutdown ? stoppedAtShutdown(options.client, shutdown) : options.client,
        logger: options.logger,
        publicKey: options.publicKey,
        allowFilePaths: options.allowFilePaths,
        uploadDirs: options.uploadDirs,
        signal: shutdown ? AbortSignal.any([extra.signal, shutdown]) : extra.signal,
        checkWith: checkWith.get(tool.name),
        checkJobWith: checkJobWith.get(tool.name),
        results: options.results,
        // A call queued behind Klaviyo's rate limit says so, if the client asked for progress.
        onWait: progressReporter(tool.name, request.params._meta?.progressToken, extra),
      });
    };
    if (catalogMode) {
      const catalog = { tools, byName, all, checkJobWith };
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
        : all.some((t) => t.name === name)
          ? "it is not enabled on this server (see KLAVIYO_TOOLSETS and KLAVIYO_READ_ONLY)"
          : isBetaToolName(name) && !all.some((t) => t.beta)
            ? `it is a beta tool, and this server has none (${BETA_HOW_TO})`
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
  tools: readonly ToolDefinition[],
): string {
  const count = tools.length;
  const beta = tools.find((tool) => tool.beta)?.beta;
  const mode = options.readOnly
    ? " Read-only mode: tools that write, send or delete are not available."
    : "";
  const sandbox = options.sandbox
    ? "SANDBOX MODE: these tools act on an emulated Klaviyo account filled with demo data (the store 'Juniper & Pine'), not on the user's real Klaviyo account. Say so when you report results. "
    : "";
  // Shared advice only: each tool's listing states its own arguments, values and limits.
  return [
    `${sandbox}Tools for the Klaviyo API (${count} tools).${mode}`,
    options.toolMode === "catalog"
      ? "Catalog mode: find tools with search_tools, read one's schema with describe_tool, run it with call_tool."
      : "",
    "- Keep results small: filter, fields (only the attributes you need) and page_size; max_items follows pages for you.",
    "- Writes Klaviyo processes asynchronously (subscriptions, bulk jobs, events) answer accepted: the result says how long they take and which tool confirms them.",
    "- A wrong argument is refused with the allowed values, and nothing is sent to Klaviyo.",
    beta
      ? `- Tools named *_beta call Klaviyo's beta API (revision ${beta.revision}): their shapes may change, and Klaviyo advises against relying on them in production. Prefer a stable tool that does the same.`
      : "",
  ]
    .filter(Boolean)
    .join("\n");
}
