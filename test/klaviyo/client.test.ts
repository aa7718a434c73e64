/**
 * KlaviyoClient against a fake Klaviyo: the requests it sends, the errors it raises, timeouts
 * and aborts, and a key that never leaks. When it asks again: client-retries.test.ts.
 */
import { Writable } from "node:stream";
import { inspect } from "node:util";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { buildQueryString } from "../../src/klaviyo/client.js";
import * as E from "../../src/klaviyo/errors.js";
import { Throttle } from "../../src/klaviyo/throttle.js";
import {
  caught,
  client,
  closeAll,
  closeLast,
  closeLater,
  get,
  HANG,
  KEY,
  reply,
  serve,
} from "../support/klaviyo-client.js";

afterEach(closeAll);

/** Captures pino output so tests can scan every log line. */
function captureLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { logger: pino({ level: "debug" }, stream), lines };
}

describe("request shape", () => {
  it("sends the headers and encodes the query", async () => {
    const srv = await serve(() => reply(200, { data: [] }, { "x-klaviyo-req-id": "r1" }));
    const filter = 'equals(email,"a+b@x.com")';
    const res = await client(srv.url).request(
      get({
        query: [
          ["fields[profile]", "email,first_name"],
          ["page[size]", "20"],
          ["filter", filter],
        ],
      }),
    );
    expect(res).toMatchObject({ status: 200, body: { data: [] } });
    expect(res.headers["x-klaviyo-req-id"]).toBe("r1");
    const [r] = srv.received;
    expect(r?.method).toBe("GET");
    expect(r?.url).toBe(
      "/api/profiles?fields[profile]=email,first_name&page[size]=20&filter=equals(email,%22a%2Bb%40x.com%22)",
    );
    expect(new URL(r?.url ?? "", "http://x").searchParams.get("filter")).toBe(filter);
    expect(r?.headers.authorization).toBe(`Klaviyo-API-Key ${KEY}`);
    expect(r?.headers.revision).toBe("2026-07-15");
    expect(r?.headers.accept).toBe("application/vnd.api+json");
    expect(r?.headers["user-agent"]).toBe("klaviyo-mcp/0.1.0");
    expect(r?.headers["content-type"]).toBeUndefined();
  });

  it("sends no Authorization header for public endpoints, even with a key", async () => {
    const srv = await serve(() => reply(202));
    const res = await client(srv.url).request({
      operationId: "create_client_event",
      method: "POST",
      path: "/client/events",
      query: [["company_id", "AbC123"]],
      auth: "public",
      body: { kind: "json", value: { data: { type: "event" } } },
    });
    expect(res).toEqual({ status: 202, headers: expect.any(Object), body: undefined });
    expect(srv.received[0]?.headers.authorization).toBeUndefined();
    expect(srv.received[0]?.url).toBe("/client/events?company_id=AbC123");
  });

  it("sends a JSON body as application/vnd.api+json", async () => {
    const srv = await serve(() => reply(201, { data: { id: "p1" } }));
    const value = { data: { type: "profile", attributes: { email: "a@b.co", n: 1 } } };
    const res = await client(srv.url).request(
      get({ operationId: "create_profile", method: "POST", body: { kind: "json", value } }),
    );
    expect(res.body).toEqual({ data: { id: "p1" } });
    const [r] = srv.received;
    expect(r?.headers["content-type"]).toBe("application/vnd.api+json");
    expect(JSON.parse(r?.rawBody.toString() ?? "")).toEqual(value);
  });

  it("sends multipart FormData with the file", async () => {
    const srv = await serve(() => reply(201, { data: { id: "img" } }));
    const form = new FormData();
    form.append("name", "logo");
    form.append("file", new Blob(["PNGDATA"], { type: "image/png" }), "logo.png");
    await client(srv.url).request(
      get({
        operationId: "upload_image_from_file",
        method: "POST",
        path: "/api/image-upload",
        body: { kind: "multipart", form },
      }),
    );
    const r = srv.received[0];
    const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(r?.headers["content-type"] ?? "");
    expect(boundary?.[1]).toBeTruthy();
    const body = r?.rawBody.toString() ?? "";
    expect(body).toContain('name="file"; filename="logo.png"');
    expect(body).toContain("Content-Type: image/png");
    expect(body).toContain("PNGDATA");
    expect(body).toContain('name="name"');
  });

  it("keeps a base URL path prefix", async () => {
    const srv = await serve(() => reply(204));
    await client(`${srv.url}/proxy/`).request(get());
    expect(srv.received[0]?.url).toBe("/proxy/api/profiles");
  });

  it("requires a private key for private endpoints", async () => {
    const srv = await serve(() => reply(200, {}));
    const err = await caught(client(srv.url, { apiKey: undefined }).request(get()));
    expect(err).toBeInstanceOf(E.KlaviyoConfigError);
    expect(err.message).toMatch(/private API key/);
    expect(srv.received).toHaveLength(0);
  });

  it("builds query strings", () => {
    expect(buildQueryString([])).toBe("");
    expect(buildQueryString([["a b", "c&d=e"]])).toBe("?a%20b=c%26d%3De");
  });

  it("routes each attempt through an injected throttle", async () => {
    const srv = await serve(() => reply(200, {}));
    const keys: string[] = [];
    class Spy extends Throttle {
      override schedule<T>(...args: Parameters<Throttle["schedule"]>): Promise<T> {
        keys.push(args[0]);
        return super.schedule(...args) as Promise<T>;
      }
    }
    const throttle = new Spy();
    closeLater(() => throttle.stop());
    await client(srv.url, { throttle }).request(get({ rateLimit: { burst: "10/s" } }));
    expect(keys).toEqual(["get_profiles"]);
  });
});

describe("errors", () => {
  const cases = [
    [400, E.KlaviyoBadRequestError],
    [401, E.KlaviyoAuthenticationError],
    [403, E.KlaviyoPermissionError],
    [404, E.KlaviyoNotFoundError],
    [405, E.KlaviyoMethodNotAllowedError],
    [409, E.KlaviyoConflictError],
    [415, E.KlaviyoUnsupportedMediaTypeError],
    [429, E.KlaviyoRateLimitError],
    [500, E.KlaviyoServerError],
  ] as const;

  it.each(cases)("HTTP %i → %o", async (status, Cls) => {
    const error = {
      id: "e1",
      status,
      code: "some_code",
      title: "Some title",
      detail: "Something is wrong",
      source: { pointer: "/data/attributes/email", parameter: "filter" },
      meta: { duplicate_profile_id: "01HDUP" },
    };
    const srv = await serve(() =>
      reply(status, { errors: [error] }, { "x-klaviyo-req-id": "req-9" }),
    );
    const err = await caught(client(srv.url, { maxRetries: 0 }).request(get()));
    expect(err).toBeInstanceOf(Cls);
    expect(err).toBeInstanceOf(E.KlaviyoApiError);
    expect(err).toMatchObject({ status, operationId: "get_profiles", requestId: "req-9" });
    expect((err as E.KlaviyoApiError).errors).toEqual([error]);
    expect(err.message).toContain("Something is wrong");
    expect(err.message).toContain(`HTTP ${status}`);
  });

  it("explains a non-JSON (HTML) error body", async () => {
    const html = `<html><head><style>body{color:red}</style></head>
      <body><h1>Access    denied</h1>\n<p>Ray ID: 8a&amp;b</p></body></html>`;
    const srv = await serve({
      status: 403,
      text: html,
      headers: { "content-type": "text/html; charset=UTF-8" },
    });
    const err = await caught(client(srv.url).request(get()));
    expect(err).toBeInstanceOf(E.KlaviyoPermissionError);
    expect(err.message).toBe(
      "Klaviyo returned HTTP 403 with a non-JSON body (text/html): Access denied Ray ID: 8a&b",
    );
    expect((err as E.KlaviyoApiError).errors).toEqual([]);
    expect((err as E.KlaviyoApiError).rawBodySnippet).toContain("<h1>");
  });

  it("reads the wait from a 429 detail when Retry-After is absent", async () => {
    const detail = "Request was throttled. Expected available in 7 seconds.";
    const srv = await serve(() => reply(429, { errors: [{ detail }] }));
    const err = await caught(
      client(srv.url, { maxRetries: 0, maxRateLimitRetries: 0 }).request(get()),
    );
    expect(err).toMatchObject({ name: "KlaviyoRateLimitError", retryAfterSeconds: 7 });
  });

  it("names the host on connection refused", async () => {
    const srv = await serve(HANG);
    const url = srv.url;
    await closeLast(); // close the server: the port now refuses connections
    const err = await caught(client(url, { maxRetries: 0 }).request(get()));
    expect(err).toBeInstanceOf(E.KlaviyoNetworkError);
    expect(err).toMatchObject({ code: "ECONNREFUSED", host: `127.0.0.1:${srv.port}` });
    expect(err.message).toContain(`127.0.0.1:${srv.port}`);
  });
});

describe("timeouts and aborts", () => {
  it("times out a server that never answers", async () => {
    const srv = await serve(HANG);
    const t0 = performance.now();
    const err = await caught(client(srv.url, { timeoutMs: 300, maxRetries: 0 }).request(get()));
    const took = performance.now() - t0;
    expect(err).toBeInstanceOf(E.KlaviyoTimeoutError);
    expect(err.message).toContain("300 ms");
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(1_500);
  });

  it("times out a body that trickles in", async () => {
    const srv = await serve({ misbehave: "trickle" });
    const err = await caught(client(srv.url, { timeoutMs: 300, maxRetries: 0 }).request(get()));
    expect(err).toBeInstanceOf(E.KlaviyoTimeoutError);
  });

  it("retries a GET timeout but not a POST timeout", async () => {
    const srv = await serve(HANG);
    const c = client(srv.url, { timeoutMs: 150, maxRetries: 1 });
    expect(await caught(c.request(get()))).toBeInstanceOf(E.KlaviyoTimeoutError);
    expect(srv.received).toHaveLength(2);
    expect(await caught(c.request(get({ method: "POST" })))).toBeInstanceOf(E.KlaviyoTimeoutError);
    expect(srv.received).toHaveLength(3);
  });

  it("aborts an in-flight request promptly", async () => {
    const srv = await serve(HANG);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const t0 = performance.now();
    const err = await caught(client(srv.url).request(get(), { signal: ac.signal }));
    expect(err).toBeInstanceOf(E.KlaviyoAbortError);
    expect(err.name).toBe("AbortError");
    expect(performance.now() - t0).toBeLessThan(1_000);
  });

  it.each([
    ["without a throttle", false as const],
    ["through the throttle's fast path", {}],
  ])("says a write cut off in flight may have been applied (%s)", async (_how, throttle) => {
    const srv = await serve(HANG);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const request = get({ method: "POST", rateLimit: { burst: "10/s", steady: "150/m" } });
    const err = await caught(client(srv.url, { throttle }).request(request, { signal: ac.signal }));
    expect(err).toMatchObject({ name: "AbortError", outcome: "unknown" });
    expect(srv.received).toHaveLength(1);
  });

  it("aborts during a retry wait", async () => {
    const srv = await serve(() => reply(429, { errors: [] }, { "retry-after": "30" }));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 150);
    const t0 = performance.now();
    const err = await caught(client(srv.url).request(get(), { signal: ac.signal }));
    expect(err.name).toBe("AbortError");
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(srv.received).toHaveLength(1);
  });

  it("sends nothing for an already aborted signal", async () => {
    const srv = await serve(() => reply(200, {}));
    const err = await caught(client(srv.url).request(get(), { signal: AbortSignal.abort() }));
    expect(err.name).toBe("AbortError");
    expect(srv.received).toHaveLength(0);
  });
});

describe("the API key never leaks", () => {
  it("is absent from errors and logs in every failure case", async () => {
    const { logger, lines } = captureLogger();
    // A hostile server that echoes the Authorization header back in every error body.
    const srv = await serve((r) => {
      const auth = String(r.headers.authorization);
      if (r.url === "/hang") return HANG;
      if (r.url === "/html") {
        return {
          status: 403,
          text: `<p>Denied for ${auth}</p>`,
          headers: { "content-type": "text/html" },
        };
      }
      const status = Number(r.url.slice(1));
      const body = { errors: [{ detail: `bad key ${auth}`, meta: { echo: auth } }] };
      return reply(status, body, { "retry-after": "0" });
    });
    const c = client(srv.url, { logger, timeoutMs: 200, maxRetries: 1 });
    const errors: Error[] = [];
    for (const path of ["/401", "/html", "/500", "/429", "/hang"]) {
      errors.push(await caught(c.request(get({ path }))));
    }
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    errors.push(await caught(c.request(get({ path: "/hang" }), { signal: ac.signal })));
    errors.push(
      await caught(client("http://127.0.0.1:1", { logger, maxRetries: 0 }).request(get())),
    );

    expect(errors.map((e) => e.name)).toEqual([
      "KlaviyoAuthenticationError",
      "KlaviyoPermissionError",
      "KlaviyoServerError",
      "KlaviyoRateLimitError",
      "KlaviyoTimeoutError",
      "AbortError",
      "KlaviyoNetworkError",
    ]);
    expect(errors[0]?.message).toContain("[REDACTED]"); // the echo was scrubbed, not dropped
    expect(lines.length).toBeGreaterThan(5);
    for (const err of errors) {
      for (const text of [JSON.stringify(err), err.message, err.stack ?? "", inspect(err)]) {
        expect(text).not.toContain(KEY);
      }
    }
    for (const line of lines) expect(line).not.toContain(KEY);
    expect(srv.received[0]?.headers.authorization).toContain(KEY); // it really was sent
  });
});
