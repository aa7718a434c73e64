/**
 * The only code that talks HTTP to Klaviyo. It knows nothing about MCP or tools: callers hand it
 * a fully built request (path, wire-named query pairs, body) and get parsed JSON or a typed error.
 */

import type { Agent, FormData as UndiciFormData } from "undici";
import {
  errorFromResponse,
  KlaviyoAbortError,
  KlaviyoApiError,
  KlaviyoAuthenticationError,
  KlaviyoConfigError,
  KlaviyoError,
  KlaviyoGrantRevokedError,
  KlaviyoRateLimitError,
  transportError,
} from "./errors.js";
import { redactText } from "./redact.js";
import {
  ambiguous,
  MAX_RETRY_AFTER_SECONDS,
  type RetryLimits,
  retryDelayMs,
  settle,
} from "./retry-policy.js";
import { sleep } from "./sleep.js";
import { type RateLimit, Throttle, type ThrottleOptions } from "./throttle.js";
import { loadUndici, type UndiciParts } from "./undici.js";

export type KlaviyoMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export interface KlaviyoRequest {
  /** e.g. "get_profiles"; the throttle key and the name used in logs and errors. */
  operationId: string;
  method: KlaviyoMethod;
  /** Already substituted and percent-encoded, e.g. "/api/profiles/01H...". */
  path: string;
  /** Wire names and values, unencoded: [["fields[profile]", "email"], ["page[size]", "20"]]. */
  query: Array<[string, string]>;
  body?: { kind: "json"; value: unknown } | { kind: "multipart"; form: FormData };
  /** "public" = the /client/ endpoints: no Authorization header (company_id is in the query). */
  auth: "private" | "public";
  rateLimit?: RateLimit;
  /**
   * Repeating the request cannot apply a change twice (a read, an upsert, a PATCH that sets
   * values, a DELETE). Default: GET, PUT and DELETE only. Only such requests are retried after an
   * ambiguous failure (5xx, timeout, reset), when Klaviyo may have applied them already.
   */
  idempotent?: boolean;
  /** A beta operation's revision header, instead of the client's. */
  revision?: string;
  /** The rate-limit bucket when not the operationId's: a beta twin shares its stable endpoint's. */
  throttleKey?: string;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Called about every second while the request waits for a rate-limit slot. */
  onWait?: (waitedMs: number) => void;
  /**
   * The Authorization header value for this request (e.g. "Bearer ..."), used instead of the
   * API key: one client (one account's throttle and pool) serves several users' OAuth grants.
   * Asked before each attempt; what it throws (KlaviyoGrantRevokedError) is never retried.
   */
  authorization?: () => Promise<string>;
}

export interface KlaviyoResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON; undefined when the body is empty (202/204). */
  body: unknown;
}

/** The subset of pino's API the client uses. */
export interface KlaviyoLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface KlaviyoClientOptions {
  /** Default https://a.klaviyo.com. A path prefix (for a proxy) is kept. */
  baseUrl?: string;
  /** Private API key; required for requests with auth "private". */
  apiKey?: string;
  /** Klaviyo API revision header, e.g. "2026-07-15". */
  revision: string;
  userAgent: string;
  /** Per attempt: covers connecting, headers and the whole body. Default 30000. */
  timeoutMs?: number;
  /** Retries after a 5xx, timeout or reset, for requests safe to repeat. Default 3. */
  maxRetries?: number;
  /** Retries after a 429 (never processed, so safe for any request). Default 4. */
  maxRateLimitRetries?: number;
  /** No retry starts once this long has passed since the first attempt. Default 60000 ms. */
  retryBudgetMs?: number;
  /** Multiplies server-stated waits (Retry-After): tests against a time-scaled emulator. */
  timeScale?: number;
  logger?: KlaviyoLogger;
  /**
   * false disables throttling (tests, benchmarks). A Throttle is used as given (not owned);
   * options build one the client owns. Default: an in-process throttle owned by the client.
   */
  throttle?: Throttle | false | ThrottleOptions;
}

/** Klaviyo's API; also the default of KLAVIYO_BASE_URL (src/config/options.ts). */
export const DEFAULT_BASE_URL = "https://a.klaviyo.com";
/** One attempt's time limit; also the default of KLAVIYO_TIMEOUT_MS. */
export const DEFAULT_TIMEOUT_MS = 30_000;
const JSON_API = "application/vnd.api+json";
/** Safe to repeat after a 5xx/timeout/reset when the caller does not say otherwise. */
const IDEMPOTENT = new Set<KlaviyoMethod>(["GET", "PUT", "DELETE"]);

/**
 * Builds "?a=1&b=2" with encodeURIComponent, then restores `[`, `]` and `,` for readability
 * (`fields[profile]=email,first_name`). Klaviyo decodes both forms identically.
 */
export function buildQueryString(query: ReadonlyArray<readonly [string, string]>): string {
  if (query.length === 0) return "";
  const enc = (s: string) =>
    encodeURIComponent(s).replace(/%5B/gi, "[").replace(/%5D/gi, "]").replace(/%2C/gi, ",");
  return `?${query.map(([k, v]) => `${enc(k)}=${enc(v)}`).join("&")}`;
}

interface Prepared {
  path: string;
  headers: Record<string, string>;
  body: string | FormData | UndiciFormData | undefined; // Node's FormData until undici loads
  /** Scrubbed from error texts: the key, or this request's Authorization value. */
  secrets: readonly string[];
}

export class KlaviyoClient {
  readonly #origin: string;
  readonly #pathPrefix: string;
  readonly #host: string;
  readonly #apiKey: string | undefined;
  readonly #secrets: string[];
  readonly #revision: string;
  readonly #userAgent: string;
  readonly #timeoutMs: number;
  readonly #limits: RetryLimits;
  readonly #logger: KlaviyoLogger | undefined;
  readonly #throttle: Throttle | undefined;
  readonly #ownsThrottle: boolean;
  /** Made with the first request (see undici.ts). */
  #agent: Agent | undefined;
  #active = 0;
  #keyRejected = false;

  constructor(opts: KlaviyoClientOptions) {
    let url: URL;
    try {
      url = new URL(opts.baseUrl ?? DEFAULT_BASE_URL);
    } catch {
      throw new KlaviyoConfigError("The Klaviyo base URL is not a valid absolute URL");
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw new KlaviyoConfigError("The Klaviyo base URL must use http or https");
    }
    if (url.username || url.password) {
      throw new KlaviyoConfigError("The Klaviyo base URL must not contain credentials");
    }
    this.#origin = url.origin;
    this.#host = url.host;
    this.#pathPrefix = url.pathname.replace(/\/+$/, "");

    const key = opts.apiKey?.trim();
    // Checked here so that undici never gets the chance to reject (and describe) the header.
    if (key && !/^[\x21-\x7e]+$/.test(key)) {
      throw new KlaviyoConfigError("The Klaviyo API key contains invalid characters");
    }
    this.#apiKey = key || undefined;
    this.#secrets = this.#apiKey ? [this.#apiKey] : [];
    this.#revision = opts.revision;
    this.#userAgent = opts.userAgent;
    this.#timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#limits = {
      maxRetries: Math.max(0, opts.maxRetries ?? 3),
      maxRateLimitRetries: Math.max(0, opts.maxRateLimitRetries ?? 4),
      retryBudgetMs: opts.retryBudgetMs ?? 60_000,
      timeScale: opts.timeScale ?? 1,
    };
    this.#logger = opts.logger;
    this.#ownsThrottle = !(opts.throttle instanceof Throttle);
    this.#throttle =
      opts.throttle === false
        ? undefined
        : opts.throttle instanceof Throttle
          ? opts.throttle
          : new Throttle(opts.throttle);
  }

  /** Requests in progress: queued for a rate-limit slot, in flight, or waiting to retry. */
  get active(): number {
    return this.#active;
  }

  /** Klaviyo refused the key (401) on the last answered request. */
  get keyRejected(): boolean {
    return this.#keyRejected;
  }

  async request(req: KlaviyoRequest, opts: RequestOptions = {}): Promise<KlaviyoResponse> {
    this.#active++;
    try {
      const response = await this.#request(req, opts);
      // A grant's answer says nothing about the key.
      if (!opts.authorization) this.#keyRejected = false;
      return response;
    } catch (error) {
      if (error instanceof KlaviyoAuthenticationError && !opts.authorization) {
        this.#keyRejected = true;
      }
      // Klaviyo no longer takes a signed-in user's token (the app was uninstalled, the grant
      // revoked): the model must say "sign in again", not "check the API key".
      if (error instanceof KlaviyoAuthenticationError && opts.authorization) {
        throw new KlaviyoGrantRevokedError();
      }
      throw error;
    } finally {
      this.#active--;
    }
  }

  async #request(req: KlaviyoRequest, opts: RequestOptions): Promise<KlaviyoResponse> {
    const { signal } = opts;
    const perRequest = req.auth === "private" ? opts.authorization : undefined;
    const prepared = this.#prepare(req, perRequest !== undefined);
    const idempotent = req.idempotent ?? IDEMPOTENT.has(req.method);
    const started = Date.now();
    const state = { sent: 0, everAmbiguous: false, abortedInFlight: false };
    // The HTTP client comes with the first request: if it cannot load, nothing was sent.
    const undici = await loadUndici().catch((error: Error) => {
      const err = new KlaviyoConfigError(`The HTTP client did not load: ${error.message}`);
      throw settle(err, state);
    });
    const base = { ...prepared, body: undici.undiciBody(prepared.body) }; // converted once
    let rateLimited = 0;
    let transient = 0;
    for (;;) {
      let inFlight = false;
      // Outside the try below: the provider's failure is never retried.
      const prepared = perRequest ? await authorized(base, perRequest, state) : base;
      try {
        if (signal?.aborted) throw new KlaviyoAbortError(req.operationId);
        const run = async () => {
          state.sent++;
          inFlight = true;
          // Not reset when the attempt throws: an abort that cut it off must find it in flight
          // (the throttle may hand its error straight back, with no race against the signal).
          const response = await this.#attempt(req, prepared, undici, state.sent, signal);
          inFlight = false;
          return response;
        };
        const response = this.#throttle
          ? await this.#throttle.schedule(req.throttleKey ?? req.operationId, req.rateLimit, run, {
              signal,
              query: req.query,
              onWait: opts.onWait,
            })
          : await run();
        this.#heed(req, response.headers);
        return response;
      } catch (caught) {
        let err = caught;
        if (signal?.aborted) {
          state.abortedInFlight ||= inFlight;
          if (!(err instanceof KlaviyoAbortError)) err = new KlaviyoAbortError(req.operationId);
          throw settle(err, state);
        }
        state.everAmbiguous ||= ambiguous(err);
        if (err instanceof KlaviyoRateLimitError) {
          rateLimited++;
          this.#holdFor(req, err.retryAfterSeconds);
        } else {
          transient++;
        }
        const delayMs = retryDelayMs(
          err,
          idempotent,
          { rateLimited, transient, started },
          this.#limits,
        );
        if (delayMs === undefined) throw settle(err, state);
        this.#logger?.warn(
          {
            ...logFields(req, state.sent),
            delayMs: Math.round(delayMs),
            reason: err instanceof Error ? err.name : typeof err,
          },
          "Retrying Klaviyo request",
        );
        try {
          await sleep(delayMs, signal, req.operationId);
        } catch (abort) {
          throw settle(abort, state);
        }
      }
    }
  }

  async close(): Promise<void> {
    if (this.#ownsThrottle) await this.#throttle?.stop();
    await this.#agent?.close();
  }

  #prepare(req: KlaviyoRequest, perRequestAuthorization: boolean): Prepared {
    if (!req.path.startsWith("/") || req.path.startsWith("//") || /[?#\s]/.test(req.path)) {
      throw new KlaviyoError(`Invalid request path for ${req.operationId}`);
    }
    const headers: Record<string, string> = {
      accept: JSON_API,
      revision: req.revision ?? this.#revision,
      "user-agent": this.#userAgent,
    };
    if (req.auth === "private" && !perRequestAuthorization) {
      if (!this.#apiKey) {
        throw new KlaviyoConfigError(
          `No Klaviyo private API key is configured, but ${req.operationId} requires one`,
        );
      }
      headers.authorization = `Klaviyo-API-Key ${this.#apiKey}`;
    }
    let body: Prepared["body"];
    if (req.body?.kind === "json") {
      headers["content-type"] = JSON_API;
      body = JSON.stringify(req.body.value);
    } else if (req.body?.kind === "multipart") {
      // undici sets the multipart content-type (with boundary) itself.
      body = req.body.form;
    }
    const path = this.#pathPrefix + req.path + buildQueryString(req.query);
    return { path, headers, body, secrets: this.#secrets };
  }

  /** One HTTP exchange, bounded by timeoutMs; throws typed errors for non-2xx and failures. */
  async #attempt(
    req: KlaviyoRequest,
    prepared: Prepared,
    { Agent }: UndiciParts,
    attempt: number,
    signal: AbortSignal | undefined,
  ): Promise<KlaviyoResponse> {
    const started = performance.now();
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.#timeoutMs);
    const onAbort = () => controller.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    if (signal?.aborted) controller.abort(); // aborted before the listener: never send

    let status: number;
    let headers: Record<string, string>;
    let text: string;
    try {
      this.#agent ??= new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
      const res = await this.#agent.request({
        origin: this.#origin,
        path: prepared.path,
        method: req.method,
        headers: prepared.headers,
        body: prepared.body as string | UndiciFormData | undefined,
        signal: controller.signal,
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
      });
      status = res.statusCode;
      headers = flattenHeaders(res.headers);
      text = await res.body.text();
    } catch (err) {
      const error = transportError(err, {
        operationId: req.operationId,
        host: this.#host,
        timeoutMs: this.#timeoutMs,
        timedOut,
        aborted: signal?.aborted === true,
        secrets: prepared.secrets,
      });
      this.#logger?.warn(
        { ...logFields(req, attempt), durationMs: elapsed(started), error: error.name },
        "Klaviyo request failed",
      );
      throw error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }

    const fields = { ...logFields(req, attempt), status, durationMs: elapsed(started) };
    const contentType = headers["content-type"] ?? "";
    if (status < 200 || status >= 300) {
      this.#logger?.warn(fields, "Klaviyo returned an error status");
      throw errorFromResponse({
        status,
        operationId: req.operationId,
        headers,
        text: redactText(text, prepared.secrets),
      });
    }
    this.#logger?.debug(fields, "Klaviyo request succeeded");
    return {
      status,
      headers,
      body: this.#parseSuccessBody(req.operationId, status, contentType, text, prepared.secrets),
    };
  }

  #parseSuccessBody(
    operationId: string,
    status: number,
    contentType: string,
    text: string,
    secrets: readonly string[],
  ) {
    if (text.trim() === "") return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // Lenient for odd content types; a body claiming to be JSON must be JSON.
      if (!/json/i.test(contentType)) return text;
      const snippet = redactText(text, secrets).slice(0, 200);
      throw new KlaviyoApiError({
        status,
        operationId,
        message: `Klaviyo returned HTTP ${status} for ${operationId} with invalid JSON: ${snippet}`,
        rawBodySnippet: snippet,
      });
    }
  }

  /** A 429 holds the bucket for everyone queued behind it, not only for this call. */
  #holdFor(req: KlaviyoRequest, retryAfterSeconds: number | undefined): void {
    if (retryAfterSeconds === undefined || retryAfterSeconds > MAX_RETRY_AFTER_SECONDS) return;
    const until = Date.now() + retryAfterSeconds * 1_000 * this.#limits.timeScale;
    this.#throttle?.holdUntil(req.throttleKey ?? req.operationId, req.rateLimit, req.query, until);
  }

  /**
   * RateLimit-Remaining 0 means the next call would be refused: hold the bucket until
   * RateLimit-Reset, which also covers other programs that use the same account.
   */
  #heed(req: KlaviyoRequest, headers: Record<string, string>): void {
    const remaining = Number(headers["ratelimit-remaining"]?.split(",")[0]);
    const reset = Number(headers["ratelimit-reset"]?.split(",")[0]);
    if (remaining === 0 && reset > 0) this.#holdFor(req, reset);
  }
}

/**
 * The request with this attempt's Authorization value. The provider's failure ends the request
 * (settled, not retried); the value and its credential join the secrets that are scrubbed.
 */
async function authorized(
  base: Prepared,
  provide: () => Promise<string>,
  state: Parameters<typeof settle>[1],
): Promise<Prepared> {
  let value: string;
  try {
    value = await provide();
    // Checked here so that undici never gets the chance to reject (and describe) the header.
    if (!/^[\x21-\x7e]+( [\x21-\x7e]+)?$/.test(value)) {
      throw new KlaviyoConfigError("The Authorization value for Klaviyo is malformed");
    }
  } catch (error) {
    throw settle(error, state);
  }
  const credential = value.replace(/^\S+\s+/, "");
  return {
    ...base,
    headers: { ...base.headers, authorization: value },
    secrets: [...base.secrets, value, credential],
  };
}

function flattenHeaders(
  raw: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

/** Never headers, query or body: the query can hold emails in filters, headers hold the key. */
function logFields(req: KlaviyoRequest, attempt: number) {
  return { operationId: req.operationId, method: req.method, path: req.path, attempt };
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
