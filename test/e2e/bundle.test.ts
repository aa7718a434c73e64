/**
 * The built CLI is a bundle (scripts/bundle.mjs) whose listing of every tool was computed at build
 * time: over real stdio it must list exactly what the engine computes from the definitions here,
 * with and without --beta, and a selection it did not prebuild must still be listed right. Its
 * toolsets' schemas load on their first call, and the bundle stays ASCII (V8 would otherwise hold
 * each file at two bytes per character).
 */
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterEach, describe, expect, it } from "vitest";
import { loadToolCatalog } from "../../src/config/catalog.js";
import { prepareToolSurface } from "../../src/server.js";

const DIST = resolve(import.meta.dirname, "../../dist/src");
const CLI = resolve(DIST, "cli.js");

let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

async function listed(args: string[], env: Record<string, string> = {}) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, ...args],
    // An unreachable upstream: listing needs none.
    env: {
      PATH: process.env.PATH ?? "",
      KLAVIYO_API_KEY: "pk_bundle_test",
      KLAVIYO_BASE_URL: "http://127.0.0.1:9",
      LOG_LEVEL: "warn",
      ...env,
    },
  });
  client = new Client({ name: "bundle-test", version: "1" });
  await client.connect(transport);
  return (await client.listTools()).tools;
}

function textOf(result: unknown): string {
  return (result as { content: Array<{ text: string }> }).content[0]?.text ?? "";
}

async function computed(beta: boolean, selection: { toolsets?: string[]; readOnly?: boolean }) {
  const catalog = await loadToolCatalog(beta);
  const surface = prepareToolSurface({
    toolsets: selection.toolsets ?? [...catalog.groups],
    readOnly: selection.readOnly ?? false,
    definitions: catalog.definitions,
  });
  // As sent: JSON, so that undefined members drop out as they do on the wire.
  return JSON.parse(JSON.stringify(surface.listed));
}

describe("the bundled CLI", () => {
  it("lists every stable tool exactly as the engine computes them", async () => {
    expect(await listed([])).toEqual(await computed(false, {}));
  });

  it("lists every tool with --beta exactly as the engine computes them", async () => {
    expect(await listed(["--beta"])).toEqual(await computed(true, {}));
  });

  it("computes a selection the build did not list (read-only lists and profiles)", async () => {
    const tools = await listed([], {
      KLAVIYO_TOOLSETS: "lists,profiles",
      KLAVIYO_READ_ONLY: "true",
    });
    expect(tools.length).toBeGreaterThan(10);
    expect(tools).toEqual(
      await computed(false, { toolsets: ["lists", "profiles"], readOnly: true }),
    );
  });

  it("loads a toolset's schemas for its first call: an invalid argument is refused by them", async () => {
    await listed([]);
    const result = await client?.callTool({ name: "get_list", arguments: { list_id: 5 } });
    expect(result?.isError).toBe(true);
    expect(JSON.parse(textOf(result))).toEqual({
      error: "Invalid arguments for get_list: nothing was sent to Klaviyo.",
      issues: [{ argument: "list_id", message: "Invalid input: expected string, received number" }],
    });
  });

  it("in catalog mode, describes and calls a tool whose schemas were never loaded", async () => {
    const tools = await listed([], { KLAVIYO_TOOL_MODE: "catalog" });
    expect(tools.map((tool) => tool.name)).toEqual(["search_tools", "describe_tool", "call_tool"]);
    const described = await client?.callTool({
      name: "describe_tool",
      arguments: { name: "get_segment" },
    });
    const schema = JSON.parse(textOf(described)).inputSchema;
    expect(schema.required).toEqual(["segment_id"]);
    const called = await client?.callTool({
      name: "call_tool",
      arguments: { name: "get_metric", arguments: { metric_id: 5 } },
    });
    expect(JSON.parse(textOf(called)).issues).toEqual([
      { argument: "metric_id", message: "Invalid input: expected string, received number" },
    ]);
  });

  it("holds the listings it was built with (else every start-up would compute them)", () => {
    const files = ["cli.js", ...readdirSync(resolve(DIST, "chunks")).map((f) => `chunks/${f}`)];
    const texts = files.map((file) => readFileSync(resolve(DIST, file), "utf8"));
    expect(texts.some((text) => text.includes("PREBUILT_LISTING = JSON.parse("))).toBe(true);
    expect(texts.some((text) => text.includes("PREBUILT_BETA_LISTING = JSON.parse("))).toBe(true);
  });

  it("is ASCII only, every chunk included", () => {
    const files = ["cli.js", ...readdirSync(resolve(DIST, "chunks")).map((f) => `chunks/${f}`)];
    const offending = files.filter(
      (file) =>
        file.endsWith(".js") && /[\u0080-\uffff]/.test(readFileSync(resolve(DIST, file), "utf8")),
    );
    expect(offending).toEqual([]);
  });
});
