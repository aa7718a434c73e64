/**
 * Exactly-once check of writes through a faulty Klaviyo: an MCP client makes mixed calls (reads,
 * and creates that each carry a unique marker), every create is classified from its tool result,
 * and the emulator's store is then searched for each marker. A create must never exist twice,
 * and what the result claims must match the store:
 *
 *   success          -> exactly 1 found
 *   outcome applied  -> exactly 1 found
 *   outcome not_applied -> 0 found
 *   outcome unknown  -> 0 or 1 (counted, with how many were in fact applied)
 *
 * An isError result of a create without an outcome, a thrown error, a failed read that was not
 * retried, or a marker nobody created is "unexplained". Retries are counted two ways: the
 * `attempts` the results report (only failed calls report them), and the requests that reached
 * the emulator's HTTP server minus the calls made (every retry, including those that succeeded),
 * observed through Node's `http.server.request.start` diagnostics channel.
 */
import { randomBytes } from "node:crypto";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Emulator } from "../../emulator/index.js";
import { createRng } from "../../emulator/index.js";

export type CreateTool = "create_list" | "create_tag" | "create_event";
export type ReadTool = "get_lists" | "get_tags";
export type Classification = "success" | "not_applied" | "unknown" | "applied" | "unexplained";

export interface ExactlyOnceOptions {
  /** Connected to a server whose Klaviyo is `emulator` (or a wrapper of such a client). */
  client: Pick<Client, "callTool">;
  /** In this process: its store is searched, and requests reaching its URL are counted. */
  emulator: Pick<Emulator, "url" | "store" | "flushJobs">;
  /** Tool calls to make, reads and creates mixed. */
  calls: number;
  /** Calls in flight at once. Default 10. */
  concurrency?: number;
  /** Share of the calls that are creates (split evenly among the three). Default 0.5. */
  createShare?: number;
  /** Seeds the mix of calls. Default 1. */
  seed?: number;
  /** Prefix of this run's markers; default random, so runs on one emulator do not mix. */
  runId?: string;
}

export interface CreateRecord {
  tool: CreateTool;
  marker: string;
  classification: Classification;
  /** How many resources carrying the marker the store holds. */
  found: number;
  attempts?: number;
  /** The result's text (or the thrown error's message) when it was not a success. */
  text?: string;
}

export interface ExactlyOnceReport {
  calls: number;
  wallMs: number;
  reads: number;
  /** Reads that failed after the client spent its retries (they report attempts > 1). */
  readsExhausted: number;
  creates: number;
  byTool: Record<CreateTool, number>;
  outcomes: Record<Exclude<Classification, "unexplained">, number>;
  /** Unknown outcomes whose marker was in fact found once. */
  unknownApplied: number;
  /** Markers found more than once: a write applied twice. */
  duplicates: CreateRecord[];
  /** The result contradicts the store (success/applied but absent, not_applied but present). */
  lost: CreateRecord[];
  /** isError without an outcome, thrown errors, read errors without retries, stray markers. */
  unexplained: string[];
  retries: {
    /** Sum of `attempts - 1` over results that report attempts (failed calls only). */
    reported: number;
    /** Requests that reached the emulator minus calls made: every retry. */
    observed: number;
    /** Create requests (POST) beyond one per create call: a write sent again. */
    writes: number;
  };
  /** Requests that reached the emulator during the run, and how many were answered 429. */
  emulatorRequests: number;
  emulator429s: number;
}

const READS: ReadTool[] = ["get_lists", "get_tags"];
const CREATES: CreateTool[] = ["create_list", "create_tag", "create_event"];
const METRIC = "Exactly Once Check";

function argsFor(tool: CreateTool, marker: string): Record<string, unknown> {
  switch (tool) {
    case "create_list":
      return { name: marker };
    case "create_tag":
      return { name: marker };
    case "create_event":
      return {
        properties: { marker },
        metric: { name: METRIC },
        profile: { email: "exactly-once@example.com" },
      };
  }
}

/** Every marker of this run found in the store, with how many times. */
function markersInStore(store: Emulator["store"], prefix: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (value: unknown) => {
    if (typeof value === "string" && value.startsWith(prefix)) {
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
  };
  for (const list of store.all("list")) add(list.attributes.name);
  for (const tag of store.all("tag")) add(tag.attributes.name);
  for (const event of store.all("event")) {
    const properties = event.attributes.event_properties;
    if (typeof properties === "object" && properties !== null) {
      add((properties as Record<string, unknown>).marker);
    }
  }
  return counts;
}

function textOf(result: unknown): string {
  const content = (result as { content?: Array<{ text?: string }> }).content ?? [];
  return content.map((c) => c.text ?? "").join("\n");
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A response the observed server finished, with when its request arrived (performance.now()). */
export interface ObservedResponse {
  method: string;
  path: string;
  status: number;
  arrivedAt: number;
}

/**
 * Counts the requests that reach the HTTP server listening on `port` in this process, and the
 * statuses of its responses, until stopped. Sees what the emulator's `onExchange` does not:
 * requests answered by a fault before the handler, or by a 429.
 */
export function countServerRequests(
  port: number,
  onResponse?: (response: ObservedResponse) => void,
): {
  requests: () => number;
  /** Requests by HTTP method. */
  methods: Map<string, number>;
  statuses: Map<number, number>;
  stop(): void;
} {
  let requests = 0;
  const methods = new Map<string, number>();
  const statuses = new Map<number, number>();
  const arrivals = new WeakMap<IncomingMessage, number>();
  const onStart = (message: unknown) => {
    const { request, socket } = message as { request?: IncomingMessage; socket?: Socket };
    if (socket?.localPort !== port) return;
    requests++;
    const method = request?.method ?? "";
    methods.set(method, (methods.get(method) ?? 0) + 1);
    if (request && onResponse) arrivals.set(request, performance.now());
  };
  const onFinish = (message: unknown) => {
    const { request, response } = message as {
      request?: IncomingMessage;
      response?: { statusCode: number };
    };
    if (request?.socket?.localPort !== port || !response) return;
    statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
    const arrivedAt = arrivals.get(request);
    if (onResponse && arrivedAt !== undefined) {
      onResponse({
        method: request.method ?? "",
        path: (request.url ?? "").split("?")[0] ?? "",
        status: response.statusCode,
        arrivedAt,
      });
    }
  };
  subscribe("http.server.request.start", onStart);
  subscribe("http.server.response.finish", onFinish);
  return {
    requests: () => requests,
    methods,
    statuses,
    stop() {
      unsubscribe("http.server.request.start", onStart);
      unsubscribe("http.server.response.finish", onFinish);
    },
  };
}

export async function runExactlyOnce(options: ExactlyOnceOptions): Promise<ExactlyOnceReport> {
  const { client, emulator, calls } = options;
  const concurrency = options.concurrency ?? 10;
  const createShare = options.createShare ?? 0.5;
  const rng = createRng(options.seed ?? 1);
  const prefix = `eo-${options.runId ?? randomBytes(4).toString("hex")}-`;

  // The plan is drawn up front, so the mix does not depend on timing.
  type Step =
    | { kind: "read"; tool: ReadTool }
    | { kind: "create"; tool: CreateTool; marker: string };
  const plan = Array.from({ length: calls }, (_, i): Step => {
    if (rng() < createShare) {
      const tool = CREATES[Math.floor(rng() * CREATES.length)] ?? "create_list";
      return { kind: "create", tool, marker: `${prefix}${i}` };
    }
    return { kind: "read", tool: READS[Math.floor(rng() * READS.length)] ?? "get_lists" };
  });

  const records: CreateRecord[] = [];
  const unexplained: string[] = [];
  let reportedRetries = 0;
  let reads = 0;
  let readsExhausted = 0;
  const counter = countServerRequests(Number(new URL(emulator.url).port));
  const started = performance.now();
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = next++; i < plan.length; i = next++) {
          const step = plan[i];
          if (!step) continue;
          if (step.kind === "read") {
            reads++;
            try {
              const result = await client.callTool({ name: step.tool, arguments: {} });
              if (!result.isError) continue;
              const text = textOf(result);
              const attempts = parseJson(text)?.attempts;
              if (typeof attempts === "number" && attempts > 1) {
                readsExhausted++;
                reportedRetries += attempts - 1;
              } else {
                unexplained.push(`${step.tool}: isError without retries: ${text.slice(0, 300)}`);
              }
            } catch (error) {
              unexplained.push(`${step.tool} threw: ${(error as Error).message}`);
            }
            continue;
          }
          const record: CreateRecord = {
            tool: step.tool,
            marker: step.marker,
            classification: "unexplained",
            found: 0,
          };
          records.push(record);
          try {
            const result = await client.callTool({
              name: step.tool,
              arguments: argsFor(step.tool, step.marker),
            });
            if (!result.isError) {
              record.classification = "success";
              continue;
            }
            record.text = textOf(result);
            const parsed = parseJson(record.text);
            if (typeof parsed?.attempts === "number") {
              record.attempts = parsed.attempts;
              reportedRetries += parsed.attempts - 1;
            }
            const outcome = parsed?.outcome;
            if (outcome === "not_applied" || outcome === "unknown" || outcome === "applied") {
              record.classification = outcome;
            }
          } catch (error) {
            record.text = `threw: ${(error as Error).message}`;
          }
        }
      }),
    );
  } finally {
    counter.stop();
  }
  const wallMs = performance.now() - started;

  // Events are written by a deferred job: run every pending one before counting.
  emulator.flushJobs();
  const found = markersInStore(emulator.store, prefix);
  const outcomes = { success: 0, not_applied: 0, unknown: 0, applied: 0 };
  const duplicates: CreateRecord[] = [];
  const lost: CreateRecord[] = [];
  let unknownApplied = 0;
  const byTool: Record<CreateTool, number> = { create_list: 0, create_tag: 0, create_event: 0 };
  for (const record of records) {
    record.found = found.get(record.marker) ?? 0;
    found.delete(record.marker);
    byTool[record.tool]++;
    if (record.found > 1) duplicates.push(record);
    const c = record.classification;
    if (c === "unexplained") {
      unexplained.push(
        `${record.tool} ${record.marker}: no outcome: ${(record.text ?? "").slice(0, 300)}`,
      );
      continue;
    }
    outcomes[c]++;
    if (c === "unknown" && record.found > 0) unknownApplied++;
    if (
      ((c === "success" || c === "applied") && record.found === 0) ||
      (c === "not_applied" && record.found > 0)
    ) {
      lost.push(record);
    }
  }
  for (const [marker, count] of found) {
    unexplained.push(`${marker} found ${count} time(s) but no call created it`);
  }
  const emulatorRequests = counter.requests();
  return {
    calls,
    wallMs,
    reads,
    readsExhausted,
    creates: records.length,
    byTool,
    outcomes,
    unknownApplied,
    duplicates,
    lost,
    unexplained,
    retries: {
      reported: reportedRetries,
      observed: emulatorRequests - calls,
      writes: (counter.methods.get("POST") ?? 0) - records.length,
    },
    emulatorRequests,
    emulator429s: counter.statuses.get(429) ?? 0,
  };
}

/** One line per figure, for logs and benchmarks. */
export function describeReport(report: ExactlyOnceReport): string[] {
  const o = report.outcomes;
  return [
    `${report.calls} calls (${report.reads} reads, ${report.creates} creates: ${report.byTool.create_list} create_list, ${report.byTool.create_tag} create_tag, ${report.byTool.create_event} create_event) in ${(report.wallMs / 1000).toFixed(1)} s; ${report.emulatorRequests} requests reached the emulator (${report.emulator429s} answered 429)`,
    `creates: ${o.success} succeeded, ${o.unknown} unknown outcome (${report.unknownApplied} of them in fact applied), ${o.not_applied} not applied, ${o.applied} applied without an answer`,
    `duplicated creates: ${report.duplicates.length}; lost writes: ${report.lost.length}; unexplained errors: ${report.unexplained.length}`,
    `retries spent: ${report.retries.observed} (requests beyond one per call), of which ${report.retries.writes} were creates sent again; reported by failed results: ${report.retries.reported}; reads failed after all retries: ${report.readsExhausted}`,
  ];
}

/** The correctness figures that must be zero, as messages; empty when all hold. */
export function reportFailures(report: ExactlyOnceReport): string[] {
  const out: string[] = [];
  for (const d of report.duplicates)
    out.push(
      `duplicate: ${d.marker} (${d.tool}) found ${d.found} times, result ${d.classification}`,
    );
  for (const l of report.lost)
    out.push(`lost: ${l.marker} (${l.tool}) result ${l.classification} but found ${l.found}`);
  for (const u of report.unexplained) out.push(`unexplained: ${u}`);
  return out;
}
