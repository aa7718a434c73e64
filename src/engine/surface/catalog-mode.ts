/**
 * Catalog mode (KLAVIYO_TOOL_MODE=catalog): three meta-tools reach every tool the filters allow,
 * so a client pays for three tool definitions instead of 223. search_tools finds tools by
 * keywords and resource, describe_tool gives one tool's full schema and annotations, and
 * call_tool runs it through the same engine (the same zod validation, errors and outcomes).
 * A tool the filters (toolsets, read-only, scopes) exclude stays unreachable here too.
 */
import { z } from "zod";
import { validationErrorResult } from "../call/error-result.js";
import type { ToolResult } from "../call/result.js";
import type { ToolDefinition } from "../definition.js";
import { firstSentence } from "./compact-schema.js";
import { listedTool } from "./registry.js";
import { fullTwinOf, idsOnly, rankTools } from "./search.js";
import { BETA_HOW_TO, isBetaToolName } from "./toolsets.js";

export const CATALOG_TOOL_NAMES = ["search_tools", "describe_tool", "call_tool"] as const;

const SearchInput = z
  .object({
    query: z.string().trim().min(1).optional(),
    resource: z.string().trim().min(1).optional(),
    limit: z.number().int().min(1).max(50).optional(),
  })
  .strict();
const DescribeInput = z.object({ name: z.string().trim().min(1) }).strict();
const CallInput = z
  .object({
    name: z.string().trim().min(1),
    arguments: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** The three meta-tools as tools/list shows them. */
export function catalogListing(tools: readonly ToolDefinition[], groups: readonly string[]) {
  const reads = tools.every((t) => t.annotations.readOnlyHint);
  const destructive = tools.some(
    (t) => !t.annotations.readOnlyHint && t.annotations.destructiveHint,
  );
  return [
    {
      name: "search_tools",
      description: `Find the Klaviyo API tool for a task (${tools.length} available), in plain words and/or by resource. Returns names, one-line descriptions and which are read-only or destructive; then describe_tool, then call_tool.`,
      inputSchema: {
        type: "object",
        properties: {
          query: {
            type: "string",
            description:
              "What to do, e.g. 'turn off a flow' or 'import contacts from a spreadsheet'",
          },
          resource: { type: "string", enum: [...groups] },
          limit: { type: "integer", maximum: 50, description: "Default 10" },
        },
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    {
      name: "describe_tool",
      description:
        "The full input schema, annotations (read-only, destructive, idempotent), scopes and rate limit of one tool.",
      inputSchema: {
        type: "object",
        properties: { name: { type: "string", description: "From search_tools" } },
        required: ["name"],
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    {
      name: "call_tool",
      description:
        "Run a tool with its arguments, validated against its schema as a direct call would be. Check describe_tool first: destructive tools change or delete data for good.",
      inputSchema: {
        type: "object",
        properties: {
          name: { type: "string", description: "From search_tools" },
          arguments: { type: "object", additionalProperties: true },
        },
        required: ["name"],
      },
      // As strict as the strictest tool it can reach: clients that ask before a destructive
      // call still ask.
      annotations: reads
        ? { readOnlyHint: true }
        : { readOnlyHint: false, destructiveHint: destructive, idempotentHint: false },
    },
  ];
}

interface Catalog {
  tools: readonly ToolDefinition[];
  byName: ReadonlyMap<string, ToolDefinition>;
  /** Every tool, to tell "excluded by the filters" from "no such tool". */
  all: readonly ToolDefinition[];
  /** For each write that starts a job, the read tool of one job (check-with.ts). */
  checkJobWith: ReadonlyMap<string, string>;
}

export function searchTools(args: unknown, catalog: Catalog): ToolResult {
  const parsed = SearchInput.safeParse(args ?? {});
  if (!parsed.success) return validationErrorResult("search_tools", parsed.error.issues);
  const { query, resource, limit = 10 } = parsed.data;
  const group = resource?.toLowerCase().replace(/[-\s]/g, "_");
  const inGroup = (tool: ToolDefinition) => !group || tool.group === group;
  const found = query
    ? rankTools(catalog.tools, query, inGroup)
    : catalog.tools.filter(inGroup).sort((a, b) => a.name.localeCompare(b.name));
  const shown = found.slice(0, limit);
  const tools = shown.map((tool) => {
    const note = twinNote(tool, catalog);
    return {
      name: tool.name,
      description: firstSentence(tool.description),
      ...(tool.beta ? { beta: true } : {}),
      ...(tool.annotations.readOnlyHint
        ? { read_only: true }
        : tool.annotations.destructiveHint
          ? { destructive: true }
          : {}),
      ...(note ? { note } : {}),
    };
  });
  const out: Record<string, unknown> = { tools, total: found.length };
  if (found.length > limit) out.hint = "More match: narrow the query, or raise limit.";
  if (found.length === 0) out.hint = "Nothing matches: try fewer or other keywords, or a resource.";
  return json(out);
}

export async function describeTool(args: unknown, catalog: Catalog): Promise<ToolResult> {
  const parsed = DescribeInput.safeParse(args ?? {});
  if (!parsed.success) return validationErrorResult("describe_tool", parsed.error.issues);
  const tool = findTool(parsed.data.name, catalog);
  if (typeof tool === "string") return json({ error: tool }, true);
  await tool.loadSchemas?.();
  const { _meta, ...listed } = listedTool(tool);
  return json({
    ...listed,
    scopes: tool.scopes,
    rate_limit: tool.rateLimit,
    operation: `${tool.operation.method} ${tool.operation.path}`,
    // Beta tools only: sent with this revision, and may change.
    ...(tool.beta
      ? { _meta: { "klaviyo/beta": true, "klaviyo/revision": tool.beta.revision } }
      : {}),
  });
}

/** The tool call_tool should run, or the error result to return instead. */
export function resolveCall(
  args: unknown,
  catalog: Catalog,
): { run: ToolDefinition; arguments: unknown } | { answer: ToolResult } {
  const parsed = CallInput.safeParse(args ?? {});
  if (!parsed.success) return { answer: validationErrorResult("call_tool", parsed.error.issues) };
  const tool = findTool(parsed.data.name, catalog);
  if (typeof tool === "string") return { answer: json({ error: tool }, true) };
  return { run: tool, arguments: parsed.data.arguments ?? {} };
}

function findTool(name: string, catalog: Catalog): ToolDefinition | string {
  const tool = catalog.byName.get(name);
  if (tool) return tool;
  if (catalog.all.some((t) => t.name === name)) {
    return `${name} is not enabled on this server (see KLAVIYO_TOOLSETS, KLAVIYO_READ_ONLY and KLAVIYO_SCOPES).`;
  }
  if (isBetaToolName(name) && !catalog.all.some((t) => t.beta)) {
    return `${name} is a beta tool, and this server has none (${BETA_HOW_TO}).`;
  }
  const near = catalog.tools
    .filter((t) => t.name.includes(name) || name.includes(t.name.replace(/^get_/, "")))
    .slice(0, 3)
    .map((t) => t.name);
  return `No tool is called ${name}${near.length > 0 ? `; did you mean ${near.join(", ")}?` : "; use search_tools."}`;
}

/**
 * For a tool with a near twin, which does what: an ids-only read and its full read, a job
 * starter and the job's reader.
 */
function twinNote(tool: ToolDefinition, catalog: Catalog): string | undefined {
  const name = tool.name;
  if (idsOnly(tool) && tool.operation.method === "GET") {
    const full = fullTwinOf(name);
    return catalog.byName.has(full) ? `ids only; ${full} gives the full resources` : "ids only";
  }
  const reader = catalog.checkJobWith.get(name);
  if (reader && catalog.byName.has(reader)) {
    return `starts a background job; ${reader} reads its progress`;
  }
  if (/^get_.*_jobs?(_beta)?$/.test(name)) return "reads jobs; it starts none";
  return undefined;
}

function json(value: unknown, isError = false): ToolResult {
  const result: ToolResult = { content: [{ type: "text", text: JSON.stringify(value) }] };
  if (isError) result.isError = true;
  return result;
}
