/**
 * KlaviyoOAuth against a fake Klaviyo OAuth server on 127.0.0.1: the code exchange (HTTP Basic),
 * refresh ahead of expiry on a pinned clock, one refresh for concurrent callers, a refused
 * refresh token, revocation, the account lookup, and no secret in any error or log line.
 */
import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KlaviyoGrantRevokedError } from "../../src/klaviyo/errors.js";
import { createSealer } from "../../src/oauth/crypto.js";
import {
  KlaviyoOAuth,
  KlaviyoOAuthError,
  type KlaviyoTokens,
} from "../../src/oauth/klaviyo-oauth.js";
import { MemoryOAuthStore } from "../../src/oauth/store-memory.js";
import { type FakeAnswer, FakeKlaviyo, type RecordedRequest } from "../support/fake-klaviyo.js";

const CLIENT_ID = "app-client-id";
const CLIENT_SECRET = "app-secret-Zq81xYw0";
const BASIC = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")}`;
const CODE = "auth-code-7f3a9c";
const VERIFIER = "pkce-verifier-0123456789abcdefghijklmnopqrstuvwxyzABCD";
const ACCESS = "klaviyo-access-AAA111";
const REFRESH = "klaviyo-refresh-RRR111";
const ACCESS_2 = "klaviyo-access-BBB222";
const REFRESH_2 = "klaviyo-refresh-RRR222";
const SECRETS = [CLIENT_SECRET, CODE, VERIFIER, ACCESS, REFRESH, ACCESS_2, REFRESH_2];
const T0 = Date.parse("2026-01-01T00:00:00Z");
const HOUR = 3_600_000;
const MINUTE = 60_000;

let fake: FakeKlaviyo;
let baseUrl: string;
let clock: number;
let logLines: string[];
let store: MemoryOAuthStore;

beforeEach(async () => {
  fake = new FakeKlaviyo();
  baseUrl = await fake.start();
  clock = T0;
  logLines = [];
  store = new MemoryOAuthStore({ now: () => clock });
});

afterEach(async () => {
  await fake.stop();
  // Every test's log lines, at debug level, are free of secrets.
  for (const line of logLines) for (const secret of SECRETS) expect(line).not.toContain(secret);
});

function makeOAuth(extra: { refreshAheadMs?: number } = {}) {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  return new KlaviyoOAuth({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    authorizeUrl: "https://www.klaviyo.test/oauth/authorize",
    tokenUrl: `${baseUrl}/oauth/token`,
    revokeUrl: `${baseUrl}/oauth/revoke`,
    redirectUri: "https://mcp.example.com/oauth/callback",
    sealer: createSealer(randomBytes(32)),
    store,
    now: () => clock,
    logger: pino({ level: "debug" }, stream),
    ...extra,
  });
}

const form = (request: RecordedRequest) =>
  Object.fromEntries(new URLSearchParams(request.rawBody.toString("utf8")));

/** Klaviyo's token endpoint: checks the app's Basic credentials like Klaviyo does. */
function tokenEndpoint(answer: (request: RecordedRequest) => FakeAnswer) {
  fake.on("POST", "/oauth/token", (request) =>
    request.headers.authorization === BASIC
      ? answer(request)
      : { status: 401, body: { error: "invalid_client" } },
  );
}

const tokens = (access: string, refresh?: string, expiresIn = 3600): FakeAnswer => ({
  status: 200,
  body: {
    access_token: access,
    token_type: "Bearer",
    expires_in: expiresIn,
    scope: "accounts:read profiles:read",
    ...(refresh !== undefined && { refresh_token: refresh }),
  },
});

const tokenRequests = () => fake.requests.filter((r) => r.path === "/oauth/token");

/** Expects a rejection and that its text, stack included, names no secret. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => expect.fail("expected a rejection"),
    (e: Error) => e,
  );
  for (const secret of SECRETS) {
    expect(error.message).not.toContain(secret);
    expect(String(error.stack)).not.toContain(secret);
  }
  return error;
}

async function grantExpiringIn(oauth: KlaviyoOAuth, ms: number) {
  const issued: KlaviyoTokens = {
    accessToken: ACCESS,
    refreshToken: REFRESH,
    expiresAt: clock + ms,
    scopes: ["profiles:read"],
  };
  return oauth.createGrant(issued, "ACCT1");
}

describe("authorize URL", () => {
  it("carries the client, redirect, space-separated scopes, state and S256 challenge", () => {
    const url = new URL(
      makeOAuth().authorizeUrl({
        state: "st-1",
        scopes: ["accounts:read", "profiles:read"],
        codeChallenge: "chal-xyz",
      }),
    );
    expect(url.origin + url.pathname).toBe("https://www.klaviyo.test/oauth/authorize");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: "code",
      client_id: CLIENT_ID,
      redirect_uri: "https://mcp.example.com/oauth/callback",
      scope: "accounts:read profiles:read",
      state: "st-1",
      code_challenge: "chal-xyz",
      code_challenge_method: "S256",
    });
    expect(url.search).toContain("scope=accounts%3Aread%20profiles%3Aread");
  });
});

describe("code exchange", () => {
  it("posts the code, verifier and redirect with HTTP Basic, and reads the tokens", async () => {
    tokenEndpoint(() => tokens(ACCESS, REFRESH, 3600));
    const result = await makeOAuth().exchangeCode(CODE, VERIFIER);
    expect(result).toEqual({
      accessToken: ACCESS,
      refreshToken: REFRESH,
      expiresAt: T0 + HOUR,
      scopes: ["accounts:read", "profiles:read"],
    });
    const [request] = tokenRequests();
    expect(request?.headers.authorization).toBe(BASIC);
    expect(request?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(form(request as RecordedRequest)).toEqual({
      grant_type: "authorization_code",
      code: CODE,
      code_verifier: VERIFIER,
      redirect_uri: "https://mcp.example.com/oauth/callback",
    });
  });

  it("turns Klaviyo's refusal into its OAuth code, without the code or secrets it echoed", async () => {
    tokenEndpoint(() => ({
      status: 400,
      body: {
        error: "invalid_grant",
        error_description: `code ${CODE} with verifier ${VERIFIER} is invalid (Bearer ${ACCESS})`,
      },
    }));
    const error = await rejection(makeOAuth().exchangeCode(CODE, VERIFIER));
    expect(error).toBeInstanceOf(KlaviyoOAuthError);
    expect((error as KlaviyoOAuthError).oauthError).toBe("invalid_grant");
    expect((error as KlaviyoOAuthError).status).toBe(400);
    expect(error.message).toContain("is invalid");
  });

  it("says invalid_client when the app's credentials are refused", async () => {
    fake.on("POST", "/oauth/token", { status: 401, body: { error: "invalid_client" } });
    const error = await rejection(makeOAuth().exchangeCode(CODE, VERIFIER));
    expect((error as KlaviyoOAuthError).oauthError).toBe("invalid_client");
  });

  it("says temporarily_unavailable when Klaviyo cannot be reached", async () => {
    await fake.stop();
    const error = await rejection(makeOAuth().exchangeCode(CODE, VERIFIER));
    expect((error as KlaviyoOAuthError).oauthError).toBe("temporarily_unavailable");
    fake = new FakeKlaviyo();
    await fake.start();
  });
});

describe("a grant's access token", () => {
  it("is stored sealed and returned as is while far from expiry", async () => {
    const oauth = makeOAuth();
    const grant = await grantExpiringIn(oauth, HOUR);
    const stored = await store.getGrant(grant.id);
    expect(stored?.account_id).toBe("ACCT1");
    expect(JSON.stringify(stored)).not.toContain(ACCESS);
    expect(JSON.stringify(stored)).not.toContain(REFRESH);
    clock += HOUR - 5 * MINUTE - 1;
    expect(await oauth.accessToken(grant.id)).toBe(ACCESS);
    expect(tokenRequests()).toHaveLength(0);
  });

  it("is refreshed once it expires within five minutes, and the new pair is kept", async () => {
    let issued = 0;
    tokenEndpoint(() => (++issued === 1 ? tokens(ACCESS_2, REFRESH_2) : tokens("later-token-3")));
    const oauth = makeOAuth();
    const grant = await grantExpiringIn(oauth, HOUR);
    clock += HOUR - 5 * MINUTE;
    expect(await oauth.accessToken(grant.id)).toBe(ACCESS_2);
    const [refresh] = tokenRequests();
    expect(refresh?.headers.authorization).toBe(BASIC);
    expect(form(refresh as RecordedRequest)).toEqual({
      grant_type: "refresh_token",
      refresh_token: REFRESH,
    });
    // Kept: no new request until the new token nears its own expiry.
    expect(await oauth.accessToken(grant.id)).toBe(ACCESS_2);
    expect(tokenRequests()).toHaveLength(1);
    // The rotated refresh token is the one used next.
    clock += HOUR;
    expect(await oauth.accessToken(grant.id)).toBe("later-token-3");
    expect(form(tokenRequests()[1] as RecordedRequest).refresh_token).toBe(REFRESH_2);
    // Klaviyo kept the refresh token that time: the stored one stays.
    clock += HOUR;
    await oauth.accessToken(grant.id);
    expect(form(tokenRequests()[2] as RecordedRequest).refresh_token).toBe(REFRESH_2);
  });

  it("honours refreshAheadMs", async () => {
    tokenEndpoint(() => tokens(ACCESS_2));
    const oauth = makeOAuth({ refreshAheadMs: 30 * MINUTE });
    const grant = await grantExpiringIn(oauth, HOUR);
    clock += 29 * MINUTE;
    expect(await oauth.accessToken(grant.id)).toBe(ACCESS);
    clock += 2 * MINUTE;
    expect(await oauth.accessToken(grant.id)).toBe(ACCESS_2);
  });

  it("is refreshed once for ten concurrent callers", async () => {
    tokenEndpoint(() => tokens(ACCESS_2, REFRESH_2));
    const oauth = makeOAuth();
    const grant = await grantExpiringIn(oauth, MINUTE);
    const got = await Promise.all(Array.from({ length: 10 }, () => oauth.accessToken(grant.id)));
    expect(got).toEqual(Array(10).fill(ACCESS_2));
    expect(tokenRequests()).toHaveLength(1);
  });

  it("does not refresh again for a caller that read the grant before a refresh ended", async () => {
    tokenEndpoint(() => tokens(ACCESS_2, REFRESH_2));
    let gate: Promise<void> | undefined;
    // The late caller's read answers with the grant as it was, after the refresh is stored.
    class SlowStore extends MemoryOAuthStore {
      override async getGrant(id: string) {
        const grant = await super.getGrant(id);
        const wait = gate;
        gate = undefined;
        await wait;
        return grant;
      }
    }
    store = new SlowStore({ now: () => clock });
    const oauth = makeOAuth();
    const grant = await grantExpiringIn(oauth, MINUTE);
    let release = () => {};
    gate = new Promise((resolve) => {
      release = resolve;
    });
    const late = oauth.accessToken(grant.id);
    expect(await oauth.accessToken(grant.id)).toBe(ACCESS_2);
    release();
    expect(await late).toBe(ACCESS_2);
    expect(tokenRequests()).toHaveLength(1);
  });

  it("ends the grant when Klaviyo refuses its refresh token (invalid_grant)", async () => {
    tokenEndpoint(() => ({
      status: 400,
      body: { error: "invalid_grant", error_description: `refresh token ${REFRESH} revoked` },
    }));
    const oauth = makeOAuth();
    const grant = await grantExpiringIn(oauth, MINUTE);
    const callers = Array.from({ length: 3 }, () => rejection(oauth.accessToken(grant.id)));
    for (const error of await Promise.all(callers)) {
      expect(error).toBeInstanceOf(KlaviyoGrantRevokedError);
      expect(error.message).toBe(
        "Your Klaviyo sign-in was revoked or has expired: sign in again (reconnect the Klaviyo connector).",
      );
      expect((error as KlaviyoGrantRevokedError).outcome).toBe("not_applied");
    }
    expect(tokenRequests()).toHaveLength(1);
    expect(await store.getGrant(grant.id)).toBeUndefined();
    // Gone for good: later calls fail the same way without asking Klaviyo.
    expect(await rejection(oauth.accessToken(grant.id))).toBeInstanceOf(KlaviyoGrantRevokedError);
    expect(tokenRequests()).toHaveLength(1);
  });

  it("keeps using a still-valid token when a refresh fails for another reason", async () => {
    tokenEndpoint(() => ({ status: 503, text: "unavailable" }));
    const oauth = makeOAuth();
    const grant = await grantExpiringIn(oauth, MINUTE);
    expect(await oauth.accessToken(grant.id)).toBe(ACCESS);
    expect(await store.getGrant(grant.id)).toBeDefined();
    // Once it has expired there is nothing to fall back on.
    clock += 2 * MINUTE;
    const error = await rejection(oauth.accessToken(grant.id));
    expect(error).toBeInstanceOf(KlaviyoOAuthError);
    expect((error as KlaviyoOAuthError).oauthError).toBe("server_error");
    expect(await store.getGrant(grant.id)).toBeDefined();
  });

  it("is refused for an unknown grant", async () => {
    const error = await rejection(makeOAuth().accessToken("no-such-grant"));
    expect(error).toBeInstanceOf(KlaviyoGrantRevokedError);
  });
});

describe("revocation", () => {
  it("revokes the refresh token at Klaviyo with HTTP Basic, then deletes the grant", async () => {
    fake.on("POST", "/oauth/revoke", { status: 200, text: "" });
    const oauth = makeOAuth();
    const grant = await grantExpiringIn(oauth, HOUR);
    await oauth.revokeGrant(grant.id);
    const [request] = fake.requests;
    expect(request?.path).toBe("/oauth/revoke");
    expect(request?.headers.authorization).toBe(BASIC);
    expect(form(request as RecordedRequest)).toEqual({
      token: REFRESH,
      token_type_hint: "refresh_token",
    });
    expect(await store.getGrant(grant.id)).toBeUndefined();
    // An unknown grant is nothing to do.
    await oauth.revokeGrant(grant.id);
    expect(fake.requests).toHaveLength(1);
  });

  it("deletes the grant even when Klaviyo refuses or cannot be reached", async () => {
    fake.on("POST", "/oauth/revoke", { status: 500, body: { error: `bad ${REFRESH}` } });
    const oauth = makeOAuth();
    const refused = await grantExpiringIn(oauth, HOUR);
    await oauth.revokeGrant(refused.id);
    expect(await store.getGrant(refused.id)).toBeUndefined();
    const unreachable = await grantExpiringIn(oauth, HOUR);
    await fake.stop();
    await oauth.revokeGrant(unreachable.id);
    expect(await store.getGrant(unreachable.id)).toBeUndefined();
    expect(logLines.join("")).toContain("Klaviyo revocation failed");
    fake = new FakeKlaviyo();
    await fake.start();
  });
});

describe("account lookup", () => {
  it("asks GET /api/accounts with the bearer token and the revision", async () => {
    fake.on("GET", "/api/accounts", {
      status: 200,
      body: { data: [{ type: "account", id: "XyZ123" }] },
    });
    expect(await makeOAuth().accountIdFor(ACCESS, `${baseUrl}/`)).toBe("XyZ123");
    const request = fake.last();
    expect(request.headers.authorization).toBe(`Bearer ${ACCESS}`);
    expect(request.headers.revision).toMatch(/^\d{4}-\d{2}-\d{2}/);
  });

  it("says which scope is missing on a 403, without the token", async () => {
    fake.on("GET", "/api/accounts", { status: 403, body: { errors: [{ detail: ACCESS }] } });
    const error = await rejection(makeOAuth().accountIdFor(ACCESS, baseUrl));
    expect((error as KlaviyoOAuthError).oauthError).toBe("invalid_scope");
    expect(error.message).toContain("accounts:read");
  });

  it("refuses an answer that names no account", async () => {
    fake.on("GET", "/api/accounts", { status: 200, body: { data: [] } });
    const error = await rejection(makeOAuth().accountIdFor(ACCESS, baseUrl));
    expect((error as KlaviyoOAuthError).oauthError).toBe("server_error");
  });
});
