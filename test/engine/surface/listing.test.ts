/**
 * tools/list with and without the beta tools (src/engine/surface/listing.ts): which tools are
 * selected, how beta tools are marked, and that a stable tool's entry does not change by one
 * character when the beta tools are listed beside it.
 */
import { describe, expect, it } from "vitest";
import { loadToolCatalog } from "../../../src/config/catalog.js";
import { listTools } from "../../../src/engine/surface/listing.js";
import { selectTools } from "../../../src/engine/surface/registry.js";
import { BETA_ONLY_TOOLSETS } from "../../../src/engine/surface/toolsets.js";
import { prepareToolSurface } from "../../../src/server.js";
import { allTools, toolGroups } from "../../../tools/index.js";
import { BETA_ENDPOINT_COUNT, BETA_ENDPOINTS, ENDPOINT_COUNT } from "../../support/endpoints.js";

const { definitions, groups } = await loadToolCatalog(true);
const everything = { toolsets: [...groups], readOnly: false };

describe("selection with the beta tools", () => {
  it("lists no beta tool from the stable catalog, every tool from the beta one", () => {
    const stable = prepareToolSurface({ toolsets: [...toolGroups], readOnly: false });
    expect(stable.tools).toHaveLength(ENDPOINT_COUNT);
    expect(stable.tools.some((tool) => tool.beta || tool.name.endsWith("_beta"))).toBe(false);
    const beta = prepareToolSurface({ ...everything, definitions });
    expect(beta.tools).toHaveLength(ENDPOINT_COUNT + BETA_ENDPOINT_COUNT);
    expect(beta.listed.map((entry) => entry.name)).toEqual(beta.tools.map((tool) => tool.name));
    expect(
      beta.tools
        .filter((tool) => tool.beta)
        .map((tool) => tool.name)
        .sort(),
    ).toEqual(BETA_ENDPOINTS.map((e) => e.tool_name).sort());
  });

  it("a beta-only toolset selects its beta tools; a shared one both kinds", () => {
    for (const group of BETA_ONLY_TOOLSETS) {
      const tools = selectTools(definitions, { toolsets: [group], readOnly: false });
      expect(tools.length, group).toBeGreaterThan(0);
      expect(tools.every((tool) => tool.beta && tool.group === group)).toBe(true);
    }
    const campaigns = selectTools(definitions, { toolsets: ["campaigns"], readOnly: false });
    const names = campaigns.map((tool) => tool.name);
    expect(names).toContain("get_campaigns");
    expect(names).toContain("get_campaigns_beta");
    expect(names).toContain("get_campaign_audience_beta");
  });
});

describe("the listing with the beta tools", () => {
  const stable = prepareToolSurface({ toolsets: [...toolGroups], readOnly: false }).listed;
  const withBeta = prepareToolSurface({ ...everything, definitions }).listed;
  const byName = new Map(withBeta.map((entry) => [entry.name, entry]));

  it("keeps every stable entry exactly as it is without them", () => {
    expect(stable).toHaveLength(ENDPOINT_COUNT);
    for (const entry of stable) {
      expect(JSON.stringify(byName.get(entry.name)), entry.name).toBe(JSON.stringify(entry));
    }
    // Nothing in a stable entry points at a beta tool.
    expect(stable.filter((entry) => JSON.stringify(entry).includes("_beta"))).toEqual([]);
  });

  it("marks each beta tool in _meta and its description; stable tools carry no _meta", () => {
    for (const entry of withBeta) {
      const beta = entry.name.endsWith("_beta");
      expect(entry._meta, entry.name).toEqual(beta ? { "klaviyo/beta": true } : undefined);
      expect(entry.description.startsWith("Beta: "), entry.name).toBe(beta);
    }
  });

  it("lets a beta entry refer to a stable tool it repeats, and shows its hints", () => {
    const create = byName.get("create_campaign_beta");
    const properties = create?.inputSchema.properties as Record<string, { description?: string }>;
    expect(properties.audiences?.description).toMatch(/^E\.g\. \[\{"temporary_id":"a1"/);
    // The campaign tools of both kinds share id arguments: stated by the stable listing's home.
    const referring = withBeta.filter(
      (entry) =>
        entry.name.endsWith("_beta") &&
        /"(As in|as) [a-z_]+(?<!_beta)"/.test(JSON.stringify(entry.inputSchema)),
    );
    expect(referring.length).toBeGreaterThan(0);
  });

  it("never makes a stable tool refer to a beta tool, even one with a shorter name", () => {
    // A beta twin of the home of many "As in" references, named shorter than it.
    const home = allTools.find((tool) => tool.name === "query_flow_series");
    if (!home) throw new Error("query_flow_series is gone: pick another home");
    const twin = { ...home, name: "flow_series_q", beta: { revision: "2026-07-15.pre" } };
    const catalog = [...allTools, twin];
    const listed = listTools(catalog, catalog);
    const alone = listTools(allTools, allTools);
    expect(JSON.stringify(alone)).toContain('"As in query_flow_series"');
    expect(JSON.stringify(listed.slice(0, alone.length))).toBe(JSON.stringify(alone));
    // The twin itself may refer to the stable home, which states the argument.
    expect(JSON.stringify(listed)).not.toContain("As in flow_series_q");
  });

  it("is the stable listing alone when the selection has no beta tool", () => {
    const lists = selectTools(definitions, { toolsets: ["lists"], readOnly: false });
    const alone = selectTools(allTools, { toolsets: ["lists"], readOnly: false });
    expect(JSON.stringify(listTools(definitions, lists))).toBe(
      JSON.stringify(listTools(allTools, alone)),
    );
  });
});
