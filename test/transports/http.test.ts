/**
 * The streamable HTTP server as `klaviyo-mcp --http` builds it, against the sandbox: the SDK's
 * own StreamableHTTPClientTransport lists and calls tools, and every refusal is asserted with
 * raw requests. All logs are captured, and neither they nor any response may hold a secret.
 */
import { request as httpRequest } from "node:http";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { type HealthStatus, startHttpServer } from "../../src/transports/http.js";
import { ENDPOINT_COUNT } from "../support/endpoints.js";
import {
  type HttpSession,
  startHttpSession,
  TEST_TOKEN,
  toolCall,
} from "../support/http-session.js";
import { resultText } from "../support/sandbox-client.js";

const AUTH = { authorization: `Bearer ${TEST_TOKEN}` };
const PNG_1X1 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

/** Everything the server sent back, to check for secrets at the end. */
const seen: string[] = [];
let session: HttpSession;

beforeAll(async () => {
  session = await startHttpSession({ argv: ["--max-body-bytes", "65536"] });
});
afterAll(async () => {
  await session?.close();
});

async function post(body: string | object, headers: Record<string, string> = {}) {
  const response = await session.post(body, headers);
  seen.push(JSON.stringify(response.headers), response.text);
  return response;
}

/** A request with headers undici will not let us forge (Host), through node:http. */
function rawRequest(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  const url = new URL(session.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path, headers },
      (res) => {
        let text = "";
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () => {
          seen.push(text);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** A JSON-RPC initialize message asking for `protocolVersion`. */
function initialize(protocolVersion: string): object {
  const clientInfo = { name: "raw", version: "1" };
  return {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion, capabilities: {}, clientInfo },
  };
}

describe("an MCP client over streamable HTTP", () => {
  it("lists every tool and calls one", async () => {
    const client = await session.connect();
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(ENDPOINT_COUNT);
    expect(client.getInstructions()).toMatch(/^SANDBOX MODE/);
    const result = await client.callTool({ name: "get_lists", arguments: { page_size: 2 } });
    const text = resultText(result);
    seen.push(text);
    expect(result.isError).toBeFalsy();
    expect(JSON.parse(text).data).toHaveLength(2);
  });

  it("is stateless: no session id, and any request can come first", async () => {
    const init = await post(initialize("2025-06-18"), AUTH);
    expect(init.status).toBe(200);
    expect(init.headers["mcp-session-id"]).toBeUndefined();
    const call = await post(toolCall("get_accounts"), {
      ...AUTH,
      "mcp-protocol-version": "2025-06-18",
    });
    expect(call.status).toBe(200);
    expect(JSON.parse(call.text).result.isError).toBeFalsy();
  });

  it("streams progress while a call waits for Klaviyo's rate limit, when asked to", async () => {
    const client = await session.connect();
    const progress: Array<{ progress: number; message?: string }> = [];
    // get_accounts allows 1 call per second: the third of three waits about two seconds.
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        client.callTool({ name: "get_accounts", arguments: {} }, undefined, {
          onprogress: (p) => progress.push(p),
        }),
      ),
    );
    for (const result of results) expect(result.isError, resultText(result)).toBeFalsy();
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]?.message).toMatch(/get_accounts is queued behind Klaviyo's rate limit/);
  });

  it("answers /healthz without a token, and 404 elsewhere", async () => {
    const health = await rawRequest("GET", "/healthz", {});
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toEqual({ status: "ok" });
    const other = await rawRequest("GET", "/sse", AUTH);
    expect(other.status).toBe(404);
    expect(JSON.parse(other.text).error.message).toMatch(/served at \/mcp/);
  });

  it("takes base64 images, but refuses a server-side file path over HTTP", async () => {
    const client = await session.connect();
    const byPath = await client.callTool({
      name: "upload_image_from_file",
      arguments: { file_path: "/etc/passwd" },
    });
    seen.push(resultText(byPath));
    expect(byPath.isError).toBe(true);
    expect(resultText(byPath)).toMatch(/does not read local files.*file_base64/);
    expect(resultText(byPath)).not.toContain("root:");
    const byContent = await client.callTool({
      name: "upload_image_from_file",
      arguments: { file_base64: PNG_1X1, filename: "dot.png" },
    });
    expect(byContent.isError, resultText(byContent)).toBeFalsy();
  });
});

describe("refusals", () => {
  it("401 without a bearer token, with a wrong one, or with another scheme", async () => {
    const missing = await post(toolCall("get_lists"));
    expect(missing.status).toBe(401);
    expect(missing.headers["www-authenticate"]).toBe('Bearer realm="klaviyo-mcp"');
    expect(JSON.parse(missing.text).error.message).toMatch(/Authorization: Bearer/);
    const wrong = await post(toolCall("get_lists"), { authorization: `Bearer ${TEST_TOKEN}x` });
    expect(wrong.status).toBe(401);
    expect(wrong.headers["www-authenticate"]).toMatch(/error="invalid_token"/);
    const basic = await post(toolCall("get_lists"), { authorization: "Basic dXNlcjpwYXNz" });
    expect(basic.status).toBe(401);
    await expect(
      session.connect({ Authorization: "Bearer not-the-token-0123456789" }),
    ).rejects.toThrow(/401|nauthorized/);
  });

  it("403 for a foreign Origin or Host, before the token is even looked at", async () => {
    const origin = await post(toolCall("get_lists"), { ...AUTH, origin: "https://evil.example" });
    expect(origin.status).toBe(403);
    expect(JSON.parse(origin.text).error.message).toMatch(/Origin 'https:\/\/evil.example'/);
    const noToken = await post(toolCall("get_lists"), { origin: "https://evil.example" });
    expect(noToken.status).toBe(403);
    const host = await rawRequest(
      "POST",
      "/mcp",
      { ...AUTH, host: "rebind.attacker.example", "content-type": "application/json" },
      JSON.stringify(toolCall("get_lists")),
    );
    expect(host.status).toBe(403);
    expect(JSON.parse(host.text).error.message).toMatch(/DNS-rebinding/);
  });

  it("lets its own origin in with CORS headers, and answers preflight", async () => {
    const own = new URL(session.url).origin;
    const preflight = await rawRequest("OPTIONS", "/mcp", {
      origin: own,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization, content-type",
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe(own);
    expect(String(preflight.headers["access-control-allow-headers"])).toMatch(/Authorization/);
    const call = await post(toolCall("get_lists"), { ...AUTH, origin: own });
    expect(call.status).toBe(200);
    expect(call.headers["access-control-allow-origin"]).toBe(own);
  });

  it("413 for an oversized body, declared or streamed", async () => {
    const big = JSON.stringify(toolCall("get_lists", { filter: "x".repeat(70_000) }));
    const declared = await post(big, AUTH);
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.text).error.message).toMatch(/65536 bytes/);
    const streamed = await rawRequest(
      "POST",
      "/mcp",
      {
        ...AUTH,
        accept: "application/json, text/event-stream",
        "content-type": "application/json",
        "transfer-encoding": "chunked",
      },
      big,
    );
    expect(streamed.status).toBe(413);
  });

  it("400 for malformed JSON and for JSON that is not JSON-RPC", async () => {
    const broken = await post('{"jsonrpc": "2.0", "id": 1, "method": ', AUTH);
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.text).error).toMatchObject({ code: -32700 });
    const notRpc = await post({ hello: "world" }, AUTH);
    expect(notRpc.status).toBe(400);
    expect(JSON.parse(notRpc.text).error.message).toMatch(/Invalid JSON-RPC/);
  });

  it("negotiates an unknown protocol version at initialize down to one it supports", async () => {
    const init = await post(initialize("1999-01-01"), AUTH);
    expect(init.status).toBe(200);
    expect(JSON.parse(init.text).result.protocolVersion).toMatch(/^20\d\d-\d\d-\d\d$/);
    expect(JSON.parse(init.text).result.protocolVersion).not.toBe("1999-01-01");
  });

  it("400 for an unsupported MCP-Protocol-Version, naming the supported ones", async () => {
    const response = await post(toolCall("get_lists"), {
      ...AUTH,
      "mcp-protocol-version": "1999-01-01",
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).error.message).toMatch(
      /Unsupported protocol version: 1999-01-01.*2025-06-18/,
    );
  });

  it("405 for GET and DELETE (stateless: no stream, no session), 406 and 415 for bad headers", async () => {
    const get = await rawRequest("GET", "/mcp", { ...AUTH, accept: "text/event-stream" });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe("POST, OPTIONS");
    expect((await rawRequest("DELETE", "/mcp", AUTH)).status).toBe(405);
    const accept = await post(toolCall("get_lists"), { ...AUTH, accept: "application/json" });
    expect(accept.status).toBe(406);
    const type = await post("x=1", {
      ...AUTH,
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(type.status).toBe(415);
  });
});

describe("keys that clients bring (X-Klaviyo-API-Key)", () => {
  let sandboxed: HttpSession;
  beforeAll(async () => {
    sandboxed = await startHttpSession({ argv: ["--sandbox"] });
  });
  afterAll(async () => {
    await sandboxed?.close();
  });

  it("acts with the brought key's scopes, one cached client per key", async () => {
    const emulator = sandboxed.runtime.emulator;
    if (!emulator) throw new Error("no emulator");
    const listsOnly = emulator.issueKey(["lists:read"]);
    const client = await sandboxed.connect({ ...AUTH, "X-Klaviyo-API-Key": listsOnly });
    const lists = await client.callTool({ name: "get_lists", arguments: {} });
    expect(lists.isError, resultText(lists)).toBeFalsy();
    const profiles = await client.callTool({ name: "get_profiles", arguments: {} });
    const text = resultText(profiles);
    seen.push(text);
    expect(profiles.isError).toBe(true);
    expect(text).toMatch(/profiles:read/);
    expect(text).not.toContain(listsOnly);
    expect(sandboxed.runtime.accounts.broughtClients).toBe(1);
    const other = await sandboxed.connect({
      ...AUTH,
      "X-Klaviyo-API-Key": emulator.issueKey("all"),
    });
    expect((await other.callTool({ name: "get_profiles", arguments: {} })).isError).toBeFalsy();
    expect(sandboxed.runtime.accounts.broughtClients).toBe(2);
    expect(sandboxed.logs.join("")).not.toContain(listsOnly);
  });

  it("never lends the server's public key to a brought key", async () => {
    const emulator = sandboxed.runtime.emulator;
    if (!emulator) throw new Error("no emulator");
    const key = emulator.issueKey("all");
    const event = {
      properties: { ProductName: "Lantern" },
      metric: { name: "Viewed Product" },
      profile: { email: "brought.key@example.com" },
    };
    const bare = await sandboxed.connect({ ...AUTH, "X-Klaviyo-API-Key": key });
    const refused = await bare.callTool({ name: "create_client_event", arguments: event });
    expect(refused.isError).toBe(true);
    expect(resultText(refused)).toMatch(/company_id/);
    const withPublic = await sandboxed.connect({
      ...AUTH,
      "X-Klaviyo-API-Key": key,
      "X-Klaviyo-Public-Key": emulator.publicKey,
    });
    const sent = await withPublic.callTool({ name: "create_client_event", arguments: event });
    expect(sent.isError, resultText(sent)).toBeFalsy();
  });

  it("400 for a malformed key, without echoing it", async () => {
    const response = await sandboxed.post(toolCall("get_lists"), {
      ...AUTH,
      "x-klaviyo-api-key": "AbC123-public-looking-secret",
    });
    seen.push(response.text);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).error.message).toMatch(/pk_/);
    expect(response.text).not.toContain("AbC123-public-looking-secret");
  });

  it("refuses brought keys when they are off, and requires one when they are required", async () => {
    const off = await startHttpSession({ argv: ["--client-keys", "off"] });
    try {
      const response = await off.post(toolCall("get_lists"), {
        ...AUTH,
        "x-klaviyo-api-key": "pk_someone_else_123",
      });
      expect(response.status).toBe(400);
      expect(JSON.parse(response.text).error.message).toMatch(/KLAVIYO_MCP_CLIENT_KEYS=off/);
    } finally {
      await off.close();
    }
    const required = await startHttpSession({ argv: ["--client-keys", "required"] });
    try {
      expect(required.runtime.emulator).toBeUndefined();
      const response = await required.post(toolCall("get_lists"), AUTH);
      expect(response.status).toBe(401);
      expect(JSON.parse(response.text).error.message).toMatch(/X-Klaviyo-API-Key/);
    } finally {
      await required.close();
    }
  });
});

describe("graceful shutdown", () => {
  it("finishes in-flight calls, then stops accepting", async () => {
    const slow = await startHttpSession({
      emulator: { faults: { latencyMs: 400, operations: ["get_lists"] } },
    });
    const client = await slow.connect();
    const inFlight = client.callTool({ name: "get_lists", arguments: {} });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = slow.serving.handle.close();
    const result = await inFlight;
    expect(result.isError, resultText(result)).toBeFalsy();
    await closing;
    await expect(slow.post(toolCall("get_lists"), AUTH)).rejects.toThrow(/ECONNREFUSED/);
    expect(slow.logs.join("")).toMatch(/"waitedFor":1/);
    await slow.close();
  });
});

describe("/healthz", () => {
  it("reports degraded with 200 and the reason: a shared outage keeps replicas in the balancer", async () => {
    let health: HealthStatus = { status: "ok" };
    const handle = await startHttpServer({
      host: "127.0.0.1",
      port: 0,
      tokens: [TEST_TOKEN],
      noAuth: false,
      allowedOrigins: [],
      allowedHosts: [],
      maxBodyBytes: 65_536,
      shutdownTimeoutMs: 100,
      logger: createLogger("silent"),
      health: () => health,
      serverFor: () => new Server({ name: "test", version: "1" }, { capabilities: {} }),
    });
    const url = `http://127.0.0.1:${handle.port}/healthz`;
    const check = async () => {
      const response = await fetch(url);
      return { status: response.status, body: await response.json() };
    };
    expect(await check()).toEqual({ status: 200, body: { status: "ok" } });
    health = { status: "degraded", reason: "Redis at 127.0.0.1:6390 is unreachable" };
    expect(await check()).toEqual({ status: 200, body: health });
    await handle.close();
  });
});

describe("secrets", () => {
  it("no log line and no response holds the bearer token or the Klaviyo key", () => {
    const apiKey = session.runtime.emulator?.apiKey as string;
    expect(apiKey).toMatch(/^pk_/);
    const logs = session.logs.join("");
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).toMatch(/refused bearer token/);
    for (const secret of [TEST_TOKEN, apiKey]) {
      expect(logs).not.toContain(secret);
      for (const text of seen) expect(text).not.toContain(secret);
    }
  });
});
