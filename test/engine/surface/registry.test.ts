/**
 * Rules over the whole generated registry: every tool, not a sample. A generator change that
 * breaks one tool's name, description, annotations, schema or operation fails here by name.
 */
import { describe, expect, it } from "vitest";
import type { ToolDefinition } from "../../../src/engine/definition.js";
import { listedTool, selectTools } from "../../../src/engine/surface/registry.js";
import { prepareToolSurface } from "../../../src/server.js";
import { betaToolGroups, betaTools } from "../../../tools/beta/index.js";
import { allTools, KLAVIYO_REVISION, toolGroups } from "../../../tools/index.js";
import {
  ENDPOINT_COUNT,
  ENDPOINTS,
  endpointOf,
  SEED_ENDPOINTS,
  SPEC_REVISION,
  STATED_SEED_COUNT,
} from "../../support/endpoints.js";

/** The report queries and template rendering are POSTs that only read. */
const READ_ONLY_POSTS = [
  "create_template_render",
  "query_campaign_values",
  "query_flow_series",
  "query_flow_values",
  "query_form_series",
  "query_form_values",
  "query_metric_aggregates",
  "query_segment_series",
  "query_segment_values",
];

/** Klaviyo's spec declares `x-klaviyo-scopes: []` for these public-key endpoints. */
const SPEC_DECLARES_NO_SCOPES = [
  "create_client_review",
  "create_or_update_client_push_token",
  "get_client_geofences",
  "get_client_ip_allowlist",
  "get_client_review_values_reports",
  "get_client_reviews",
  "unregister_client_push_token",
];

const RATE = /^\d+\/[smd]$/;
const byName = (tool: ToolDefinition) => [tool.name, tool] as const;
/** Every tool the server can offer: the stable ones, and the beta ones (--beta). */
const everyTool = [...allTools, ...betaTools];
const everyGroup = new Set<string>([...toolGroups, ...betaToolGroups]);
const listed = new Map(everyTool.map((tool) => [tool.name, listedTool(tool)]));
const schemaOf = (tool: ToolDefinition) => listed.get(tool.name)?.inputSchema as JsonSchemaObject;

interface JsonSchemaObject {
  type: string;
  properties: Record<string, { description?: string }>;
  additionalProperties?: unknown;
  [key: string]: unknown;
}

describe("the registry as a whole", () => {
  it("has exactly one tool per operation of the stable spec, the seed's under their seed names", () => {
    expect(SPEC_REVISION).toBe(KLAVIYO_REVISION);
    expect(allTools).toHaveLength(ENDPOINT_COUNT);
    expect(SEED_ENDPOINTS).toHaveLength(STATED_SEED_COUNT);
    const names = allTools.map((tool) => tool.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(ENDPOINTS.map((e) => e.tool_name).sort());
  });

  it("is sorted by name, and lists in that order", () => {
    const names = allTools.map((tool) => tool.name);
    expect(names).toEqual([...names].sort());
    const listed = selectTools(allTools, { toolsets: [...toolGroups], readOnly: false })
      .map(listedTool)
      .map((entry) => entry.name);
    expect(listed).toEqual(names);
    expect(listed.slice(0, 3)).toEqual([
      "add_profiles_to_list",
      "assign_template_to_campaign_message",
      "bulk_create_client_events",
    ]);
    expect(listed.slice(-3)).toEqual([
      "update_webhook",
      "upload_image_from_file",
      "upload_image_from_url",
    ]);
  });

  it("lists a selection by tool name, whatever order its toolsets are named in", () => {
    const selection = selectTools(allTools, {
      toolsets: ["web_feeds", "accounts"],
      readOnly: false,
    });
    expect(selection.map((tool) => tool.name)).toEqual([
      "create_web_feed",
      "delete_web_feed",
      "get_account",
      "get_accounts",
      "get_web_feed",
      "get_web_feeds",
      "update_web_feed",
    ]);
  });

  it("groups are exactly the toolGroups, each non-empty", () => {
    expect(new Set(allTools.map((tool) => tool.group))).toEqual(new Set(toolGroups));
  });
});

describe.each(everyTool.map(byName))("%s", (name, tool) => {
  it("has a valid name", () => {
    expect(name.length).toBeLessThanOrEqual(64);
    expect(name).toMatch(/^[a-z0-9_]+$/);
  });

  it("has a short, plain description and a title", () => {
    const { description, title } = tool;
    expect(title.trim()).not.toBe("");
    expect(description.trim()).not.toBe("");
    expect(description.length).toBeLessThanOrEqual(300);
    expect(description).not.toContain("<");
    expect(description.toLowerCase()).not.toContain("rate limit");
    expect(description).not.toMatch(/https?:\/\//);
    expect(description.endsWith("…")).toBe(false);
    expect(description.endsWith("...")).toBe(false);
  });

  it("has consistent annotations", () => {
    const { annotations } = tool;
    for (const key of [
      "readOnlyHint",
      "destructiveHint",
      "idempotentHint",
      "openWorldHint",
    ] as const) {
      expect(typeof annotations[key], key).toBe("boolean");
    }
    if (annotations.readOnlyHint) expect(annotations.destructiveHint).toBe(false);
    expect(annotations.openWorldHint).toBe(true);
    if (tool.operation.method === "GET") expect(annotations.readOnlyHint).toBe(true);
    if (tool.operation.method === "DELETE") expect(annotations.destructiveHint).toBe(true);
  });

  it("has a group, scopes and a rate limit", () => {
    expect(everyGroup).toContain(tool.group);
    expect(Array.isArray(tool.scopes)).toBe(true);
    if (SPEC_DECLARES_NO_SCOPES.includes(name)) expect(tool.scopes).toEqual([]);
    else expect(tool.scopes.length).toBeGreaterThan(0);
    for (const scope of tool.scopes) expect(scope).toMatch(/^[a-z-]+:(read|write)$/);
    expect(tool.rateLimit.burst).toMatch(RATE);
    expect(tool.rateLimit.steady).toMatch(RATE);
    if (tool.rateLimit.daily !== undefined) expect(tool.rateLimit.daily).toMatch(RATE);
  });

  it("has a flat, closed, self-contained input schema", () => {
    const schema = schemaOf(tool);
    expect(schema.type).toBe("object");
    for (const key of ["anyOf", "oneOf", "allOf", "$defs", "$ref", "$schema"]) {
      expect(schema, key).not.toHaveProperty(key);
    }
    expect(JSON.stringify(schema)).not.toContain("$defs");
    expect(JSON.stringify(schema)).not.toContain("$ref");
    expect(schema.additionalProperties).toBe(false);
  });

  it("uses only portable JSON Schema (one type per schema, explicit free-form objects)", () => {
    const problems: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) {
        for (const [i, item] of node.entries()) walk(item, `${path}[${i}]`);
        return;
      }
      if (typeof node !== "object" || node === null) return;
      const schema = node as Record<string, unknown>;
      if (Array.isArray(schema.type))
        problems.push(`${path}: type list ${JSON.stringify(schema.type)}`);
      const extra = schema.additionalProperties;
      if (typeof extra === "object" && extra !== null && Object.keys(extra).length === 0) {
        problems.push(`${path}: empty additionalProperties schema`);
      }
      for (const [key, value] of Object.entries(schema)) {
        if (key !== "enum" && key !== "required") walk(value, `${path}.${key}`);
      }
    };
    walk(schemaOf(tool), "inputSchema");
    expect(problems).toEqual([]);
  });

  it("describes every top-level argument", () => {
    const undescribed = Object.entries(schemaOf(tool).properties ?? {})
      .filter(([, property]) => !property.description?.trim())
      .map(([key]) => key)
      .sort();
    expect(undescribed).toEqual([]);
  });

  it("maps only arguments that its schema accepts", () => {
    const shape = Object.keys(tool.input.shape);
    for (const key of Object.keys(tool.args)) expect(shape, key).toContain(key);
  });

  it("calls the operation of the seed map", () => {
    const endpoint = endpointOf(name);
    expect(tool.operation.method).toBe(endpoint.method);
    expect(tool.operation.path).toBe(endpoint.path);
    expect(tool.operation.id).toBe(endpoint.operation_id);
    expect(tool.auth).toBe(endpoint.path.startsWith("/client/") ? "public" : "private");
  });

  it("lists its scopes and rate limit in _meta", () => {
    const entry = listed.get(name);
    expect(entry?._meta["klaviyo/scopes"]).toEqual(tool.scopes);
    expect(entry?._meta["klaviyo/rateLimit"]).toEqual(tool.rateLimit);
    expect(entry?.annotations).toEqual({ title: tool.title, ...tool.annotations });
  });
});

describe("tool selection", () => {
  const everything = { toolsets: [...toolGroups], readOnly: false };

  it("read-only mode keeps every GET and the report queries, and nothing else", () => {
    const readOnly = selectTools(allTools, { ...everything, readOnly: true });
    const expected = allTools.filter(
      (tool) => tool.operation.method === "GET" || READ_ONLY_POSTS.includes(tool.name),
    );
    expect(readOnly.map((tool) => tool.name)).toEqual(expected.map((tool) => tool.name));
    for (const name of READ_ONLY_POSTS) {
      expect(readOnly.find((tool) => tool.name === name)?.operation.method).toBe("POST");
    }
  });

  it("a toolset selects only its group", () => {
    const profiles = selectTools(allTools, { toolsets: ["profiles"], readOnly: false });
    expect(profiles.length).toBeGreaterThan(0);
    expect(new Set(profiles.map((tool) => tool.group))).toEqual(new Set(["profiles"]));
  });

  it("the toolsets partition the registry", () => {
    const union = toolGroups.flatMap((group) =>
      selectTools(allTools, { toolsets: [group], readOnly: false }).map((tool) => tool.name),
    );
    expect(union).toHaveLength(ENDPOINT_COUNT);
    expect(new Set(union)).toEqual(new Set(allTools.map((tool) => tool.name)));
    expect(selectTools(allTools, everything)).toHaveLength(ENDPOINT_COUNT);
  });

  it("an unknown toolset selects nothing", () => {
    expect(selectTools(allTools, { toolsets: ["nope"], readOnly: false })).toEqual([]);
  });
});

describe("checking a write of unknown outcome", () => {
  it("names, for every write tool, a read tool that exists", async () => {
    const { prepareToolSurface } = await import("../../../src/server.js");
    const surface = prepareToolSurface({ toolsets: [...toolGroups], readOnly: false });
    const names = new Set(allTools.map((t) => t.name));
    for (const tool of allTools.filter((t) => !t.annotations.readOnlyHint)) {
      const reader = surface.checkWith.get(tool.name);
      expect(reader, tool.name).toBeDefined();
      expect(names.has(reader as string), `${tool.name} -> ${reader}`).toBe(true);
    }
    expect(surface.checkWith.get("create_list")).toBe("get_lists");
    expect(surface.checkWith.get("update_profile")).toBe("get_profile");
  });

  it("does so for the beta tools too, and stable writes keep their stable readers", async () => {
    const { prepareToolSurface } = await import("../../../src/server.js");
    const { loadToolCatalog } = await import("../../../src/config/catalog.js");
    const { definitions, groups } = await loadToolCatalog(true);
    const surface = prepareToolSurface({ toolsets: [...groups], readOnly: false, definitions });
    const stable = prepareToolSurface({ toolsets: [...toolGroups], readOnly: false });
    const names = new Set(definitions.map((t) => t.name));
    // A test email leaves nothing a read could show: its description says so.
    const unreadable = ["create_template_preview_send_job_beta"];
    for (const tool of definitions.filter((t) => !t.annotations.readOnlyHint)) {
      const reader = surface.checkWith.get(tool.name);
      if (unreadable.includes(tool.name)) {
        expect(reader, tool.name).toBeUndefined();
        continue;
      }
      expect(names.has(reader as string), `${tool.name} -> ${reader}`).toBe(true);
      if (!tool.beta) expect(reader, tool.name).toBe(stable.checkWith.get(tool.name));
    }
    expect(surface.checkWith.get("update_campaign")).toBe("get_campaign");
    expect(surface.checkWith.get("update_campaign_beta")).toBe("get_campaign_beta");
    expect(surface.checkJobWith.get("create_profile_bulk_export_job_beta")).toBe(
      "get_profile_bulk_export_job_beta",
    );
  });
});

describe("where a path id comes from", () => {
  const { listed: entries } = prepareToolSurface({ toolsets: [...toolGroups], readOnly: false });
  const idText = (tool: string, arg: string) => {
    const entry = entries.find((candidate) => candidate.name === tool);
    const properties = entry?.inputSchema.properties as Record<string, { description?: string }>;
    return properties[arg]?.description;
  };

  it("is the collection the tool's own path names, even under a name every job tool shares", () => {
    expect(idText("get_create_items_job", "job_id")).toBe("From get_create_items_jobs");
    expect(idText("get_bulk_profile_import_job", "job_id")).toBe(
      "From get_bulk_profile_import_jobs",
    );
    expect(idText("get_list", "list_id")).toBe("From get_lists");
  });

  it("is the tool that creates one, for a collection Klaviyo does not list", () => {
    expect(idText("get_campaign_send_job", "job_id")).toBe("From create_campaign_send_job");
    expect(idText("get_object_schema", "object_schema_id")).toBe("From create_object_schema");
  });
});
