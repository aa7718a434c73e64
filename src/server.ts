/**
 * Builds the MCP server: selects the tools (toolsets, read-only), lists them once, and routes
 * each call to the engine. Transport-agnostic: stdio and HTTP both connect to what this returns.
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv-provider.js";
import { allTools } from "../tools/index.js";
import type { ToolDefinition } from "./engine/definition.js";
import { type ExecutionContext, executeTool } from "./engine/execute.js";
import { type ListedTool, listedTool, selectTools, type ToolSelection } from "./engine/registry.js";
import { errorResult } from "./engine/result.js";
import type { Logger } from "./logger.js";
import { VERSION } from "./version.js";

export interface ServerOptions extends ToolSelection {
  client: ExecutionContext["client"];
  logger: Logger;
  publicKey?: string;
  allowFilePaths: boolean;
  /** True when the client talks to the built-in emulator, not a real account. */
  sandbox?: boolean;
  tools?: readonly ToolDefinition[];
  /** The selected tools, prepared once; the HTTP transport builds a server per request. */
  surface?: ToolSurface;
}

/** The selected tools and their tools/list entries (JSON Schema conversion is not cheap). */
export interface ToolSurface {
  tools: readonly ToolDefinition[];
  byName: ReadonlyMap<string, ToolDefinition>;
  listed: readonly ListedTool[];
  /** For each write tool, the read tool that shows its effect (POST /x -> GET /x). */
  checkWith: ReadonlyMap<string, string>;
}

export function prepareToolSurface(
  selection: ToolSelection & { tools?: readonly ToolDefinition[] },
): ToolSurface {
  const tools = selectTools(selection.tools ?? allTools, selection);
  return {
    tools,
    byName: new Map(tools.map((tool) => [tool.name, tool])),
    listed: tools.map(listedTool),
    checkWith: readersOfWrites(allTools),
  };
}

/** Writes whose effect shows somewhere other than their own path. */
const READ_ELSEWHERE: Record<string, string> = {
  create_client_back_in_stock_subscription: "get_events",
  create_client_event: "get_events",
  create_client_subscription: "get_profiles",
  create_or_update_client_profile: "get_profiles",
  create_or_update_client_push_token: "get_profiles",
  create_or_update_profile: "get_profiles",
  create_or_update_push_token: "get_profiles",
  create_template_clone: "get_templates",
  merge_profiles: "get_profiles",
  request_profile_deletion: "get_profiles",
  subscribe_profiles: "get_profiles",
  suppress_profiles: "get_profiles",
  unregister_client_push_token: "get_profiles",
  unsubscribe_profiles: "get_profiles",
  unsuppress_profiles: "get_profiles",
  upload_image_from_file: "get_images",
};

/** create_list -> get_lists: the GET of the same collection, else of the same resource. */
function readersOfWrites(tools: readonly ToolDefinition[]): Map<string, string> {
  const reads = new Map<string, string>();
  for (const tool of tools) {
    if (tool.operation.method === "GET") reads.set(tool.operation.path, tool.name);
  }
  const out = new Map<string, string>();
  for (const tool of tools) {
    if (tool.annotations.readOnlyHint) continue;
    const path = tool.operation.path;
    const reader =
      READ_ELSEWHERE[tool.name] ??
      reads.get(path) ??
      reads.get(path.replace(/\/\{[^}]+\}$/, "")) ??
      reads.get(`${path}/{id}`);
    if (reader) out.set(tool.name, reader);
  }
  return out;
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
  const { tools, byName, listed, checkWith } = options.surface ?? prepareToolSurface(options);
  const server = new Server(
    { name: "klaviyo-mcp", title: "Klaviyo", version: VERSION },
    {
      capabilities: { tools: { listChanged: false } },
      instructions: instructions(options, tools.length),
      jsonSchemaValidator: jsonSchemaValidator(),
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [...listed] }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = byName.get(request.params.name);
    if (!tool) {
      const reason = allTools.some((t) => t.name === request.params.name)
        ? "it is not enabled on this server (see KLAVIYO_TOOLSETS and KLAVIYO_READ_ONLY)"
        : "no such tool; call tools/list for the available names";
      return errorResult(new Error(`Unknown tool ${request.params.name}: ${reason}.`), {
        toolName: request.params.name,
      });
    }
    const progressToken = request.params._meta?.progressToken;
    return executeTool(tool, request.params.arguments, {
      client: options.client,
      logger: options.logger,
      publicKey: options.publicKey,
      allowFilePaths: options.allowFilePaths,
      signal: extra.signal,
      checkWith: checkWith.get(tool.name),
      // A call queued behind Klaviyo's rate limit says so, if the client asked for progress.
      onWait:
        progressToken === undefined
          ? undefined
          : (waitedMs) => {
              const seconds = Math.round(waitedMs / 1000);
              void extra
                .sendNotification({
                  method: "notifications/progress",
                  params: {
                    progressToken,
                    progress: seconds,
                    message: `${tool.name} is queued behind Klaviyo's rate limit for this endpoint (${seconds} s so far).`,
                  },
                })
                .catch(() => {});
            },
    });
  });
  return server;
}

function instructions(options: ToolSelection & { sandbox?: boolean }, count: number): string {
  const mode = options.readOnly
    ? " Read-only mode: tools that write, send or delete are not available."
    : "";
  const sandbox = options.sandbox
    ? "SANDBOX MODE: these tools act on an emulated Klaviyo account filled with demo data (the store 'Juniper & Pine'), not on the user's real Klaviyo account. Say so when you report results. "
    : "";
  return `${sandbox}Tools for the Klaviyo API (${count} tools).${mode} List tools return next_cursor when there are more results: pass it as page_cursor. Use filter, fields and page_size to keep results small. Ids come from the matching get_* tools.`;
}
