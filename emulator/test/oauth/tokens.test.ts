/** Tokens after the code flow: client authentication, refresh, expiry, revocation, scopes. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../emulator.js";
import { basic, bearerCall, CLIENT, oauthUrls, postForm, signIn } from "./support.js";

const NOW = Date.UTC(2026, 10, 1, 12);

describe("emulator OAuth: tokens", () => {
  let emulator: Emulator;
  let now = NOW;
  beforeAll(async () => {
    emulator = await startEmulator({
      demoData: false,
      now: () => now,
      rateLimits: false,
      // An hour of emulator time lasts 3.6 s of the clock; expires_in stays nominal.
      timeScale: 0.001,
      oauth: {
        clients: [
          { id: CLIENT.id, secret: CLIENT.secret, redirectUris: [CLIENT.redirect] },
          { id: "app-2", secret: "second-secret" },
        ],
      },
    });
  });
  afterAll(() => emulator.close());

  const refresh = (refreshToken: string, authorization?: string) =>
    postForm(
      oauthUrls(emulator).token,
      { grant_type: "refresh_token", refresh_token: refreshToken },
      authorization,
    );

  it("refuses missing or wrong client credentials with 401 invalid_client", async () => {
    const { body } = await signIn(emulator);
    const answers = [
      await refresh(body.refresh_token, basic(CLIENT.id, "wrong-secret")),
      await refresh(body.refresh_token, basic("nobody", CLIENT.secret)),
      await refresh(body.refresh_token, "Basic !!!"),
      await postForm(
        oauthUrls(emulator).token,
        { grant_type: "refresh_token", refresh_token: body.refresh_token },
        "",
      ),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.body.error).toBe("invalid_client");
      expect(answer.headers.get("www-authenticate")).toContain("Basic");
      expect(JSON.stringify(answer.body)).not.toContain("wrong-secret");
    }
    // Another app's valid credentials do not reach this app's grant.
    const other = await refresh(body.refresh_token, basic("app-2", "second-secret"));
    expect(other.status).toBe(400);
    expect(other.body.error).toBe("invalid_grant");
  });

  it("refreshes: a new access token, the same refresh token, the same scope", async () => {
    const first = await signIn(emulator, "lists:read");
    const second = await refresh(first.body.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.access_token).not.toBe(first.body.access_token);
    expect(second.body.refresh_token).toBe(first.body.refresh_token);
    expect(second.body.scope).toBe("lists:read");
    expect(second.body.expires_in).toBe(3600);
    expect((await bearerCall(emulator, second.body.access_token, "/api/lists")).status).toBe(200);
    const wider = await postForm(oauthUrls(emulator).token, {
      grant_type: "refresh_token",
      refresh_token: first.body.refresh_token,
      scope: "lists:read profiles:read",
    });
    expect(wider.body.error).toBe("invalid_scope");
    expect((await refresh("not-a-token")).body.error).toBe("invalid_grant");
  });

  it("refuses other grant types and malformed bodies with standard errors", async () => {
    const token = oauthUrls(emulator).token;
    expect((await postForm(token, { grant_type: "password" })).body.error).toBe(
      "unsupported_grant_type",
    );
    expect((await postForm(token, {})).body.error).toBe("invalid_request");
    const json = await fetch(token, {
      method: "POST",
      headers: {
        Authorization: basic(CLIENT.id, CLIENT.secret),
        "Content-Type": "application/json",
      },
      body: JSON.stringify({ grant_type: "refresh_token" }),
    });
    expect(json.status).toBe(400);
    expect(((await json.json()) as { error: string }).error).toBe("invalid_request");
    const get = await fetch(token);
    expect(get.status).toBe(405);
  });

  it("expires access tokens by the clock (scaled), and a refresh brings a working one", async () => {
    const { body } = await signIn(emulator, "lists:read");
    now += 3_599;
    expect((await bearerCall(emulator, body.access_token, "/api/lists")).status).toBe(200);
    now += 2;
    const expired = await bearerCall(emulator, body.access_token, "/api/lists");
    expect(expired.status).toBe(401);
    expect(expired.body.errors[0].code).toBe("not_authenticated");
    expect(JSON.stringify(expired.body)).not.toContain(body.access_token);
    const renewed = await refresh(body.refresh_token);
    expect((await bearerCall(emulator, renewed.body.access_token, "/api/lists")).status).toBe(200);
  });

  it("revoking the refresh token ends the grant; revoking an access token ends only it", async () => {
    const revoke = oauthUrls(emulator).revoke;
    const grant = await signIn(emulator, "lists:read");
    const more = await refresh(grant.body.refresh_token);
    const ended = await postForm(revoke, { token: more.body.access_token });
    expect(ended.status).toBe(200);
    expect((await bearerCall(emulator, more.body.access_token, "/api/lists")).status).toBe(401);
    expect((await bearerCall(emulator, grant.body.access_token, "/api/lists")).status).toBe(200);

    // Another app cannot revoke it (200, nothing happens), nor can an unauthenticated caller.
    expect(
      (await postForm(revoke, { token: grant.body.refresh_token }, basic("app-2", "second-secret")))
        .status,
    ).toBe(200);
    expect((await postForm(revoke, { token: grant.body.refresh_token }, "")).status).toBe(401);
    expect((await bearerCall(emulator, grant.body.access_token, "/api/lists")).status).toBe(200);

    const done = await postForm(revoke, {
      token: grant.body.refresh_token,
      token_type_hint: "refresh_token",
    });
    expect(done.status).toBe(200);
    const call = await bearerCall(emulator, grant.body.access_token, "/api/lists");
    expect(call.status).toBe(401);
    expect(call.body.errors[0].code).toBe("not_authenticated");
    expect((await refresh(grant.body.refresh_token)).body.error).toBe("invalid_grant");
    expect((await postForm(revoke, { token: "unknown" })).status).toBe(200);
    expect((await postForm(revoke, {})).body.error).toBe("invalid_request");
  });

  it("limits API calls to the grant's scopes; write grants read; accounts are open", async () => {
    const { body } = await signIn(emulator, "lists:read profiles:write");
    expect((await bearerCall(emulator, body.access_token, "/api/lists")).status).toBe(200);
    expect((await bearerCall(emulator, body.access_token, "/api/profiles")).status).toBe(200);
    const denied = await bearerCall(emulator, body.access_token, "/api/metrics");
    expect(denied.status).toBe(403);
    expect(denied.body.errors[0]).toMatchObject({ status: 403, code: "permission_denied" });
    expect(denied.body.errors[0].detail).toContain("metrics:read");
    const accounts = await bearerCall(emulator, body.access_token, "/api/accounts");
    expect(accounts.status).toBe(200);
    expect(accounts.body.data[0].id).toBe(emulator.publicKey);
    expect((await bearerCall(emulator, "made-up", "/api/accounts")).status).toBe(401);
  });
});
