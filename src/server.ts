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
}

export function prepareToolSurface(
  selection: ToolSelection & { tools?: readonly ToolDefinition[] },
): ToolSurface {
  const tools = selectTools(selection.tools ?? allTools, selection);
  return {
    tools,
    byName: new Map(tools.map((tool) => [tool.name, tool])),
    listed: tools.map(listedTool),
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
  const { tools, byName, listed } = options.surface ?? prepareToolSurface(options);
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
    return executeTool(tool, request.params.arguments, {
      client: options.client,
      logger: options.logger,
      publicKey: options.publicKey,
      allowFilePaths: options.allowFilePaths,
      signal: extra.signal,
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
