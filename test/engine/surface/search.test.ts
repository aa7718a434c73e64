/**
 * search_tools' ranking rules and answers, one by one (the evaluation over users' requests is
 * search-eval.test.ts): the verb picks the action, near twins are told apart.
 */
import { describe, expect, it } from "vitest";
import { searchTools } from "../../../src/engine/surface/catalog-mode.js";
import { rankTools } from "../../../src/engine/surface/search.js";
import { betaTools } from "../../../tools/beta/index.js";
import { allTools } from "../../../tools/index.js";
import { STABLE_SEARCH_CATALOG } from "../../support/search-catalog.js";

const top = (query: string, tools = allTools) =>
  rankTools(tools, query)
    .slice(0, 3)
    .map((tool) => tool.name);

const answer = (args: Record<string, unknown>) =>
  JSON.parse((searchTools(args, STABLE_SEARCH_CATALOG).content[0] as { text: string }).text) as {
    tools: Array<Record<string, unknown>>;
    total: number;
  };

describe("rankTools", () => {
  it("takes the request's verb as the action, not as a word of the things", () => {
    expect(top("list profiles")[0]).toBe("get_profiles");
    expect(top("get rid of a coupon")[0]).toBe("delete_coupon");
    expect(top("is the welcome flow live?")).toContain("get_flow");
  });

  it("meets everyday words with Klaviyo's names", () => {
    expect(top("turn off a flow")[0]).toBe("update_flow_status");
    expect(top("import a spreadsheet of contacts")[0]).toBe("spawn_bulk_profile_import_job");
    expect(top("how many people will this campaign reach")[0]).toBe(
      "get_campaign_recipient_estimation",
    );
    expect(top("make a discount code")).toContain("create_coupon_code");
  });

  it("puts a full read above its ids-only twin, and a stable tool above its beta twin", () => {
    const ranked = rankTools(allTools, "profiles in a list").map((tool) => tool.name);
    expect(ranked.indexOf("get_list_profiles")).toBeLessThan(
      ranked.indexOf("get_list_relationships_profiles"),
    );
    const withBeta = [...allTools, ...betaTools];
    const twin = betaTools.find((tool) => tool.beta?.stableTwin === "get_campaigns");
    if (twin) {
      const both = rankTools(withBeta, "show campaigns").map((tool) => tool.name);
      expect(both.indexOf("get_campaigns")).toBeLessThan(both.indexOf(twin.name));
    }
  });

  it("keeps to the accepted tools", () => {
    const lists = rankTools(allTools, "delete", (tool) => tool.group === "lists");
    expect(lists.length).toBeGreaterThan(0);
    expect(lists.every((tool) => tool.group === "lists")).toBe(true);
  });
});

describe("search_tools answers", () => {
  it("say which twin does what, and read-only or destructive", () => {
    const { tools } = answer({ query: "ids of the profiles in a list", limit: 10 });
    expect(tools.find((t) => t.name === "get_list_relationships_profiles")).toMatchObject({
      read_only: true,
      note: "ids only; get_list_profiles gives the full resources",
    });
    const jobs = answer({ query: "import contacts in bulk", limit: 10 }).tools;
    expect(jobs.find((t) => t.name === "spawn_bulk_profile_import_job")?.note).toBe(
      "starts a background job; get_bulk_profile_import_job reads its progress",
    );
    const deletes = answer({ query: "delete a list", limit: 3 }).tools;
    expect(deletes.find((t) => t.name === "delete_list")).toMatchObject({ destructive: true });
  });

  it("list a resource's tools by name when there is no query", () => {
    const { tools } = answer({ resource: "reviews" });
    expect(tools.map((t) => t.name)).toEqual(["get_review", "get_reviews", "update_review"]);
  });
});
