import http from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { inspect } from "node:util";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import {
  buildQueryString,
  KlaviyoClient,
  type KlaviyoClientOptions,
  type KlaviyoRequest,
} from "../../src/klaviyo/client.js";
import * as E from "../../src/klaviyo/errors.js";
import { Throttle } from "../../src/klaviyo/throttle.js";

const KEY = "pk_SECRETtestkey0123456789abcdef";

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}
type Handler = (req: Received, res: http.ServerResponse, n: number) => void;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A loopback server that records every request; `handler` gets the 1-based request number. */
async function serve(handler: Handler) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      received.push(r);
      handler(r, res, received.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { url: `http://127.0.0.1:${port}`, port, received };
}

function reply(res: http.ServerResponse, status: number, body?: unknown, headers = {}) {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/vnd.api+json", ...headers });
  res.end(text);
}

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

function client(baseUrl: string, opts: Partial<KlaviyoClientOptions> = {}) {
  const c = new KlaviyoClient({
    baseUrl,
    apiKey: KEY,
    revision: "2026-07-15",
    userAgent: "klaviyo-mcp/0.1.0",
    throttle: false,
    ...opts,
  });
  cleanups.push(() => c.close());
  return c;
}

const get = (extra: Partial<KlaviyoRequest> = {}): KlaviyoRequest => ({
  operationId: "get_profiles",
  method: "GET",
  path: "/api/profiles",
  query: [],
  auth: "private",
  ...extra,
});

/** Resolves with the rejection reason; fails the test if `p` resolves. */
const caught = (p: Promise<unknown>): Promise<Error> =>
  p.then(
    () => expect.fail("expected a rejection"),
    (err: Error) => err,
  );

describe("request shape", () => {
  it("sends the headers and encodes the query", async () => {
    const srv = await serve((_r, res) =>
      reply(res, 200, { data: [] }, { "x-klaviyo-req-id": "r1" }),
    );
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
    const srv = await serve((_r, res) => reply(res, 202));
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
    const srv = await serve((_r, res) => reply(res, 201, { data: { id: "p1" } }));
    const value = { data: { type: "profile", attributes: { email: "a@b.co", n: 1 } } };
    const res = await client(srv.url).request(
      get({ operationId: "create_profile", method: "POST", body: { kind: "json", value } }),
    );
    expect(res.body).toEqual({ data: { id: "p1" } });
    const [r] = srv.received;
    expect(r?.headers["content-type"]).toBe("application/vnd.api+json");
    expect(JSON.parse(r?.body.toString() ?? "")).toEqual(value);
  });

  it("sends multipart FormData with the file", async () => {
    const srv = await serve((_r, res) => reply(res, 201, { data: { id: "img" } }));
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
    const body = r?.body.toString() ?? "";
    expect(body).toContain('name="file"; filename="logo.png"');
    expect(body).toContain("Content-Type: image/png");
    expect(body).toContain("PNGDATA");
    expect(body).toContain('name="name"');
  });

  it("keeps a base URL path prefix", async () => {
    const srv = await serve((_r, res) => reply(res, 204));
    await client(`${srv.url}/proxy/`).request(get());
    expect(srv.received[0]?.url).toBe("/proxy/api/profiles");
  });

  it("requires a private key for private endpoints", async () => {
    const srv = await serve((_r, res) => reply(res, 200, {}));
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
    const srv = await serve((_r, res) => reply(res, 200, {}));
    const keys: string[] = [];
    class Spy extends Throttle {
      override schedule<T>(...args: Parameters<Throttle["schedule"]>): Promise<T> {
        keys.push(args[0]);
        return super.schedule(...args) as Promise<T>;
      }
    }
    const throttle = new Spy();
    cleanups.push(() => throttle.stop());
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
    const srv = await serve((_r, res) =>
      reply(res, status, { errors: [error] }, { "x-klaviyo-req-id": "req-9" }),
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
    const srv = await serve((_r, res) => {
      res.writeHead(403, { "content-type": "text/html; charset=UTF-8" });
      res.end(html);
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
    const srv = await serve((_r, res) => reply(res, 429, { errors: [{ detail }] }));
    const err = await caught(
      client(srv.url, { maxRetries: 0, maxRateLimitRetries: 0 }).request(get()),
    );
    expect(err).toMatchObject({ name: "KlaviyoRateLimitError", retryAfterSeconds: 7 });
  });

  it("names the host on connection refused", async () => {
    const srv = await serve(() => {});
    const url = srv.url;
    await cleanups.pop()?.(); // close the server: the port now refuses connections
    const err = await caught(client(url, { maxRetries: 0 }).request(get()));
    expect(err).toBeInstanceOf(E.KlaviyoNetworkError);
    expect(err).toMatchObject({ code: "ECONNREFUSED", host: `127.0.0.1:${srv.port}` });
    expect(err.message).toContain(`127.0.0.1:${srv.port}`);
  });
});

describe("retries", () => {
  it("retries a 429 (even a POST) after Retry-After: 0", async () => {
    const srv = await serve((_r, res, n) =>
      n === 1 ? reply(res, 429, { errors: [] }, { "retry-after": "0" }) : reply(res, 202),
    );
    const res = await client(srv.url).request(get({ method: "POST" }));
    expect(res.status).toBe(202);
    expect(srv.received).toHaveLength(2);
  });

  it("waits Retry-After: 1 before retrying", async () => {
    const srv = await serve((_r, res, n) =>
      n === 1 ? reply(res, 429, { errors: [] }, { "retry-after": "1" }) : reply(res, 200, {}),
    );
    const t0 = performance.now();
    await client(srv.url).request(get());
    expect(performance.now() - t0).toBeGreaterThanOrEqual(950);
    expect(srv.received).toHaveLength(2);
  });

  it("does not wait out a Retry-After beyond 60 s", async () => {
    const srv = await serve((_r, res) =>
      reply(res, 429, { errors: [] }, { "retry-after": "3600" }),
    );
    const err = await caught(client(srv.url).request(get()));
    expect(err).toMatchObject({ name: "KlaviyoRateLimitError", retryAfterSeconds: 3600 });
    expect(srv.received).toHaveLength(1);
  });

  it.each(["POST", "PATCH"] as const)("never retries a %s after a 5xx", async (method) => {
    const srv = await serve((_r, res) => reply(res, 500, { errors: [{ detail: "oops" }] }));
    const err = await caught(client(srv.url).request(get({ method })));
    expect(err).toBeInstanceOf(E.KlaviyoServerError);
    expect(srv.received).toHaveLength(1);
  });

  it("retries a GET after a 503", async () => {
    const srv = await serve((_r, res, n) =>
      n === 1 ? reply(res, 503) : reply(res, 200, { ok: 1 }),
    );
    const res = await client(srv.url).request(get());
    expect(res.body).toEqual({ ok: 1 });
    expect(srv.received).toHaveLength(2);
  });

  it("gives up after maxRetries", async () => {
    const srv = await serve((_r, res) => reply(res, 502));
    const err = await caught(client(srv.url, { maxRetries: 1 }).request(get()));
    expect(err).toMatchObject({ name: "KlaviyoServerError", status: 502 });
    expect(srv.received).toHaveLength(2);
  });
});

describe("timeouts and aborts", () => {
  it("times out a server that never answers", async () => {
    const srv = await serve(() => {});
    const t0 = performance.now();
    const err = await caught(client(srv.url, { timeoutMs: 300, maxRetries: 0 }).request(get()));
    const took = performance.now() - t0;
    expect(err).toBeInstanceOf(E.KlaviyoTimeoutError);
    expect(err.message).toContain("300 ms");
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(1_500);
  });

  it("times out a body that trickles in", async () => {
    const srv = await serve((_r, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const timer = setInterval(() => res.write(" "), 50);
      res.on("close", () => clearInterval(timer));
    });
    const err = await caught(client(srv.url, { timeoutMs: 300, maxRetries: 0 }).request(get()));
    expect(err).toBeInstanceOf(E.KlaviyoTimeoutError);
  });

  it("retries a GET timeout but not a POST timeout", async () => {
    const srv = await serve(() => {});
    const c = client(srv.url, { timeoutMs: 150, maxRetries: 1 });
    expect(await caught(c.request(get()))).toBeInstanceOf(E.KlaviyoTimeoutError);
    expect(srv.received).toHaveLength(2);
    expect(await caught(c.request(get({ method: "POST" })))).toBeInstanceOf(E.KlaviyoTimeoutError);
    expect(srv.received).toHaveLength(3);
  });

  it("aborts an in-flight request promptly", async () => {
    const srv = await serve(() => {});
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const t0 = performance.now();
    const err = await caught(client(srv.url).request(get(), { signal: ac.signal }));
    expect(err).toBeInstanceOf(E.KlaviyoAbortError);
    expect(err.name).toBe("AbortError");
    expect(performance.now() - t0).toBeLessThan(1_000);
  });

  it("aborts during a retry wait", async () => {
    const srv = await serve((_r, res) => reply(res, 429, { errors: [] }, { "retry-after": "30" }));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 150);
    const t0 = performance.now();
    const err = await caught(client(srv.url).request(get(), { signal: ac.signal }));
    expect(err.name).toBe("AbortError");
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(srv.received).toHaveLength(1);
  });

  it("sends nothing for an already aborted signal", async () => {
    const srv = await serve((_r, res) => reply(res, 200, {}));
    const err = await caught(client(srv.url).request(get(), { signal: AbortSignal.abort() }));
    expect(err.name).toBe("AbortError");
    expect(srv.received).toHaveLength(0);
  });
});

describe("the API key never leaks", () => {
  it("is absent from errors and logs in every failure case", async () => {
    const { logger, lines } = captureLogger();
    // A hostile server that echoes the Authorization header back in every error body.
    const srv = await serve((r, res) => {
      const auth = String(r.headers.authorization);
      if (r.url === "/hang") return;
      if (r.url === "/html") {
        res.writeHead(403, { "content-type": "text/html" });
        return res.end(`<p>Denied for ${auth}</p>`);
      }
      const status = Number(r.url.slice(1));
      const body = { errors: [{ detail: `bad key ${auth}`, meta: { echo: auth } }] };
      reply(res, status, body, { "retry-after": "0" });
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

describe("never a duplicated write", () => {
  const post = (extra: Partial<KlaviyoRequest> = {}) =>
    get({ operationId: "create_list", method: "POST", path: "/api/lists", ...extra });

  it("does not repeat a create after a 5xx: its outcome is unknown", async () => {
    const srv = await serve((_r, res) => reply(res, 503, { errors: [{ detail: "busy" }] }));
    const err = (await caught(client(srv.url).request(post()))) as E.KlaviyoError;
    expect(srv.received).toHaveLength(1);
    expect(err).toMatchObject({ name: "KlaviyoServerError", outcome: "unknown", attempts: 1 });
  });

  it("does not repeat a create after a reset: its outcome is unknown", async () => {
    const srv = await serve((req, res) => {
      res.socket?.destroy();
      void req;
    });
    const err = (await caught(client(srv.url).request(post()))) as E.KlaviyoError;
    expect(srv.received).toHaveLength(1);
    expect(err).toMatchObject({ name: "KlaviyoNetworkError", outcome: "unknown" });
  });

  it("repeats a create refused with 429, which Klaviyo never processed", async () => {
    const srv = await serve((_r, res, n) =>
      n < 3
        ? reply(res, 429, { errors: [] }, { "retry-after": "0" })
        : reply(res, 201, { data: {} }),
    );
    const res = await client(srv.url).request(post());
    expect(res.status).toBe(201);
    expect(srv.received).toHaveLength(3);
  });

  it("says not_applied after the 429 retries run out", async () => {
    const srv = await serve((_r, res) => reply(res, 429, { errors: [] }, { "retry-after": "0" }));
    const err = (await caught(
      client(srv.url, { maxRateLimitRetries: 2 }).request(post()),
    )) as E.KlaviyoError;
    expect(srv.received).toHaveLength(3);
    expect(err).toMatchObject({
      name: "KlaviyoRateLimitError",
      outcome: "not_applied",
      attempts: 3,
    });
  });

  it("repeats an idempotent write (a PATCH) after a 5xx, with backoff", async () => {
    const srv = await serve((_r, res, n) =>
      n < 3 ? reply(res, 502) : reply(res, 200, { data: {} }),
    );
    const started = Date.now();
    const res = await client(srv.url).request(
      post({ method: "PATCH", path: "/api/lists/L1", idempotent: true }),
    );
    expect(res.status).toBe(200);
    expect(srv.received).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(125 + 250); // jittered 250 ms, 500 ms
  });

  it("an earlier ambiguous failure keeps the outcome unknown", async () => {
    const srv = await serve((_r, res, n) =>
      n === 1 ? reply(res, 500) : reply(res, 429, { errors: [] }, { "retry-after": "0" }),
    );
    const err = (await caught(
      client(srv.url, { maxRateLimitRetries: 1 }).request(
        post({ method: "PATCH", path: "/api/lists/L1", idempotent: true }),
      ),
    )) as E.KlaviyoError;
    expect(err).toMatchObject({ name: "KlaviyoRateLimitError", outcome: "unknown" });
  });

  it("marks a create whose 2xx answer is unreadable as applied, and does not repeat it", async () => {
    const srv = await serve((_r, res) => {
      res.writeHead(201, { "content-type": "application/vnd.api+json" });
      res.end('{"data": {"id": "L1"');
    });
    const err = (await caught(client(srv.url).request(post()))) as E.KlaviyoError;
    expect(srv.received).toHaveLength(1);
    expect(err.outcome).toBe("applied");
  });

  it("stops retrying when the retry budget is spent", async () => {
    const srv = await serve((_r, res) => reply(res, 503));
    const err = (await caught(
      client(srv.url, { maxRetries: 10, retryBudgetMs: 600 }).request(get()),
    )) as E.KlaviyoError;
    expect(srv.received.length).toBeLessThanOrEqual(4);
    expect(err.outcome).toBe("unknown");
  });
});

describe("adaptive throttling", () => {
  it("holds the bucket after a 429 so queued calls wait too", async () => {
    const srv = await serve((_r, res, n) =>
      n === 1 ? reply(res, 429, { errors: [] }, { "retry-after": "1" }) : reply(res, 200, {}),
    );
    const throttle = new Throttle();
    cleanups.push(() => throttle.stop());
    const c = client(srv.url, { throttle });
    const limit = { burst: "100/s", steady: "1000/m" };
    const first = c.request(get({ rateLimit: limit }));
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await c.request(get({ rateLimit: limit }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(850);
    await first;
  });

  it("pauses when RateLimit-Remaining reaches 0, until RateLimit-Reset", async () => {
    const srv = await serve((_r, res, n) =>
      n === 1
        ? reply(res, 200, {}, { "ratelimit-remaining": "0", "ratelimit-reset": "1" })
        : reply(res, 200, {}),
    );
    const throttle = new Throttle();
    cleanups.push(() => throttle.stop());
    const c = client(srv.url, { throttle });
    const limit = { burst: "100/s", steady: "1000/m" };
    await c.request(get({ rateLimit: limit }));
    const started = Date.now();
    await c.request(get({ rateLimit: limit }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });
});

describe("an answer cut off in transit", () => {
  it("asks again for a read, but not for a create", async () => {
    const cut = (res: http.ServerResponse) => {
      res.writeHead(200, { "content-type": "application/vnd.api+json" });
      res.end('{"data": [');
    };
    const reads = await serve((_r, res, n) => (n === 1 ? cut(res) : reply(res, 200, { data: [] })));
    expect((await client(reads.url).request(get())).status).toBe(200);
    expect(reads.received).toHaveLength(2);
    const creates = await serve((_r, res) => cut(res));
    const err = (await caught(
      client(creates.url).request(get({ method: "POST", operationId: "create_list" })),
    )) as E.KlaviyoError;
    expect(creates.received).toHaveLength(1);
    expect(err.outcome).toBe("applied");
  });
});
