import { describe, expect, it } from "vitest";
import {
  isLoopbackHost,
  originPolicy,
  refusedOrigin,
  TokenChecker,
} from "../../src/transports/http-security.js";

describe("isLoopbackHost", () => {
  it.each(["127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]"])(
    "%s is loopback",
    (h) => expect(isLoopbackHost(h)).toBe(true),
  );
  it.each(["0.0.0.0", "::", "10.0.0.5", "example.com", "localhost.example.com", "128.0.0.1"])(
    "%s is not",
    (h) => expect(isLoopbackHost(h)).toBe(false),
  );
});

describe("Host and Origin checks", () => {
  const loopback = originPolicy({
    host: "127.0.0.1",
    port: 3000,
    allowedHosts: [],
    allowedOrigins: [],
  });

  it("on loopback accepts loopback Host names with any port, and no Origin", () => {
    for (const host of ["127.0.0.1:3000", "localhost:3000", "[::1]:3000", "localhost"]) {
      expect(refusedOrigin(loopback, host, undefined)).toBeUndefined();
    }
  });

  it("on loopback refuses other Host names (DNS rebinding) and a missing Host", () => {
    expect(refusedOrigin(loopback, "attacker.example:3000", undefined)).toMatch(/Host 'attacker/);
    expect(refusedOrigin(loopback, undefined, undefined)).toMatch(/Host ''/);
  });

  it("accepts the server's own origins and configured ones, refuses the rest and 'null'", () => {
    expect(refusedOrigin(loopback, "localhost:3000", "http://localhost:3000")).toBeUndefined();
    expect(refusedOrigin(loopback, "localhost:3000", "http://localhost:5173")).toMatch(/Origin/);
    expect(refusedOrigin(loopback, "localhost:3000", "https://evil.example")).toMatch(
      /KLAVIYO_MCP_ALLOWED_ORIGINS/,
    );
    expect(refusedOrigin(loopback, "localhost:3000", "null")).toMatch(/Origin 'null'/);
    const withApp = originPolicy({
      host: "127.0.0.1",
      port: 3000,
      allowedHosts: [],
      allowedOrigins: ["https://app.example.com"],
    });
    expect(refusedOrigin(withApp, "localhost:3000", "https://app.example.com")).toBeUndefined();
    expect(refusedOrigin(withApp, "localhost:3000", "HTTPS://APP.EXAMPLE.COM")).toBeUndefined();
  });

  it("off loopback checks Host only once hosts are configured, and always checks Origin", () => {
    const open = originPolicy({ host: "0.0.0.0", port: 80, allowedHosts: [], allowedOrigins: [] });
    expect(refusedOrigin(open, "mcp.example.com", undefined)).toBeUndefined();
    expect(refusedOrigin(open, "mcp.example.com", "http://localhost:80")).toMatch(/Origin/);
    const named = originPolicy({
      host: "0.0.0.0",
      port: 80,
      allowedHosts: ["mcp.example.com:443"],
      allowedOrigins: [],
    });
    expect(refusedOrigin(named, "mcp.example.com", undefined)).toBeUndefined();
    expect(refusedOrigin(named, "10.0.0.7:80", undefined)).toMatch(/ALLOWED_HOSTS/);
  });
});

describe("TokenChecker", () => {
  const checker = new TokenChecker(["first-token-0123456789", "second-token-0123456789"]);

  it("accepts any configured token, with any case of 'Bearer'", () => {
    expect(checker.check("Bearer first-token-0123456789")).toBe("ok");
    expect(checker.check("bearer second-token-0123456789")).toBe("ok");
  });

  it("tells missing, malformed and invalid apart", () => {
    expect(checker.check(undefined)).toBe("missing");
    expect(checker.check("")).toBe("missing");
    expect(checker.check("Basic dXNlcjpwYXNz")).toBe("malformed");
    expect(checker.check("Bearer a b")).toBe("malformed");
    expect(checker.check("Bearer first-token-012345678")).toBe("invalid");
    expect(checker.check("Bearer first-token-01234567890")).toBe("invalid");
  });

  it("is disabled without tokens", () => {
    expect(new TokenChecker([]).enabled).toBe(false);
    expect(new TokenChecker([]).check("Bearer anything-at-all-123")).toBe("invalid");
  });
});
