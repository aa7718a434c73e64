/**
 * The result budget: no tool result grows past `budgetTokens`, estimated as ceil(chars / 4)
 * (cheap, deterministic, no tokenizer at run time). A larger result is trimmed the same way every
 * time, and always says what was cut:
 *
 * - a list keeps its first items that fit (and the included resources they refer to), with
 *   `truncated: true`, `dropped: <items left out>` and a hint on how to read them;
 * - otherwise (or when even one item does not fit) the longest strings are shortened to a common
 *   length, each ending with a marker naming how many characters were cut, and `cut` lists them;
 * - as a last resort the longest arrays are halved, then the whole result becomes a note.
 *
 * The output is built as objects and serialized once, so it is always valid JSON.
 */

import { isRecord, type JsonObject as Json } from "../../json.js";
import { safeStringify } from "./deep-json.js";

export const CHARS_PER_TOKEN = 4;

/** The estimate the budget is measured in. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export interface BudgetContext {
  budgetTokens: number;
  /** The type of every item of a homogeneous list (its items do not carry it). */
  itemType?: string;
  /** The tool takes `fields` (sparse fieldsets): key -> JSON:API type, to name in hints. */
  fieldTypes?: Record<string, string>;
  /** The tool takes `filter`. */
  filter?: boolean;
  /** A page of a list endpoint, for the hint on reading dropped items. */
  list?: {
    /** The endpoint takes page[size]. */
    pageSize: boolean;
    /** The call used max_items. */
    maxItems?: number;
  };
}

/** The result's own notes: never trimmed, and listed first so they survive truncating hosts. */
const NOTE_KEYS = [
  "outcome",
  "untrusted",
  "truncated",
  "dropped",
  "cut",
  "hint",
  "nested",
  "next_cursor",
] as const;
/** A string is never shortened below this many characters. */
const MIN_KEEP = 200;
/** At most this many entries in `cut`. */
const MAX_CUT_ENTRIES = 20;

const size = (value: unknown) => safeStringify(value).length;

/** `value` with `notes` merged in (undefined removes a key) and the note keys first. */
export function orderNotes(value: Json, notes: Json): Json {
  const merged: Json = { ...value, ...notes };
  const out: Json = {};
  const set = (key: string, item: unknown) =>
    Object.defineProperty(out, key, {
      value: item,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  for (const key of NOTE_KEYS) if (merged[key] !== undefined) set(key, merged[key]);
  for (const [key, item] of Object.entries(merged)) {
    if (!Object.hasOwn(out, key) && item !== undefined) set(key, item);
  }
  return out;
}

export function fitBudget(value: Json, ctx: BudgetContext): Json {
  const maxChars = ctx.budgetTokens * CHARS_PER_TOKEN;
  if (size(value) <= maxChars) return value;
  if (Array.isArray(value.data) && value.data.length > 0) return fitList(value, ctx, maxChars);
  return fitStrings(value, ctx, maxChars);
}

// Lists ----------------------------------------------------------------------------------------

/** Ids an item refers to through its `<rel>_id` / `<rel>_ids` keys (also when nested on clash). */
function referencedIds(item: unknown): Set<string> {
  const ids = new Set<string>();
  const scan = (holder: unknown) => {
    if (!isRecord(holder)) return;
    for (const [key, ref] of Object.entries(holder)) {
      if (key.endsWith("_id") && typeof ref === "string") ids.add(ref);
      else if (key.endsWith("_ids") && Array.isArray(ref)) {
        for (const id of ref) if (typeof id === "string") ids.add(id);
      }
    }
  };
  scan(item);
  if (isRecord(item)) scan(item.relationships);
  return ids;
}

/** `included`, as a list or grouped by type, as [group, resource] pairs. */
function includedEntries(included: unknown): Array<[string | undefined, unknown]> {
  if (Array.isArray(included)) return included.map((res) => [undefined, res]);
  if (!isRecord(included)) return [];
  return Object.entries(included).flatMap(([type, items]) =>
    Array.isArray(items) ? items.map((res): [string, unknown] => [type, res]) : [],
  );
}

/** The kept resources of `included`, in its own shape (a list, or grouped by type). */
function rebuildIncluded(
  included: unknown,
  kept: Array<[string | undefined, unknown]>,
): unknown | undefined {
  if (kept.length === 0) return undefined;
  if (Array.isArray(included)) return kept.map(([, res]) => res);
  const groups: Json = {};
  for (const [type, res] of kept) {
    const key = type ?? "";
    const group = Object.hasOwn(groups, key) ? (groups[key] as unknown[]) : undefined;
    if (group) group.push(res);
    else Object.defineProperty(groups, key, { ...FIELD, value: [res] });
  }
  return groups;
}

const FIELD = { enumerable: true, writable: true, configurable: true };

function fitList(value: Json, ctx: BudgetContext, maxChars: number): Json {
  const items = value.data as unknown[];
  const included = includedEntries(value.included);
  const total = items.length;
  const earlier = typeof value.dropped === "number" ? value.dropped : 0;

  const build = (kept: number): Json => {
    const refs = new Set<string>();
    for (const item of items.slice(0, kept)) for (const id of referencedIds(item)) refs.add(id);
    const keptIncluded = included.filter(([, res]) => isRecord(res) && refs.has(String(res.id)));
    const notes: Json = {
      truncated: true,
      dropped: earlier + total - kept,
      hint: listHint(total - kept, total, Math.max(kept, 1), ctx),
      included: rebuildIncluded(value.included, keptIncluded),
    };
    const out = orderNotes({ ...value, data: items.slice(0, kept) }, notes);
    return out;
  };

  // Greedy by measured sizes, then corrected by serializing (notes and included change a little).
  const itemSizes = items.map((item) => size(item) + 1);
  const includedSize = new Map<string, number>();
  for (const [, res] of included) {
    if (isRecord(res)) includedSize.set(String(res.id), size(res) + 1);
  }
  let used = size(build(0));
  const counted = new Set<string>();
  let kept = 0;
  for (const [index, item] of items.entries()) {
    let extra = itemSizes[index] ?? 0;
    for (const id of referencedIds(item)) {
      if (!counted.has(id)) extra += includedSize.get(id) ?? 0;
    }
    if (used + extra > maxChars) break;
    used += extra;
    for (const id of referencedIds(item)) counted.add(id);
    kept = index + 1;
  }
  let candidate = build(kept);
  while (kept > 0 && size(candidate) > maxChars) candidate = build(--kept);
  if (kept > 0) return candidate;
  // Not even the first item fits: keep it, with its long strings shortened.
  return fitStrings(build(1), ctx, maxChars);
}

function listHint(dropped: number, total: number, kept: number, ctx: BudgetContext): string {
  const ways: string[] = [];
  if (ctx.list?.maxItems !== undefined) {
    if (ctx.list.pageSize) {
      ways.push(
        `repeat the call (same page_cursor) with max_items=${kept} and go on from its next_cursor`,
      );
    }
  } else if (ctx.list?.pageSize) {
    ways.push(
      `repeat the call (same page_cursor) with page_size=${kept} and go on from its next_cursor`,
    );
  }
  if (ctx.fieldTypes) ways.push("return fewer attributes with fields");
  if (ctx.filter) ways.push("narrow the list with filter");
  const how = ways.length > 0 ? ` To read them, ${ways.join(", or ")}.` : "";
  return `${dropped} of ${total} items were dropped to fit the ${ctx.budgetTokens}-token result budget; next_cursor, if any, continues after them.${how}`;
}

// Long strings -----------------------------------------------------------------------------------

/** Where a value sits: its holder and key, and the holder's own place (none at the top). */
interface ValueRef {
  holder: Json | unknown[];
  key: string | number;
  parent?: ValueRef;
  /** The path, once asked for: `data.items[2].name`. */
  path?: string;
}

interface StringRef {
  ref: ValueRef;
  text: string;
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  if (!IDENTIFIER.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent ? `${parent}.${key}` : key;
}

/** Built only for the few values a note names: walks build no strings for the rest. */
function pathOf(ref: ValueRef): string {
  const chain: ValueRef[] = [];
  for (let at: ValueRef | undefined = ref; at && at.path === undefined; at = at.parent) {
    chain.push(at);
  }
  for (let i = chain.length - 1; i >= 0; i--) {
    const at = chain[i] as ValueRef;
    // A top-level key is written as it is (`data`), not bracketed.
    at.path = at.parent ? childPath(at.parent.path ?? "", at.key) : String(at.key);
  }
  return ref.path ?? "";
}

/** Keys of an array (indexes) or object; none for anything else. */
function keysOf(node: unknown): Array<string | number> {
  if (Array.isArray(node)) return Array.from(node, (_item, index) => index);
  return isRecord(node) ? Object.keys(node) : [];
}

/**
 * Every value under the result's own keys (minus `skip` at the top), depth first in document
 * order, with where it sits. Iterative: a result of any depth is walked.
 */
function* walkValues(value: Json, skip: readonly string[]): Generator<[ValueRef, unknown]> {
  const stack: ValueRef[] = [];
  const pushChildren = (holder: Json | unknown[], parent: ValueRef | undefined) => {
    const keys = keysOf(holder);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as string | number;
      if (parent === undefined && skip.includes(String(key))) continue;
      stack.push({ holder, key, parent });
    }
  };
  pushChildren(value, undefined);
  for (let ref = stack.pop(); ref; ref = stack.pop()) {
    const item = (ref.holder as Record<string | number, unknown>)[ref.key];
    yield [ref, item];
    if (typeof item === "object" && item !== null) pushChildren(item as Json, ref);
  }
}

function collectStrings(value: Json): StringRef[] {
  const refs: StringRef[] = [];
  for (const [ref, item] of walkValues(value, [...NOTE_KEYS, "type"])) {
    if (typeof item === "string") refs.push({ ref, text: item });
  }
  return refs;
}

/** The first `keep` characters (never half a surrogate pair) and a marker naming the cut. */
function cutString(text: string, keep: number): string {
  let end = keep;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…[${text.length - end} chars cut, see hint]`;
}

function setRef({ ref }: StringRef, text: string): void {
  (ref.holder as Record<string | number, unknown>)[ref.key] = text;
}

function fitStrings(value: Json, ctx: BudgetContext, maxChars: number): Json {
  const refs = collectStrings(value).filter((ref) => ref.text.length > MIN_KEEP);
  const longest = refs.reduce((max, ref) => Math.max(max, ref.text.length), 0);
  const apply = (keep: number): Json => {
    const cut: Json = {};
    let entries = 0;
    for (const ref of refs) {
      if (ref.text.length > keep) {
        const shortened = cutString(ref.text, keep);
        setRef(ref, shortened);
        if (entries++ < MAX_CUT_ENTRIES) cut[pathOf(ref.ref)] = ref.text.length - keep;
      } else setRef(ref, ref.text);
    }
    if (entries > MAX_CUT_ENTRIES) cut["(more)"] = `${entries - MAX_CUT_ENTRIES} more values cut`;
    if (entries === 0) return value;
    return orderNotes(value, { truncated: true, cut, hint: stringHint(value, refs, keep, ctx) });
  };
  if (refs.length > 0) {
    // The longest common length that fits: binary search over [MIN_KEEP, longest).
    let low = MIN_KEEP;
    let high = longest - 1;
    if (size(apply(low)) <= maxChars) {
      while (low < high) {
        const mid = Math.ceil((low + high) / 2);
        if (size(apply(mid)) <= maxChars) low = mid;
        else high = mid - 1;
      }
      return apply(low);
    }
  }
  return fitArrays(refs.length > 0 ? apply(MIN_KEEP) : value, ctx, maxChars);
}

function stringHint(value: Json, refs: StringRef[], keep: number, ctx: BudgetContext): string {
  const base = `Long values were shortened to fit the ${ctx.budgetTokens}-token result budget; cut gives the characters removed from each.`;
  const example = fieldsExample(value, refs, keep, ctx);
  const ways = example
    ? `request that attribute alone with fields (e.g. fields=${example}), or ask the operator to raise KLAVIYO_RESULT_BUDGET_TOKENS`
    : "ask the operator to raise KLAVIYO_RESULT_BUDGET_TOKENS";
  return `${base} To read a value in full, ${ways}.`;
}

/** `{"template":["html"]}` for the longest cut attribute of the primary resource, if any. */
function fieldsExample(
  value: Json,
  refs: StringRef[],
  keep: number,
  ctx: BudgetContext,
): string | undefined {
  if (!ctx.fieldTypes) return undefined;
  const data = value.data;
  const first = Array.isArray(data) ? data[0] : data;
  const type = (isRecord(first) && first.type) || ctx.itemType;
  const key = Object.entries(ctx.fieldTypes).find(([, wire]) => wire === type)?.[0];
  const longest = [...refs].sort((a, b) => b.text.length - a.text.length)[0];
  if (!key || !longest || longest.text.length <= keep) return undefined;
  const attribute = /^data(?:\[\d+\])?\.([^.[]+)/.exec(pathOf(longest.ref))?.[1];
  return attribute ? JSON.stringify({ [key]: [attribute] }) : undefined;
}

// Arrays, then the whole result ------------------------------------------------------------------

function largestArray(value: Json): { ref: ValueRef; path: string; array: unknown[] } | undefined {
  let best: { ref: ValueRef; array: unknown[] } | undefined;
  let bestSize = 0;
  for (const [ref, item] of walkValues(value, NOTE_KEYS)) {
    if (Array.isArray(item) && item.length > 1) {
      const bytes = size(item);
      if (bytes > bestSize) {
        bestSize = bytes;
        best = { ref, array: item };
      }
    }
  }
  return best && { ...best, path: pathOf(best.ref) };
}

function fitArrays(value: Json, ctx: BudgetContext, maxChars: number): Json {
  let current = value;
  const cut: Json = isRecord(current.cut) ? { ...current.cut } : {};
  const original = new Map<string, number>();
  for (let round = 0; round < 64 && size(current) > maxChars; round++) {
    const found = largestArray(current);
    if (!found) break;
    const total = original.get(found.path) ?? found.array.length;
    original.set(found.path, total);
    const kept = Math.ceil(found.array.length / 2);
    const { holder, key } = found.ref;
    (holder as Record<string | number, unknown>)[key] = found.array.slice(0, kept);
    cut[found.path] = `kept ${kept} of ${total} items`;
    current = orderNotes(current, {
      truncated: true,
      cut,
      hint: `The result was over the ${ctx.budgetTokens}-token result budget: long values were shortened and long arrays cut (see cut). Narrow the request (fields, filter, a shorter timeframe) to get everything.`,
    });
  }
  if (size(current) <= maxChars) return current;
  const stub: Json = {
    truncated: true,
    hint: `The result (about ${estimateTokens(safeStringify(value))} tokens) does not fit the ${ctx.budgetTokens}-token result budget even trimmed. Narrow the request with fields, filter or a smaller page_size, or ask the operator to raise KLAVIYO_RESULT_BUDGET_TOKENS.`,
  };
  if (value.outcome !== undefined) stub.outcome = value.outcome;
  if (value.untrusted !== undefined) stub.untrusted = value.untrusted;
  if (typeof value.next_cursor === "string") stub.next_cursor = value.next_cursor;
  return orderNotes({}, stub);
}
