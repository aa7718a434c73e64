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
    const { config } = loadConfig(
      ["--toolsets", "data-privacy,lists", "--log-level", "debug"],
      env,
    );
    expect(config.baseUrl).toBe("http://127.0.0.1:9999");
    expect(config.toolsets).toEqual(["data_privacy", "lists"]);
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
      /KLAVIYO_TOOLSETS \(--toolsets\): unknown toolset nope; choose from all, core, accounts/,
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
      if (option.env) expect(help).toContain(option.env);
    }
  });
});

describe("HTTP config", () => {
  it("defaults to stdio; --http serves on 127.0.0.1:3000 with secure defaults", () => {
    expect(loadConfig([], {}).config.http).toBe(false);
    const { config } = loadConfig(["--http"], {});
    expect(config).toMatchObject({
      http: true,
      host: "127.0.0.1",
      port: 3000,
      tokens: [],
      noAuth: false,
      allowedOrigins: [],
      allowedHosts: [],
      maxBodyBytes: 8 * 1024 * 1024,
      clientKeys: "optional",
      shutdownTimeoutMs: 20000,
    });
  });

  it("reads lists from the environment", () => {
    const { config } = loadConfig(["--http", "--host", "0.0.0.0"], {
      KLAVIYO_MCP_TOKENS: " first-token-0123456789 , second-token-0123456789 ,",
      KLAVIYO_MCP_ALLOWED_ORIGINS: "https://app.example.com/, http://localhost:6274",
      KLAVIYO_MCP_ALLOWED_HOSTS: "MCP.example.com, mcp.example.com:8443",
      KLAVIYO_MCP_PORT: "0",
    });
    expect(config.tokens).toEqual(["first-token-0123456789", "second-token-0123456789"]);
    expect(config.allowedOrigins).toEqual(["https://app.example.com", "http://localhost:6274"]);
    expect(config.allowedHosts).toEqual(["mcp.example.com", "mcp.example.com:8443"]);
    expect(config.port).toBe(0);
  });

  it("refuses set-ups that expose an account", () => {
    expect(() => loadConfig(["--http", "--host", "0.0.0.0"], {})).toThrow(
      /Refusing to listen on 0\.0\.0\.0 without authentication/,
    );
    expect(() => loadConfig(["--http", "--host", "10.1.2.3", "--no-auth"], {})).toThrow(
      /--no-auth is only allowed on a loopback host/,
    );
    expect(() =>
      loadConfig(["--http", "--no-auth"], { KLAVIYO_MCP_TOKENS: "first-token-0123456789" }),
    ).toThrow(/contradict/);
    expect(loadConfig(["--http", "--no-auth", "--host", "localhost"], {}).config.noAuth).toBe(true);
  });

  it("has no environment variable for --no-auth: it must be typed", () => {
    expect(OPTIONS.find((o) => o.flag === "no-auth")?.env).toBeUndefined();
    expect(loadConfig(["--http"], { KLAVIYO_MCP_NO_AUTH: "true" }).config.noAuth).toBe(false);
  });

  it("explains bad HTTP values", () => {
    expect(() => loadConfig(["--http"], { KLAVIYO_MCP_TOKENS: "short" })).toThrow(
      /KLAVIYO_MCP_TOKENS \(--tokens\): each token must be at least 16 characters/,
    );
    expect(() => loadConfig(["--http"], { KLAVIYO_MCP_ALLOWED_ORIGINS: "evil.example" })).toThrow(
      /'evil.example' is not an origin/,
    );
    expect(() =>
      loadConfig(["--http"], { KLAVIYO_MCP_ALLOWED_ORIGINS: "https://a.example/path" }),
    ).toThrow(/not an origin/);
    expect(() => loadConfig(["--http", "--port", "70000"], {})).toThrow(/KLAVIYO_MCP_PORT/);
    expect(() => loadConfig(["--http", "--host", "http://0.0.0.0"], {})).toThrow(/no scheme/);
    expect(() => loadConfig(["--http", "--client-keys", "maybe"], {})).toThrow(
      /KLAVIYO_MCP_CLIENT_KEYS/,
    );
  });

  it("rejects HTTP flags without --http, and ignores their variables", () => {
    expect(() => loadConfig(["--port", "8080"], {})).toThrow(
      /--port is an HTTP option: add --http/,
    );
    expect(() => loadConfig(["--no-auth"], {})).toThrow(/--no-auth is an HTTP option/);
    expect(loadConfig([], { KLAVIYO_MCP_HOST: "0.0.0.0" }).config.http).toBe(false);
  });

  it("never echoes a token in its errors", () => {
    try {
      loadConfig(["--http", "--host", "0.0.0.0"], {
        KLAVIYO_MCP_TOKENS: "good-token-0123456789,bad",
      });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain("good-token-0123456789");
    }
  });
});

describe("config: sign-in with Klaviyo (OAuth)", () => {
  const app = {
    KLAVIYO_OAUTH_CLIENT_ID: "app-id",
    KLAVIYO_OAUTH_CLIENT_SECRET: "app-secret-value",
  };
  const remote = ["--http", "--host", "0.0.0.0"];

  it("is on when the Klaviyo app's id and secret are set, off otherwise", () => {
    expect(loadConfig(["--http"], app).config.oauth).toBe(true);
    expect(loadConfig(["--http"], {}).config.oauth).toBe(false);
    expect(loadConfig(["--http", "--oauth", "--sandbox"], {}).config.oauth).toBe(true);
  });

  it("refuses set-ups that cannot work or would leak tokens, saying what to set", () => {
    expect(() => loadConfig(["--http", "--oauth"], {})).toThrow(/KLAVIYO_OAUTH_CLIENT_ID/);
    expect(() => loadConfig(remote, app)).toThrow(/KLAVIYO_MCP_PUBLIC_URL/);
    expect(() =>
      loadConfig(remote, { ...app, KLAVIYO_MCP_PUBLIC_URL: "http://mcp.example.com" }),
    ).toThrow(/must be https/);
    expect(() =>
      loadConfig(["--http"], { ...app, KLAVIYO_MCP_REDIS_URL: "redis://127.0.0.1:6379" }),
    ).toThrow(/KLAVIYO_OAUTH_ENCRYPTION_KEY/);
    expect(() => loadConfig(["--http", "--no-auth"], app)).toThrow(/contradict/);
    // A remote OAuth deployment needs no static tokens.
    const ok = loadConfig(remote, { ...app, KLAVIYO_MCP_PUBLIC_URL: "https://mcp.example.com/" });
    expect(ok.config.publicUrl).toBe("https://mcp.example.com");
    // The secret is never echoed in a refusal.
    expect(() => loadConfig(remote, app)).not.toThrow(/app-secret-value/);
  });
});
