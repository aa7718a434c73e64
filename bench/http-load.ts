/**
 * npm run bench (third part): the HTTP transport under load. 50 MCP clients make 10,000 tool
 * calls (get_lists) to the HTTP server, run as a child process so its memory is measured alone,
 * against the Klaviyo emulator with rate limits lifted (and client-side throttling off). The
 * baseline is the same request sent straight to the emulator at the same concurrency, in the same
 * run. With 50 calls in flight the latencies are mostly queueing (p50 is about 50 / throughput),
 * so the server's CPU time per call is printed too. Prints figures; exits non-zero only if a call
 * fails.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { request } from "undici";
import { startEmulator } from "../emulator/index.js";

const CALLS = Number(process.env.BENCH_HTTP_CALLS ?? 10_000);
const CLIENTS = Number(process.env.BENCH_HTTP_CLIENTS ?? 50);
const WARMUP = 200;
/** Calls made one at a time, for the added latency without queueing. */
const SEQUENTIAL = Number(process.env.BENCH_HTTP_SEQUENTIAL ?? 500);
const TOOL = "get_lists";
const ROOT = resolve(import.meta.dirname, "..");

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ??
  0;
const mib = (kib: number) => (kib / 1024).toFixed(1);

/** Resident memory of a process, in KiB (Linux). */
function rssKiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}

/** User + system CPU time of a process, in seconds (Linux). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of stat, counted from the pid; 12 and 13 here.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Runs `total` jobs with `workers` in parallel; returns each job's latency and the wall time. */
async function runConcurrently(
  total: number,
  workers: number,
  job: (worker: number) => Promise<void>,
): Promise<{ latencies: number[]; wallMs: number; errors: string[] }> {
  const latencies: number[] = [];
  const errors: string[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (next < total) {
        next++;
        const callStarted = performance.now();
        try {
          await job(worker);
        } catch (error) {
          errors.push(error instanceof Error ? error.message : String(error));
        }
        latencies.push(performance.now() - callStarted);
      }
    }),
  );
  return { latencies, wallMs: performance.now() - started, errors };
}

const emulator = await startEmulator({ rateLimits: false });
const token = randomBytes(32).toString("base64url");

const child: ChildProcess = spawn(
  process.execPath,
  ["--import", "tsx", resolve(ROOT, "bench/support/http-server.ts")],
  {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      KLAVIYO_API_KEY: emulator.apiKey,
      KLAVIYO_BASE_URL: emulator.url,
      KLAVIYO_MCP_TOKENS: token,
    },
    stdio: ["ignore", "pipe", "inherit"],
  },
);
const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
const clients: Client[] = [];
/** Closes the clients, stops the server (SIGTERM, waiting for its exit) and the emulator. */
async function cleanUp(): Promise<number | null> {
  await Promise.allSettled(clients.map((client) => client.close()));
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  const code = await exited;
  await emulator.close();
  return code;
}

type Run = Awaited<ReturnType<typeof runConcurrently>>;
let warmup: Run;
let mcp: Run;
let direct: Run;
let mcpAlone: Run;
let directAlone: Run;
let rssBefore: number;
let rssAfter: number;
let serverCpu: number;
try {
  const ready = await new Promise<{ url: string; pid: number }>((done, fail) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once("line", (line) => done(JSON.parse(line)));
    child.once("exit", (code) => fail(new Error(`the HTTP server exited (code ${code})`)));
  });
  for (let i = 0; i < CLIENTS; i++) {
    const client = new Client({ name: `bench-${i}`, version: "1" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(ready.url), {
        requestInit: { headers: { Authorization: `Bearer ${token}` } },
      }),
    );
    clients.push(client);
  }
  const first = await clients[0]?.callTool({ name: TOOL, arguments: {} });
  if (!first || first.isError || !Array.isArray(first.content) || first.content.length === 0) {
    throw new Error(`${TOOL} failed: ${JSON.stringify(first?.content).slice(0, 500)}`);
  }
  const callTool = async (worker: number) => {
    const result = await clients[worker]?.callTool({ name: TOOL, arguments: {} });
    if (!result || result.isError) {
      throw new Error(`isError: ${JSON.stringify(result?.content).slice(0, 300)}`);
    }
  };
  warmup = await runConcurrently(WARMUP, CLIENTS, callTool);
  rssBefore = rssKiB(ready.pid);
  const cpuBefore = cpuSeconds(ready.pid);
  mcp = await runConcurrently(CALLS, CLIENTS, callTool);
  rssAfter = rssKiB(ready.pid);
  serverCpu = cpuSeconds(ready.pid) - cpuBefore;

  // Baseline: the same operation, straight to the emulator, at the same concurrency.
  const headers = {
    Authorization: `Klaviyo-API-Key ${emulator.apiKey}`,
    revision: "2026-07-15",
    accept: "application/vnd.api+json",
  };
  const directCall = async () => {
    const res = await request(`${emulator.url}/api/lists`, { headers });
    await res.body.text();
    if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
  };
  await runConcurrently(WARMUP, CLIENTS, directCall);
  direct = await runConcurrently(CALLS, CLIENTS, directCall);
  // One call at a time: what the MCP layer adds to a request when nothing queues.
  mcpAlone = await runConcurrently(SEQUENTIAL, 1, callTool);
  directAlone = await runConcurrently(SEQUENTIAL, 1, directCall);
} catch (error) {
  await cleanUp();
  throw error;
}
const exitCode = await cleanUp();

const errors = [...warmup.errors, ...mcp.errors, ...mcpAlone.errors];
const p50Mcp = percentile(mcp.latencies, 0.5);
const p50Direct = percentile(direct.latencies, 0.5);
const perSecond = (run: { latencies: number[]; wallMs: number }) =>
  ((run.latencies.length / run.wallMs) * 1000).toFixed(0);
console.log(
  `http load: ${CALLS} calls of ${TOOL}, ${CLIENTS} clients, ${mcp.errors.length} errors${warmup.errors.length > 0 ? ` (+${warmup.errors.length} in warm-up)` : ""}, ${(mcp.wallMs / 1000).toFixed(2)} s, ${perSecond(mcp)} calls/s, p50 ${p50Mcp.toFixed(1)} ms, p99 ${percentile(mcp.latencies, 0.99).toFixed(1)} ms`,
);
console.log(
  `direct to emulator: ${CALLS} requests, ${CLIENTS} in parallel, ${direct.errors.length} errors, ${perSecond(direct)} req/s, p50 ${p50Direct.toFixed(1)} ms, p99 ${percentile(direct.latencies, 0.99).toFixed(1)} ms`,
);
console.log(
  `added latency per call: ${(p50Mcp - p50Direct).toFixed(1)} ms at p50 (ratio ${(p50Mcp / p50Direct).toFixed(2)}x)`,
);
const p50McpAlone = percentile(mcpAlone.latencies, 0.5);
const p50DirectAlone = percentile(directAlone.latencies, 0.5);
console.log(
  `one call at a time (${SEQUENTIAL} each): MCP p50 ${p50McpAlone.toFixed(2)} ms, direct p50 ${p50DirectAlone.toFixed(2)} ms: added ${(p50McpAlone - p50DirectAlone).toFixed(2)} ms per call (ratio ${(p50McpAlone / p50DirectAlone).toFixed(2)}x)`,
);
console.log(
  `server RSS before ${mib(rssBefore)} MiB, after ${mib(rssAfter)} MiB (${rssAfter >= rssBefore ? "+" : ""}${mib(rssAfter - rssBefore)} MiB); server CPU ${serverCpu.toFixed(1)} s (${((serverCpu / CALLS) * 1000).toFixed(2)} ms per call); exit on SIGTERM: ${exitCode}`,
);
const directErrors = [...direct.errors, ...directAlone.errors];
if (errors.length > 0 || directErrors.length > 0 || exitCode !== 0) {
  const distinct = [...new Set([...errors, ...directErrors])];
  for (const message of distinct.slice(0, 5)) console.log(`  error: ${message}`);
  if (distinct.length > 5) console.log(`  ... and ${distinct.length - 5} other messages`);
  process.exitCode = 1;
}
