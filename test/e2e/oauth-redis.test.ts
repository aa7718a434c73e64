/**
 * OAuth across replicas: grants, clients and tokens in a real redis-server, Klaviyo tokens sealed
 * with the shared key. A user signs in through one server process; that process is stopped and
 * another starts in its place (same public URL, same Redis): the user's token still works, the
 * expired Klaviyo token behind it is refreshed there, and refreshing this server's tokens works. Without the sealing key, the server refuses to start with Redis.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../emulator/index.js";
import { CLI, killCliProcesses, startCli } from "../support/cli-process.js";
import { authorizeByHand } from "../support/oauth-flow.js";
import { freePort } from "../support/ports.js";
import { hasRedis, type RedisServer, startRedis } from "../support/redis.js";
import { resultText } from "../support/sandbox-client.js";

const REDIRECT = "http://127.0.0.1:9/callback";
const APP = { id: "replica-test-app", secret: randomBytes(24).toString("base64url") };

describe.skipIf(!hasRedis)("OAuth with Redis: a replica restarts, nobody signs in again", () => {
  let redis: RedisServer;
  let emulator: Emulator;
  let env: Record<string, string>;
  let port: number;

  beforeAll(async () => {
    redis = await startRedis();
    // Klaviyo's access tokens last 2 s here: each call after that needs the grant refreshed.
    emulator = await startEmulator({ oauth: { clients: [APP], accessTokenTtlMs: 2_000 } });
    port = await freePort();
    const urls = emulator.oauthUrls as NonNullable<Emulator["oauthUrls"]>;
    env = {
      KLAVIYO_BASE_URL: emulator.url,
      KLAVIYO_OAUTH_CLIENT_ID: APP.id,
      KLAVIYO_OAUTH_CLIENT_SECRET: APP.secret,
      KLAVIYO_OAUTH_KLAVIYO_AUTHORIZE_URL: urls.authorize,
      KLAVIYO_OAUTH_KLAVIYO_TOKEN_URL: urls.token,
      KLAVIYO_OAUTH_KLAVIYO_REVOKE_URL: urls.revoke,
      KLAVIYO_MCP_PUBLIC_URL: `http://127.0.0.1:${port}`,
      KLAVIYO_MCP_REDIS_URL: redis.url,
      KLAVIYO_OAUTH_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    };
  }, 30_000);

  afterAll(async () => {
    killCliProcesses();
    await emulator?.close();
    await redis?.stop();
  });

  const connect = async (url: string, token: string) => {
    const client = new Client({ name: "oauth-redis", version: "1" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers: { Authorization: `Bearer ${token}` } },
      }),
    );
    return client;
  };

  it("keeps the session through a restart, and refreshes on the new process", async () => {
    const first = await startCli(["--port", String(port)], env);
    const base = `http://127.0.0.1:${port}`;
    const registered = (await (
      await fetch(`${base}/register`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          client_name: "Replica test",
          redirect_uris: [REDIRECT],
          token_endpoint_auth_method: "none",
        }),
      })
    ).json()) as { client_id: string };
    const tokens = await authorizeByHand(base, registered.client_id, { redirectUri: REDIRECT });
    const before = await connect(first.url, tokens.access_token);
    expect((await before.listTools()).tools.length).toBeGreaterThan(100);
    await before.close();
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    // Nothing secret reached Redis in the clear.
    const dump = spawnSync("redis-cli", ["-u", redis.url, "--scan"], { encoding: "utf8" }).stdout;
    expect(dump).not.toContain(tokens.access_token);

    const second = await startCli(["--port", String(port)], env);
    // Past the Klaviyo token's life: the new process refreshes it from the sealed refresh token.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const after = await connect(second.url, tokens.access_token);
    const lists = await after.callTool({ name: "get_lists", arguments: { page_size: 1 } });
    expect(lists.isError, resultText(lists)).toBeFalsy();
    await after.close();
    const refreshed = await fetch(`${base}/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: tokens.refresh_token,
        client_id: registered.client_id,
      }),
    });
    expect(refreshed.status).toBe(200);
    const logs = second.stderr() + first.stderr();
    for (const secret of [tokens.access_token, tokens.refresh_token, APP.secret]) {
      expect(logs).not.toContain(secret);
    }
  }, 60_000);

  it("refuses to start OAuth with Redis but without the sealing key", () => {
    const { KLAVIYO_OAUTH_ENCRYPTION_KEY: _key, ...withoutKey } = env;
    const result = spawnSync(process.execPath, [CLI, "--http", "--port", "0"], {
      env: { PATH: process.env.PATH ?? "", ...withoutKey },
      encoding: "utf8",
      timeout: 10_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/KLAVIYO_OAUTH_ENCRYPTION_KEY/);
    expect(result.stderr).not.toContain(APP.secret);
  });
});
