/**
 * When the client repeats a request, and what it says of one it gives up on. A 429 was never
 * processed, so anything may be repeated; after a 5xx, a timeout or a reset the request may have
 * been applied, so only what is safe to repeat is (reads, upserts, PUT, DELETE); a connection
 * that was never made sent nothing. Pure functions: the client keeps the counts.
 */
import {
  KlaviyoApiError,
  KlaviyoError,
  KlaviyoNetworkError,
  KlaviyoRateLimitError,
  KlaviyoServerError,
  KlaviyoTimeoutError,
} from "./errors.js";

/** Longer Retry-After values mean a daily limit: waiting a minute and retrying cannot help. */
export const MAX_RETRY_AFTER_SECONDS = 60;
/** The connection was never established, so nothing was sent: safe to retry any method. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "EAI_AGAIN",
  "ENOTFOUND",
  "UND_ERR_CONNECT_TIMEOUT",
]);
/** Backoff after a transient failure: base × 2^(n-1), capped, with jitter. */
const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 8_000;

export interface RetryLimits {
  maxRetries: number;
  maxRateLimitRetries: number;
  retryBudgetMs: number;
  /** Multiplies server-stated waits (a time-scaled emulator in tests). */
  timeScale: number;
}

/** How long to wait before repeating the request, or undefined to give up. */
export function retryDelayMs(
  err: unknown,
  idempotent: boolean,
  count: { rateLimited: number; transient: number; started: number },
  limits: RetryLimits,
): number | undefined {
  let delayMs: number | undefined;
  if (err instanceof KlaviyoRateLimitError) {
    // Throttled: Klaviyo did not process it, so any request may be repeated.
    if (count.rateLimited > limits.maxRateLimitRetries) return undefined;
    const seconds = err.retryAfterSeconds;
    if (seconds !== undefined && seconds > MAX_RETRY_AFTER_SECONDS) return undefined;
    delayMs =
      seconds === undefined ? 1_000 + Math.random() * 500 : seconds * 1_000 * limits.timeScale;
  } else {
    const notSent = err instanceof KlaviyoNetworkError && NOT_SENT_CODES.has(err.code ?? "");
    const ambiguous =
      err instanceof KlaviyoServerError ||
      err instanceof KlaviyoTimeoutError ||
      err instanceof KlaviyoNetworkError;
    // A 2xx whose body arrived cut off: safe to ask again only if asking twice changes nothing.
    const unreadable = err instanceof KlaviyoApiError && err.status >= 200 && err.status < 300;
    // After a 5xx, timeout or reset, a create may already exist: only repeat what is safe to.
    if (!notSent && !((ambiguous || unreadable) && idempotent)) return undefined;
    if (count.transient > limits.maxRetries) return undefined;
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (count.transient - 1));
    delayMs = ceiling * (0.5 + Math.random() * 0.5);
  }
  if (Date.now() - count.started + delayMs > limits.retryBudgetMs) return undefined;
  return delayMs;
}

/** Failures after which the request may or may not have been applied by Klaviyo. */
export function ambiguous(err: unknown): boolean {
  return (
    err instanceof KlaviyoServerError ||
    err instanceof KlaviyoTimeoutError ||
    (err instanceof KlaviyoNetworkError && !NOT_SENT_CODES.has(err.code ?? ""))
  );
}

/** Marks what became of a request the client gives up on (see RequestOutcome). */
export function settle(
  err: unknown,
  state: { sent: number; everAmbiguous: boolean; abortedInFlight: boolean },
): unknown {
  if (!(err instanceof KlaviyoError)) return err;
  err.attempts = state.sent;
  if (err instanceof KlaviyoApiError && err.status >= 200 && err.status < 300) {
    err.outcome = "applied";
  } else if (state.sent > 0 && (state.everAmbiguous || state.abortedInFlight || ambiguous(err))) {
    err.outcome = "unknown";
  } else {
    err.outcome = "not_applied";
  }
  return err;
}
