/** Which tools a server exposes, and how each is listed in tools/list (computed once). */
import { z } from "zod";
import type { ToolDefinition } from "./definition.js";
import { portableJsonSchema } from "./json-schema.js";

export interface ToolSelection {
  toolsets: readonly string[];
  readOnly: boolean;
}

export function selectTools(
  all: readonly ToolDefinition[],
  selection: ToolSelection,
): ToolDefinition[] {
  return all.filter(
    (tool) =>
      selection.toolsets.includes(tool.group) &&
      (!selection.readOnly || tool.annotations.readOnlyHint),
  );
}

export interface ListedTool {
  name: string;
  title: string;
  description: string;
  inputSchema: { type: "object"; [key: string]: unknown };
  annotations: ToolDefinition["annotations"] & { title: string };
  _meta: Record<string, unknown>;
}

/** The tools/list entry: JSON Schema from zod 4's own converter, without `$schema` noise. */
export function listedTool(tool: ToolDefinition): ListedTool {
  const { $schema: _ignored, ...inputSchema } = z.toJSONSchema(tool.input, {
    io: "input",
  }) as Record<string, unknown>;
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: { ...portableJsonSchema(inputSchema), type: "object" },
    annotations: { title: tool.title, ...tool.annotations },
    _meta: {
      "klaviyo/operation": `${tool.operation.method} ${tool.operation.path}`,
      "klaviyo/scopes": tool.scopes,
      "klaviyo/rateLimit": tool.rateLimit,
      "klaviyo/group": tool.group,
    },
  };
}
