import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const CLI = resolve(ROOT, "dist/src/cli.js");

function run(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
    timeout: 10_000,
  });
}

describe("klaviyo-mcp command line", () => {
  it("--sandbox wins over a key, and says which settings it ignores", () => {
    const result = spawnSync(process.execPath, [CLI, "--sandbox"], {
      env: {
        PATH: process.env.PATH ?? "",
        KLAVIYO_API_KEY: "pk_secret_abc",
        KLAVIYO_BASE_URL: "http://127.0.0.1:9",
        LOG_LEVEL: "silent",
      },
      input: "",
      encoding: "utf8",
      timeout: 10_000,
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(
      /^klaviyo-mcp: SANDBOX MODE \(KLAVIYO_BASE_URL http:\/\/127\.0\.0\.1:9 is not used\)/,
    );
    expect(result.stderr).not.toContain("pk_secret_abc");
  });

  it("rejects a bad emulator option in one line", () => {
    const result = run(["emulator", "--port", "abc"]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("--port");
  });

  it("rejects a bad option in one line, naming it", () => {
    const result = run(["--toolsets", "nope"], { KLAVIYO_API_KEY: "pk_secret_abc" });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("--toolsets");
    expect(result.stderr).not.toContain("pk_secret_abc");
  });

  it("prints help and version", () => {
    const help = run(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("KLAVIYO_API_KEY");
    const pkg = JSON.parse(readFileSync(resolve(ROOT, "package.json"), "utf8"));
    expect(run(["--version"]).stdout.trim()).toBe(pkg.version);
  });

  it("ships an mcp.json that launches the bin's entry over stdio", () => {
    const pkg = JSON.parse(readFileSync(resolve(ROOT, "package.json"), "utf8"));
    const mcp = JSON.parse(readFileSync(resolve(ROOT, "mcp.json"), "utf8"));
    const entry = mcp.mcpServers.klaviyo;
    expect(entry.command).toBe("node");
    expect(entry.args[0].endsWith(pkg.bin["klaviyo-mcp"])).toBe(true);
    expect(Object.keys(entry.env)).toContain("KLAVIYO_API_KEY");
  });
});
