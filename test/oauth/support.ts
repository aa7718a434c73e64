/**
 * Shared fixtures for the authorization server's tests: the server built as setup.ts builds it
 * (memory store, a real sealer, real client registration) but with a fake Klaviyo side that
 * records its calls, a pinned clock, a captured log, and requests and answers as plain values.
 * Every answer that refuses, and every page, is checked for the secrets the flow has handed out.
 */
import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import pino from "pino";
import { expect } from "vitest";
import {
  AuthorizationServer,
  type KlaviyoSide,
  type OAuthAnswer,
  type OAuthRequest,
} from "../../src/oauth/authorization-server.js";
import { registerClient, resolveClient } from "../../src/oauth/client-registration.js";
import { createSealer, pkceS256Challenge, randomToken } from "../../src/oauth/crypto.js";
import { MemoryOAuthStore } from "../../src/oauth/store-memory.js";
import type { KlaviyoGrant, RegisteredClient } from "../../src/oauth/types.js";

export const BASE_URL = "https://mcp.example.test";
export const RESOURCE = `${BASE_URL}/mcp`;
export const REDIRECT_URI = "https://client.example.test/callback";
export const KLAVIYO_AUTHORIZE = "https://klaviyo.example.test/oauth/authorize";
export const TOOL_SCOPES = ["lists:read", "profiles:read", "profiles:write"];
export const T0 = Date.parse("2026-01-01T00:00:00Z");
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

type Tokens = { accessToken: string; refreshToken: string; expiresAt: number; scopes: string[] };

/** Klaviyo's side, faked: it checks our PKCE like Klaviyo would and records every call. */
export class FakeKlaviyoSide implements KlaviyoSide {
  readonly calls: Array<{ method: string; args: unknown[] }> = [];
  /** What Klaviyo grants of what it is asked; undefined grants all. */
  grantScopes?: string[];
  /** Ids of the grants made, in order: grant-1, grant-2, ... */
  readonly grantIds: string[] = [];
  private challenge?: string;

  constructor(
    private readonly harness: { store: MemoryOAuthStore; secrets: Set<string>; now(): number },
  ) {}

  authorizeUrl(params: { state: string; scopes: string[]; codeChallenge: string }): string {
    this.calls.push({ method: "authorizeUrl", args: [params] });
    this.challenge = params.codeChallenge;
    const url = new URL(KLAVIYO_AUTHORIZE);
    url.searchParams.set("state", params.state);
    url.searchParams.set("scope", params.scopes.join(" "));
    url.searchParams.set("code_challenge", params.codeChallenge);
    url.searchParams.set("code_challenge_method", "S256");
    return url.toString();
  }

  async exchangeCode(code: string, verifier: string): Promise<Tokens> {
    this.calls.push({ method: "exchangeCode", args: [code] });
    this.harness.secrets.add(verifier);
    if (pkceS256Challenge(verifier) !== this.challenge) throw new Error("PKCE mismatch");
    const tokens = {
      accessToken: this.secret("klaviyo-access"),
      refreshToken: this.secret("klaviyo-refresh"),
      expiresAt: this.harness.now() + HOUR,
      scopes: this.grantScopes ?? ["accounts:read", ...TOOL_SCOPES],
    };
    return tokens;
  }

  async accountIdFor(accessToken: string): Promise<string> {
    this.calls.push({ method: "accountIdFor", args: [] });
    expect(this.harness.secrets.has(accessToken)).toBe(true);
    return "ACCOUNT-1";
  }

  async createGrant(tokens: Tokens, accountId: string): Promise<KlaviyoGrant> {
    this.calls.push({ method: "createGrant", args: [accountId] });
    const grant: KlaviyoGrant = {
      id: `grant-${this.grantIds.length + 1}`,
      account_id: accountId,
      scopes: tokens.scopes,
      access_token_sealed: "v1.sealed.access",
      access_expires_at: tokens.expiresAt,
      refresh_token_sealed: "v1.sealed.refresh",
      created_at: this.harness.now(),
    };
    this.grantIds.push(grant.id);
    await this.harness.store.putGrant(grant);
    return grant;
  }

  /** As KlaviyoOAuth does: tells Klaviyo, then forgets the grant. */
  async revokeGrant(grantId: string): Promise<void> {
    this.calls.push({ method: "revokeGrant", args: [grantId] });
    await this.harness.store.deleteGrant(grantId);
  }

  called(method: string): unknown[][] {
    return this.calls.filter((call) => call.method === method).map((call) => call.args);
  }

  private secret(prefix: string): string {
    const value = `${prefix}-${randomToken(12)}`;
    this.harness.secrets.add(value);
    return value;
  }
}

/** What a refusal looks like, in values. */
export interface Refusal {
  status: number;
  error: string;
  description: string;
}

export type Harness = ReturnType<typeof createHarness>;

export function createHarness() {
  let clock = T0;
  const secrets = new Set<string>();
  const logLines: string[] = [];
  const now = () => clock;
  const store = new MemoryOAuthStore({ now });
  const klaviyo = new FakeKlaviyoSide({ store, secrets, now });
  const fetcherCalls: string[] = [];
  const fetcher = async (url: string) => {
    fetcherCalls.push(url);
    throw new Error("no metadata documents in these tests");
  };
  const logger = pino(
    { level: "debug" },
    new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  );
  const server = new AuthorizationServer({
    baseUrl: BASE_URL,
    store,
    sealer: createSealer(randomBytes(32)),
    klaviyo,
    resolveClient: (clientId) => resolveClient(clientId, store, fetcher, { now }),
    register: (body) => registerClient(body, store, { now }),
    scopes: TOOL_SCOPES,
    accessTokenTtlMs: HOUR,
    now,
    logger,
  });

  /** Every refusal and every page is free of the secrets handed out so far. */
  function checkSecrets(answer: OAuthAnswer): void {
    const json = answer.json as { error?: string } | undefined;
    const redirectError = answer.redirect && new URL(answer.redirect).searchParams.has("error");
    if (answer.html === undefined && !json?.error && !redirectError) return;
    const text = JSON.stringify(answer);
    for (const secret of secrets) expect(text).not.toContain(secret);
  }

  async function handle(request: OAuthRequest): Promise<OAuthAnswer> {
    const answer = await server.handle(request);
    checkSecrets(answer);
    return answer;
  }

  const get = (path: string, query: Record<string, string | undefined> = {}) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query))
      if (value !== undefined) params.set(key, value);
    return handle({ method: "GET", path, query: params });
  };

  const post = (path: string, form: Record<string, string | undefined>, authorization?: string) => {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(form)) if (value !== undefined) body.set(key, value);
    return handle({
      method: "POST",
      path,
      query: new URLSearchParams(),
      form: body,
      authorization,
    });
  };

  /** POST /register; the client secret (if any) joins the secrets. */
  async function register(metadata: Record<string, unknown> = {}) {
    const answer = await handle({
      method: "POST",
      path: "/register",
      query: new URLSearchParams(),
      json: { client_name: "Test App", redirect_uris: [REDIRECT_URI], ...metadata },
    });
    expect(answer.status).toBe(201);
    const body = answer.json as { client_id: string; client_secret?: string };
    if (body.client_secret) secrets.add(body.client_secret);
    return body;
  }

  const registerPublic = () => register({ token_endpoint_auth_method: "none" });

  /** A PKCE pair of the MCP client's; the verifier is a secret. */
  function pkce() {
    const verifier = randomToken(32);
    secrets.add(verifier);
    return { verifier, challenge: pkceS256Challenge(verifier) };
  }

  /** The query of a well-formed GET /authorize; `overrides` change or (undefined) drop a field. */
  const authorizeQuery = (
    clientId: string,
    challenge: string,
    overrides: Record<string, string | undefined> = {},
  ) => ({
    response_type: "code",
    client_id: clientId,
    redirect_uri: REDIRECT_URI,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state: "client-state-1",
    scope: "profiles:read lists:read",
    resource: RESOURCE,
    ...overrides,
  });

  /** GET /authorize up to the consent page: its form's id and csrf. */
  async function consentForm(clientId: string, challenge: string, overrides = {}) {
    const answer = await get("/authorize", authorizeQuery(clientId, challenge, overrides));
    expect(answer.status).toBe(200);
    const html = answer.html ?? "";
    const field = (name: string) =>
      new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? "";
    return { html, id: field("id"), csrf: field("csrf") };
  }

  /** Through both consent pages to the client's code; the code joins the secrets. */
  async function authorizationCode(clientId: string, overrides = {}) {
    const { verifier, challenge } = pkce();
    const form = await consentForm(clientId, challenge, overrides);
    const allowed = await post("/authorize", { id: form.id, csrf: form.csrf, decision: "allow" });
    const state = new URL(allowed.redirect ?? "").searchParams.get("state") ?? "";
    const klaviyoCode = `klaviyo-code-${randomToken(12)}`;
    secrets.add(klaviyoCode);
    const back = await get("/oauth/callback", { code: klaviyoCode, state });
    const code = redirectParams(back).code ?? "";
    secrets.add(code);
    return { code, verifier, state };
  }

  /** POST /token with a code, as a public client. */
  const redeem = (clientId: string, code: string, verifier: string, extra = {}) =>
    post("/token", {
      grant_type: "authorization_code",
      client_id: clientId,
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT_URI,
      ...extra,
    });

  /** A public client holding a fresh token pair; the tokens join the secrets. */
  async function signedIn() {
    const { client_id } = await registerPublic();
    const { code, verifier } = await authorizationCode(client_id);
    const answer = await redeem(client_id, code, verifier);
    expect(answer.status).toBe(200);
    return { clientId: client_id, ...tokensOf(answer) };
  }

  /** The token pair of a 200 from /token; both join the secrets. */
  function tokensOf(answer: OAuthAnswer) {
    const body = answer.json as { access_token: string; refresh_token: string; scope: string };
    secrets.add(body.access_token);
    secrets.add(body.refresh_token);
    return { access: body.access_token, refresh: body.refresh_token, scope: body.scope };
  }

  return {
    server,
    store,
    klaviyo,
    secrets,
    logLines,
    fetcherCalls,
    now,
    advance: (ms: number) => {
      clock += ms;
    },
    handle,
    get,
    post,
    register,
    registerPublic,
    pkce,
    authorizeQuery,
    consentForm,
    authorizationCode,
    redeem,
    signedIn,
    tokensOf,
    /** The log, at debug level, names no secret. */
    checkLogs() {
      for (const line of logLines) for (const secret of secrets) expect(line).not.toContain(secret);
    },
  };
}

/** The query parameters of a redirect answer. */
export function redirectParams(answer: OAuthAnswer): Record<string, string> {
  expect(answer.status).toBe(302);
  return Object.fromEntries(new URL(answer.redirect ?? "").searchParams);
}

/** An OAuth error document (RFC 6749 5.2). */
export function refusal(answer: OAuthAnswer): Refusal {
  const body = answer.json as { error?: string; error_description?: string } | undefined;
  return {
    status: answer.status,
    error: body?.error ?? "",
    description: body?.error_description ?? "",
  };
}

/** HTTP Basic for client_secret_basic (RFC 6749 2.3.1: form-encoded, then base64). */
export const basic = (clientId: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString(
    "base64",
  )}`;

/** A stored client record, for tests that need one the registration would not make. */
export const storedClient = (overrides: Partial<RegisteredClient> = {}): RegisteredClient => ({
  client_id: "stored-client",
  client_name: "Stored",
  redirect_uris: [REDIRECT_URI],
  token_endpoint_auth_method: "none",
  source: "dcr",
  created_at: T0,
  ...overrides,
});

/** A refusal said on a page (400), never a redirect: the client may not be who it claims. */
export function expectPage(answer: OAuthAnswer, text: string): void {
  expect(answer.status).toBe(400);
  expect(answer.redirect).toBeUndefined();
  expect(answer.html).toContain(text);
}
