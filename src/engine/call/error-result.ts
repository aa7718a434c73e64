/**
 * Failures as the model sees them: actionable `isError` results that name the argument at fault,
 * say whether a failed write was applied (`outcome`), mark Klaviyo's error texts as untrusted
 * (they may quote what was sent), and never carry a secret. Errors are told apart by class
 * (src/klaviyo/errors.ts), never by name.
 */
import { z } from "zod";
import { isRecord, type JsonObject as Json } from "../../json.js";
import {
  KlaviyoAbortError,
  KlaviyoApiError,
  KlaviyoClosedError,
  KlaviyoConfigError,
  KlaviyoDailyLimitError,
  KlaviyoError,
  KlaviyoGrantRevokedError,
  KlaviyoLimiterUnavailableError,
  KlaviyoNetworkError,
  KlaviyoRateLimitError,
  KlaviyoStoppedError,
  KlaviyoTimeoutError,
} from "../../klaviyo/errors.js";
import { redactSecrets } from "../../klaviyo/redact.js";
import { snakeCase } from "../naming.js";
import { describeIssues, fitIssues, type ValidationIssue } from "./error-result-validation.js";
import { type ToolResult, textResult } from "./result.js";
import { compact, formatPath, relationshipKey } from "./trim.js";
import { markUntrustedErrors } from "./untrusted.js";

/** Redacts string by string: redacting the serialized JSON could swallow quotes and braces. */
function errorText(value: Json): ToolResult {
  const text = JSON.stringify(value, (_key, item: unknown) =>
    typeof item === "string" ? redactSecrets(item) : item,
  );
  return textResult(text, true);
}

/** A JSON:API pointer -> the tool argument it came from, when that is unambiguous. */
function pointerArgument(pointer: string): string | undefined {
  const parts = pointer.split("/").map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"));
  const [, root, section, name, ...rest] = parts;
  if (root !== "data") return undefined;
  if (section === "id" && parts.length === 3) return "id";
  if (section === "attributes" && name) {
    // A nested resource ends where its own `data` starts: the model passed it as a plain value.
    const end = rest.indexOf("data");
    const tail = end === -1 ? rest : rest.slice(0, end);
    return formatPath([snakeCase(name), ...tail.map((p) => (/^\d+$/.test(p) ? Number(p) : p))]);
  }
  if (section === "relationships" && name) {
    const index = rest[1];
    let many = name.endsWith("s") && !name.endsWith("ss");
    if (rest[0] === "data" && index !== undefined) many = /^\d+$/.test(index);
    return relationshipKey(name, many);
  }
  return undefined;
}

/** `page[size]` -> `page_size`; `fields[profile]` -> `fields`; `filter` -> `filter`. */
function parameterArgument(parameter: string): string {
  const match = /^([^[\]]+)\[([^\]]*)\]$/.exec(parameter);
  if (!match?.[1]) return snakeCase(parameter);
  const base = snakeCase(match[1]);
  if (base === "fields" || base === "additional_fields") return base;
  return `${base}_${snakeCase(match[2] ?? "")}`;
}

function describeApiError(entry: Json): Json {
  const out: Json = {};
  const { code, title, detail, source, meta } = entry;
  if (code) out.code = code;
  if (title && title !== detail) out.title = title;
  if (detail) out.detail = detail;
  if (isRecord(source)) {
    const pointer = typeof source.pointer === "string" ? source.pointer : undefined;
    const parameter = typeof source.parameter === "string" ? source.parameter : undefined;
    const kept = compact({ pointer, parameter });
    if (kept) out.source = kept;
    const argument = pointer ? pointerArgument(pointer) : parameter && parameterArgument(parameter);
    if (argument) out.argument = argument;
  }
  // The entry sits at errors[i], so its meta is three levels into the result.
  const keptMeta = compact(meta, 3);
  if (keptMeta !== undefined) out.meta = keptMeta;
  return out;
}

function hintFor(status: number, errors: Json[], retryAfter: number | undefined): string {
  const retry = retryAfter !== undefined ? `retry after ${retryAfter} seconds` : undefined;
  switch (status) {
    case 400:
    case 422:
      return "Fix the arguments named in errors and call again.";
    case 401:
      return "The Klaviyo API key is missing or invalid. Check KLAVIYO_API_KEY, or over HTTP the key the client sends in X-Klaviyo-API-Key.";
    case 403:
      return "The API key lacks the scope this tool needs (or the account lacks the feature). Use a private API key with that scope in KLAVIYO_API_KEY, or over HTTP in X-Klaviyo-API-Key.";
    case 404:
      return "No such resource: check the id (list ids with the matching get_* tool).";
    case 405:
      return "Klaviyo does not allow this operation on this resource; do not repeat the call as is.";
    case 409: {
      const duplicate = errors
        .map((e) => (isRecord(e.meta) ? e.meta.duplicate_profile_id : undefined))
        .find((id) => typeof id === "string" && id !== "");
      if (duplicate) {
        return `A profile already exists: duplicate_profile_id=${duplicate}, use update_profile with that id.`;
      }
      return "The request conflicts with existing data (for example a duplicate): fetch the existing resource and update it instead.";
    }
    case 413:
      return "The request is too large: send fewer or smaller items per call.";
    case 415:
      return "Klaviyo rejected the request's content type: this is a klaviyo-mcp bug, please report it.";
    case 429:
      return `Rate limited by Klaviyo; ${retry ?? "wait a little and retry"}.`;
  }
  if (status >= 500) {
    return `Klaviyo had a server error; retrying later may succeed${retry ? ` (${retry})` : ""}. A write may or may not have been applied: check before repeating it.`;
  }
  return "Klaviyo rejected the request: read errors, fix the call and try again.";
}

/** `quote`: the summary repeats the first error's text (not when errors[] is marked untrusted). */
function describeHttpError(error: KlaviyoApiError, toolName: string, quote: boolean): Json {
  const { status, message } = error;
  const raw = error.errors.filter(isRecord) as Json[];
  const first = raw[0];
  const http = `Klaviyo returned HTTP ${status}`;
  // Without JSON errors (an HTML page from a proxy, say) the client's message is all there is;
  // it already carries a cleaned snippet of the body.
  let summary = message.includes(`HTTP ${status}`)
    ? message
    : `${http}${message && `: ${message}`}`;
  if (first && quote) {
    const more = raw.length > 1 ? ` (and ${raw.length - 1} more)` : "";
    summary = `${http}: ${String(first.detail || first.title || first.code || "error")}${more}`;
  } else if (first) {
    summary = `${http}: ${raw.length === 1 ? "1 error" : `${raw.length} errors`}, see errors`;
  }
  const out: Json = { error: `${toolName} failed: ${summary}`, status };
  if (raw.length > 0) out.errors = raw.map(describeApiError);
  const retry = error instanceof KlaviyoRateLimitError ? error.retryAfterSeconds : undefined;
  out.hint = hintFor(status, raw, retry);
  // Waits longer than a minute are daily caps: say when, not only how many seconds.
  if (retry !== undefined && retry > 60) {
    out.resets_at = new Date(Date.now() + retry * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  }
  if (error.requestId !== undefined) out.request_id = error.requestId;
  return out;
}

const TIMEOUT_HINT =
  "Reads can simply be retried. A write may or may not have been applied: check before repeating it.";
const NETWORK_HINT = "Check the network connection and call again.";
const CONFIG_HINT = "Fix the server configuration (for example KLAVIYO_API_KEY) and restart it.";

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Failures before Klaviyo answered: [class, what happened, hint]. The first class the error is an
 * instance of wins, so subclasses come before their parents.
 */
const BEFORE_AN_ANSWER: ReadonlyArray<[ErrorClass, string, string?]> = [
  [KlaviyoTimeoutError, "timed out waiting for Klaviyo", TIMEOUT_HINT],
  [KlaviyoNetworkError, "could not reach Klaviyo", NETWORK_HINT],
  [KlaviyoConfigError, "could not run: klaviyo-mcp is misconfigured", CONFIG_HINT],
  [
    KlaviyoDailyLimitError,
    "was not sent",
    "Klaviyo's daily cap for this endpoint is used up: try again after resets_at.",
  ],
  [
    KlaviyoStoppedError,
    "was stopped because this server is shutting down",
    "Retry on another replica, or once the server is back.",
  ],
  [KlaviyoAbortError, "was cancelled before Klaviyo answered"],
  [
    KlaviyoLimiterUnavailableError,
    "was not sent",
    "Retry in a few seconds (the server reconnects to Redis by itself): the call was not sent, so repeating it is safe.",
  ],
  [
    KlaviyoGrantRevokedError,
    "was not sent",
    "Ask the user to reconnect the Klaviyo connector (sign in to Klaviyo again), then repeat the call: it was not sent.",
  ],
  [
    KlaviyoClosedError,
    "was not sent",
    "Retry the call (the server may be restarting): it was not sent, so repeating it is safe.",
  ],
];

/** The platform's own timeouts and aborts (DOMException), which are named, not subclassed. */
function platformFailure(error: unknown): [string, string?] | undefined {
  if (!(error instanceof DOMException)) return undefined;
  if (error.name === "TimeoutError") return ["timed out waiting for Klaviyo", TIMEOUT_HINT];
  if (error.name === "AbortError") return ["was cancelled before Klaviyo answered"];
  return undefined;
}

function describeError(error: unknown, toolName: string, quote: boolean): Json {
  if (error instanceof KlaviyoApiError) return describeHttpError(error, toolName, quote);
  if (!(error instanceof Error)) return { error: `Unexpected error: ${String(error)}` };
  const known = BEFORE_AN_ANSWER.find(([type]) => error instanceof type);
  const [what, hint] = known ? [known[1], known[2]] : (platformFailure(error) ?? []);
  if (what === undefined) return { error: `Unexpected error: ${error.message || error.name}` };
  // A network error's message repeats "could not reach Klaviyo": its detail is what is new.
  const detail = error instanceof KlaviyoNetworkError ? error.detail : error.message;
  const out: Json = { error: `${toolName} ${what}${detail ? `: ${detail}` : "."}` };
  if (hint) out.hint = hint;
  if (error instanceof KlaviyoDailyLimitError && error.freesAt !== undefined) {
    out.resets_at = new Date(error.freesAt).toISOString();
  }
  return out;
}

export interface ErrorContext {
  toolName: string;
  /** The tool changes something: the result must say whether it did. */
  write?: boolean;
  /** Repeating the call cannot apply it twice. */
  idempotent?: boolean;
  /** The read tool that shows whether the write took effect. */
  checkWith?: string;
  /** Mark Klaviyo's error texts as untrusted: they may quote the values sent. Default true. */
  markUntrusted?: boolean;
}

export function errorResult(error: unknown, context: ErrorContext): ToolResult {
  // Validation that failed deeper down (a ZodError) still deserves field-by-field feedback.
  if (error instanceof z.ZodError) return validationErrorResult(context.toolName, error.issues);
  const marking = context.markUntrusted !== false;
  const out = describeError(error, context.toolName, !marking);
  const settled = error instanceof KlaviyoError ? error : undefined;
  if (settled?.attempts !== undefined && settled.attempts > 1) out.attempts = settled.attempts;
  const outcome = settled?.outcome;
  if (context.write && outcome !== undefined) {
    out.outcome = outcome;
    const previous =
      outcome === "not_applied" && typeof out.hint === "string" ? ` ${out.hint}` : "";
    out.hint = `${outcomeHint(outcome, context)}${previous}`;
  }
  // One note, first, as in successful results; errors[] is the only copy of Klaviyo's texts.
  const note = marking && Array.isArray(out.errors) ? markUntrustedErrors(out.errors) : undefined;
  return errorText(note ? { untrusted: note, ...out } : out);
}

/** Whether a failed write happened, and what to do about it: the model must not guess. */
function outcomeHint(outcome: string, context: ErrorContext): string {
  const check = context.checkWith
    ? `check with ${context.checkWith} (for example filtered by name or email)`
    : "check with the matching get_* tool";
  switch (outcome) {
    case "not_applied":
      return "Nothing was changed in Klaviyo.";
    case "applied":
      return `Klaviyo applied this change, but its answer could not be read: do not repeat it; ${check} to see the result.`;
    default:
      return context.idempotent
        ? "Klaviyo may or may not have applied this change; repeating it is safe (it cannot apply twice)."
        : `The outcome is unknown: Klaviyo may or may not have applied this change. Do not repeat it blindly: first ${check}.`;
  }
}

/**
 * Arguments zod refused: every issue named by its argument, rewritten to be read in one go (see
 * error-result-validation.ts). `schema`, the tool's input, lets an unknown key come with the
 * valid ones; parse with zod's `reportInput` for the bad values to be named.
 */
export function validationErrorResult(
  toolName: string,
  issues: ReadonlyArray<ValidationIssue>,
  schema?: z.ZodType,
): ToolResult {
  const { kept, left } = fitIssues(describeIssues(issues, schema));
  const out: Json = {
    error: `Invalid arguments for ${toolName}: nothing was sent to Klaviyo.`,
    issues: kept,
  };
  if (left > 0) out.more = `${left} more issue${left > 1 ? "s" : ""} not shown: fix these first.`;
  return errorText(out);
}
