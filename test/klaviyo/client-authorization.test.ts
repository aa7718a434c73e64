/**
 * KlaviyoClient with a per-request Authorization (an OAuth grant's bearer token) instead of the
 * API key: the header sent, the value scrubbed from errors, a revoked grant not retried.
 */
import { afterEach, describe, expect, it } from "vitest";
import { errorResult } from "../../src/engine/call/error-result.js";
import * as E from "../../src/klaviyo/errors.js";
import { caught, client, closeAll, get, KEY, reply, serve } from "../support/klaviyo-client.js";

afterEach(closeAll);

const TOKEN = "oauth-access-token-9Xy7Wq";
const bearer =
  (token = TOKEN) =>
  async () =>
    `Bearer ${token}`;

describe("per-request authorization", () => {
  it("sends the given Authorization instead of the API key", async () => {
    const srv = await serve(() => reply(200, { data: [] }));
    const res = await client(srv.url).request(get(), { authorization: bearer() });
    expect(res.status).toBe(200);
    expect(srv.received[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.stringify(srv.received[0]?.headers)).not.toContain(KEY);
  });

  it("works on a client with no API key", async () => {
    const srv = await serve(() => reply(200, { data: [] }));
    const keyless = client(srv.url, { apiKey: undefined });
    await expect(keyless.request(get())).rejects.toBeInstanceOf(E.KlaviyoConfigError);
    await keyless.request(get(), { authorization: bearer() });
    expect(srv.received).toHaveLength(1);
    expect(srv.received[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("is not asked for public endpoints", async () => {
    const srv = await serve(() => reply(202));
    let asked = 0;
    await client(srv.url).request(get({ auth: "public", path: "/client/events" }), {
      authorization: async () => {
        asked++;
        return `Bearer ${TOKEN}`;
      },
    });
    expect(asked).toBe(0);
    expect(srv.received[0]?.headers.authorization).toBeUndefined();
  });

  it("scrubs the value from errors when Klaviyo echoes it", async () => {
    const echo = `token ${TOKEN} (Bearer ${TOKEN}) refused`;
    const srv = await serve(() => reply(400, { errors: [{ title: "Bad", detail: echo }] }));
    const err = await caught(client(srv.url).request(get(), { authorization: bearer() }));
    expect(err).toBeInstanceOf(E.KlaviyoBadRequestError);
    const api = err as E.KlaviyoApiError;
    const text = [err.message, api.rawBodySnippet, JSON.stringify(api.errors)].join(" ");
    expect(text).toContain("[REDACTED]");
    expect(text).not.toContain(TOKEN);
  });

  it("scrubs the value from an unreadable 2xx body", async () => {
    const srv = await serve(() => ({
      status: 200,
      text: `{"token": "${TOKEN}"`,
      headers: { "content-type": "application/json" },
    }));
    const once = client(srv.url, { maxRetries: 0 });
    const err = await caught(once.request(get(), { authorization: bearer() }));
    expect(err.message).not.toContain(TOKEN);
    expect((err as E.KlaviyoApiError).rawBodySnippet).not.toContain(TOKEN);
  });

  it("is asked again for each attempt", async () => {
    const srv = await serve(({ arrival }) => (arrival === 1 ? reply(503) : reply(200, {})));
    const tokens = ["first-token-aaaa", "second-token-bbbb"];
    await client(srv.url).request(get(), { authorization: async () => `Bearer ${tokens.shift()}` });
    expect(srv.received.map((r) => r.headers.authorization)).toEqual([
      "Bearer first-token-aaaa",
      "Bearer second-token-bbbb",
    ]);
  });

  it("lets a revoked grant through at once: nothing sent, not retried", async () => {
    const srv = await serve(() => reply(200, {}));
    let asked = 0;
    const err = await caught(
      client(srv.url).request(get({ method: "POST", idempotent: true }), {
        authorization: async () => {
          asked++;
          throw new E.KlaviyoGrantRevokedError();
        },
      }),
    );
    expect(err).toBeInstanceOf(E.KlaviyoGrantRevokedError);
    expect(asked).toBe(1);
    expect(srv.received).toHaveLength(0);
    expect((err as E.KlaviyoError).outcome).toBe("not_applied");
    expect((err as E.KlaviyoError).attempts).toBe(0);

    const result = errorResult(err, { toolName: "create_profile", write: true });
    const shown = JSON.parse(String(result.content[0]?.type === "text" && result.content[0].text));
    expect(shown.error).toContain("create_profile was not sent");
    expect(shown.error).toContain("sign-in was revoked or has expired");
    expect(shown.hint).toContain("reconnect the Klaviyo connector");
    expect(shown.outcome).toBe("not_applied");
  });

  it("refuses a malformed value without sending or repeating it", async () => {
    const srv = await serve(() => reply(200, {}));
    const bad = `Bearer ${TOKEN}\r\nx-injected: 1`;
    const err = await caught(client(srv.url).request(get(), { authorization: async () => bad }));
    expect(err).toBeInstanceOf(E.KlaviyoConfigError);
    expect(err.message).not.toContain(TOKEN);
    expect(srv.received).toHaveLength(0);
  });

  it("leaves the key's standing alone on a 401 to a grant's request", async () => {
    const srv = await serve(({ headers }) =>
      headers.authorization === `Klaviyo-API-Key ${KEY}` ? reply(200, {}) : reply(401, {}),
    );
    const shared = client(srv.url);
    // Klaviyo refused the signed-in user's token: the answer says to sign in again.
    expect(await caught(shared.request(get(), { authorization: bearer() }))).toBeInstanceOf(
      E.KlaviyoGrantRevokedError,
    );
    expect(shared.keyRejected).toBe(false);
    await shared.request(get());
    expect(shared.keyRejected).toBe(false);
  });
});
