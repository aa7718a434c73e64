/**
 * /token and /revoke through the authorization server, each refusal asserted with its status
 * and error code: codes (PKCE, redirect URI, single use, expiry, client), refresh tokens
 * (rotation, replay, revocation, scope), and client authentication (RFC 6749 2.3). No refusal
 * names a secret (support.ts checks every answer, and the log).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  basic,
  createHarness,
  type Harness,
  MINUTE,
  REDIRECT_URI,
  RESOURCE,
  refusal,
} from "./support.js";

let h: Harness;

beforeEach(() => {
  h = createHarness();
});

afterEach(() => {
  h.checkLogs();
});

const GRANT_ID = "grant-1";

describe("authorization_code refuses", () => {
  it("a verifier that does not match the challenge", async () => {
    const { client_id } = await h.registerPublic();
    const { code } = await h.authorizationCode(client_id);
    const answer = await h.redeem(client_id, code, h.pkce().verifier);
    expect(refusal(answer)).toEqual({
      status: 400,
      error: "invalid_grant",
      description: "code_verifier does not match the code_challenge.",
    });
    expect(answer.headers?.["Cache-Control"]).toBe("no-store");
  });

  it("no verifier, or one RFC 7636 does not allow", async () => {
    const { client_id } = await h.registerPublic();
    for (const code_verifier of [undefined, "short", `${"a".repeat(42)}!`]) {
      const { code } = await h.authorizationCode(client_id);
      const answer = await h.redeem(client_id, code, "", { code_verifier });
      expect(refusal(answer)).toMatchObject({ status: 400, error: "invalid_grant" });
    }
  });

  it("a redirect_uri other than the authorization request's", async () => {
    const { client_id } = await h.register({
      token_endpoint_auth_method: "none",
      redirect_uris: [REDIRECT_URI, "https://client.example.test/other"],
    });
    for (const redirect_uri of ["https://client.example.test/other", undefined]) {
      const { code, verifier } = await h.authorizationCode(client_id);
      const answer = await h.redeem(client_id, code, verifier, { redirect_uri });
      expect(refusal(answer)).toEqual({
        status: 400,
        error: "invalid_grant",
        description: "redirect_uri does not match the authorization request.",
      });
    }
  });

  it("takes no redirect_uri when the client registered only one (RFC 6749 4.1.3)", async () => {
    const { client_id } = await h.registerPublic();
    const { code, verifier } = await h.authorizationCode(client_id, { redirect_uri: undefined });
    const answer = await h.redeem(client_id, code, verifier, { redirect_uri: undefined });
    expect(answer.status).toBe(200);
    h.tokensOf(answer);
  });

  it("a code used before: the second use is invalid_grant, and its tokens are revoked", async () => {
    const { client_id } = await h.registerPublic();
    const { code, verifier } = await h.authorizationCode(client_id);
    const first = await h.redeem(client_id, code, verifier);
    expect(first.status).toBe(200);
    const issued = h.tokensOf(first);
    expect(await h.server.authenticate(issued.access)).toHaveProperty("session");
    expect(refusal(await h.redeem(client_id, code, verifier))).toEqual({
      status: 400,
      error: "invalid_grant",
      description:
        "The code was already used; the tokens issued for it are revoked. Sign in again.",
    });
    // The replay may come from whoever intercepted the code: the first use's tokens end too.
    expect(h.klaviyo.called("revokeGrant")).toEqual([[GRANT_ID]]);
    expect(await h.server.authenticate(issued.access)).toHaveProperty("error");
  });

  it("an expired code (codes live a minute)", async () => {
    const { client_id } = await h.registerPublic();
    const { code, verifier } = await h.authorizationCode(client_id);
    h.advance(MINUTE);
    expect(refusal(await h.redeem(client_id, code, verifier))).toMatchObject({
      status: 400,
      error: "invalid_grant",
      description: "The code is unknown, used or expired.",
    });
  });

  it("a code issued to another client, which is then spent", async () => {
    const owner = await h.registerPublic();
    const thief = await h.registerPublic();
    const { code, verifier } = await h.authorizationCode(owner.client_id);
    expect(refusal(await h.redeem(thief.client_id, code, verifier))).toEqual({
      status: 400,
      error: "invalid_grant",
      description: "The code was issued to another client.",
    });
    expect(refusal(await h.redeem(owner.client_id, code, verifier)).error).toBe("invalid_grant");
  });

  it("a resource other than this server's, and a grant revoked meanwhile", async () => {
    const { client_id } = await h.registerPublic();
    const first = await h.authorizationCode(client_id);
    const other = { resource: "https://other.example.test/mcp" };
    expect(refusal(await h.redeem(client_id, first.code, first.verifier, other))).toMatchObject({
      status: 400,
      error: "invalid_target",
    });
    const second = await h.authorizationCode(client_id);
    await h.klaviyo.revokeGrant("grant-2");
    const late = await h.redeem(client_id, second.code, second.verifier, { resource: RESOURCE });
    expect(refusal(late)).toMatchObject({ status: 400, error: "invalid_grant" });
  });

  it("an unknown grant_type", async () => {
    const { client_id } = await h.registerPublic();
    const answer = await h.post("/token", { grant_type: "password", client_id });
    expect(refusal(answer)).toMatchObject({ status: 400, error: "unsupported_grant_type" });
  });
});

describe("refresh_token", () => {
  const refresh = (clientId: string, token: string, extra = {}) =>
    h.post("/token", {
      grant_type: "refresh_token",
      client_id: clientId,
      refresh_token: token,
      ...extra,
    });

  it("refuses a revoked refresh token: the grant is gone, and its access token too", async () => {
    const { clientId, access, refresh: token } = await h.signedIn();
    expect((await h.post("/revoke", { client_id: clientId, token })).status).toBe(200);
    expect(h.klaviyo.called("revokeGrant")).toEqual([[GRANT_ID]]);
    expect(await h.store.getGrant(GRANT_ID)).toBeUndefined();
    expect(refusal(await refresh(clientId, token))).toEqual({
      status: 400,
      error: "invalid_grant",
      description: "The refresh token is unknown, revoked or expired.",
    });
    expect(await h.server.authenticate(access)).toHaveProperty("error");
  });

  it("revoking an access token ends only that token", async () => {
    const { clientId, access, refresh: token } = await h.signedIn();
    await h.post("/revoke", { client_id: clientId, token: access });
    expect(await h.server.authenticate(access)).toHaveProperty("error");
    expect(h.klaviyo.called("revokeGrant")).toEqual([]);
    expect((await refresh(clientId, token)).status).toBe(200);
  });

  it("does not let another client revoke a token", async () => {
    const { access } = await h.signedIn();
    const other = await h.registerPublic();
    expect((await h.post("/revoke", { client_id: other.client_id, token: access })).status).toBe(
      200,
    );
    expect(await h.server.authenticate(access)).toHaveProperty("session");
  });

  it("ends the grant when a rotated refresh token comes back", async () => {
    const { clientId, refresh: token } = await h.signedIn();
    const rotated = h.tokensOf(await refresh(clientId, token));
    expect(refusal(await refresh(clientId, token))).toEqual({
      status: 400,
      error: "invalid_grant",
      description: "This refresh token was already used; sign in again.",
    });
    expect(h.klaviyo.called("revokeGrant")).toEqual([[GRANT_ID]]);
    expect(await h.server.authenticate(rotated.access)).toHaveProperty("error");
    expect(refusal(await refresh(clientId, rotated.refresh)).error).toBe("invalid_grant");
  });

  it("refuses a wider scope, and keeps the refresh token usable", async () => {
    const { clientId, refresh: token } = await h.signedIn();
    const wider = await refresh(clientId, token, { scope: "profiles:read profiles:write" });
    expect(refusal(wider)).toEqual({
      status: 400,
      error: "invalid_scope",
      description: "A refresh cannot add scopes (profiles:write): authorize again for them.",
    });
    const retry = await refresh(clientId, token);
    expect(retry.status).toBe(200);
    expect(h.tokensOf(retry).scope).toBe("accounts:read lists:read profiles:read");
    expect(h.klaviyo.called("revokeGrant")).toEqual([]);
  });

  it("refuses another client's refresh token without spending it", async () => {
    const { clientId, refresh: token } = await h.signedIn();
    const other = await h.registerPublic();
    expect(refusal(await refresh(other.client_id, token))).toMatchObject({
      status: 400,
      error: "invalid_grant",
      description: "The refresh token was issued to another client.",
    });
    expect((await refresh(clientId, token)).status).toBe(200);
  });

  it("narrows the access token's scope, and the new refresh token keeps the old one", async () => {
    const { clientId, refresh: token } = await h.signedIn();
    const narrow = h.tokensOf(await refresh(clientId, token, { scope: "profiles:read" }));
    expect(narrow.scope).toBe("profiles:read");
    expect(await h.server.authenticate(narrow.access)).toMatchObject({
      session: { scopes: ["profiles:read"] },
    });
    const again = h.tokensOf(await refresh(clientId, narrow.refresh));
    expect(again.scope).toBe("accounts:read lists:read profiles:read");
  });

  it("refuses an access token, and an expired refresh token", async () => {
    const { clientId, access, refresh: token } = await h.signedIn();
    expect(refusal(await refresh(clientId, access)).error).toBe("invalid_grant");
    h.advance(30 * 24 * 60 * MINUTE);
    expect(refusal(await refresh(clientId, token)).error).toBe("invalid_grant");
    expect(h.klaviyo.called("revokeGrant")).toEqual([]);
  });
});

describe("client authentication", () => {
  async function confidentialCode() {
    const client = await h.register({ token_endpoint_auth_method: "client_secret_basic" });
    const { code, verifier } = await h.authorizationCode(client.client_id);
    const form = {
      grant_type: "authorization_code",
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT_URI,
    };
    return { id: client.client_id, secret: client.client_secret ?? "", form };
  }

  it("takes a confidential client's secret in HTTP Basic", async () => {
    const { id, secret, form } = await confidentialCode();
    const answer = await h.post("/token", form, basic(id, secret));
    expect(answer.status).toBe(200);
    h.tokensOf(answer);
  });

  it("refuses a wrong secret with 401 invalid_client, and the code survives", async () => {
    const { id, secret, form } = await confidentialCode();
    for (const wrong of [`${secret}x`, "", secret.slice(1)]) {
      const answer = await h.post("/token", form, basic(id, wrong));
      expect(refusal(answer)).toEqual({
        status: 401,
        error: "invalid_client",
        description: "Wrong client credentials.",
      });
      expect(answer.headers?.["WWW-Authenticate"]).toMatch(/^Basic /);
    }
    expect((await h.post("/token", form, basic(id, secret))).status).toBe(200);
  });

  it("refuses a confidential client that sends no secret, or sends it in the form", async () => {
    const { id, secret, form } = await confidentialCode();
    for (const extra of [{ client_id: id }, { client_id: id, client_secret: secret }]) {
      const answer = await h.post("/token", { ...form, ...extra });
      expect(refusal(answer)).toEqual({
        status: 401,
        error: "invalid_client",
        description: "This client authenticates with client_secret_basic.",
      });
    }
  });

  it("refuses a public client trying HTTP Basic", async () => {
    const { client_id } = await h.registerPublic();
    const { code, verifier } = await h.authorizationCode(client_id);
    const form = { grant_type: "authorization_code", code, code_verifier: verifier };
    const answer = await h.post("/token", form, basic(client_id, "made-up-secret"));
    expect(refusal(answer)).toEqual({
      status: 401,
      error: "invalid_client",
      description: "This client authenticates with none.",
    });
  });

  it("refuses malformed Basic credentials, and two methods at once", async () => {
    const { id, secret, form } = await confidentialCode();
    const broken = `Basic ${Buffer.from(`${id}:%E0%A4%A`).toString("base64")}`;
    expect(refusal(await h.post("/token", form, broken))).toMatchObject({
      status: 401,
      error: "invalid_client",
      description: "Malformed HTTP Basic credentials.",
    });
    const noColon = `Basic ${Buffer.from(id).toString("base64")}`;
    expect(refusal(await h.post("/token", form, noColon)).error).toBe("invalid_client");
    const both = await h.post("/token", { ...form, client_secret: secret }, basic(id, secret));
    expect(refusal(both)).toMatchObject({ status: 400, error: "invalid_request" });
    const otherId = await h.post("/token", { ...form, client_id: "someone" }, basic(id, secret));
    expect(refusal(otherId)).toMatchObject({ status: 401, error: "invalid_client" });
  });

  it("refuses an unknown client, at /token and at /revoke", async () => {
    for (const path of ["/token", "/revoke"]) {
      const answer = await h.post(path, { grant_type: "refresh_token", client_id: "nobody" });
      expect(refusal(answer)).toEqual({
        status: 401,
        error: "invalid_client",
        description: "Unknown client.",
      });
    }
  });
});
