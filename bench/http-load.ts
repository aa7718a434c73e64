/**
 * npm run bench (third part): the HTTP transport under load, against the SDK's own stateless
 * streamable-HTTP example server (bench/support/baseline-http.mjs) in the same run. Each server
 * runs as a child process, one after the other, so its memory and CPU are measured alone; 50 MCP
 * clients make BENCH_HTTP_CALLS tool calls (get_lists) to it, against the Klaviyo emulator with
 * rate limits lifted (and our client-side throttling off), then calls are made one at a time.
 * The same request sent straight to the emulator, at the same concurrency and one at a time,
 * gives what the MCP layer adds. With 50 calls in flight the latencies are mostly queueing (p50
 * is about 50 / throughput), so each server's CPU time per call is printed too. Prints figures
 * and the ratios ours / baseline; exits non-zero only if a call fails.
 * Our server runs compiled, from dist/ (BENCH_HTTP_DIST names another build folder).
 * BENCH_HTTP_CPU_PROF=<dir> writes a CPU profile of each server (node --cpu-prof) there.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { request } from "undici";
import { startEmulator } from "../emulator/index.js";
import { freePort } from "./support/processes.js";

// Two servers and the direct run at 10,000 calls: about 100 s on two busy cores.
const CALLS = Number(process.env.BENCH_HTTP_CALLS ?? 10_000);
const CLIENTS = Number(process.env.BENCH_HTTP_CLIENTS ?? 50);
const WARMUP = 200;
/** Calls made one at a time, for the added latency without queueing. */
const SEQUENTIAL = Number(process.env.BENCH_HTTP_SEQUENTIAL ?? 500);
const CPU_PROF_DIR = process.env.BENCH_HTTP_CPU_PROF;
const TOOL = "get_lists";
const ROOT = resolve(import.meta.dirname, "..");
/** Where our compiled server is (npm run bench builds dist/ first). */
const DIST = resolve(ROOT, process.env.BENCH_HTTP_DIST ?? "dist");

/**
 * Our server as bench/support/http-server.ts runs it (throttling off, logs at error, drains on
 * SIGTERM), but compiled: under tsx it would carry some 40 MiB of loader and transformed
 * sources the baseline does not, and the RSS ratio would measure tsx.
 */
function compiledServer(dist: string): string {
  if (!existsSync(resolve(dist, "src/serve-http.js"))) {
    throw new Error(`no compiled server in ${dist}: run npm run build (or set BENCH_HTTP_DIST)`);
  }
  const module = (name: string) => JSON.stringify(pathToFileURL(resolve(dist, "src", name)).href);
  return `
    import { loadConfig } from ${module("config.js")};
    import { createLogger } from ${module("logger.js")};
    import { startRuntime } from ${module("runtime.js")};
    import { serveHttp } from ${module("serve-http.js")};
    const { config } = loadConfig(["--http", "--port", "0", "--log-level", "error"], process.env);
    const logger = createLogger(config.logLevel);
    const runtime = await startRuntime(config, logger, { throttle: false });
    const serving = await serveHttp(config, runtime, logger);
    process.once("SIGTERM", async () => {
      await serving.handle.close();
      await runtime.close();
      process.exit(0);
    });
    process.stdout.write(JSON.stringify({ url: serving.handle.url, pid: process.pid }) + "\\n");
  `;
}

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

interface Run {
  latencies: number[];
  wallMs: number;
  errors: string[];
}

/** Runs `total` jobs with `workers` in parallel; returns each job's latency and the wall time. */
async function runConcurrently(
  total: number,
  workers: number,
  job: (worker: number) => Promise<void>,
): Promise<Run> {
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

interface ServerFigures {
  name: string;
  load: Run;
  alone: Run;
  warmupErrors: string[];
  rssBefore: number;
  rssAfter: number;
  cpuSeconds: number;
  exitCode: number | null;
}

/**
 * Starts one server (`node <args>`, which prints one JSON line { url, pid } once listening),
 * connects the clients, runs the warm-up, the load and the calls one at a time, then stops it
 * (SIGTERM, waiting for its exit).
 */
async function measureServer(
  name: string,
  args: string[],
  env: Record<string, string>,
  headers: Record<string, string>,
): Promise<ServerFigures> {
  const profile = CPU_PROF_DIR
    ? [
        "--cpu-prof",
        "--cpu-prof-dir",
        resolve(CPU_PROF_DIR),
        "--cpu-prof-name",
        `${name}.cpuprofile`,
      ]
    : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  const clients: Client[] = [];
  const stop = async () => {
    await Promise.allSettled(clients.map((client) => client.close()));
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    return exited;
  };
  try {
    const ready = await new Promise<{ url: string; pid: number }>((done, fail) => {
      const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
      lines.once("line", (line) => done(JSON.parse(line)));
      child.once("exit", (code) => fail(new Error(`${name} exited (code ${code})`)));
    });
    for (let i = 0; i < CLIENTS; i++) {
      const client = new Client({ name: `bench-${i}`, version: "1" });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(ready.url), { requestInit: { headers } }),
      );
      clients.push(client);
    }
    const first = await clients[0]?.callTool({ name: TOOL, arguments: {} });
    if (!first || first.isError || !Array.isArray(first.content) || first.content.length === 0) {
      throw new Error(`${name}: ${TOOL} failed: ${JSON.stringify(first?.content).slice(0, 500)}`);
    }
    const callTool = async (worker: number) => {
      const result = await clients[worker]?.callTool({ name: TOOL, arguments: {} });
      if (!result || result.isError) {
        throw new Error(`${name}: isError: ${JSON.stringify(result?.content).slice(0, 300)}`);
      }
    };
    const warmup = await runConcurrently(WARMUP, CLIENTS, callTool);
    const rssBefore = rssKiB(ready.pid);
    const cpuBefore = cpuSeconds(ready.pid);
    const load = await runConcurrently(CALLS, CLIENTS, callTool);
    const rssAfter = rssKiB(ready.pid);
    const cpu = cpuSeconds(ready.pid) - cpuBefore;
    // One call at a time: what the MCP layer adds to a request when nothing queues.
    const alone = await runConcurrently(SEQUENTIAL, 1, callTool);
    const exitCode = await stop();
    return {
      name,
      load,
      alone,
      warmupErrors: warmup.errors,
      rssBefore,
      rssAfter,
      cpuSeconds: cpu,
      exitCode,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

const emulator = await startEmulator({ rateLimits: false });
let ours: ServerFigures;
let baseline: ServerFigures;
let direct: Run;
let directAlone: Run;
try {
  const token = randomBytes(32).toString("base64url");
  const upstream = { KLAVIYO_API_KEY: emulator.apiKey, KLAVIYO_BASE_URL: emulator.url };
  ours = await measureServer(
    "klaviyo-mcp",
    ["--input-type=module", "--eval", compiledServer(DIST)],
    { ...upstream, KLAVIYO_MCP_TOKENS: token },
    { Authorization: `Bearer ${token}` },
  );
  baseline = await measureServer(
    "sdk-example",
    [resolve(ROOT, "bench/support/baseline-http.mjs")],
    { ...upstream, PORT: String(await freePort()) },
    {},
  );

  // The same operation, straight to the emulator, at the same concurrency and one at a time.
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
  directAlone = await runConcurrently(SEQUENTIAL, 1, directCall);
} finally {
  await emulator.close();
}

const perSecond = (run: Run) => (run.latencies.length / run.wallMs) * 1000;
const p50DirectAlone = percentile(directAlone.latencies, 0.5);
/** The figures compared between the two servers; lower is better except calls/s. */
const figuresOf = (server: ServerFigures) => ({
  "calls/s": perSecond(server.load),
  p50: percentile(server.load.latencies, 0.5),
  p99: percentile(server.load.latencies, 0.99),
  "CPU/call": (server.cpuSeconds / CALLS) * 1000,
  RSS: server.rssAfter,
  "added one at a time": percentile(server.alone.latencies, 0.5) - p50DirectAlone,
});

console.log(
  `http load: ${CALLS} calls of ${TOOL} per server, ${CLIENTS} clients; then ${SEQUENTIAL} one at a time`,
);
for (const server of [ours, baseline]) {
  const figures = figuresOf(server);
  const warmupErrors = server.warmupErrors.length;
  console.log(
    `  ${server.name.padEnd(11)}: ${server.load.errors.length} errors${warmupErrors > 0 ? ` (+${warmupErrors} in warm-up)` : ""}, ${(server.load.wallMs / 1000).toFixed(2)} s, ${figures["calls/s"].toFixed(0)} calls/s, p50 ${figures.p50.toFixed(1)} ms, p99 ${figures.p99.toFixed(1)} ms, CPU ${figures["CPU/call"].toFixed(2)} ms per call, RSS ${mib(server.rssBefore)} -> ${mib(server.rssAfter)} MiB; one at a time p50 ${percentile(server.alone.latencies, 0.5).toFixed(2)} ms (+${figures["added one at a time"].toFixed(2)} ms over direct); exit on SIGTERM: ${server.exitCode}`,
  );
}
console.log(
  `  ${"direct".padEnd(11)}: ${direct.errors.length} errors, ${perSecond(direct).toFixed(0)} req/s, p50 ${percentile(direct.latencies, 0.5).toFixed(1)} ms, p99 ${percentile(direct.latencies, 0.99).toFixed(1)} ms; one at a time p50 ${p50DirectAlone.toFixed(2)} ms`,
);
const oursFigures = figuresOf(ours);
const baselineFigures = figuresOf(baseline);
console.log(
  `  ours / SDK example: ${Object.entries(oursFigures)
    .map(([figure, value]) => {
      const base = baselineFigures[figure as keyof typeof baselineFigures];
      return `${figure} ${base > 0 ? (value / base).toFixed(2) : "n/a"}x`;
    })
    .join(", ")} (calls/s: higher is better; the others: lower)`,
);

const errors = [ours, baseline].flatMap((server) => [
  ...server.warmupErrors,
  ...server.load.errors,
  ...server.alone.errors,
]);
const directErrors = [...direct.errors, ...directAlone.errors];
if (
  errors.length > 0 ||
  directErrors.length > 0 ||
  ours.exitCode !== 0 ||
  baseline.exitCode !== 0
) {
  const distinct = [...new Set([...errors, ...directErrors])];
  for (const message of distinct.slice(0, 5)) console.log(`  error: ${message}`);
  if (distinct.length > 5) console.log(`  ... and ${distinct.length - 5} other messages`);
  process.exitCode = 1;
}
