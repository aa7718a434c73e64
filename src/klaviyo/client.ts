/**
 * The only code that talks HTTP to Klaviyo. It knows nothing about MCP or tools: callers hand it
 * a fully built request (path, wire-named query pairs, body) and get parsed JSON or a typed error.
 */
import { Agent, FormData as UndiciFormData } from "undici";
import {
  errorFromResponse,
  KlaviyoAbortError,
  KlaviyoApiError,
  KlaviyoConfigError,
  KlaviyoError,
  KlaviyoNetworkError,
  KlaviyoRateLimitError,
  KlaviyoServerError,
  KlaviyoTimeoutError,
  transportError,
} from "./errors.js";
import { redactText } from "./redact.js";
import { type RateLimit, Throttle } from "./throttle.js";

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
  /** Retries after the first attempt. Default 2. */
  maxRetries?: number;
  logger?: KlaviyoLogger;
  /** A shared Throttle, or false to disable throttling (tests). Default: one owned by the client. */
  throttle?: Throttle | false;
}

export const DEFAULT_BASE_URL = "https://a.klaviyo.com";
const JSON_API = "application/vnd.api+json";
/** Longer Retry-After values mean a daily limit: waiting a minute and retrying cannot help. */
const MAX_RETRY_AFTER_SECONDS = 60;
/** Safe to repeat after a 5xx/timeout/reset: repeating them cannot apply a change twice. */
const IDEMPOTENT = new Set<KlaviyoMethod>(["GET", "PUT", "DELETE"]);
/** The connection was never established, so nothing was sent: safe to retry any method. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "EAI_AGAIN"]);

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
  body: string | UndiciFormData | undefined;
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
  readonly #maxRetries: number;
  readonly #logger: KlaviyoLogger | undefined;
  readonly #throttle: Throttle | undefined;
  readonly #ownsThrottle: boolean;
  readonly #agent: Agent;

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
    this.#timeoutMs = opts.timeoutMs ?? 30_000;
    this.#maxRetries = Math.max(0, opts.maxRetries ?? 2);
    this.#logger = opts.logger;
    this.#ownsThrottle = opts.throttle === undefined;
    this.#throttle = opts.throttle === false ? undefined : (opts.throttle ?? new Throttle());
    this.#agent = new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
  }

  async request(
    req: KlaviyoRequest,
    opts: { signal?: AbortSignal } = {},
  ): Promise<KlaviyoResponse> {
    const { signal } = opts;
    const prepared = this.#prepare(req);
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw new KlaviyoAbortError(req.operationId);
      try {
        const run = () => this.#attempt(req, prepared, attempt, signal);
        return this.#throttle
          ? await this.#throttle.schedule(req.operationId, req.rateLimit, run, signal)
          : await run();
      } catch (err) {
        if (signal?.aborted) throw new KlaviyoAbortError(req.operationId);
        const delayMs = this.#retryDelayMs(err, req.method, attempt);
        if (delayMs === undefined) throw err;
        this.#logger?.warn(
          {
            ...logFields(req, attempt),
            delayMs: Math.round(delayMs),
            reason: err instanceof Error ? err.name : typeof err,
          },
          "Retrying Klaviyo request",
        );
        await sleep(delayMs, signal, req.operationId);
      }
    }
  }

  async close(): Promise<void> {
    if (this.#ownsThrottle) await this.#throttle?.stop();
    await this.#agent.close();
  }

  #prepare(req: KlaviyoRequest): Prepared {
    if (!req.path.startsWith("/") || req.path.startsWith("//") || /[?#\s]/.test(req.path)) {
      throw new KlaviyoError(`Invalid request path for ${req.operationId}`);
    }
    const headers: Record<string, string> = {
      accept: JSON_API,
      revision: this.#revision,
      "user-agent": this.#userAgent,
    };
    if (req.auth === "private") {
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
      body = toUndiciForm(req.body.form);
    }
    return { path: this.#pathPrefix + req.path + buildQueryString(req.query), headers, body };
  }

  /** One HTTP exchange, bounded by timeoutMs; throws typed errors for non-2xx and failures. */
  async #attempt(
    req: KlaviyoRequest,
    prepared: Prepared,
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

    let status: number;
    let headers: Record<string, string>;
    let text: string;
    try {
      const res = await this.#agent.request({
        origin: this.#origin,
        path: prepared.path,
        method: req.method,
        headers: prepared.headers,
        body: prepared.body,
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
        secrets: this.#secrets,
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
        text: redactText(text, this.#secrets),
      });
    }
    this.#logger?.debug(fields, "Klaviyo request succeeded");
    return {
      status,
      headers,
      body: this.#parseSuccessBody(req.operationId, status, contentType, text),
    };
  }

  #parseSuccessBody(operationId: string, status: number, contentType: string, text: string) {
    if (text.trim() === "") return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // Lenient for odd content types; a body claiming to be JSON must be JSON.
      if (!/json/i.test(contentType)) return text;
      const snippet = redactText(text, this.#secrets).slice(0, 200);
      throw new KlaviyoApiError({
        status,
        operationId,
        message: `Klaviyo returned HTTP ${status} for ${operationId} with invalid JSON: ${snippet}`,
        rawBodySnippet: snippet,
      });
    }
  }

  #retryDelayMs(err: unknown, method: KlaviyoMethod, attempt: number): number | undefined {
    if (attempt > this.#maxRetries) return undefined;
    // A throttled request was not processed, so any method may be retried.
    if (err instanceof KlaviyoRateLimitError) {
      const s = err.retryAfterSeconds;
      if (s === undefined) return 1_000 + Math.random() * 500;
      return s <= MAX_RETRY_AFTER_SECONDS ? s * 1_000 : undefined;
    }
    const notSent = err instanceof KlaviyoNetworkError && NOT_SENT_CODES.has(err.code ?? "");
    const transient =
      err instanceof KlaviyoServerError ||
      err instanceof KlaviyoTimeoutError ||
      err instanceof KlaviyoNetworkError;
    // POST/PATCH may already have been applied after a 5xx, timeout or reset: never repeat them.
    if (notSent || (transient && IDEMPOTENT.has(method))) {
      return 250 * 4 ** (attempt - 1) * (1 + Math.random() * 0.2);
    }
    return undefined;
  }
}

/** undici only accepts its own FormData; Node's global one (from Node's bundled undici) is copied. */
function toUndiciForm(form: FormData): UndiciFormData {
  if (form instanceof UndiciFormData) return form;
  const out = new UndiciFormData();
  for (const [name, value] of form.entries()) {
    if (typeof value === "string") out.append(name, value);
    else out.append(name, value, value.name);
  }
  return out;
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

function sleep(ms: number, signal: AbortSignal | undefined, operationId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new KlaviyoAbortError(operationId));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new KlaviyoAbortError(operationId));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
