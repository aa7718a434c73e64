import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { replaceRegion, table } from "../../scripts/docs/markdown.js";
import { meaningTable, optionsTable } from "../../scripts/docs/options-table.js";
import { firstSentence, rateLimit, toolReference } from "../../scripts/docs/tool-reference.js";
import { renderDocs, staleDocs } from "../../scripts/docs.js";
import { OPTIONS } from "../../src/config.js";
import type { ToolDefinition } from "../../src/engine/definition.js";
import { allTools } from "../../tools/index.js";

const ROOT = resolve(import.meta.dirname, "../..");

describe("replaceRegion", () => {
  const doc = [
    "before",
    "<!-- BEGIN GENERATED t: npm run docs -->",
    "old",
    "<!-- END GENERATED t -->",
    "after",
    "",
  ].join("\n");

  it("replaces only what lies between the markers", () => {
    expect(replaceRegion(doc, "t", "new\n\n")).toBe(
      [
        "before",
        "<!-- BEGIN GENERATED t: npm run docs -->",
        "new",
        "<!-- END GENERATED t -->",
        "after",
        "",
      ].join("\n"),
    );
  });

  it("refuses a region that is missing, repeated or backwards", () => {
    expect(() => replaceRegion(doc, "other", "x")).toThrow(/found 0 and 0/);
    expect(() => replaceRegion(doc + doc, "t", "x")).toThrow(/found 2 and 2/);
    const backwards = "<!-- END GENERATED t -->\n<!-- BEGIN GENERATED t -->\n";
    expect(() => replaceRegion(backwards, "t", "x")).toThrow(/before its BEGIN/);
  });
});

describe("tables", () => {
  it("escape pipes and fold line breaks, so that a value cannot break its row", () => {
    expect(
      table(
        ["A", "B"],
        [
          ["x | y", "one\n  two"],
          ["", "z"],
        ],
      ),
    ).toBe("| A | B |\n|---|---|\n| x \\| y | one two |\n| | z |");
  });

  it("render each option's variable, flag, default and meaning", () => {
    const rows = optionsTable(OPTIONS).split("\n");
    expect(rows).toHaveLength(OPTIONS.length + 2);
    expect(rows).toContain(
      "| `KLAVIYO_MCP_PORT` | `--port` | `3000` | Port (0: a free one, printed at start). |",
    );
    expect(rows).toContain(
      "| (none) | `--no-auth` | `false` | No bearer token needed; loopback only. |",
    );
    expect(rows.find((r) => r.startsWith("| `KLAVIYO_API_KEY`"))).toContain("| (none: sandbox) |");
    expect(rows.find((r) => r.startsWith("| `KLAVIYO_TOOLS`"))).toMatch(
      /^\| [^|]+ \| [^|]+ \| \| /,
    );
  });

  it("render a section's subset with variable and meaning only", () => {
    const scopes = OPTIONS.filter((o) => o.flag === "scopes");
    expect(meaningTable(scopes)).toBe(
      "| Variable | Meaning |\n|---|---|\n| `KLAVIYO_SCOPES` | The API key's scopes (`profiles:read,lists:write`): expose only the tools they allow (write grants read). |",
    );
  });
});

describe("tool reference", () => {
  const tool = (name: string): ToolDefinition => {
    const found = allTools.find((t) => t.name === name);
    if (!found) throw new Error(name);
    return found;
  };

  it("keeps a description's first sentence, not stopping at e.g.", () => {
    expect(firstSentence("Create it (e.g. a list). Then wait.")).toBe("Create it (e.g. a list).");
    expect(firstSentence("One sentence, e.g. this one.")).toBe("One sentence, e.g. this one.");
    expect(firstSentence("Ends at 1.5 kg? No. Yes.")).toBe("Ends at 1.5 kg?");
  });

  it("states windows, the daily cap and the limits a parameter tightens", () => {
    expect(rateLimit({ burst: "3/s", steady: "100/m", daily: "500/d" })).toBe("3/s, 100/m, 500/d");
    expect(
      rateLimit({
        burst: "75/s",
        steady: "750/m",
        conditions: [{ parameter: "include", value: "lists", burst: "1/s", steady: "15/m" }],
      }),
    ).toBe("75/s, 750/m; 1/s, 15/m *with* `include=lists`");
    expect(rateLimit({})).toBe("(none stated)");
  });

  it("gives each tool a row in its toolset: kind, scopes, rate limit, core mark", () => {
    const read = {
      ...tool("get_lists"),
      description: "Lists things. More detail.",
      scopes: ["lists:read"],
      rateLimit: { burst: "1/s", steady: "2/m" },
    };
    const destructive = {
      ...tool("delete_list"),
      description: "Deletes one.",
      scopes: ["lists:write"],
      rateLimit: { burst: "3/s", steady: "4/m" },
    };
    const write = {
      ...tool("create_client_subscription"),
      name: "made_up_write",
      group: "client",
      description: "Writes.",
      scopes: ["subscriptions:write"],
      rateLimit: { burst: "5/s", steady: "6/m" },
    };
    const doc = toolReference({
      tools: [destructive, read, write],
      groups: ["lists", "client"],
      core: new Set(["get_lists"]),
      catalogTools: ["search_tools", "describe_tool", "call_tool"],
    });
    expect(doc).toContain(
      "3 tools in 2 toolsets (`KLAVIYO_TOOLSETS`). ★ marks the 1 tools of the `core` toolset.",
    );
    expect(doc).toContain("`search_tools`, `describe_tool` and `call_tool` reach them instead.");
    expect(doc).toContain("| [lists](#lists) | 2 | 1 |\n| [client](#client) | 1 | 0 |");
    expect(doc).toContain(
      "## lists\n\n| Tool | What it does | Kind | Scopes | Rate limit |\n|---|---|---|---|---|\n" +
        "| `delete_list` | Deletes one. | destructive | `lists:write` | 3/s, 4/m |\n" +
        "| `get_lists` ★ | Lists things. | read | `lists:read` | 1/s, 2/m |",
    );
    expect(doc).toContain(
      "| `made_up_write` | Writes. | write | `subscriptions:write`; *public key* | 5/s, 6/m |",
    );
  });
});

describe("npm run check:docs", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("finds the docs stale until they are regenerated", () => {
    dir = mkdtempSync(join(tmpdir(), "docs-check-"));
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const edited = replaceRegion(readme, "options", "| an outdated table |");
    writeFileSync(join(dir, "README.md"), edited);
    expect(staleDocs(dir)).toEqual(["README.md", "docs/tools.md", "docs/beta-tools.md"]);

    mkdirSync(join(dir, "docs"));
    for (const [path, text] of renderDocs(dir)) writeFileSync(join(dir, path), text);
    expect(staleDocs(dir)).toEqual([]);
    const regenerated = readFileSync(join(dir, "README.md"), "utf8");
    expect(regenerated).not.toContain("an outdated table");
    // Hand-written text outside the regions is kept as it was.
    expect(regenerated).toBe(renderDocs(ROOT).get("README.md"));
  });
});
