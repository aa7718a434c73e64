import { describe, expect, it } from "vitest";
import { OPTION_DECLARATIONS } from "../../src/config/options.js";
import { loadConfig, OPTIONS } from "../../src/config.js";
import { DEFAULT_RESULT_OPTIONS } from "../../src/engine/call/result-options.js";
import { DEFAULT_BASE_URL } from "../../src/klaviyo/client.js";

describe("option declarations", () => {
  it("declare each flag and variable once", () => {
    const flags = OPTIONS.map((o) => o.flag);
    const envs = OPTIONS.flatMap((o) => (o.env ? [o.env] : []));
    expect(new Set(flags).size).toBe(flags.length);
    expect(new Set(envs).size).toBe(envs.length);
    expect(flags).not.toContain("help");
    expect(flags).not.toContain("version");
  });

  it("are the config's keys, in declaration order", () => {
    expect(OPTIONS.map((o) => o.key)).toEqual(Object.keys(OPTION_DECLARATIONS));
    const { config } = loadConfig(["--http"], {});
    expect(Object.keys(config).sort()).toEqual(OPTIONS.map((o) => o.key).sort());
  });

  it("take their defaults from the code that owns them", () => {
    const { config } = loadConfig([], {});
    expect(config.baseUrl).toBe(DEFAULT_BASE_URL);
    expect(config.resultBudgetTokens).toBe(DEFAULT_RESULT_OPTIONS.budgetTokens);
    expect(config.structuredContent).toBe(DEFAULT_RESULT_OPTIONS.structuredContent);
    expect(config.markUntrusted).toBe(DEFAULT_RESULT_OPTIONS.markUntrusted);
  });

  it("make a switch of every boolean option: the flag alone turns it on", () => {
    const switches = OPTIONS.filter((o) => o.switch);
    expect(switches.map((o) => o.flag)).toEqual([
      "read-only",
      "beta",
      "structured-content",
      "mark-untrusted",
      "sandbox",
      "http",
      "no-auth",
      "oauth",
    ]);
    for (const option of switches) {
      const argv = option.http ? ["--http", `--${option.flag}`] : [`--${option.flag}`];
      // OAuth needs an app, or the sandbox's.
      if (option.flag === "oauth") argv.push("--sandbox");
      const env = option.env ? { [option.env]: "false" } : {};
      expect(loadConfig(argv, env).config[option.key], option.flag).toBe(true);
    }
  });

  it("give every option a README meaning, and a Default cell where the default does not say it", () => {
    for (const option of OPTIONS) {
      expect(option.readme.meaning.length, option.flag).toBeGreaterThan(10);
    }
    const withoutDefault = OPTIONS.filter((o) => o.default === undefined && !o.readme.default);
    expect(withoutDefault.map((o) => o.flag)).toEqual([
      "public-key",
      "tools",
      "exclude-tools",
      "scopes",
      "oauth-client-id",
      "oauth-client-secret",
      "oauth-encryption-key",
    ]);
  });
});
