/**
 * The surface the model sees, committed as reviewable JSON: one file per tool in
 * test/__snapshots__/tools/<name>.json, so a change to one tool is a small diff in review.
 * Each holds the tool's `definition` in full (what describe_tool answers: name, title,
 * description, annotations, input schema) and its `listed` entry (the compact tools/list entry
 * every client receives). test/__snapshots__/tools.json holds the revision and the listing order.
 * The beta tools (--beta) have theirs in test/__snapshots__/tools/beta/.
 * After an intended change: `npx vitest run test/tools/snapshot.test.ts -u` (the path must come
 * first: `-u` takes an optional value and would swallow it). A tool that is gone leaves its file
 * behind: the last test names it, to be deleted.
 */
import { existsSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadToolCatalog } from "../../src/config/catalog.js";
import { listedTool, selectTools } from "../../src/engine/surface/registry.js";
import { prepareToolSurface } from "../../src/server.js";
import { allTools, KLAVIYO_REVISION, toolGroups } from "../../tools/index.js";
import { BETA_ENDPOINT_COUNT, ENDPOINT_COUNT } from "../support/endpoints.js";

/** Relative to this file, as toMatchFileSnapshot wants it; messages name it from the root. */
const SNAPSHOTS = "../__snapshots__/tools";
const shown = (file: string) => `test/__snapshots__/tools/${file}`;
const everything = { toolsets: [...toolGroups], readOnly: false };
const definitions = selectTools(allTools, everything).map(listedTool);
const { listed } = prepareToolSurface(everything);
const listedByName = new Map(listed.map((entry) => [entry.name, entry]));

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

describe("the tool surface", () => {
  it("lists every tool of the seed map, sorted by name, in both views", () => {
    expect(definitions).toHaveLength(ENDPOINT_COUNT);
    const names = definitions.map((tool) => tool.name);
    expect(names).toEqual([...names].sort());
    expect(listed.map((entry) => entry.name)).toEqual(names);
  });

  it("matches the committed listing (revision and order)", async () => {
    const listing = {
      revision: KLAVIYO_REVISION,
      count: definitions.length,
      tools: definitions.map((tool) => tool.name),
    };
    await expect(json(listing)).toMatchFileSnapshot("../__snapshots__/tools.json");
  });

  describe.each(definitions.map((tool) => [tool.name, tool] as const))("%s", (name, tool) => {
    it("matches its committed snapshot", async () => {
      const { title, description, annotations, inputSchema } = tool;
      const snapshot = {
        definition: { name, title, description, annotations, inputSchema },
        listed: listedByName.get(name),
      };
      await expect(json(snapshot), shown(`${name}.json`)).toMatchFileSnapshot(
        `${SNAPSHOTS}/${name}.json`,
      );
    });
  });

  it("has no snapshot left for a tool that is gone", () => {
    const names = new Set(definitions.map((tool) => `${tool.name}.json`));
    const folder = resolve(import.meta.dirname, SNAPSHOTS);
    const files = existsSync(folder) ? readdirSync(folder) : [];
    const stale = files.filter((file) => file !== "beta" && !names.has(file)).map(shown);
    expect(stale, "no tool has these snapshots any more: delete them").toEqual([]);
  });
});

/** The beta tools (--beta), as a server with every toolset lists them beside the stable ones. */
const catalog = await loadToolCatalog(true);
const betaSelection = { toolsets: [...catalog.groups], readOnly: false };
const betaDefinitions = selectTools(catalog.definitions, betaSelection)
  .filter((tool) => tool.beta)
  .map(listedTool);
const betaListed = new Map(
  prepareToolSurface({ ...betaSelection, definitions: catalog.definitions }).listed.map((entry) => [
    entry.name,
    entry,
  ]),
);

describe("the beta tool surface", () => {
  it("lists every beta operation", () => {
    expect(betaDefinitions).toHaveLength(BETA_ENDPOINT_COUNT);
  });

  describe.each(betaDefinitions.map((tool) => [tool.name, tool] as const))("%s", (name, tool) => {
    it("matches its committed snapshot", async () => {
      const { title, description, annotations, inputSchema, _meta } = tool;
      const snapshot = {
        definition: { name, title, description, annotations, inputSchema, _meta },
        listed: betaListed.get(name),
      };
      await expect(json(snapshot), shown(`beta/${name}.json`)).toMatchFileSnapshot(
        `${SNAPSHOTS}/beta/${name}.json`,
      );
    });
  });

  it("has no snapshot left for a beta tool that is gone", () => {
    const names = new Set(betaDefinitions.map((tool) => `${tool.name}.json`));
    const folder = resolve(import.meta.dirname, SNAPSHOTS, "beta");
    const files = existsSync(folder) ? readdirSync(folder) : [];
    const stale = files.filter((file) => !names.has(file)).map((file) => shown(`beta/${file}`));
    expect(stale, "no beta tool has these snapshots any more: delete them").toEqual([]);
  });
});
