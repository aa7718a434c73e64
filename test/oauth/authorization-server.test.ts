/**
 * The authorization server in values (OAuthRequest -> OAuthAnswer), Klaviyo's side faked: the
 * whole flow from registration to revocation, then each refusal of /authorize, the consent form
 * and the callback (with whether it redirects), and of bearer tokens on /mcp. /token's own
 * refusals are in token-endpoint.test.ts. No answer that refuses, no page and no log line names
 * a secret (support.ts checks every answer).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/oauth/crypto.js";
import {
  BASE_URL,
  createHarness,
  expectPage,
  type Harness,
  HOUR,
  KLAVIYO_AUTHORIZE,
  MINUTE,
  REDIRECT_URI,
  RESOURCE,
  redirectParams,
} from "./support.js";

let h: Harness;

beforeEach(() => {
  h = createHarness();
});

afterEach(() => {
  h.checkLogs();
});

describe("the whole flow", () => {
  it("registers, consents twice, redeems, authenticates, refreshes and revokes", async () => {
    const client = await h.register({
      client_name: `<b>Tom & "Jerry"</b>`,
      token_endpoint_auth_method: "none",
    });
    const { verifier, challenge } = h.pkce();

    // This server's consent page names the client, its redirect URI and the scopes, escaped.
    const form = await h.consentForm(client.client_id, challenge);
    expect(form.html).toContain("&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;");
    expect(form.html).not.toContain("<b>Tom");
    expect(form.html).toContain(`<code>${REDIRECT_URI}</code>`);
    for (const scope of ["accounts:read", "lists:read", "profiles:read"])
      expect(form.html).toContain(`<code>${scope}</code>`);
    expect(form.html).not.toContain("profiles:write");
    expect(form.html).toContain(`action="${BASE_URL}/authorize"`);
    expect(h.klaviyo.calls).toEqual([]);

    // Allow: on to Klaviyo with our own PKCE (S256) and the pending id as state.
    const allowed = await h.post("/authorize", { id: form.id, csrf: form.csrf, decision: "allow" });
    expect(allowed.redirect?.startsWith(`${KLAVIYO_AUTHORIZE}?`)).toBe(true);
    const upstream = redirectParams(allowed);
    expect(upstream.state).toBe(form.id);
    expect(upstream.code_challenge_method).toBe("S256");
    expect(upstream.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(upstream.code_challenge).not.toBe(challenge);
    expect(upstream.scope).toBe("accounts:read lists:read profiles:read");

    // Klaviyo's callback: a grant (the fake checks our verifier), then the client's code.
    h.secrets.add("klaviyo-code-flow");
    const back = await h.get("/oauth/callback", { code: "klaviyo-code-flow", state: form.id });
    expect(h.klaviyo.calls.map((call) => call.method)).toEqual([
      "authorizeUrl",
      "exchangeCode",
      "accountIdFor",
      "createGrant",
    ]);
    expect(back.redirect?.startsWith(`${REDIRECT_URI}?`)).toBe(true);
    const { code, state, iss } = redirectParams(back);
    expect({ state, iss }).toEqual({ state: "client-state-1", iss: BASE_URL });
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    h.secrets.add(code ?? "");

    const issued = await h.redeem(client.client_id, code ?? "", verifier);
    expect(issued.status).toBe(200);
    expect(issued.headers?.["Cache-Control"]).toBe("no-store");
    expect(issued.json).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    const first = h.tokensOf(issued);
    expect(first.scope).toBe("accounts:read lists:read profiles:read");

    expect(await h.server.authenticate(first.access)).toEqual({
      session: {
        clientId: client.client_id,
        grantId: "grant-1",
        accountId: "ACCOUNT-1",
        scopes: ["accounts:read", "lists:read", "profiles:read"],
      },
    });

    // Refresh rotates the pair; the old access token stays valid until it expires.
    const refreshed = await h.post("/token", {
      grant_type: "refresh_token",
      client_id: client.client_id,
      refresh_token: first.refresh,
    });
    expect(refreshed.status).toBe(200);
    const second = h.tokensOf(refreshed);
    expect(second.access).not.toBe(first.access);
    expect(second.refresh).not.toBe(first.refresh);
    expect(await h.server.authenticate(second.access)).toHaveProperty("session");

    // Revoking the refresh token ends the grant (at Klaviyo too), so no access token works.
    const revoked = await h.post("/revoke", { client_id: client.client_id, token: second.refresh });
    expect(revoked).toMatchObject({ status: 200, json: {} });
    expect(h.klaviyo.called("revokeGrant")).toEqual([["grant-1"]]);
    for (const access of [first.access, second.access]) {
      expect(await h.server.authenticate(access)).toEqual({
        error: "The Klaviyo sign-in behind this token was revoked: sign in again.",
      });
    }
  });

  it("asks for every scope of the deployment when the client names none", async () => {
    const { client_id } = await h.registerPublic();
    const form = await h.consentForm(client_id, h.pkce().challenge, { scope: undefined });
    for (const scope of ["accounts:read", "lists:read", "profiles:read", "profiles:write"])
      expect(form.html).toContain(`<code>${scope}</code>`);
  });

  it("grants the client only what Klaviyo granted of what it asked", async () => {
    const { client_id } = await h.registerPublic();
    h.klaviyo.grantScopes = ["accounts:read", "profiles:read"];
    const { code, verifier } = await h.authorizationCode(client_id);
    const tokens = h.tokensOf(await h.redeem(client_id, code, verifier));
    expect(tokens.scope).toBe("accounts:read profiles:read");
  });
});

describe("GET /authorize refuses", () => {
  it("an unknown client on a page, without redirecting", async () => {
    const answer = await h.get(
      "/authorize",
      h.authorizeQuery("no-such-client", h.pkce().challenge),
    );
    expectPage(answer, "Unknown application");
    expectPage(await h.get("/authorize", { redirect_uri: REDIRECT_URI }), "Unknown application");
  });

  it("a redirect_uri the client did not register on a page, without redirecting", async () => {
    const { client_id } = await h.registerPublic();
    const evil = "https://evil.example.test/steal";
    const answer = await h.get(
      "/authorize",
      h.authorizeQuery(client_id, h.pkce().challenge, { redirect_uri: evil }),
    );
    expectPage(answer, "Wrong redirect address");
    expect(answer.html).not.toContain(evil);
  });

  it.each([
    ["no code_challenge", { code_challenge: undefined }, "invalid_request"],
    ["plain PKCE", { code_challenge_method: "plain" }, "invalid_request"],
    ["no code_challenge_method", { code_challenge_method: undefined }, "invalid_request"],
    ["a challenge that is no S256 hash", { code_challenge: "short" }, "invalid_request"],
    ["a resource of another server", { resource: "https://other.test/mcp" }, "invalid_target"],
    ["an unknown scope", { scope: "profiles:read campaigns:write" }, "invalid_scope"],
    ["another response_type", { response_type: "token" }, "unsupported_response_type"],
  ])("%s by redirecting the error to the client", async (_name, overrides, error) => {
    const { client_id } = await h.registerPublic();
    const answer = await h.get(
      "/authorize",
      h.authorizeQuery(client_id, h.pkce().challenge, overrides),
    );
    expect(answer.redirect?.startsWith(`${REDIRECT_URI}?`)).toBe(true);
    const params = redirectParams(answer);
    expect(params).toMatchObject({ error, state: "client-state-1", iss: BASE_URL });
    expect(params.error_description).toBeTruthy();
    expect(params.code).toBeUndefined();
    expect(h.klaviyo.calls).toEqual([]);
  });

  it("names the unknown scopes in the description", async () => {
    const { client_id } = await h.registerPublic();
    const query = h.authorizeQuery(client_id, h.pkce().challenge, { scope: "campaigns:write" });
    const params = redirectParams(await h.get("/authorize", query));
    expect(params.error_description).toBe("Unknown scopes: campaigns:write.");
  });
});

describe("the consent form and the callback refuse", () => {
  it("Deny on this server's page: access_denied to the client, with state and iss", async () => {
    const { client_id } = await h.registerPublic();
    const form = await h.consentForm(client_id, h.pkce().challenge);
    const denied = await h.post("/authorize", { id: form.id, csrf: form.csrf, decision: "deny" });
    expect(denied.redirect?.startsWith(`${REDIRECT_URI}?`)).toBe(true);
    expect(redirectParams(denied)).toMatchObject({
      error: "access_denied",
      state: "client-state-1",
      iss: BASE_URL,
    });
    expect(h.klaviyo.calls).toEqual([]);
    // The authorization is over: neither Allow nor a callback can revive it.
    const allowed = await h.post("/authorize", { id: form.id, csrf: form.csrf, decision: "allow" });
    expectPage(allowed, "This request has expired");
    expectPage(await h.get("/oauth/callback", { code: "x", state: form.id }), "has expired");
  });

  it("Deny at Klaviyo: access_denied to the client, and no grant", async () => {
    const { client_id } = await h.registerPublic();
    const form = await h.consentForm(client_id, h.pkce().challenge);
    await h.post("/authorize", { id: form.id, csrf: form.csrf, decision: "allow" });
    const back = await h.get("/oauth/callback", { error: "access_denied", state: form.id });
    expect(redirectParams(back)).toMatchObject({
      error: "access_denied",
      state: "client-state-1",
      iss: BASE_URL,
    });
    expect(h.klaviyo.called("exchangeCode")).toEqual([]);
    expect(h.klaviyo.called("createGrant")).toEqual([]);
  });

  it("another error at Klaviyo as server_error, and a callback without a code", async () => {
    const { client_id } = await h.registerPublic();
    for (const query of [{ error: "invalid_scope" }, {}]) {
      const form = await h.consentForm(client_id, h.pkce().challenge);
      await h.post("/authorize", { id: form.id, csrf: form.csrf, decision: "allow" });
      const back = await h.get("/oauth/callback", { ...query, state: form.id });
      expect(redirectParams(back)).toMatchObject({ error: "server_error", iss: BASE_URL });
    }
  });

  it("a consent form with the wrong csrf, on a page", async () => {
    const { client_id } = await h.registerPublic();
    const form = await h.consentForm(client_id, h.pkce().challenge);
    for (const csrf of ["wrong", "", form.id]) {
      const answer = await h.post("/authorize", { id: form.id, csrf, decision: "allow" });
      expectPage(answer, "Invalid form");
    }
    expect(h.klaviyo.calls).toEqual([]);
    // The right form still goes on.
    const allowed = await h.post("/authorize", { id: form.id, csrf: form.csrf, decision: "allow" });
    expect(allowed.redirect?.startsWith(KLAVIYO_AUTHORIZE)).toBe(true);
  });

  it("an expired pending authorization, at the form and at the callback", async () => {
    const { client_id } = await h.registerPublic();
    const stale = await h.consentForm(client_id, h.pkce().challenge);
    h.advance(10 * MINUTE);
    const late = await h.post("/authorize", { id: stale.id, csrf: stale.csrf, decision: "allow" });
    expectPage(late, "This request has expired");

    const form = await h.consentForm(client_id, h.pkce().challenge);
    await h.post("/authorize", { id: form.id, csrf: form.csrf, decision: "allow" });
    h.advance(10 * MINUTE);
    const back = await h.get("/oauth/callback", { code: "klaviyo-code", state: form.id });
    expectPage(back, "This sign-in has expired");
    expect(h.klaviyo.called("exchangeCode")).toEqual([]);
  });

  it("a callback for an authorization not consented to here", async () => {
    const { client_id } = await h.registerPublic();
    const form = await h.consentForm(client_id, h.pkce().challenge);
    const back = await h.get("/oauth/callback", { code: "klaviyo-code", state: form.id });
    expectPage(back, "This sign-in has expired");
    expect(h.klaviyo.called("exchangeCode")).toEqual([]);
  });

  it("a replayed callback: one grant, one code", async () => {
    const { client_id } = await h.registerPublic();
    const form = await h.consentForm(client_id, h.pkce().challenge);
    await h.post("/authorize", { id: form.id, csrf: form.csrf, decision: "allow" });
    h.secrets.add("klaviyo-code-replayed");
    const query = { code: "klaviyo-code-replayed", state: form.id };
    const first = await h.get("/oauth/callback", query);
    h.secrets.add(redirectParams(first).code ?? "");
    const replay = await h.get("/oauth/callback", query);
    expectPage(replay, "This sign-in has expired");
    expect(h.klaviyo.called("exchangeCode")).toHaveLength(1);
    expect(h.klaviyo.called("createGrant")).toHaveLength(1);
  });

  it("a failed Klaviyo sign-in, as server_error without its details", async () => {
    const { client_id } = await h.registerPublic();
    const form = await h.consentForm(client_id, h.pkce().challenge);
    await h.post("/authorize", { id: form.id, csrf: form.csrf, decision: "allow" });
    h.klaviyo.exchangeCode = async () => {
      throw new Error("Klaviyo said: code klaviyo-code-failed is invalid");
    };
    h.secrets.add("klaviyo-code-failed");
    const back = await h.get("/oauth/callback", { code: "klaviyo-code-failed", state: form.id });
    expect(redirectParams(back)).toMatchObject({
      error: "server_error",
      error_description: "Signing in to Klaviyo failed; try again.",
      state: "client-state-1",
    });
  });
});

describe("bearer tokens on /mcp: authenticate refuses", () => {
  it("a token for another resource", async () => {
    const { clientId, access } = await h.signedIn();
    const record = await h.store.getToken(sha256Hex(access));
    const other = "access-for-another-server";
    h.secrets.add(other);
    await h.store.putToken({
      ...(record as NonNullable<typeof record>),
      token_hash: sha256Hex(other),
      resource: "https://other.example.test/mcp",
    });
    expect(await h.server.authenticate(other)).toEqual({
      error: `The access token is for another resource, not ${RESOURCE}.`,
    });
    expect(await h.server.authenticate(access)).toMatchObject({ session: { clientId } });
  });

  it("an expired access token", async () => {
    const { access } = await h.signedIn();
    h.advance(HOUR - 1);
    expect(await h.server.authenticate(access)).toHaveProperty("session");
    h.advance(1);
    expect(await h.server.authenticate(access)).toHaveProperty("error");
  });

  it("a refresh token, an unknown token, and a token whose grant is gone", async () => {
    const { access, refresh } = await h.signedIn();
    const invalid = { error: "The access token is not valid for this server." };
    expect(await h.server.authenticate(refresh)).toEqual(invalid);
    expect(await h.server.authenticate("not-a-token")).toEqual(invalid);
    await h.store.deleteGrant("grant-1");
    expect(await h.server.authenticate(access)).toEqual({
      error: "The Klaviyo sign-in behind this token was revoked: sign in again.",
    });
  });
});
