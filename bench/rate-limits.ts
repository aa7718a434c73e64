/**
 * npm run bench (fourth part): rate limits and faults, against the Klaviyo emulator with its
 * windows scaled by BENCH_RATE_SCALE (default 0.1: a 60 s window lasts 6 s, a 1 s window 100 ms).
 *
 * a. Utilisation: one in-process server with the client-side throttle on, 300 concurrent callers
 *    of an L-tier tool (get_profiles, 75/s and 750/m), then 60 of an M-tier one (get_metrics,
 *    10/s and 150/m). Callers stay busy until the run has lasted 1 + BENCH_RATE_WINDOWS (default
 *    3) steady windows, so the steady window binds several times over.
 * b. Two replicas sharing one allowance through Redis: two server processes, one Klaviyo key, the
 *    callers split between them. As a contrast, the same two replicas without Redis, each of
 *    which believes it has the whole allowance.
 * c. Faults: BENCH_FAULT_CALLS (default 1,000) mixed reads and creates with 10% 5xx and 2%
 *    resets, half of them striking after the request took effect (test/support/exactly-once.ts).
 *
 * Figures are printed with their targets; throughput is timing and never fails the run. The exit
 * code is non-zero only if a correctness figure fails: a 429 reaching the model with throttling
 * on and the allowance shared, an unexplained error, a duplicated or lost write.
 *
 * 429s are counted where the emulator answers them, through Node's http.server diagnostics
 * channel: the emulator's onExchange hook is not called for a 429 (or a fault that strikes before
 * the handler). Admissions (requests the emulator let through, i.e. not 429) are timed by when
 * they arrived, through the same channel.
 */
import { randomBytes } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { startEmulator } from "../emulator/index.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { startRuntime } from "../src/runtime.js";
import {
  countServerRequests,
  describeReport,
  reportFailures,
  runExactlyOnce,
} from "../test/support/exactly-once.js";
import { startSandboxSession } from "../test/support/sandbox-client.js";
import { type Started, startRedis, startReplica } from "./support/processes.js";

const SCALE = Number(process.env.BENCH_RATE_SCALE ?? 0.1);
const MEASURED_WINDOWS = Number(process.env.BENCH_RATE_WINDOWS ?? 3);
const FAULT_CALLS = Number(process.env.BENCH_FAULT_CALLS ?? 1_000);
const STEADY_MS = 60_000 * SCALE;
/** How long callers keep calling: the first window (its burst) plus the measured ones. */
const RUN_MS = (1 + MEASURED_WINDOWS) * STEADY_MS;
const CLIENTS_PER_REPLICA = 10;

const L_TIER = {
  tool: "get_profiles",
  path: "/api/profiles",
  burst: 75,
  steady: 750,
  workers: 300,
};
const M_TIER = { tool: "get_metrics", path: "/api/metrics", burst: 10, steady: 150, workers: 60 };
type Tier = typeof L_TIER;

const failures: string[] = [];
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const emulator = await startEmulator({ timeScale: SCALE });
const emulatorPort = Number(new URL(emulator.url).port);

interface CallResult {
  isError?: unknown;
  content?: unknown;
}

interface Load {
  calls: number;
  wallMs: number;
  /** Requests that reached the emulator, and those it answered 429. */
  requests: number;
  throttled: number;
  /** isError results that are 429s (the model saw a rate limit), and any other failures. */
  rateLimitedResults: number;
  errors: string[];
  utilisation: Utilisation | undefined;
}

interface Utilisation {
  fraction: number;
  meanGapMs: number;
  minGapMs: number;
  pairs: number;
}

/**
 * Sustained throughput as a fraction of the steady allowance. The steady limit admits at most C
 * calls (750, 150) in any span of W (60 s, scaled), so for the emulator's admission times
 * t_0 <= t_1 <= ... every gap t_(i+C) - t_i is at least W, and a client that used the whole
 * allowance would start each call exactly W after the call C places before it. The sustained rate
 * is C / mean(t_(i+C) - t_i) over every i with a successor C places on, the allowed rate is
 * C / W, and the fraction is W / mean gap. The first window's burst is credited nowhere (each
 * gap spans one full window of steady use), the figure does not depend on where the run's end
 * falls within a window, and min gap / W >= 1 checks that the limit was never exceeded.
 */
function utilisation(times: number[], count: number): Utilisation | undefined {
  const sorted = [...times].sort((a, b) => a - b);
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let pairs = 0;
  for (let i = 0; i + count < sorted.length; i++) {
    const gap = (sorted[i + count] as number) - (sorted[i] as number);
    sum += gap;
    min = Math.min(min, gap);
    pairs++;
  }
  if (pairs === 0) return undefined;
  const meanGapMs = sum / pairs;
  return { fraction: STEADY_MS / meanGapMs, meanGapMs, minGapMs: min, pairs };
}

function textOf(result: CallResult): string {
  const content = Array.isArray(result.content) ? (result.content as Array<{ text?: string }>) : [];
  return content.map((c) => c.text ?? "").join("\n");
}

/** `workers` callers of `tier.tool` keep calling until RUN_MS has passed; then all finish. */
async function load(
  tier: Tier,
  workers: number,
  call: (worker: number) => Promise<unknown>,
): Promise<Load> {
  /** When each request the emulator admitted (not 429) arrived (ms, performance clock). */
  const times: number[] = [];
  const counter = countServerRequests(emulatorPort, (response) => {
    if (response.path === tier.path && response.status < 400) times.push(response.arrivedAt);
  });
  const errors: string[] = [];
  let calls = 0;
  let rateLimitedResults = 0;
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: workers }, async (_, worker) => {
        while (performance.now() - started < RUN_MS) {
          calls++;
          try {
            const result = (await call(worker)) as CallResult;
            if (!result.isError) continue;
            const text = textOf(result);
            if (/\b429\b|rate.limit/i.test(text)) rateLimitedResults++;
            else errors.push(text.slice(0, 300));
          } catch (error) {
            errors.push(`threw: ${(error as Error).message}`);
          }
        }
      }),
    );
  } finally {
    counter.stop();
  }
  return {
    calls,
    wallMs: performance.now() - started,
    requests: counter.requests(),
    throttled: counter.statuses.get(429) ?? 0,
    rateLimitedResults,
    errors,
    utilisation: utilisation(times, tier.steady),
  };
}

/** Prints a load's figures; records the correctness failures (`strict`: 429s must not leak). */
function report(label: string, tier: Tier, run: Load, target: number, strict: boolean): void {
  const u = run.utilisation;
  const share = run.requests > 0 ? run.throttled / run.requests : 0;
  const sustained = u
    ? `sustained ${pct(u.fraction)} of the steady allowance (${tier.steady} calls per ${seconds(u.meanGapMs)} on average, fastest ${seconds(u.minGapMs)}, allowed ${seconds(STEADY_MS)}${target > 0 ? `; target >= ${pct(target)}` : ""})${u.fraction < target ? " BELOW TARGET" : ""}`
    : "too few calls to measure utilisation";
  console.log(`${label}: ${run.calls} calls in ${seconds(run.wallMs)}; ${sustained}`);
  console.log(
    `  emulator answered ${run.throttled} x 429 of ${run.requests} requests (${pct(share)}${strict ? "; target <= 1%" : ""})${share > 0.01 && strict ? " ABOVE TARGET" : ""}; 429s reaching the model: ${run.rateLimitedResults}; other errors: ${run.errors.length}`,
  );
  for (const message of [...new Set(run.errors)].slice(0, 3)) console.log(`  error: ${message}`);
  if (run.errors.length > 0) failures.push(`${label}: ${run.errors.length} unexplained errors`);
  if (strict && run.rateLimitedResults > 0) {
    failures.push(`${label}: ${run.rateLimitedResults} 429s reached the model`);
  }
}

console.log(
  `rate limits: time scale ${SCALE} (steady window ${seconds(STEADY_MS)}, burst window ${seconds(1000 * SCALE)}); each run keeps its callers busy for ${1 + MEASURED_WINDOWS} steady windows (${seconds(RUN_MS)}), the first one's burst excluded from utilisation`,
);

// a. Utilisation, in process.
{
  const apiKey = emulator.issueKey("all");
  const { config } = loadConfig([], { KLAVIYO_API_KEY: apiKey, KLAVIYO_BASE_URL: emulator.url });
  const runtime = await startRuntime(config, createLogger("error"), {
    throttle: { timeScale: SCALE },
  });
  const account = runtime.accounts.own;
  if (!account) throw new Error("the runtime has no account of its own");
  const server = runtime.serverFor(account, { allowFilePaths: false });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "bench-rate-limits", version: "1" });
  await client.connect(clientSide);
  try {
    for (const tier of [L_TIER, M_TIER]) {
      const run = await load(tier, tier.workers, () =>
        client.callTool({ name: tier.tool, arguments: {} }),
      );
      report(
        `a. ${tier.tool} (${tier.burst}/s, ${tier.steady}/m), ${tier.workers} concurrent callers, one process`,
        tier,
        run,
        0.95,
        true,
      );
    }
  } finally {
    await client.close();
    await server.close();
    await runtime.close();
  }
}

// b. Two replicas, one Klaviyo key, with and without Redis.
{
  const token = randomBytes(32).toString("base64url");
  const redis = await startRedis();
  try {
    for (const shared of [true, false]) {
      // A fresh key: a bucket of its own, in the emulator and in Redis.
      const env: Record<string, string> = {
        KLAVIYO_API_KEY: emulator.issueKey("all"),
        KLAVIYO_BASE_URL: emulator.url,
        KLAVIYO_MCP_TOKENS: token,
        BENCH_TIME_SCALE: String(SCALE),
      };
      if (shared) env.KLAVIYO_MCP_REDIS_URL = redis.url;
      const replicas: Started[] = [];
      const clients: Client[][] = [];
      try {
        replicas.push(...(await Promise.all([startReplica(env), startReplica(env)])));
        for (const replica of replicas) {
          const own: Client[] = [];
          for (let i = 0; i < CLIENTS_PER_REPLICA; i++) {
            const client = new Client({ name: `bench-${replica.pid}-${i}`, version: "1" });
            await client.connect(
              new StreamableHTTPClientTransport(new URL(replica.url), {
                requestInit: { headers: { Authorization: `Bearer ${token}` } },
              }),
            );
            own.push(client);
          }
          clients.push(own);
        }
        const tier = L_TIER;
        const run = await load(tier, tier.workers, (worker) => {
          const own = clients[worker % clients.length] ?? [];
          const client = own[Math.floor(worker / clients.length) % own.length];
          if (!client) throw new Error("no client");
          return client.callTool({ name: tier.tool, arguments: {} });
        });
        report(
          `b. ${tier.tool}, two replicas ${shared ? "sharing the allowance through Redis" : "WITHOUT Redis (contrast: each assumes the whole allowance)"}, ${tier.workers} callers split between them`,
          tier,
          run,
          shared ? 0.9 : 0,
          shared,
        );
      } finally {
        await Promise.allSettled(clients.flat().map((client) => client.close()));
        const codes = await Promise.all(replicas.map((replica) => replica.stop()));
        if (codes.some((code) => code !== 0)) failures.push(`b. a replica exited with ${codes}`);
      }
    }
  } finally {
    await redis.stop();
  }
}

await emulator.close();

// c. Faults: exactly-once writes.
{
  const faults = { errorRate: 0.1, resetRate: 0.02, afterEffectRate: 0.5, seed: 7 };
  const session = await startSandboxSession({ rateLimits: false, faults }, { throttle: false });
  try {
    const run = await runExactlyOnce({
      client: session.client,
      emulator: session.emulator,
      calls: FAULT_CALLS,
      concurrency: 20,
      seed: 1,
    });
    console.log(
      `c. faults (${pct(faults.errorRate)} 5xx, ${pct(faults.resetRate)} resets, ${pct(faults.afterEffectRate)} of them after the effect; rate limits lifted):`,
    );
    for (const line of describeReport(run)) console.log(`  ${line}`);
    const problems = reportFailures(run);
    for (const problem of problems.slice(0, 5)) console.log(`  ${problem}`);
    failures.push(...problems.map((problem) => `c. ${problem}`));
  } finally {
    await session.close();
  }
}

if (failures.length > 0) {
  console.log(`rate-limits bench: ${failures.length} correctness failure(s):`);
  for (const failure of failures.slice(0, 10)) console.log(`  ${failure}`);
  process.exitCode = 1;
}
