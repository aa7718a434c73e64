/**
 * The surface the model sees, committed as reviewable JSON files: any change to a tool's
 * name, title, description, annotations or input schema shows up as a diff in review. Two
 * views: the full definitions (what describe_tool answers) and the compact tools/list entries
 * (what every client receives).
 * After an intended change: `npx vitest run test/schema-snapshot.test.ts -u` (the path
 * must come first: `-u` takes an optional value and would swallow it).
 */
import { describe, expect, it } from "vitest";
import { listedTool, selectTools } from "../src/engine/surface/registry.js";
import { prepareToolSurface } from "../src/server.js";
import { allTools, KLAVIYO_REVISION, toolGroups } from "../tools/index.js";

const listed = selectTools(allTools, { toolsets: [...toolGroups], readOnly: false }).map(
  listedTool,
);

describe("tools/list surface", () => {
  it("lists all 223 tools, sorted by name", () => {
    expect(listed).toHaveLength(223);
    const names = listed.map((tool) => tool.name);
    expect(names).toEqual([...names].sort());
  });

  it("matches the committed snapshot", async () => {
    const surface = {
      revision: KLAVIYO_REVISION,
      count: listed.length,
      tools: listed.map(({ name, title, description, annotations, inputSchema }) => ({
        name,
        title,
        description,
        annotations,
        inputSchema,
      })),
    };
    await expect(`${JSON.stringify(surface, null, 2)}\n`).toMatchFileSnapshot(
      "./__snapshots__/tools.snapshot.json",
    );
  });

  it("matches the committed snapshot of the compact listing", async () => {
    const { listed: compact } = prepareToolSurface({ toolsets: [...toolGroups], readOnly: false });
    const surface = { revision: KLAVIYO_REVISION, count: compact.length, tools: compact };
    await expect(`${JSON.stringify(surface, null, 2)}\n`).toMatchFileSnapshot(
      "./__snapshots__/tools.compact.snapshot.json",
    );
  });
});
