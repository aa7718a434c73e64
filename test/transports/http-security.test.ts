import { describe, expect, it } from "vitest";
import {
  addressKey,
  clientAddress,
  isLoopbackHost,
  originPolicy,
  parseSubnet,
  proxyList,
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

describe("client addresses", () => {
  const proxies = proxyList(["10.0.0.0/8", "fd00::/8", "192.0.2.1"]);

  it("parses addresses and subnets, and refuses anything else", () => {
    expect(parseSubnet("10.0.0.0/8")).toEqual({ address: "10.0.0.0", prefix: 8, family: "ipv4" });
    expect(parseSubnet("::1")).toEqual({ address: "::1", prefix: 128, family: "ipv6" });
    for (const bad of ["10.0.0.0/33", "10.0.0/8", "example.com", "10.0.0.0/8/1", "1.2.3.4/x"]) {
      expect(parseSubnet(bad)).toBeUndefined();
    }
  });

  it("reads X-Forwarded-For from the right, only from trusted proxies", () => {
    // Not from a proxy: the header is whatever the client wrote, so it is ignored.
    expect(clientAddress("203.0.113.9", "198.51.100.1", proxies)).toBe("203.0.113.9");
    expect(clientAddress("203.0.113.9", "198.51.100.1", undefined)).toBe("203.0.113.9");
    // Through two proxies: the first address not trusted, however much the client prepends.
    expect(clientAddress("10.0.0.2", "1.1.1.1, 203.0.113.9, 10.0.0.7", proxies)).toBe(
      "203.0.113.9",
    );
    expect(clientAddress("::ffff:10.0.0.2", ["203.0.113.9", "10.0.0.7"], proxies)).toBe(
      "203.0.113.9",
    );
    expect(clientAddress("10.0.0.2", "garbage, 10.0.0.7", proxies)).toBe("10.0.0.7");
    expect(clientAddress("10.0.0.2", undefined, proxies)).toBe("10.0.0.2");
  });

  it("counts IPv6 clients by their /64, and IPv4-mapped ones as IPv4", () => {
    expect(addressKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:0db8:0001:0002:bbbb:cccc:dddd:eeee")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8::5")).toBe("2001:db8:0:0::/64");
    expect(addressKey("::ffff:192.0.2.4")).toBe("192.0.2.4");
    expect(addressKey("192.0.2.4")).toBe("192.0.2.4");
  });
});
