/**
 * When KlaviyoClient asks Klaviyo again and when it must not: 429s and 5xx, a write never sent
 * twice unless Klaviyo cannot have processed it, the throttle held after a 429, answers cut off.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { KlaviyoRequest } from "../../src/klaviyo/client.js";
import * as E from "../../src/klaviyo/errors.js";
import { Throttle } from "../../src/klaviyo/throttle.js";
import type { FakeResponse } from "../support/fake-klaviyo.js";
import {
  caught,
  client,
  closeAll,
  closeLater,
  get,
  reply,
  serve,
} from "../support/klaviyo-client.js";

afterEach(closeAll);

describe("retries", () => {
  it("retries a 429 (even a POST) after Retry-After: 0", async () => {
    const srv = await serve(({ arrival: n }) =>
      n === 1 ? reply(429, { errors: [] }, { "retry-after": "0" }) : reply(202),
    );
    const res = await client(srv.url).request(get({ method: "POST" }));
    expect(res.status).toBe(202);
    expect(srv.received).toHaveLength(2);
  });

  it("waits Retry-After: 1 before retrying", async () => {
    const srv = await serve(({ arrival: n }) =>
      n === 1 ? reply(429, { errors: [] }, { "retry-after": "1" }) : reply(200, {}),
    );
    const t0 = performance.now();
    await client(srv.url).request(get());
    expect(performance.now() - t0).toBeGreaterThanOrEqual(950);
    expect(srv.received).toHaveLength(2);
  });

  it("does not wait out a Retry-After beyond 60 s", async () => {
    const srv = await serve(() => reply(429, { errors: [] }, { "retry-after": "3600" }));
    const err = await caught(client(srv.url).request(get()));
    expect(err).toMatchObject({ name: "KlaviyoRateLimitError", retryAfterSeconds: 3600 });
    expect(srv.received).toHaveLength(1);
  });

  it.each(["POST", "PATCH"] as const)("never retries a %s after a 5xx", async (method) => {
    const srv = await serve(() => reply(500, { errors: [{ detail: "oops" }] }));
    const err = await caught(client(srv.url).request(get({ method })));
    expect(err).toBeInstanceOf(E.KlaviyoServerError);
    expect(srv.received).toHaveLength(1);
  });

  it("retries a GET after a 503", async () => {
    const srv = await serve(({ arrival: n }) => (n === 1 ? reply(503) : reply(200, { ok: 1 })));
    const res = await client(srv.url).request(get());
    expect(res.body).toEqual({ ok: 1 });
    expect(srv.received).toHaveLength(2);
  });

  it("gives up after maxRetries", async () => {
    const srv = await serve(() => reply(502));
    const err = await caught(client(srv.url, { maxRetries: 1 }).request(get()));
    expect(err).toMatchObject({ name: "KlaviyoServerError", status: 502 });
    expect(srv.received).toHaveLength(2);
  });
});

describe("never a duplicated write", () => {
  const post = (extra: Partial<KlaviyoRequest> = {}) =>
    get({ operationId: "create_list", method: "POST", path: "/api/lists", ...extra });

  it("does not repeat a create after a 5xx: its outcome is unknown", async () => {
    const srv = await serve(() => reply(503, { errors: [{ detail: "busy" }] }));
    const err = (await caught(client(srv.url).request(post()))) as E.KlaviyoError;
    expect(srv.received).toHaveLength(1);
    expect(err).toMatchObject({ name: "KlaviyoServerError", outcome: "unknown", attempts: 1 });
  });

  it("does not repeat a create after a reset: its outcome is unknown", async () => {
    const srv = await serve({ misbehave: "reset" });
    const err = (await caught(client(srv.url).request(post()))) as E.KlaviyoError;
    expect(srv.received).toHaveLength(1);
    expect(err).toMatchObject({ name: "KlaviyoNetworkError", outcome: "unknown" });
  });

  it("repeats a create refused with 429, which Klaviyo never processed", async () => {
    const srv = await serve(({ arrival: n }) =>
      n < 3 ? reply(429, { errors: [] }, { "retry-after": "0" }) : reply(201, { data: {} }),
    );
    const res = await client(srv.url).request(post());
    expect(res.status).toBe(201);
    expect(srv.received).toHaveLength(3);
  });

  it("says not_applied after the 429 retries run out", async () => {
    const srv = await serve(() => reply(429, { errors: [] }, { "retry-after": "0" }));
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
    const srv = await serve(({ arrival: n }) => (n < 3 ? reply(502) : reply(200, { data: {} })));
    const started = Date.now();
    const res = await client(srv.url).request(
      post({ method: "PATCH", path: "/api/lists/L1", idempotent: true }),
    );
    expect(res.status).toBe(200);
    expect(srv.received).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(125 + 250); // jittered 250 ms, 500 ms
  });

  it("an earlier ambiguous failure keeps the outcome unknown", async () => {
    const srv = await serve(({ arrival: n }) =>
      n === 1 ? reply(500) : reply(429, { errors: [] }, { "retry-after": "0" }),
    );
    const err = (await caught(
      client(srv.url, { maxRateLimitRetries: 1 }).request(
        post({ method: "PATCH", path: "/api/lists/L1", idempotent: true }),
      ),
    )) as E.KlaviyoError;
    expect(err).toMatchObject({ name: "KlaviyoRateLimitError", outcome: "unknown" });
  });

  it("marks a create whose 2xx answer is unreadable as applied, and does not repeat it", async () => {
    const srv = await serve({
      status: 201,
      text: '{"data": {"id": "L1"',
      headers: { "content-type": "application/vnd.api+json" },
    });
    const err = (await caught(client(srv.url).request(post()))) as E.KlaviyoError;
    expect(srv.received).toHaveLength(1);
    expect(err.outcome).toBe("applied");
  });

  it("stops retrying when the retry budget is spent", async () => {
    const srv = await serve(() => reply(503));
    const err = (await caught(
      client(srv.url, { maxRetries: 10, retryBudgetMs: 600 }).request(get()),
    )) as E.KlaviyoError;
    expect(srv.received.length).toBeLessThanOrEqual(4);
    expect(err.outcome).toBe("unknown");
  });
});

describe("adaptive throttling", () => {
  it("holds the bucket after a 429 so queued calls wait too", async () => {
    const srv = await serve(({ arrival: n }) =>
      n === 1 ? reply(429, { errors: [] }, { "retry-after": "1" }) : reply(200, {}),
    );
    const throttle = new Throttle();
    closeLater(() => throttle.stop());
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
    const srv = await serve(({ arrival: n }) =>
      n === 1
        ? reply(200, {}, { "ratelimit-remaining": "0", "ratelimit-reset": "1" })
        : reply(200, {}),
    );
    const throttle = new Throttle();
    closeLater(() => throttle.stop());
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
    const cut: FakeResponse = {
      status: 200,
      text: '{"data": [',
      headers: { "content-type": "application/vnd.api+json" },
    };
    const reads = await serve(({ arrival: n }) => (n === 1 ? cut : reply(200, { data: [] })));
    expect((await client(reads.url).request(get())).status).toBe(200);
    expect(reads.received).toHaveLength(2);
    const creates = await serve(cut);
    const err = (await caught(
      client(creates.url).request(get({ method: "POST", operationId: "create_list" })),
    )) as E.KlaviyoError;
    expect(creates.received).toHaveLength(1);
    expect(err.outcome).toBe("applied");
  });
});
