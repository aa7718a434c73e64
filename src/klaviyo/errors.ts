/**
 * Typed errors thrown by KlaviyoClient. None of them ever carries request headers, so the API key
 * cannot leak through an error object, its message or its stack.
 */
import { isRecord } from "../json.js";
import { redactText } from "./redact.js";

/** One entry of Klaviyo's JSON:API `{"errors": [...]}` body. */
export interface KlaviyoErrorObject {
  id?: string;
  status?: number | string;
  code?: string;
  title?: string;
  detail?: string;
  source?: { pointer?: string; parameter?: string };
  /** Extra data, e.g. `meta.duplicate_profile_id` on a 409 from create_profile. */
  meta?: Record<string, unknown>;
}

/**
 * What became of the request, as far as anyone can know: `not_applied` (Klaviyo refused it or
 * never received it), `unknown` (it was sent, and the answer was lost: a 5xx, a timeout or a
 * reset), or `applied` (Klaviyo accepted it but its answer could not be read).
 */
export type RequestOutcome = "not_applied" | "unknown" | "applied";

/** Base class of every error this module throws. */
export class KlaviyoError extends Error {
  override name = "KlaviyoError";
  /** Set by the client when it gives up on a request. */
  outcome?: RequestOutcome;
  /** How many times the request was sent (0: never sent). */
  attempts?: number;
}

/** Missing or invalid configuration (no API key, bad base URL). Never retried. */
export class KlaviyoConfigError extends KlaviyoError {
  override name = "KlaviyoConfigError";
}

export interface KlaviyoApiErrorInit {
  status: number;
  operationId: string;
  message: string;
  errors?: KlaviyoErrorObject[];
  rawBodySnippet?: string;
  requestId?: string;
}

/** Klaviyo answered with a non-2xx status. Subclasses exist for the statuses worth telling apart. */
export class KlaviyoApiError extends KlaviyoError {
  override name = "KlaviyoApiError";
  readonly status: number;
  readonly operationId: string;
  readonly errors: KlaviyoErrorObject[];
  readonly rawBodySnippet?: string;
  /** The `x-klaviyo-req-id` response header, useful when contacting Klaviyo support. */
  readonly requestId?: string;

  constructor(init: KlaviyoApiErrorInit) {
    super(init.message);
    this.status = init.status;
    this.operationId = init.operationId;
    this.errors = init.errors ?? [];
    if (init.rawBodySnippet !== undefined) this.rawBodySnippet = init.rawBodySnippet;
    if (init.requestId !== undefined) this.requestId = init.requestId;
  }
}

export class KlaviyoBadRequestError extends KlaviyoApiError {
  override name = "KlaviyoBadRequestError";
}
export class KlaviyoAuthenticationError extends KlaviyoApiError {
  override name = "KlaviyoAuthenticationError";
}
export class KlaviyoPermissionError extends KlaviyoApiError {
  override name = "KlaviyoPermissionError";
}
export class KlaviyoNotFoundError extends KlaviyoApiError {
  override name = "KlaviyoNotFoundError";
}
export class KlaviyoMethodNotAllowedError extends KlaviyoApiError {
  override name = "KlaviyoMethodNotAllowedError";
}
export class KlaviyoConflictError extends KlaviyoApiError {
  override name = "KlaviyoConflictError";
}
export class KlaviyoUnsupportedMediaTypeError extends KlaviyoApiError {
  override name = "KlaviyoUnsupportedMediaTypeError";
}
export class KlaviyoServerError extends KlaviyoApiError {
  override name = "KlaviyoServerError";
}

export class KlaviyoRateLimitError extends KlaviyoApiError {
  override name = "KlaviyoRateLimitError";
  /** From Retry-After, or parsed from "Expected available in N seconds"; undefined if unknown. */
  readonly retryAfterSeconds?: number;

  constructor(init: KlaviyoApiErrorInit & { retryAfterSeconds?: number }) {
    super(init);
    if (init.retryAfterSeconds !== undefined) this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/** The request (headers or body) did not complete within timeoutMs. */
export class KlaviyoTimeoutError extends KlaviyoError {
  override name = "KlaviyoTimeoutError";
  constructor(
    readonly operationId: string,
    readonly timeoutMs: number,
  ) {
    super(`Klaviyo request ${operationId} timed out after ${timeoutMs} ms`);
  }
}

/** Connection refused/reset, DNS failure, TLS failure: Klaviyo was not reached or hung up. */
export class KlaviyoNetworkError extends KlaviyoError {
  override name = "KlaviyoNetworkError";
  constructor(
    readonly operationId: string,
    /** Host of the base URL (never a credential). */
    readonly host: string,
    /** Socket error code such as ECONNREFUSED or UND_ERR_SOCKET, when known. */
    readonly code: string | undefined,
    /** What the socket said (scrubbed of secrets). */
    readonly detail: string,
  ) {
    super(`Could not reach Klaviyo at ${host} (${operationId}): ${detail}`);
  }
}

/** The operation's daily cap is used up: refused before sending, with when a slot frees. */
export class KlaviyoDailyLimitError extends KlaviyoError {
  override name = "KlaviyoDailyLimitError";
  constructor(
    readonly operationId: string,
    readonly perDay: number,
    /** When the next call is allowed (ms since epoch), when known. */
    readonly freesAt: number | undefined,
  ) {
    super(
      `Klaviyo allows ${perDay} calls of ${operationId} per day, and they are used up${
        freesAt ? `: the next one is allowed at ${new Date(freesAt).toISOString()}` : ""
      }`,
    );
    this.outcome = "not_applied";
  }
}

/**
 * The rate-limit windows are shared through Redis, and Redis cannot be reached: the call cannot
 * be counted, so it is refused before it is sent. Retryable once Redis is back.
 */
export class KlaviyoLimiterUnavailableError extends KlaviyoError {
  override name = "KlaviyoLimiterUnavailableError";
  constructor(
    readonly operationId: string,
    readonly reason: string,
  ) {
    super(
      `the rate limits of this Klaviyo account are shared through Redis (KLAVIYO_MCP_REDIS_URL), which cannot be reached (${reason})`,
    );
    this.outcome = "not_applied";
  }
}

/** The client was closed (the server is stopping, or let go of an idle account) before sending. */
export class KlaviyoClosedError extends KlaviyoError {
  override name = "KlaviyoClosedError";
  constructor(readonly operationId: string) {
    super(`the Klaviyo client for ${operationId} was closed before the call's turn came`);
    this.outcome = "not_applied";
  }
}

/**
 * The call was stopped because the server is shutting down, not by its caller: `outcome` says
 * whether it had reached Klaviyo (not_applied when it was never sent).
 */
export class KlaviyoStoppedError extends KlaviyoError {
  override name = "KlaviyoStoppedError";
  constructor(
    readonly operationId: string,
    aborted: KlaviyoError,
  ) {
    super(
      aborted.outcome === "not_applied"
        ? "nothing was sent to Klaviyo"
        : "the request was cut off while Klaviyo was handling it",
    );
    if (aborted.outcome !== undefined) this.outcome = aborted.outcome;
    if (aborted.attempts !== undefined) this.attempts = aborted.attempts;
  }
}

/** Klaviyo refused an OAuth grant's refresh, or the grant is gone: only a new sign-in helps. */
export class KlaviyoGrantRevokedError extends KlaviyoError {
  override name = "KlaviyoGrantRevokedError";
  constructor() {
    super(
      "Your Klaviyo sign-in was revoked or has expired: sign in again (reconnect the Klaviyo connector).",
    );
    this.outcome = "not_applied";
  }
}

/** The caller's AbortSignal fired. `name` is "AbortError" so generic abort checks recognise it. */
export class KlaviyoAbortError extends KlaviyoError {
  override name = "AbortError";
  constructor(readonly operationId: string) {
    super(`Klaviyo request ${operationId} was aborted`);
  }
}

type ApiErrorClass = new (init: KlaviyoApiErrorInit) => KlaviyoApiError;

const BY_STATUS: Record<number, ApiErrorClass> = {
  400: KlaviyoBadRequestError,
  401: KlaviyoAuthenticationError,
  403: KlaviyoPermissionError,
  404: KlaviyoNotFoundError,
  405: KlaviyoMethodNotAllowedError,
  409: KlaviyoConflictError,
  415: KlaviyoUnsupportedMediaTypeError,
};

/** Picks the subclass for a status; unknown statuses get the generic KlaviyoApiError. */
export function createApiError(
  init: KlaviyoApiErrorInit & { retryAfterSeconds?: number },
): KlaviyoApiError {
  if (init.status === 429) return new KlaviyoRateLimitError(init);
  if (init.status >= 500) return new KlaviyoServerError(init);
  const Cls = BY_STATUS[init.status] ?? KlaviyoApiError;
  return new Cls(init);
}

// ---- Building an error from a failed exchange ------------------------------------------------

const TIMEOUT_CODES = new Set([
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CONNECT_TIMEOUT",
]);

export interface TransportContext {
  operationId: string;
  host: string;
  timeoutMs: number;
  /** The client's own per-attempt timer fired. */
  timedOut: boolean;
  /** The caller's signal fired. */
  aborted: boolean;
  secrets: readonly string[];
}

/** Maps an undici/socket failure; only its code and (scrubbed) message are kept, never the object. */
export function transportError(err: unknown, ctx: TransportContext): KlaviyoError {
  const code = errorCode(err);
  if (ctx.timedOut || (code !== undefined && TIMEOUT_CODES.has(code))) {
    return new KlaviyoTimeoutError(ctx.operationId, ctx.timeoutMs);
  }
  if (ctx.aborted) return new KlaviyoAbortError(ctx.operationId);
  const detail = redactText(err instanceof Error ? err.message : String(err), ctx.secrets);
  if (code === "UND_ERR_INVALID_ARG") {
    return new KlaviyoError(`Invalid request for ${ctx.operationId}: ${detail}`);
  }
  return new KlaviyoNetworkError(ctx.operationId, ctx.host, code, detail || code || "unknown");
}

/** The error's `code`, or its cause's (undici sometimes wraps the socket error). */
function errorCode(err: unknown, depth = 0): string | undefined {
  if (typeof err !== "object" || err === null || depth > 3) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string") return code;
  return errorCode((err as { cause?: unknown }).cause, depth + 1);
}

// ---- Building an error from an HTTP response -------------------------------------------------

const SNIPPET_CHARS = 1000;
const MESSAGE_SNIPPET_CHARS = 200;

export interface ErrorResponse {
  status: number;
  operationId: string;
  /** Response headers with lower-case names. */
  headers: Record<string, string>;
  /** The raw response body, already scrubbed of secrets. */
  text: string;
}

export function errorFromResponse(res: ErrorResponse): KlaviyoApiError {
  const { status, operationId, headers, text } = res;
  const contentType = headers["content-type"] ?? "";
  const requestId = headers["x-klaviyo-req-id"];
  const parsed = parseJson(text);
  const errors = parsed.ok ? parseErrorObjects(parsed.value) : [];
  let message: string;
  if (errors.length > 0) {
    message = `Klaviyo returned HTTP ${status} for ${operationId}: ${errors.map(describe).join("; ")}`;
  } else if (text.trim() === "") {
    message = `Klaviyo returned HTTP ${status} for ${operationId} with an empty body`;
  } else if (!parsed.ok) {
    // An HTML page from a CDN/WAF or a proxy: say so instead of failing to parse it.
    const type = contentType.split(";")[0]?.trim() || "unknown content-type";
    message = `Klaviyo returned HTTP ${status} with a non-JSON body (${type}): ${textSnippet(text)}`;
  } else {
    message = `Klaviyo returned HTTP ${status} for ${operationId}: ${truncate(text.replace(/\s+/g, " "), MESSAGE_SNIPPET_CHARS)}`;
  }
  const retryAfterSeconds = parseRetryAfter(headers["retry-after"]) ?? retryAfterFromDetail(errors);
  return createApiError({
    status,
    operationId,
    message,
    errors,
    rawBodySnippet: truncate(text, SNIPPET_CHARS),
    ...(requestId !== undefined && { requestId }),
    ...(status === 429 && retryAfterSeconds !== undefined && { retryAfterSeconds }),
  });
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Reads `{errors: [...]}` defensively: unknown fields are dropped, wrong types ignored. */
export function parseErrorObjects(body: unknown): KlaviyoErrorObject[] {
  if (!isRecord(body) || !Array.isArray(body.errors)) return [];
  return body.errors.filter(isRecord).map((e) => {
    const out: KlaviyoErrorObject = {};
    const id = str(e.id);
    const code = str(e.code);
    const title = str(e.title);
    const detail = str(e.detail);
    if (id !== undefined) out.id = id;
    if (typeof e.status === "number" || typeof e.status === "string") out.status = e.status;
    if (code !== undefined) out.code = code;
    if (title !== undefined) out.title = title;
    if (detail !== undefined) out.detail = detail;
    if (isRecord(e.source)) {
      const pointer = str(e.source.pointer);
      const parameter = str(e.source.parameter);
      out.source = {
        ...(pointer !== undefined && { pointer }),
        ...(parameter !== undefined && { parameter }),
      };
    }
    if (isRecord(e.meta)) out.meta = e.meta;
    return out;
  });
}

function describe(e: KlaviyoErrorObject): string {
  let s = e.title ?? e.code ?? "error";
  if (e.detail && e.detail !== e.title) s += `: ${e.detail}`;
  if (e.code && e.title) s += ` [${e.code}]`;
  if (e.source?.pointer) s += ` (at ${e.source.pointer})`;
  if (e.source?.parameter) s += ` (parameter ${e.source.parameter})`;
  return s;
}

/** Retry-After is seconds (what Klaviyo sends) or an HTTP date. */
function parseRetryAfter(value: string | undefined): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1_000);
}

/** Klaviyo's throttle detail reads "Request was throttled. Expected available in 7 seconds." */
function retryAfterFromDetail(errors: KlaviyoErrorObject[]): number | undefined {
  for (const e of errors) {
    const m = /expected available in (\d+(?:\.\d+)?)\s*s/i.exec(e.detail ?? "");
    if (m?.[1]) return Number(m[1]);
  }
  return undefined;
}

/** Visible text of an HTML (or plain) body: tags stripped, entities decoded, whitespace collapsed. */
function textSnippet(text: string): string {
  const visible = text
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, " ")
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&nbsp;/gi, " ")
    .replace(/&lt;/gi, "<")
    .replace(/&gt;/gi, ">")
    .replace(/&quot;/gi, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/gi, "&")
    .replace(/\s+/g, " ")
    .trim();
  return truncate(visible, MESSAGE_SNIPPET_CHARS) || "(no text)";
}

function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
