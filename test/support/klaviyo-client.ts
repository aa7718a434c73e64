/**
 * A real KlaviyoClient pointed at a FakeKlaviyo that answers every request the same way (or by
 * its arrival number), for the client's own tests. Each test file runs `afterEach(closeAll)`.
 */
import { expect } from "vitest";
import {
  KlaviyoClient,
  type KlaviyoClientOptions,
  type KlaviyoRequest,
} from "../../src/klaviyo/client.js";
import { type FakeAnswer, FakeKlaviyo, type FakeResponse, type Route } from "./fake-klaviyo.js";

/** A private key the tests look for in every error and log line. */
export const KEY = "pk_SECRETtestkey0123456789abcdef";

const cleanups: Array<() => Promise<void>> = [];

/** Stops every fake and closes every client made since the last call. */
export async function closeAll(): Promise<void> {
  for (const fn of cleanups.splice(0).reverse()) await fn();
}

/** Has `closeAll` run `fn` too (e.g. stop a throttle the test made). */
export function closeLater(fn: () => Promise<void>): void {
  cleanups.push(fn);
}

/** A fake Klaviyo answering every request from `answer` (its arrival number: 1, 2, ...). */
export async function serve(answer: Route | FakeAnswer) {
  const fake = new FakeKlaviyo().otherwise(answer);
  const url = await fake.start();
  cleanups.push(() => fake.stop());
  return { url, port: Number(new URL(url).port), received: fake.requests };
}

/** Closes what was made last (a server just served: its port then refuses connections). */
export async function closeLast(): Promise<void> {
  await cleanups.pop()?.();
}

/** Klaviyo's way: a JSON:API content type, even on an empty body. */
export function reply(status: number, body?: unknown, headers = {}): FakeResponse {
  const text = body === undefined ? "" : JSON.stringify(body);
  return { status, text, headers: { "content-type": "application/vnd.api+json", ...headers } };
}

/** A server that never answers. */
export const HANG: FakeAnswer = { misbehave: "hang" };

export function client(baseUrl: string, opts: Partial<KlaviyoClientOptions> = {}): KlaviyoClient {
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

/** A get_profiles request, or another one built from it. */
export const get = (extra: Partial<KlaviyoRequest> = {}): KlaviyoRequest => ({
  operationId: "get_profiles",
  method: "GET",
  path: "/api/profiles",
  query: [],
  auth: "private",
  ...extra,
});

/** Resolves with the rejection reason; fails the test if `p` resolves. */
export const caught = (p: Promise<unknown>): Promise<Error> =>
  p.then(
    () => expect.fail("expected a rejection"),
    (err: Error) => err,
  );
