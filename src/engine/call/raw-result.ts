/**
 * The last resort for a successful answer that could not be shaped (a bug, or data no walk
 * expected): Klaviyo's answer as JSON text, cut to the result budget, with a note saying why.
 * The model still gets the answer, and a write says it was applied, so it is not repeated.
 * Nothing here can throw: every step has a plainer fallback.
 */
import type { JsonObject as Json } from "../../json.js";
import { redactSecrets } from "../../klaviyo/redact.js";
import { CHARS_PER_TOKEN } from "./budget.js";
import { jsonText } from "./deep-json.js";
import type { ToolResult } from "./result.js";
import type { ResultOptions } from "./result-options.js";
import { stripHidden, UNTRUSTED_NOTE } from "./untrusted.js";

export interface RawContext {
  toolName: string;
  /** The tool changes something: the answer says the change was applied. */
  write: boolean;
  results: ResultOptions;
  /** What went wrong while shaping. */
  error: unknown;
}

const CUT_MARK = "…[cut to fit the result budget]";

export function rawResult(status: number, body: unknown, context: RawContext): ToolResult {
  try {
    return rawBodyResult(status, body, context);
  } catch {
    return bareResult(status, context);
  }
}

function rawBodyResult(status: number, body: unknown, context: RawContext): ToolResult {
  const maxChars = context.results.budgetTokens * CHARS_PER_TOKEN;
  const written =
    typeof body === "string" ? { text: body, complete: true } : jsonText(body, maxChars);
  let raw = written.text;
  const notes: Json = header(status, context);
  if (context.results.markUntrusted) {
    const [clean, removed] = stripHidden(raw) as [string, number];
    raw = clean;
    notes.untrusted =
      removed > 0
        ? { note: UNTRUSTED_NOTE, hidden_chars_removed: removed }
        : { note: UNTRUSTED_NOTE };
  }
  const build = (cut: boolean): Json =>
    cut
      ? { ...notes, truncated: true, hint: hint(status, context, true), raw }
      : { ...notes, hint: hint(status, context, false), raw };
  let value = build(!written.complete);
  let text = JSON.stringify(value);
  // Escaping lengthens the text, so shorten `raw` by the excess until the whole fits.
  for (let round = 0; text.length > maxChars && round < 8; round++) {
    const keep = Math.max(0, raw.length - (text.length - maxChars) - CUT_MARK.length - 16);
    raw = `${sliceWhole(raw, keep)}${CUT_MARK}`;
    value = build(true);
    text = JSON.stringify(value);
  }
  if (text.length > maxChars) return bareResult(status, context);
  const result: ToolResult = { content: [{ type: "text", text }] };
  if (context.results.structuredContent) result.structuredContent = value;
  return result;
}

function header(status: number, context: RawContext): Json {
  return context.write ? { outcome: "applied", status } : { status };
}

function hint(status: number, context: RawContext, cut: boolean): string {
  const reason = redactSecrets(describe(context.error));
  const applied = context.write ? " Klaviyo applied the change: do not repeat it." : "";
  const shown = cut ? `, cut to the ${context.results.budgetTokens}-token result budget` : "";
  return `${context.toolName} succeeded (HTTP ${status}), but its answer could not be shaped (${reason}): raw is Klaviyo's answer as JSON text${shown}.${applied}`;
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 200);
  return String(error).slice(0, 200);
}

/** The first `keep` characters, never half a surrogate pair. */
function sliceWhole(text: string, keep: number): string {
  const code = text.charCodeAt(keep - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? keep - 1 : keep);
}

/** When even the raw answer cannot be written: what happened, without it. */
function bareResult(status: number, context: RawContext): ToolResult {
  const applied = context.write ? " Klaviyo applied the change: do not repeat it." : "";
  const value: Json = {
    ...header(status, context),
    truncated: true,
    hint: `${context.toolName} succeeded (HTTP ${status}), but its answer could not be shown.${applied}`,
  };
  return { content: [{ type: "text", text: JSON.stringify(value) }] };
}
