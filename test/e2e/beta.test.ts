/**
 * The built CLI with --beta (dist/): over real stdio in the sandbox, tools/list has the beta
 * tools beside the stable ones only with the flag, and a beta toolset without it is refused in
 * one line before anything starts.
 */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { describe, expect, it } from "vitest";
import { BETA_ENDPOINT_COUNT, ENDPOINT_COUNT } from "../support/endpoints.js";

const CLI = resolve(import.meta.dirname, "../../dist/src/cli.js");
const ENV = { PATH: process.env.PATH ?? "", LOG_LEVEL: "silent" };

async function listedTools(args: string[]) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, ...args],
    env: ENV,
    stderr: "pipe",
  });
  const client = new Client({ name: "e2e-beta", version: "1.0.0" });
  await client.connect(transport);
  try {
    return (await client.listTools()).tools;
  } finally {
    await client.close();
  }
}

describe("klaviyo-mcp --sandbox --beta", () => {
  it("lists the stable and the beta tools, the beta ones marked", async () => {
    const tools = await listedTools(["--sandbox", "--beta"]);
    expect(tools).toHaveLength(ENDPOINT_COUNT + BETA_ENDPOINT_COUNT);
    const beta = tools.filter((tool) => tool._meta?.["klaviyo/beta"] === true);
    expect(beta).toHaveLength(BETA_ENDPOINT_COUNT);
    expect(beta.every((tool) => tool.name.endsWith("_beta"))).toBe(true);
  });

  it("lists only the stable tools without the flag", async () => {
    const tools = await listedTools(["--sandbox"]);
    expect(tools).toHaveLength(ENDPOINT_COUNT);
    expect(tools.some((tool) => tool._meta !== undefined)).toBe(false);
  });

  it("refuses a beta toolset without --beta in one line, saying to add it", () => {
    const result = spawnSync(process.execPath, [CLI, "--sandbox", "--toolsets", "agents"], {
      env: ENV,
      encoding: "utf8",
      timeout: 10_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("agents is a toolset of beta tools: add --beta");
  });
});
