/**
 * Choosing tools (core, single tools, exclusions, scopes, read-only) and catalog mode, through
 * the SDK Client against the sandbox.
 */
import { encode } from "gpt-tokenizer/encoding/o200k_base";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../src/config.js";
import { DEFAULT_RESULT_OPTIONS } from "../../../src/engine/call/execute.js";
import { CORE_TOOLS } from "../../../src/engine/surface/toolsets.js";
import type { ServerOptions } from "../../../src/server.js";
import { allTools, toolGroups } from "../../../tools/index.js";
import {
  resultText,
  type SandboxSession,
  startSandboxSession,
} from "../../support/sandbox-client.js";

const sessions: SandboxSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
});

async function session(options: Partial<ServerOptions>): Promise<SandboxSession> {
  const started = await startSandboxSession({}, {}, options);
  sessions.push(started);
  return started;
}

async function listed(options: Partial<ServerOptions>): Promise<string[]> {
  const { client } = await session(options);
  return (await client.listTools()).tools.map((t) => t.name);
}

const parsed = (result: unknown) => JSON.parse(resultText(result));

describe("choosing tools", () => {
  it("core is about 25 everyday tools, all real", async () => {
    expect(CORE_TOOLS.length).toBeGreaterThanOrEqual(20);
    expect(CORE_TOOLS.length).toBeLessThanOrEqual(30);
    const names = new Set(allTools.map((t) => t.name));
    for (const name of CORE_TOOLS) expect(names.has(name), name).toBe(true);
    expect((await listed({ toolsets: ["core"] })).sort()).toEqual([...CORE_TOOLS].sort());
  });

  it("adds single tools, removes excluded ones, and reads only with read-only", async () => {
    const names = await listed({
      toolsets: ["lists"],
      tools: ["get_metrics"],
      excludeTools: ["delete_list"],
    });
    expect(names).toContain("get_metrics");
    expect(names).toContain("create_list");
    expect(names).not.toContain("delete_list");
    const reads = await listed({ toolsets: ["core"], readOnly: true });
    expect(reads.every((n) => allTools.find((t) => t.name === n)?.annotations.readOnlyHint)).toBe(
      true,
    );
    expect(reads).not.toContain("create_list");
  });

  it("follows the key's scopes: write grants read", async () => {
    const names = await listed({
      toolsets: [...toolGroups],
      scopes: ["lists:write", "profiles:read"],
    });
    const allowed = (scope: string) =>
      ["lists:write", "lists:read", "profiles:read"].includes(scope);
    for (const name of names) {
      const tool = allTools.find((t) => t.name === name);
      expect(tool?.scopes.every(allowed), name).toBe(true);
    }
    expect(names).toContain("create_list");
    expect(names).toContain("get_profiles");
    expect(names).not.toContain("create_profile");
  });

  it("configures all of it from the environment, and names a mistyped tool", () => {
    const { config } = loadConfig([], {
      KLAVIYO_TOOLS: "get_lists,get_metrics",
      KLAVIYO_SCOPES: "lists:read",
    });
    expect(config.toolsets).toEqual([]);
    expect(config.tools).toEqual(["get_lists", "get_metrics"]);
    expect(() => loadConfig([], { KLAVIYO_TOOLS: "get_list_s" })).toThrow(
      /no tool is called get_list_s/,
    );
    expect(() => loadConfig([], { KLAVIYO_SCOPES: "lists" })).toThrow(/KLAVIYO_SCOPES/);
    expect(() =>
      loadConfig([], { KLAVIYO_TOOLSETS: "data-privacy", KLAVIYO_READ_ONLY: "true" }),
    ).toThrow(ConfigError);
  });
});

describe("catalog mode", () => {
  it("lists three meta-tools in well under 1,500 tokens", async () => {
    const { client } = await session({ toolMode: "catalog" });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(["search_tools", "describe_tool", "call_tool"]);
    expect(encode(JSON.stringify({ tools })).length).toBeLessThanOrEqual(1500);
    expect(tools.find((t) => t.name === "call_tool")?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
    });
    expect(client.getInstructions()).toMatch(/Catalog mode/);
  });

  it("finds tools by keywords and resource, and describes one in full", async () => {
    const { client } = await session({ toolMode: "catalog" });
    const found = parsed(
      await client.callTool({ name: "search_tools", arguments: { query: "list profiles" } }),
    );
    const names = found.tools.map((t: { name: string }) => t.name);
    expect(names).toContain("get_list_profiles");
    const inResource = parsed(
      await client.callTool({
        name: "search_tools",
        arguments: { resource: "coupons", limit: 50 },
      }),
    );
    expect(
      inResource.tools.every((t: { name: string }) =>
        allTools.find((x) => x.name === t.name && x.group === "coupons"),
      ),
    ).toBe(true);
    const described = parsed(
      await client.callTool({ name: "describe_tool", arguments: { name: "get_lists" } }),
    );
    expect(described.inputSchema.properties.fields).toBeDefined();
    expect(described.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(described.scopes).toEqual(["lists:read"]);
  });

  it("runs a tool, and a bad call gets the same error as a direct call", async () => {
    const catalog = (await session({ toolMode: "catalog" })).client;
    const direct = (await session({})).client;
    const lists = await catalog.callTool({
      name: "call_tool",
      arguments: { name: "get_lists", arguments: { page_size: 2 } },
    });
    expect(lists.isError, resultText(lists)).toBeFalsy();
    expect(parsed(lists).data).toHaveLength(2);
    const badArgs = { name: 42, opt_in_process: "maybe" };
    const viaCatalog = await catalog.callTool({
      name: "call_tool",
      arguments: { name: "create_list", arguments: badArgs },
    });
    const viaDirect = await direct.callTool({ name: "create_list", arguments: badArgs });
    expect(viaCatalog.isError).toBe(true);
    expect(resultText(viaCatalog)).toBe(resultText(viaDirect));
    const unknown = await catalog.callTool({
      name: "call_tool",
      arguments: { name: "get_list_s" },
    });
    expect(unknown.isError).toBe(true);
    expect(resultText(unknown)).toMatch(/No tool is called get_list_s/);
  });

  it("in read-only mode leaves no way to a write, directly or through call_tool", async () => {
    const { client, emulator } = await session({ toolMode: "catalog", readOnly: true });
    const before = emulator.store.count("list");
    const { tools } = await client.listTools();
    expect(tools.find((t) => t.name === "call_tool")?.annotations).toEqual({ readOnlyHint: true });
    const found = parsed(
      await client.callTool({ name: "search_tools", arguments: { query: "create list" } }),
    );
    expect(found.tools.every((t: { read_only?: boolean }) => t.read_only)).toBe(true);
    const refused = await client.callTool({
      name: "call_tool",
      arguments: { name: "create_list", arguments: { name: "Sneaky" } },
    });
    expect(refused.isError).toBe(true);
    expect(resultText(refused)).toMatch(/not enabled on this server/);
    const direct = await client.callTool({ name: "create_list", arguments: { name: "Sneaky" } });
    expect(direct.isError).toBe(true);
    expect(emulator.store.count("list")).toBe(before);
  });
});

describe("structured results", () => {
  it("with structuredContent on, tools declare an outputSchema the SDK Client checks", async () => {
    const { client } = await session({
      results: { ...DEFAULT_RESULT_OPTIONS, structuredContent: true },
    });
    const { tools } = await client.listTools();
    expect(tools.find((t) => t.name === "get_lists")?.outputSchema).toMatchObject({
      type: "object",
    });
    const lists = await client.callTool({ name: "get_lists", arguments: { page_size: 2 } });
    expect(lists.isError, resultText(lists)).toBeFalsy();
    expect(lists.structuredContent).toMatchObject({ data: expect.any(Array) });
    const off = (await session({})).client;
    expect((await off.listTools()).tools.every((t) => t.outputSchema === undefined)).toBe(true);
  });
});

describe("beta tools in catalog mode", () => {
  it("are found, described with their revision, and named as needing --beta when absent", async () => {
    const started = await startSandboxSession({}, {}, { beta: true, toolMode: "catalog" });
    sessions.push(started);
    const found = parsed(
      await started.client.callTool({
        name: "search_tools",
        arguments: { query: "brand colors", limit: 5 },
      }),
    );
    expect(found.tools).toContainEqual(
      expect.objectContaining({ name: "get_brand_colors_beta", beta: true }),
    );
    const described = parsed(
      await started.client.callTool({
        name: "describe_tool",
        arguments: { name: "get_brand_colors_beta" },
      }),
    );
    expect(described._meta).toEqual({ "klaviyo/beta": true, "klaviyo/revision": "2026-07-15.pre" });
    expect(described.description).toMatch(/^Beta: /);
    const stable = parsed(
      await started.client.callTool({ name: "describe_tool", arguments: { name: "get_lists" } }),
    );
    expect(stable._meta).toBeUndefined();
    const { client } = await session({ toolMode: "catalog" });
    const absent = await client.callTool({
      name: "call_tool",
      arguments: { name: "get_brand_colors_beta" },
    });
    expect(absent.isError).toBe(true);
    expect(parsed(absent).error).toBe(
      "get_brand_colors_beta is a beta tool, and this server has none (add --beta (KLAVIYO_BETA=true) to serve Klaviyo's beta operations).",
    );
    const direct = await (await session({})).client.callTool({
      name: "get_brand_colors_beta",
      arguments: {},
    });
    expect(resultText(direct)).toContain(
      "Unknown tool get_brand_colors_beta: it is a beta tool, and this server has none (add --beta",
    );
  });
});
