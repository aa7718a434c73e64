/**
 * Redis commands per tool call and per idle second, with rate limits shared through Redis
 * (issue 16). Replicas of the MCP HTTP server (bench/support/http-server.ts) run with
 * KLAVIYO_MCP_REDIS_URL against a throwaway redis-server, their throttle on at real time (time
 * scale 1, Klaviyo's published windows), the emulator upstream with its own limits lifted, behind
 * a proxy that can delay its answers. Tool calls go through MCP over HTTP, so every Redis command
 * a real call costs is counted.
 *
 * Each phase starts with CONFIG RESETSTAT and ends with INFO commandstats: "executed" is every
 * command Redis ran, those inside Lua scripts included (Redis counts them too); a failed command
 * (an EVALSHA answered NOSCRIPT, before ioredis' EVAL fallback) counts as well. MONITOR, on a
 * connection of its own and between the same two marks, tells the commands the replicas sent
 * (their round trips) from those their scripts ran, and the epoch watch's GETs (every 200 ms,
 * whatever the calls) from the rest. The bench's own commands are left out.
 *
 * BENCH_REDIS_CALLS (default 50): calls made one at a time; BENCH_REDIS_IDLE_MS (default 5000):
 * each idle measurement; BENCH_REDIS_LATENCY_MS (default 400): Klaviyo's answer time in the last
 * phase; BENCH_REDIS_ROOT: the source tree the replicas run (default this one;
 * e.g. `git archive <commit>` unpacked beside node_modules, for the figures before a change).
 * Prints figures; fails only if a call fails.
 */
import { randomBytes } from "node:crypto";
import { createServer, request as httpRequest } from "node:http";
import { resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { Redis } from "ioredis";
import { startEmulator } from "../emulator/index.js";
import { countServerRequests } from "../test/support/exactly-once.js";
import { type Started, startRedis, startReplica } from "./support/processes.js";

const SEQUENTIAL = Number(process.env.BENCH_REDIS_CALLS ?? 50);
const IDLE_MS = Number(process.env.BENCH_REDIS_IDLE_MS ?? 5_000);
/** How long Klaviyo takes to answer in the last phase (calls in flight holding the slots). */
const SLOW_MS = Number(process.env.BENCH_REDIS_LATENCY_MS ?? 400);
const REPLICA_ROOT = resolve(process.env.BENCH_REDIS_ROOT ?? resolve(import.meta.dirname, ".."));
const CLIENTS_PER_REPLICA = 10;
/** Klaviyo's burst window: phases are this far apart so that each starts with it empty. */
const BURST_MS = 1_000;
/** Counting goes on this long after a phase's calls end. */
const SETTLE_MS = 100;
/** Marks the start of a phase in the MONITOR stream (its end is the bench's INFO). */
const MARK = "bench-redis-commands";
/** Commands only the bench's own connections send. */
const OWN_COMMANDS = new Set(["info", "config|resetstat", "multi", "exec", "echo", "ping"]);
/** Five tools of five buckets, callable without arguments. */
const FIVE_TOOLS = ["get_profiles", "get_lists", "get_segments", "get_metrics", "get_tags"];

interface Call {
  name: string;
  arguments?: Record<string, unknown>;
}
const PROFILES: Call = { name: "get_profiles", arguments: { page_size: 1 } };
/** Two buckets (the conditional limit, 10/s and 150/m, besides 75/s and 750/m): four windows. */
const PROFILES_PREDICTIVE: Call = {
  name: "get_profiles",
  arguments: { page_size: 1, additional_fields: ["predictive_analytics"] },
};

interface Observed {
  /** Commands the replicas sent (round trips), by name, the watch's GETs apart. */
  sent: Map<string, number>;
  watch: number;
  /** Commands run inside scripts, by name. */
  scripted: Map<string, number>;
}

interface Counts extends Observed {
  /** Every command Redis ran, by name (INFO commandstats: calls + rejected_calls). */
  executed: Map<string, number>;
  /** How long the work took, and the span the counts cover (the work and the settling after). */
  workMs: number;
  ms: number;
}

const failures: string[] = [];
const pause = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));
const sum = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
const add = (counts: Map<string, number>, key: string, n = 1) =>
  counts.set(key, (counts.get(key) ?? 0) + n);
const perUnit = (counts: Map<string, number>, unit: number) =>
  [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name} ${fmt(n / unit)}`)
    .join(", ") || "none";

const emulator = await startEmulator({ rateLimits: false });
const emulatorPort = Number(new URL(emulator.url).port);
/** Klaviyo's answer time: the replica talks to the emulator through this delaying proxy. */
let latencyMs = 0;
const upstream = createServer((incoming, answer) => {
  setTimeout(() => {
    const forwarded = httpRequest(
      {
        host: "127.0.0.1",
        port: emulatorPort,
        path: incoming.url,
        method: incoming.method,
        headers: incoming.headers,
      },
      (response) => {
        answer.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(answer);
      },
    );
    forwarded.on("error", () => answer.destroy());
    incoming.pipe(forwarded);
  }, latencyMs);
});
await new Promise<void>((done) => upstream.listen(0, "127.0.0.1", done));
const upstreamAddress = upstream.address();
const upstreamUrl = `http://127.0.0.1:${typeof upstreamAddress === "object" && upstreamAddress ? upstreamAddress.port : 0}`;
const redis = await startRedis();
const token = randomBytes(32).toString("base64url");
const replicas: Started[] = [];
const clients: Client[][] = [];
const admin = new Redis(redis.url);
const monitor = await admin.monitor();

try {
  const own = /\baddr=(\S+)/.exec(String(await admin.call("CLIENT", "INFO")))?.[1];
  let observed: Observed = { sent: new Map(), watch: 0, scripted: new Map() };
  let counting = false;
  let phaseEnded = () => {};
  // MONITOR shows commands in the order Redis ran them: count between the mark and INFO.
  monitor.on("monitor", (_time: string, args: string[], source: string) => {
    const name = String(args[0] ?? "").toLowerCase();
    if (source === own) {
      if (name === "echo" && args[1] === MARK) counting = true;
      if (name === "info" && counting) {
        counting = false;
        phaseEnded();
      }
      return;
    }
    if (!counting) return;
    if (source === "lua") add(observed.scripted, name);
    // A replica sends one plain GET, the epoch watch's; its scripts read the epoch inside.
    else if (name === "get") observed.watch++;
    else add(observed.sent, name);
  });

  /** Counts what Redis runs while `work` runs. */
  async function measure(work: () => Promise<void>): Promise<Counts> {
    observed = { sent: new Map(), watch: 0, scripted: new Map() };
    const ended = new Promise<void>((done) => {
      phaseEnded = done;
    });
    // One transaction: no command of a replica's between the reset and the mark.
    await admin.multi().config("RESETSTAT").echo(MARK).exec();
    const started = performance.now();
    await work();
    const workMs = performance.now() - started;
    // A call's slots are given back (COMPLETE) after its result: let the last ones land.
    await pause(SETTLE_MS);
    const ms = performance.now() - started;
    const text = await admin.info("commandstats");
    await ended;
    const executed = new Map<string, number>();
    for (const match of text.matchAll(/^cmdstat_(\S+?):calls=(\d+),.*?rejected_calls=(\d+)/gm)) {
      const [, name = "", calls = "0", rejected = "0"] = match;
      if (!OWN_COMMANDS.has(name)) add(executed, name, Number(calls) + Number(rejected));
    }
    return { executed, ...observed, workMs, ms };
  }

  const env = {
    KLAVIYO_API_KEY: emulator.issueKey("all"),
    KLAVIYO_BASE_URL: upstreamUrl,
    KLAVIYO_MCP_TOKENS: token,
    KLAVIYO_MCP_REDIS_URL: redis.url,
    BENCH_TIME_SCALE: "1",
  };
  /** Starts a replica (same Klaviyo key: one allowance) and connects its MCP clients. */
  async function addReplica(): Promise<void> {
    const replica = await startReplica(env, REPLICA_ROOT);
    replicas.push(replica);
    const connected: Client[] = [];
    clients.push(connected);
    for (let i = 0; i < CLIENTS_PER_REPLICA; i++) {
      const client = new Client({ name: `bench-redis-${replica.pid}-${i}`, version: "1" });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(replica.url), {
          requestInit: { headers: { Authorization: `Bearer ${token}` } },
        }),
      );
      connected.push(client);
    }
  }

  let turn = 0;
  /** One tool call, through the replicas in turn (and each one's clients in turn). */
  async function call(request: Call): Promise<void> {
    const n = turn++;
    const ofReplica = clients[n % clients.length] as Client[];
    const client = ofReplica[Math.floor(n / clients.length) % ofReplica.length] as Client;
    const result = await client.callTool({ name: request.name, arguments: request.arguments });
    if (result.isError) {
      const content = (result.content ?? []) as Array<{ text?: string }>;
      failures.push(
        `${request.name}: ${content
          .map((c) => c.text)
          .join(" ")
          .slice(0, 200)}`,
      );
    }
  }
  const times = (n: number, request: Call) =>
    Promise.all(Array.from({ length: n }, () => call(request))).then(() => {});

  /** Until when the last phase's calls may still fill a burst window. */
  let burstBusyUntil = 0;
  /** Runs phase `label` (`calls` tool calls) and prints its figures. */
  async function callPhase(label: string, calls: number, run: () => Promise<void>) {
    await pause(Math.max(0, burstBusyUntil - performance.now()));
    const counter = countServerRequests(emulatorPort);
    let counts: Counts;
    let requests = 0;
    try {
      counts = await measure(run);
      requests = counter.requests();
    } finally {
      counter.stop();
      burstBusyUntil = performance.now() + BURST_MS;
    }
    const trips = sum(counts.sent);
    console.log(
      `${label}: ${calls} calls, ${requests} Klaviyo requests, ${counts.workMs.toFixed(0)} ms`,
    );
    console.log(
      `  executed per call: ${fmt(sum(counts.executed) / calls)} (${perUnit(counts.executed, calls)})`,
    );
    console.log(
      `  round trips per call: ${fmt(trips / calls)} (${perUnit(counts.sent, calls)}); besides, ${counts.watch} watch GETs in the ${(counts.ms / 1000).toFixed(2)} s counted; run inside scripts per call: ${fmt(sum(counts.scripted) / calls)}`,
    );
  }

  async function idlePhase(label: string) {
    const counts = await measure(() => pause(IDLE_MS - SETTLE_MS));
    const seconds = counts.ms / 1000;
    console.log(
      `idle ${seconds.toFixed(1)} s ${label}: ${fmt(sum(counts.executed) / seconds)} commands per second executed (${perUnit(counts.executed, seconds)}); round trips per second ${fmt((sum(counts.sent) + counts.watch) / seconds)} (watch GETs ${fmt(counts.watch / seconds)})`,
    );
  }

  await addReplica();
  console.log(
    `Redis commands per tool call (issue 16), replicas running ${REPLICA_ROOT}: "executed" is INFO commandstats (commands inside scripts included), "round trips" what the replicas sent (MONITOR), the epoch watch's GETs apart`,
  );
  await callPhase(
    "a. first call (get_profiles): scripts not yet loaded, and the first epoch opens 600 ms after the replica starts",
    1,
    () => call(PROFILES),
  );
  await callPhase("b. get_profiles (75/s, 750/m), one at a time", SEQUENTIAL, async () => {
    for (let i = 0; i < SEQUENTIAL; i++) await call(PROFILES);
  });
  await callPhase("c. get_profiles, 50 at once", 50, () => times(50, PROFILES));
  await idlePhase("after calls to 1 tool (1 bucket)");
  await callPhase(
    "d. get_profiles with predictive_analytics (2 buckets, 4 windows), one at a time",
    8,
    async () => {
      for (let i = 0; i < 8; i++) await call(PROFILES_PREDICTIVE);
    },
  );
  await callPhase("e. 5 tools (5 buckets), 4 calls each, one at a time", 20, async () => {
    for (let i = 0; i < 4; i++) for (const name of FIVE_TOOLS) await call({ name });
  });
  await idlePhase("after calls to 5 tools (6 buckets: get_profiles' conditional one too)");
  await callPhase("f. get_profiles, 150 at once (beyond the 75/s burst: half wait)", 150, () =>
    times(150, PROFILES),
  );
  // Redis lost its script cache (SCRIPT FLUSH) but not the connection: ioredis' EVALSHA is
  // answered NOSCRIPT, and it sends EVAL.
  await admin.script("FLUSH");
  await callPhase("g. first call after SCRIPT FLUSH (get_profiles)", 1, () => call(PROFILES));
  // A replica runs at most a burst window's count of calls at once, so alone it never waits on a
  // window full of calls in flight. With two, it waits on the other's (a33e58d polled every 20 ms;
  // now it looks again one window later, as no slot frees sooner).
  await addReplica();
  latencyMs = SLOW_MS;
  await callPhase(
    `h. two replicas, get_metrics (10/s, 150/m), 30 at once, Klaviyo answering in ${SLOW_MS} ms`,
    30,
    () => times(30, { name: "get_metrics" }),
  );
} finally {
  await Promise.allSettled(clients.flat().map((client) => client.close()));
  const codes = await Promise.all(replicas.map((replica) => replica.stop()));
  if (codes.some((code) => code !== 0)) failures.push(`a replica exited with ${codes}`);
  monitor.disconnect();
  admin.disconnect();
  await redis.stop();
  await new Promise((done) => upstream.close(done));
  await emulator.close();
}

if (failures.length > 0) {
  console.log(`redis-commands bench: ${failures.length} call(s) failed:`);
  for (const failure of failures.slice(0, 5)) console.log(`  ${failure}`);
  process.exitCode = 1;
}
