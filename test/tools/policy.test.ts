/**
 * tools/policy.ts is the one hand-written place per tool: every entry must reach the tool it
 * names, through the generator (description, annotations, handler) or the engine (core toolset,
 * the tool to check a write with).
 */
import { describe, expect, it } from "vitest";
import { readersOfJobs, readersOfWrites } from "../../src/engine/surface/check-with.js";
import { CORE_TOOLS } from "../../src/engine/surface/toolsets.js";
import { betaTools } from "../../tools/beta/index.js";
import { allTools } from "../../tools/index.js";
import { policyByName, TOOL_POLICY } from "../../tools/policy.js";
import { BETA_ENDPOINTS, ENDPOINTS } from "../support/endpoints.js";

const everyTool = [...allTools, ...betaTools];
const byName = new Map(everyTool.map((tool) => [tool.name, tool]));
const entries = [...policyByName];

describe("tools/policy.ts", () => {
  it("has one entry per tool, stable and beta, and no other", () => {
    expect([...policyByName.keys()].sort()).toEqual(
      [...ENDPOINTS, ...BETA_ENDPOINTS].map((e) => e.tool_name).sort(),
    );
  });

  it.each(entries)("%s: the definition carries its description", (name, policy) => {
    const tool = byName.get(name);
    // A beta tool says so first, whatever its entry says.
    expect(tool?.description).toBe(tool?.beta ? `Beta: ${policy.description}` : policy.description);
  });

  it("overrides the annotations the HTTP method would give, for POSTs only", () => {
    const overridden = entries.filter(([, policy]) => policy.annotations);
    expect(overridden.map(([name]) => name)).toContain("create_campaign_send_job");
    for (const [name, policy] of overridden) {
      const tool = byName.get(name);
      expect(tool?.operation.method, name).toBe("POST");
      expect(tool?.annotations, name).toMatchObject(policy.annotations ?? {});
    }
    // A read that Klaviyo exposes as POST is listed as a read.
    expect(byName.get("query_metric_aggregates")?.annotations.readOnlyHint).toBe(true);
    expect(byName.get("create_list")?.annotations.readOnlyHint).toBe(false);
  });

  it("wires each handler into its definition, and only those", () => {
    const withHandler = everyTool.filter((tool) => tool.handler).map((tool) => tool.name);
    expect(withHandler.sort()).toEqual([
      "create_agent_knowledge_file_beta",
      "remove_profile_from_list",
      "upload_image_from_file",
    ]);
    expect(byName.get("create_agent_knowledge_file_beta")?.handler).toBe(
      TOOL_POLICY.create_agent_knowledge_file_beta.handler,
    );
    expect(byName.get("remove_profile_from_list")?.handler).toBe(
      TOOL_POLICY.remove_profile_from_list.handler,
    );
    expect(byName.get("upload_image_from_file")?.handler).toBe(
      TOOL_POLICY.upload_image_from_file.handler,
    );
  });

  it("makes the core toolset of the tools marked core", () => {
    const marked = entries.filter(([, policy]) => policy.core).map(([name]) => name);
    expect([...CORE_TOOLS].sort()).toEqual(marked.sort());
    expect(CORE_TOOLS).toContain("get_profiles");
    expect(CORE_TOOLS).not.toContain("delete_list");
  });

  it("names, as checkWith, a read tool for a write, and the engine uses it", () => {
    const readers = readersOfWrites(everyTool);
    const named = entries.filter(([, policy]) => policy.checkWith);
    expect(named.length).toBeGreaterThan(0);
    for (const [name, policy] of named) {
      expect(byName.get(name)?.annotations.readOnlyHint, name).toBe(false);
      expect(byName.get(policy.checkWith ?? "")?.annotations.readOnlyHint, name).toBe(true);
      expect(readers.get(name), name).toBe(policy.checkWith);
    }
    // Without an entry, the GET of the same collection is found.
    expect(readers.get("create_list")).toBe("get_lists");
    expect(readers.get("subscribe_profiles")).toBe("get_profiles");
  });

  it("names, for a write that starts a job, the tool that reads that one job", () => {
    const jobs = readersOfJobs(allTools);
    expect(jobs.get("spawn_create_items_job")).toBe("get_create_items_job");
    expect(jobs.get("spawn_bulk_profile_import_job")).toBe("get_bulk_profile_import_job");
    // Not a job: a plain create has no job to poll.
    expect(jobs.has("create_list")).toBe(false);
    for (const [write, reader] of jobs) {
      expect(byName.get(reader)?.annotations.readOnlyHint, write).toBe(true);
    }
  });
});
