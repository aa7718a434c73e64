/**
 * How much smaller a list result is than Klaviyo's raw JSON:API answer, in real tokens
 * (o200k_base), and whether trimming lost any attribute. For every list tool (a GET collection
 * with cursor paging) the sandbox plan calls, it makes the same request twice against the
 * sandbox: once through an MCP client (the tool result, as the model sees it, with the default
 * result options) and once straight to the emulator (the raw body, same query, built with the
 * engine's buildRequest).
 *
 * An attribute counts as lost when a raw item has it with a value and the trimmed item (same id)
 * has it neither at the top nor under `attributes` (where a name clashing with id or a
 * relationship key goes). Documented renamings: null and empty values are dropped on purpose
 * (absent means empty), and an event's `timestamp` is left out when `datetime` gives the same
 * instant. Relationship endpoints return bare ids: they have no attributes to lose.
 */
import { encode } from "gpt-tokenizer/encoding/o200k_base";
import { buildRequest } from "../../src/engine/call/request.js";
import { loadSchemas } from "../../src/engine/definition.js";
import { buildQueryString } from "../../src/klaviyo/client.js";
import { resultText, startSandboxSession } from "../../test/support/sandbox-client.js";
import { type PlanContext, SANDBOX_PLAN } from "../../test/support/sandbox-plan.js";
import { allTools, KLAVIYO_REVISION } from "../../tools/index.js";

await loadSchemas(allTools);

export interface RatioRow {
  tool: string;
  rawTokens: number;
  trimmedTokens: number;
  /** trimmedTokens / rawTokens, to 4 decimals. */
  ratio: number;
  /** `attribute` names a raw item had with a value and its trimmed item lacks. */
  lostFields: string[];
}

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The middle value (the mean of the two middle ones for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** null, "", [] and {} (also nested empties) carry no value: trimming drops them. */
function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isRecord(value)) return Object.values(value).every(isEmpty);
  return false;
}

/** Attributes with a value in the raw items that their trimmed items lack. */
export function lostAttributes(raw: unknown, trimmed: unknown): string[] {
  const lost = new Set<string>();
  const rawItems = isRecord(raw) && Array.isArray(raw.data) ? raw.data : [];
  const trimmedItems = isRecord(trimmed) && Array.isArray(trimmed.data) ? trimmed.data : [];
  const byId = new Map<string, Json>();
  for (const item of trimmedItems) if (isRecord(item)) byId.set(String(item.id), item);
  for (const item of rawItems) {
    if (!isRecord(item) || !isRecord(item.attributes)) continue;
    const kept = byId.get(String(item.id));
    if (!kept) {
      lost.add(`(item ${String(item.id)})`);
      continue;
    }
    const nested = isRecord(kept.attributes) ? kept.attributes : {};
    for (const [name, value] of Object.entries(item.attributes)) {
      if (isEmpty(value) || Object.hasOwn(kept, name) || Object.hasOwn(nested, name)) continue;
      if (name === "timestamp" && typeof kept.datetime === "string") continue;
      lost.add(name);
    }
  }
  return [...lost];
}

export async function measureResultRatios(
  options: {
    tools?: readonly string[];
    /** The emulator's clock (default Date.now): pinned, the demo data and the figures are fixed. */
    now?: () => number;
  } = {},
): Promise<{ rows: RatioRow[]; median: number }> {
  // No emulated rate limits: the raw requests bypass the client's throttle.
  const session = await startSandboxSession({
    rateLimits: false,
    jobDurationMs: 600_000,
    now: options.now,
  });
  const rows: RatioRow[] = [];
  try {
    const { emulator, client } = session;
    if (!emulator.demo) throw new Error("the emulator has no demo data");
    const ctx: PlanContext = { demo: emulator.demo, store: emulator.store, saved: {} };
    const seen = new Set<string>();
    for (const step of SANDBOX_PLAN) {
      const tool = allTools.find((candidate) => candidate.name === step.tool);
      if (tool?.operation.method !== "GET" || !tool.paging?.collect) continue;
      if (seen.has(tool.name) || (options.tools && !options.tools.includes(tool.name))) continue;
      seen.add(tool.name);
      const args = step.args(ctx);
      const request = buildRequest(tool, tool.input.parse(args) as Json, {
        publicKey: emulator.publicKey,
      });
      const response = await fetch(
        `${emulator.url}${request.path}${buildQueryString(request.query)}`,
        {
          headers: {
            authorization: `Klaviyo-API-Key ${emulator.apiKey}`,
            revision: KLAVIYO_REVISION,
            accept: "application/vnd.api+json",
          },
        },
      );
      const raw = await response.text();
      const result = await client.callTool({ name: tool.name, arguments: args });
      if (!response.ok || result.isError) continue; // does not work on the demo data
      const text = resultText(result);
      const rawTokens = encode(raw).length;
      const trimmedTokens = encode(text).length;
      rows.push({
        tool: tool.name,
        rawTokens,
        trimmedTokens,
        ratio: Math.round((trimmedTokens / rawTokens) * 10_000) / 10_000,
        lostFields: lostAttributes(JSON.parse(raw), JSON.parse(text)),
      });
    }
  } finally {
    await session.close();
  }
  return { rows, median: median(rows.map((row) => row.ratio)) };
}
