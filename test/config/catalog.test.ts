/**
 * --beta: the catalog the config asks for (src/config/catalog.ts, loadCatalog in src/config.ts),
 * and the option's rules. The beta definitions are counted as they load: without the flag,
 * nothing imports them.
 */
import { describe, expect, it, vi } from "vitest";
import { loadToolCatalog, STABLE_CATALOG } from "../../src/config/catalog.js";
import { ConfigError, helpText, loadCatalog, loadConfig } from "../../src/config.js";
import { BETA_ONLY_TOOLSETS, isBetaToolName } from "../../src/engine/surface/toolsets.js";
import { createLogger } from "../../src/logger.js";
import { createMcpServer } from "../../src/server.js";
import { allTools, toolGroups } from "../../tools/index.js";
import { BETA_ENDPOINT_COUNT, ENDPOINT_COUNT } from "../support/endpoints.js";

const betaLoads = vi.hoisted(() => ({ count: 0 }));
vi.mock("../../tools/beta/index.js", async (importOriginal) => {
  betaLoads.count++;
  return importOriginal();
});

const KEY = { KLAVIYO_API_KEY: "pk_test_0123456789abcdef" };

describe("without --beta", () => {
  // First in the file: nothing before it may have loaded the beta tools.
  it("serves the stable catalog, and never loads the beta definitions", async () => {
    const { config } = loadConfig([], KEY);
    expect(config.beta).toBe(false);
    expect(config.toolsets).toEqual([...toolGroups]);
    const catalog = await loadCatalog(config);
    expect(catalog).toBe(STABLE_CATALOG);
    createMcpServer({
      client: { request: () => Promise.reject(new Error("not called")) },
      logger: createLogger("silent"),
      allowFilePaths: false,
      ...config,
      definitions: catalog.definitions,
    });
    expect(betaLoads.count).toBe(0);
  });

  it("refuses beta-only toolsets and beta tools, saying to add --beta", () => {
    expect(() => loadConfig(["--toolsets", "profiles,brand"], KEY)).toThrow(
      new ConfigError(
        "Invalid KLAVIYO_TOOLSETS (--toolsets): brand is a toolset of beta tools: add --beta (KLAVIYO_BETA=true) to serve Klaviyo's beta operations.",
      ),
    );
    expect(() => loadConfig(["--tools", "get_lists,get_campaigns_beta"], KEY)).toThrow(
      "Invalid KLAVIYO_TOOLS (--tools): get_campaigns_beta is a beta tool: add --beta",
    );
    expect(() => loadConfig([], { ...KEY, KLAVIYO_EXCLUDE_TOOLS: "get_api_keys_beta" })).toThrow(
      "Invalid KLAVIYO_EXCLUDE_TOOLS (--exclude-tools): get_api_keys_beta is a beta tool",
    );
    // Not a beta name: the usual refusal, with the beta toolsets named as needing --beta.
    expect(() => loadConfig(["--toolsets", "brands"], KEY)).toThrow(
      /unknown toolset brands; choose from all, core, accounts.*\(with --beta also agents, brand, exports, sending_setup\)/,
    );
    expect(betaLoads.count).toBe(0);
  });
});

describe("--beta", () => {
  it("is a switch, off by default, from the flag or KLAVIYO_BETA", () => {
    expect(loadConfig(["--beta"], KEY).config.beta).toBe(true);
    expect(loadConfig([], { ...KEY, KLAVIYO_BETA: "true" }).config.beta).toBe(true);
    expect(loadConfig([], { ...KEY, KLAVIYO_BETA: "0" }).config.beta).toBe(false);
    expect(helpText()).toMatch(/--beta\s+KLAVIYO_BETA\s+Also serve Klaviyo's beta operations/);
  });

  it("serves every stable and beta tool, and every toolset by default or with all", async () => {
    for (const argv of [["--beta"], ["--beta", "--toolsets", "all"]]) {
      const { config } = loadConfig(argv, KEY);
      expect(config.toolsets).toEqual([...toolGroups, ...BETA_ONLY_TOOLSETS]);
      const catalog = await loadCatalog(config);
      expect(catalog.definitions).toHaveLength(ENDPOINT_COUNT + BETA_ENDPOINT_COUNT);
      expect(catalog.definitions.filter((tool) => tool.beta)).toHaveLength(BETA_ENDPOINT_COUNT);
      const names = catalog.definitions.map((tool) => tool.name);
      expect(names).toEqual([...names].sort());
    }
    expect(betaLoads.count).toBe(1);
  });

  it("accepts beta toolsets and tools, and refuses a beta name no tool has, with a suggestion", async () => {
    const { config } = loadConfig(
      ["--beta", "--toolsets", "brand", "--tools", "get_campaigns_beta"],
      KEY,
    );
    expect(config.toolsets).toEqual(["brand"]);
    await expect(loadCatalog(config)).resolves.toBeDefined();
    const typo = loadConfig(["--beta", "--tools", "get_brand_colour_beta"], KEY).config;
    await expect(loadCatalog(typo)).rejects.toThrow(
      new ConfigError("Invalid KLAVIYO_TOOLS (--tools): no tool is called get_brand_colour_beta."),
    );
    const near = loadConfig(["--beta", "--exclude-tools", "brand_colors_beta"], KEY).config;
    await expect(loadCatalog(near)).rejects.toThrow(
      "no tool is called brand_colors_beta (did you mean get_brand_colors_beta?)",
    );
  });

  it("refuses a selection that leaves no tool, once the beta tools are known", async () => {
    const { config } = loadConfig(
      ["--beta", "--toolsets", "exports", "--scopes", "lists:read"],
      KEY,
    );
    await expect(loadCatalog(config)).rejects.toThrow(/^No tool is left to serve/);
  });
});

describe("the beta names known without loading the beta tools", () => {
  it("BETA_ONLY_TOOLSETS are the beta toolsets no stable tool has", async () => {
    const beta = await loadToolCatalog(true);
    const betaGroups = new Set(beta.definitions.filter((t) => t.beta).map((t) => t.group));
    const stableGroups: readonly string[] = toolGroups;
    expect([...betaGroups].filter((g) => !stableGroups.includes(g)).sort()).toEqual([
      ...BETA_ONLY_TOOLSETS,
    ]);
    expect(beta.groups).toEqual([...new Set([...toolGroups, ...betaGroups])].sort());
  });

  it("a name is a beta tool's exactly when it ends in _beta", async () => {
    const beta = await loadToolCatalog(true);
    for (const tool of beta.definitions)
      expect(isBetaToolName(tool.name), tool.name).toBe(!!tool.beta);
    expect(allTools.some((tool) => isBetaToolName(tool.name))).toBe(false);
  });
});
