import { describe, expect, it } from "vitest";
import { ConfigError, helpText, loadConfig, OPTIONS } from "../src/config.js";
import { toolGroups } from "../tools/index.js";

describe("config", () => {
  it("has safe defaults", () => {
    const { config } = loadConfig([], { KLAVIYO_API_KEY: "pk_x" });
    expect(config).toMatchObject({
      apiKey: "pk_x",
      baseUrl: "https://a.klaviyo.com", // the default (never called in tests)
      revision: "2026-07-15",
      readOnly: false,
      logLevel: "info",
      timeoutMs: 30000,
    });
    expect(config.toolsets).toEqual([...toolGroups]);
  });

  it("reads the environment and lets flags win", () => {
    const env = {
      KLAVIYO_API_KEY: "pk_env",
      KLAVIYO_BASE_URL: "http://127.0.0.1:9999/",
      KLAVIYO_TOOLSETS: "Profiles, lists",
      KLAVIYO_READ_ONLY: "yes",
      KLAVIYO_REVISION: "2025-01-15",
    };
    const { config } = loadConfig(["--toolsets", "data-privacy", "--log-level", "debug"], env);
    expect(config.baseUrl).toBe("http://127.0.0.1:9999");
    expect(config.toolsets).toEqual(["data_privacy"]);
    expect(config.readOnly).toBe(true);
    expect(config.revision).toBe("2025-01-15");
    expect(config.logLevel).toBe("debug");
    expect(loadConfig(["--read-only"], {}).config.readOnly).toBe(true);
    expect(loadConfig([], { KLAVIYO_TOOLSETS: "profiles,lists" }).config.toolsets).toEqual([
      "profiles",
      "lists",
    ]);
  });

  it("explains bad values with the variable and flag names", () => {
    expect(() => loadConfig([], { KLAVIYO_TOOLSETS: "profiles,nope" })).toThrow(
      /KLAVIYO_TOOLSETS \(--toolsets\): unknown toolset nope; choose from all, accounts/,
    );
    expect(() => loadConfig([], { KLAVIYO_BASE_URL: "ftp://x" })).toThrow(/KLAVIYO_BASE_URL/);
    expect(() => loadConfig([], { KLAVIYO_READ_ONLY: "maybe" })).toThrow(/KLAVIYO_READ_ONLY/);
    expect(() => loadConfig([], { KLAVIYO_TIMEOUT_MS: "fast" })).toThrow(/KLAVIYO_TIMEOUT_MS/);
    expect(() => loadConfig(["--bogus"], {})).toThrow(ConfigError);
    expect(() => loadConfig(["--bogus"], {})).toThrow(/--help/);
  });

  it("never echoes a key in its errors", () => {
    try {
      loadConfig(["--api-key", "pk_secret_123", "--timeout-ms", "nope"], {});
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain("pk_secret_123");
    }
  });

  it("documents every option in --help", () => {
    const help = helpText();
    for (const option of OPTIONS) {
      expect(help).toContain(`--${option.flag}`);
      expect(help).toContain(option.env);
    }
  });
});
