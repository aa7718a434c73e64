/**
 * The OAuth endpoints behind the HTTP transport's own checks: a wrong Host is refused, the
 * consent form only from this server's origin, bodies within the limit; public endpoints answer
 * CORS; /mcp points every refused request at the sign-in. The authorization server is a stub:
 * what is tested here is the HTTP layer around it.
 */
import { request as httpRequest } from "node:http";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import type { OAuthRequest } from "../../src/oauth/messages.js";
import { type HttpServerHandle, startHttpServer } from "../../src/transports/http.js";
import type { OAuthEndpoints } from "../../src/transports/oauth-http.js";

const seen: OAuthRequest[] = [];
const endpoints: OAuthEndpoints = {
  handles: (path) =>
    ["/authorize", "/register", "/token", "/.well-known/oauth-protected-resource/mcp"].includes(
      path,
    ),
  handle: async (request) => {
    seen.push(request);
    if (request.query.get("store") === "down") throw new Error("Connection is closed.");
    return { status: 200, json: { ok: true } };
  },
  authenticate: async (token) => {
    if (token === "store-down") throw new Error("Connection is closed.");
    return token === "good-access-token"
      ? { session: { clientId: "c", grantId: "g", accountId: "a", scopes: ["lists:read"] } }
      : { error: "The access token is not valid for this server." };
  },
  resourceMetadataUrl: "http://127.0.0.1/.well-known/oauth-protected-resource/mcp",
  scopes: ["lists:read", "profiles:read"],
  missingScopes: (_session, body) =>
    (body as { params?: { name?: string } })?.params?.name === "get_profiles"
      ? ["profiles:read"]
      : [],
};

let handle: HttpServerHandle;
let base: string;

beforeAll(async () => {
  handle = await startHttpServer({
    host: "127.0.0.1",
    port: 0,
    tokens: [],
    noAuth: false,
    oauth: endpoints,
    allowedOrigins: [],
    allowedHosts: [],
    maxBodyBytes: 1_024,
    shutdownTimeoutMs: 100,
    logger: createLogger("silent"),
    serverFor: () => new Server({ name: "test", version: "1" }, { capabilities: { tools: {} } }),
  });
  base = `http://127.0.0.1:${handle.port}`;
});
afterAll(() => handle?.close());

/** A raw request, so that Host can be set to anything. */
function raw(path: string, headers: Record<string, string>, method = "GET", body = "") {
  return new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("OAuth endpoints over HTTP", () => {
  it("refuses a Host that is not this server's (DNS rebinding), even on public endpoints", async () => {
    const refused = await raw("/.well-known/oauth-protected-resource/mcp", {
      Host: "evil.example",
    });
    expect(refused.status).toBe(403);
    const served = await fetch(`${base}/.well-known/oauth-protected-resource/mcp`);
    expect(served.status).toBe(200);
    expect(served.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("takes the consent form only from this server's origin", async () => {
    const form = { "Content-Type": "application/x-www-form-urlencoded" };
    const foreign = await fetch(`${base}/authorize`, {
      method: "POST",
      headers: { ...form, Origin: "https://evil.example" },
      body: "id=x&decision=allow",
    });
    expect(foreign.status).toBe(403);
    const own = await fetch(`${base}/authorize`, {
      method: "POST",
      headers: { ...form, Origin: base },
      body: "id=x&decision=allow",
    });
    expect(own.status).toBe(200);
    expect(seen.at(-1)?.form?.get("decision")).toBe("allow");
  });

  it("keeps bodies within the limit, and reads forms and JSON", async () => {
    const big = await fetch(`${base}/register`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ client_name: "x".repeat(2_000) }),
    });
    expect(big.status).toBe(413);
    const bad = await fetch(`${base}/token`, {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: "grant_type=x",
    });
    expect(bad.status).toBe(415);
    await fetch(`${base}/register`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ client_name: "ok" }),
    });
    expect(seen.at(-1)?.json).toEqual({ client_name: "ok" });
  });

  it("answers every refused /mcp request with where to sign in", async () => {
    const post = (
      authorization?: string,
      body: object = { jsonrpc: "2.0", id: 1, method: "tools/list" },
    ) =>
      fetch(`${base}/mcp`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json, text/event-stream",
          ...(authorization ? { Authorization: authorization } : {}),
        },
        body: JSON.stringify(body),
      });
    for (const [authorization, error] of [
      [undefined, undefined],
      ["Bearer not-issued-here", "invalid_token"],
      ["Basic abc", "invalid_token"],
    ] as const) {
      const response = await post(authorization);
      expect(response.status).toBe(401);
      const challenge = response.headers.get("www-authenticate") ?? "";
      expect(challenge).toContain(`resource_metadata="${endpoints.resourceMetadataUrl}"`);
      expect(challenge).toContain('scope="lists:read profiles:read"');
      if (error) expect(challenge).toContain(`error="${error}"`);
      else expect(challenge).not.toContain("error=");
    }
    const beyond = await post("Bearer good-access-token", {
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "get_profiles", arguments: {} },
    });
    expect(beyond.status).toBe(403);
    expect(beyond.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    expect(beyond.headers.get("www-authenticate")).toContain('scope="lists:read profiles:read"');
  });

  it("answers 503, retryable, when the sign-in state (Redis) is away", async () => {
    const endpoint = await fetch(`${base}/.well-known/oauth-protected-resource/mcp?store=down`);
    expect(endpoint.status).toBe(503);
    expect(((await endpoint.json()) as { error: string }).error).toBe("temporarily_unavailable");
    const mcp = await fetch(`${base}/mcp`, {
      method: "POST",
      headers: { Authorization: "Bearer store-down", "Content-Type": "application/json" },
      body: "{}",
    });
    expect(mcp.status).toBe(503);
    expect(mcp.headers.get("retry-after")).toBe("1");
  });

  it("does not count discovery (a request without a token) as a failed login", async () => {
    const statuses = new Set<number>();
    for (let i = 0; i < 25; i++) {
      const response = await fetch(`${base}/mcp`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json, text/event-stream",
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
      });
      statuses.add(response.status);
    }
    expect([...statuses]).toEqual([401]);
  });

  // Last: it uses up this address's allowance.
  it("limits registrations and refused token requests per address, with Retry-After", async () => {
    const register = () =>
      fetch(`${base}/register`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ client_name: "flood" }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await register()).status);
    expect(statuses.slice(0, 25).every((status) => status === 200)).toBe(true);
    const limited = await register();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
