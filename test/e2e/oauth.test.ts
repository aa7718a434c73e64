/**
 * Sign-in with Klaviyo as a remote MCP client does it: the SDK's own OAuth client flow against
 * the built server (`--http --sandbox --oauth`, the emulator playing Klaviyo), knowing only the
 * server's URL. Discovery from a 401, registration (dynamic, and a metadata document served
 * here), both consent pages, tokens, tools/list limited by scope, a call, a refresh, revocation,
 * and no secret in the logs.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killCliProcesses, type StartedCli, startCli } from "../support/cli-process.js";
import { authorizeByHand, MemoryOAuthProvider, signIn } from "../support/oauth-flow.js";
import { resultText } from "../support/sandbox-client.js";

const REDIRECT = "http://127.0.0.1:9/callback";
let server: StartedCli;
let base: string;
let documents: Server;
let documentUrl: string;
const secrets: string[] = [];

beforeAll(async () => {
  server = await startCli(["--sandbox", "--oauth"], {
    KLAVIYO_OAUTH_TEST_ALLOW_PRIVATE_CLIENT_URLS: "1",
  });
  base = server.url.replace(/\/mcp$/, "");
  // A client whose id is the URL of its metadata document (CIMD).
  documents = createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(
      JSON.stringify({
        client_id: documentUrl,
        client_name: "Document client",
        redirect_uris: [REDIRECT],
        token_endpoint_auth_method: "none",
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
      }),
    );
  });
  await new Promise<void>((resolve) => documents.listen(0, "127.0.0.1", resolve));
  documentUrl = `http://127.0.0.1:${(documents.address() as AddressInfo).port}/client.json`;
}, 30_000);

afterAll(async () => {
  killCliProcesses();
  await new Promise((resolve) => documents?.close(resolve));
});

const metadata = {
  client_name: "E2E client",
  redirect_uris: [REDIRECT],
  token_endpoint_auth_method: "none",
  grant_types: ["authorization_code", "refresh_token"],
  response_types: ["code"],
};

/** The SDK flow: connect, get sent to sign in, sign in, finish, connect again. */
async function connectSignedIn(provider: MemoryOAuthProvider): Promise<Client> {
  const first = new Client({ name: "e2e-oauth", version: "1" });
  const transport = new StreamableHTTPClientTransport(new URL(server.url), {
    authProvider: provider,
  });
  await expect(first.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
  expect(provider.authorizationUrl?.origin).toBe(base);
  const landed = await signIn(provider.authorizationUrl as URL);
  expect(landed.searchParams.get("iss")).toBe(base);
  const code = landed.searchParams.get("code") as string;
  secrets.push(code);
  await transport.finishAuth(code);
  secrets.push(provider.saved?.access_token ?? "", provider.saved?.refresh_token ?? "");
  const client = new Client({ name: "e2e-oauth", version: "1" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(server.url), { authProvider: provider }),
  );
  return client;
}

/** A client sending an access token obtained by hand. */
async function connectWithToken(token: string): Promise<Client> {
  const client = new Client({ name: "e2e-oauth", version: "1" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(server.url), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

describe("sign-in with Klaviyo (OAuth) for remote MCP clients", () => {
  it("answers an anonymous request with a 401 that points at the resource metadata", async () => {
    const response = await fetch(server.url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(response.status).toBe(401);
    const challenge = response.headers.get("www-authenticate") ?? "";
    expect(challenge).toContain(
      `resource_metadata="${base}/.well-known/oauth-protected-resource/mcp"`,
    );
    expect(challenge).toMatch(/scope="[^"]*profiles:read/);
    const prm = await (await fetch(`${base}/.well-known/oauth-protected-resource/mcp`)).json();
    expect(prm).toMatchObject({ resource: `${base}/mcp`, authorization_servers: [base] });
    const as = await (await fetch(`${base}/.well-known/oauth-authorization-server`)).json();
    expect(as).toMatchObject({
      issuer: base,
      code_challenge_methods_supported: ["S256"],
      client_id_metadata_document_supported: true,
      authorization_response_iss_parameter_supported: true,
    });
  });

  it("registers (DCR), signs in through both pages, lists and calls tools", async () => {
    const provider = new MemoryOAuthProvider(metadata);
    const client = await connectSignedIn(provider);
    expect(provider.information?.client_id).toBeTruthy();
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThan(100);
    const lists = await client.callTool({ name: "get_lists", arguments: { page_size: 2 } });
    expect(lists.isError, resultText(lists)).toBeFalsy();
    await client.close();
  });

  it("refreshes: a rejected access token is renewed with the refresh token, which rotates", async () => {
    const provider = new MemoryOAuthProvider(metadata);
    const client = await connectSignedIn(provider);
    await client.close();
    const before = provider.saved as { access_token: string; refresh_token: string };
    provider.saved = {
      ...before,
      token_type: "Bearer",
      access_token: "not-a-token-this-server-issued",
    };
    const again = new Client({ name: "e2e-oauth", version: "1" });
    await again.connect(
      new StreamableHTTPClientTransport(new URL(server.url), { authProvider: provider }),
    );
    expect(provider.saved?.access_token).not.toBe(before.access_token);
    expect(provider.saved?.refresh_token).not.toBe(before.refresh_token);
    secrets.push(provider.saved?.access_token ?? "", provider.saved?.refresh_token ?? "");
    const flows = await again.callTool({ name: "get_flows", arguments: { page_size: 1 } });
    expect(flows.isError, resultText(flows)).toBeFalsy();
    await again.close();
    // The rotated-out refresh token is refused, and its replay ends the grant.
    const replay = await fetch(`${base}/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: before.refresh_token,
        client_id: provider.information?.client_id as string,
      }),
    });
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as { error: string }).error).toBe("invalid_grant");
  });

  it("signs in a client whose id is a metadata document URL (CIMD)", async () => {
    // The SDK insists on https for metadata document URLs; this one is on loopback, so by hand.
    const tokens = await authorizeByHand(base, documentUrl, { redirectUri: REDIRECT });
    secrets.push(tokens.access_token, tokens.refresh_token);
    const client = await connectWithToken(tokens.access_token);
    expect((await client.listTools()).tools.length).toBeGreaterThan(100);
    await client.close();
  });

  it("limits the tools to the granted scopes, and challenges a call that needs more", async () => {
    const registered = (await (
      await fetch(`${base}/register`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(metadata),
      })
    ).json()) as { client_id: string };
    const tokens = await authorizeByHand(base, registered.client_id, {
      scope: "lists:read",
      redirectUri: REDIRECT,
    });
    secrets.push(tokens.access_token, tokens.refresh_token);
    expect(tokens.scope.split(" ").sort()).toEqual(["accounts:read", "lists:read"]);
    const client = await connectWithToken(tokens.access_token);
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain("get_lists");
    expect(names).not.toContain("get_profiles");
    expect(names).not.toContain("create_list");
    await client.close();
    const response = await fetch(server.url, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${tokens.access_token}`,
        "Content-Type": "application/json",
        Accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "tools/call",
        params: { name: "get_profiles", arguments: {} },
      }),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("www-authenticate")).toMatch(
      /error="insufficient_scope".*scope="[^"]*profiles:read/,
    );
  });

  it("revokes: after /revoke of the refresh token, the access token is refused", async () => {
    const provider = new MemoryOAuthProvider(metadata);
    const client = await connectSignedIn(provider);
    await client.close();
    const revoke = await fetch(`${base}/revoke`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        token: provider.saved?.refresh_token as string,
        client_id: provider.information?.client_id as string,
      }),
    });
    expect(revoke.status).toBe(200);
    const after = await fetch(server.url, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${provider.saved?.access_token}`,
        "Content-Type": "application/json",
        Accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(after.status).toBe(401);
    expect(after.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("denied on this server's page, the client gets access_denied with its state and iss", async () => {
    const provider = new MemoryOAuthProvider(metadata);
    const transport = new StreamableHTTPClientTransport(new URL(server.url), {
      authProvider: provider,
    });
    await expect(new Client({ name: "x", version: "1" }).connect(transport)).rejects.toThrow();
    const landed = await signIn(provider.authorizationUrl as URL, "server");
    expect(landed.searchParams.get("error")).toBe("access_denied");
    expect(landed.searchParams.get("iss")).toBe(base);
    expect(landed.searchParams.get("state")).toBe(
      provider.authorizationUrl?.searchParams.get("state"),
    );
    // Each visit to /authorize is a request of its own: this one is denied at Klaviyo.
    const atKlaviyo = await signIn(provider.authorizationUrl as URL, "klaviyo");
    expect(atKlaviyo.searchParams.get("error")).toBe("access_denied");
    expect(atKlaviyo.searchParams.get("iss")).toBe(base);
    expect(atKlaviyo.searchParams.get("code")).toBeNull();
  });

  it("never writes a token, code or secret to its logs (debug level)", () => {
    const logs = server.stderr() + server.stdout();
    expect(logs).toMatch(/http request/);
    for (const secret of secrets.filter((s) => s.length > 8)) expect(logs).not.toContain(secret);
  });
});
