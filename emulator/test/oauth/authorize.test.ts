/** The consent half of the code flow: /oauth/authorize (GET and POST) and the code exchange. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../emulator.js";
import {
  authorizeUrl,
  bearerCall,
  CLIENT,
  consent,
  oauthUrls,
  parseConsentForm,
  pkce,
  postForm,
} from "./support.js";

const NOW = Date.UTC(2026, 10, 1, 12);

describe("emulator OAuth: authorize and code exchange", () => {
  let emulator: Emulator;
  let now = NOW;
  beforeAll(async () => {
    emulator = await startEmulator({
      now: () => now,
      rateLimits: false,
      oauth: {
        clients: [
          { id: CLIENT.id, secret: CLIENT.secret, redirectUris: [CLIENT.redirect] },
          { id: "any-redirect<app>", secret: "other-secret" },
        ],
      },
    });
  });
  afterAll(() => emulator.close());

  it("runs the whole code flow over plain HTTP, and the token reads the account", async () => {
    const { verifier, challenge } = pkce();
    const page = await fetch(
      authorizeUrl(emulator, {
        response_type: "code",
        client_id: CLIENT.id,
        redirect_uri: CLIENT.redirect,
        scope: "profiles:read lists:write",
        state: "xyz",
        code_challenge: challenge,
        code_challenge_method: "S256",
      }),
    );
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const html = await page.text();
    // The demo account's name, escaped; the app; each scope.
    expect(html).toContain("Juniper &amp; Pine");
    expect(html).toContain(CLIENT.id);
    expect(html).toContain("<li>profiles:read</li>");
    expect(html).toContain("<li>lists:write</li>");
    expect(html).toContain('<button type="submit" name="decision" value="allow">Allow</button>');
    expect(html).toContain('<button type="submit" name="decision" value="deny">Deny</button>');
    const form = parseConsentForm(html);
    expect(form.action).toBe("/oauth/authorize");
    const answer = await fetch(new URL(form.action, emulator.url), {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...form.fields, decision: "allow" }),
    });
    expect(answer.status).toBe(302);
    const back = new URL(answer.headers.get("location") ?? "");
    expect(`${back.origin}${back.pathname}`).toBe(CLIENT.redirect);
    expect(back.searchParams.get("state")).toBe("xyz");
    const code = back.searchParams.get("code");
    expect(code).toBeTruthy();

    const tokens = await postForm(oauthUrls(emulator).token, {
      grant_type: "authorization_code",
      code: code ?? "",
      code_verifier: verifier,
      redirect_uri: CLIENT.redirect,
    });
    expect(tokens.status).toBe(200);
    expect(tokens.headers.get("cache-control")).toBe("no-store");
    expect(tokens.body).toEqual({
      access_token: expect.any(String),
      token_type: "Bearer",
      expires_in: 3600,
      refresh_token: expect.any(String),
      scope: "profiles:read lists:write",
    });
    const accounts = await bearerCall(emulator, tokens.body.access_token, "/api/accounts");
    expect(accounts.status).toBe(200);
    expect(accounts.body.data[0].id).toBe(emulator.publicKey);
  });

  it("the consent form is single use, and a made-up request id is refused", async () => {
    const page = await fetch(
      authorizeUrl(emulator, {
        response_type: "code",
        client_id: CLIENT.id,
        redirect_uri: CLIENT.redirect,
        scope: "lists:read",
        code_challenge: pkce().challenge,
        code_challenge_method: "S256",
      }),
    );
    const form = parseConsentForm(await page.text());
    const post = (fields: Record<string, string>) =>
      fetch(`${emulator.url}/oauth/authorize`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ ...fields, decision: "allow" }),
      });
    expect((await post(form.fields)).status).toBe(302);
    const again = await post(form.fields);
    expect(again.status).toBe(400);
    expect(again.headers.get("location")).toBeNull();
    expect((await post({ request_id: "made-up" })).status).toBe(400);
  });

  it("Deny sends access_denied back with the state, and no code", async () => {
    const back = await consent(emulator, "deny", { challenge: pkce().challenge, state: "s&t" });
    expect(back.searchParams.get("error")).toBe("access_denied");
    expect(back.searchParams.get("state")).toBe("s&t");
    expect(back.searchParams.get("code")).toBeNull();
  });

  it("shows an error page (400, no redirect) for an untrusted client or request", async () => {
    const base = {
      response_type: "code",
      client_id: CLIENT.id,
      redirect_uri: CLIENT.redirect,
      scope: "lists:read",
      code_challenge: pkce().challenge,
      code_challenge_method: "S256",
    };
    const cases: Array<[Record<string, string | undefined>, string]> = [
      [{ client_id: "nobody" }, "Unknown client_id"],
      [{ redirect_uri: "https://evil.test/cb" }, "not registered"],
      [{ code_challenge_method: "plain" }, "S256"],
      [{ code_challenge_method: undefined }, "S256"],
      [{ code_challenge: undefined }, "code_challenge"],
    ];
    for (const [change, words] of cases) {
      const response = await fetch(authorizeUrl(emulator, { ...base, ...change }), {
        redirect: "manual",
      });
      expect(response.status, JSON.stringify(change)).toBe(400);
      expect(response.headers.get("location")).toBeNull();
      expect(await response.text()).toContain(words);
    }
  });

  it("escapes what it echoes, and takes any redirect_uri when the client lists none", async () => {
    const page = await fetch(
      authorizeUrl(emulator, {
        response_type: "code",
        client_id: "any-redirect<app>",
        redirect_uri: "http://127.0.0.1:9/cb",
        scope: "lists:read",
        code_challenge: pkce().challenge,
        code_challenge_method: "S256",
      }),
    );
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("any-redirect&lt;app&gt;");
    expect(html).not.toContain("<app>");
  });

  it("sends scope and response_type errors back to the app", async () => {
    const base = {
      response_type: "code",
      client_id: CLIENT.id,
      redirect_uri: CLIENT.redirect,
      state: "k",
      code_challenge: pkce().challenge,
      code_challenge_method: "S256",
    };
    for (const [change, error] of [
      [{ scope: "" }, "invalid_scope"],
      [{ scope: "lists:read <x>" }, "invalid_scope"],
      [{ scope: "lists:read", response_type: "token" }, "unsupported_response_type"],
    ] as const) {
      const response = await fetch(authorizeUrl(emulator, { ...base, ...change }), {
        redirect: "manual",
      });
      expect(response.status).toBe(302);
      const back = new URL(response.headers.get("location") ?? "");
      expect(back.searchParams.get("error")).toBe(error);
      expect(back.searchParams.get("state")).toBe("k");
    }
  });

  it("refuses a PKCE mismatch, a wrong redirect_uri and a reused code with invalid_grant", async () => {
    const exchange = (code: string, verifier: string, redirect = CLIENT.redirect) =>
      postForm(oauthUrls(emulator).token, {
        grant_type: "authorization_code",
        code,
        code_verifier: verifier,
        redirect_uri: redirect,
      });
    const codeFor = async (challenge: string) =>
      (await consent(emulator, "allow", { challenge })).searchParams.get("code") ?? "";

    const first = pkce();
    const mismatch = await exchange(await codeFor(first.challenge), pkce().verifier);
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error).toBe("invalid_grant");
    expect(mismatch.body.error_description).toContain("code_verifier");

    const second = pkce();
    const wrongRedirect = await exchange(
      await codeFor(second.challenge),
      second.verifier,
      "https://app.test/other",
    );
    expect(wrongRedirect.body).toMatchObject({ error: "invalid_grant" });

    // A request missing the verifier is refused without using the code up.
    const third = pkce();
    const code = await codeFor(third.challenge);
    const noVerifier = await postForm(oauthUrls(emulator).token, {
      grant_type: "authorization_code",
      code,
      redirect_uri: CLIENT.redirect,
    });
    expect(noVerifier.body.error).toBe("invalid_request");
    const ok = await exchange(code, third.verifier);
    expect(ok.status).toBe(200);
    const reused = await exchange(code, third.verifier);
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe("invalid_grant");
    expect(JSON.stringify(reused.body)).not.toContain(code);
    // The replay ends what the code was exchanged for.
    expect((await bearerCall(emulator, ok.body.access_token, "/api/accounts")).status).toBe(401);
  });

  it("lets a code expire after 10 minutes", async () => {
    const exchange = (code: string, verifier: string) =>
      postForm(oauthUrls(emulator).token, {
        grant_type: "authorization_code",
        code,
        code_verifier: verifier,
        redirect_uri: CLIENT.redirect,
      });
    const early = pkce();
    const late = pkce();
    const codeFor = async (challenge: string) =>
      (await consent(emulator, "allow", { challenge })).searchParams.get("code") ?? "";
    const earlyCode = await codeFor(early.challenge);
    const lateCode = await codeFor(late.challenge);
    now += 10 * 60_000 - 1;
    expect((await exchange(earlyCode, early.verifier)).status).toBe(200);
    now += 2;
    const refused = await exchange(lateCode, late.verifier);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe("invalid_grant");
  });
});

describe("emulator without the oauth option", () => {
  it("has no OAuth endpoints and still refuses Bearer tokens", async () => {
    const emulator = await startEmulator({ demoData: false, rateLimits: false });
    try {
      expect(emulator.oauthUrls).toBeUndefined();
      const token = await fetch(`${emulator.url}/oauth/token`, { method: "POST" });
      expect(token.status).toBe(404);
      const call = await bearerCall(emulator, "anything", "/api/accounts");
      expect(call.status).toBe(401);
    } finally {
      await emulator.close();
    }
  });
});
