/**
 * npm run bench: start-up, memory and per-call overhead of the stdio server with every tool,
 * against the smallest honest MCP server one can write with the same SDK
 * (bench/support/baseline-stdio.mjs: three tools, each one fetch), measured in the same run,
 * alternating rounds. The upstream is a loopback HTTP server that answers at once; the calls stay
 * far below get_profiles' rate limit, so the throttle never holds one back. Prints figures and
 * the ratios against the baseline (issue 16's target: within 1.10x, at worst 1.25x); asserts
 * nothing.
 *
 * - start-up: spawn to the first tools/list answer;
 * - RSS: the server process's resident memory right after that answer (Linux /proc);
 * - added latency: MCP tool call p50 minus a direct HTTP GET's p50 to the same upstream.
 *
 * BENCH_COMPARE_CLI=<another build's dist/src/cli.js> measures that build too (e.g. the previous
 * release). BENCH_ROUNDS (default 7) start-ups per build, BENCH_CALLS (default 60) calls each;
 * BENCH_BETA=0 skips the --beta run.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { request } from "undici";

// Below get_profiles' burst limit (75/s) in every round: the throttle never has to hold a call.
const CALLS = Number(process.env.BENCH_CALLS ?? 60);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const body = JSON.stringify({
  data: Array.from({ length: 20 }, (_, i) => ({
    type: "profile",
    id: `P${i}`,
    attributes: { email: `p${i}@example.com`, first_name: "Ann", last_name: null, properties: {} },
    links: { self: `https://a.klaviyo.com/api/profiles/P${i}/` },
  })),
  links: { next: "https://a.klaviyo.com/api/profiles/?page%5Bcursor%5D=NEXT" },
});
const server = createServer((_req, res) => {
  res.writeHead(200, { "content-type": "application/vnd.api+json" });
  res.end(body);
});
await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ??
  0;
const median = (values: number[]) => percentile(values, 0.5);

/** Resident memory of a process, in MiB (Linux). */
function rssMiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) / 1024;
}

/** A direct HTTP GET to the upstream, one at a time: what each call adds is measured over this. */
async function directCalls(count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const res = await request(`${baseUrl}/api/profiles?page[size]=20`);
    await res.body.text();
    times.push(performance.now() - started);
  }
  return times;
}

interface Round {
  startupMs: number;
  rssMiB: number;
  tools: number;
  listBytes: number;
  calls: number[];
}

async function round(build: Build): Promise<Round> {
  const spawnStarted = performance.now();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [build.cli, ...build.args],
    env: {
      PATH: process.env.PATH ?? "",
      KLAVIYO_API_KEY: "pk_bench",
      KLAVIYO_BASE_URL: baseUrl,
      LOG_LEVEL: "warn",
    },
  });
  const client = new Client({ name: "bench", version: "1" });
  await client.connect(transport);
  const { tools } = await client.listTools();
  const startupMs = performance.now() - spawnStarted;
  const rss = rssMiB(transport.pid as number);
  const calls: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const started = performance.now();
    const result = await client.callTool({ name: "get_profiles", arguments: { page_size: 20 } });
    if (result.isError)
      throw new Error(`${build.label}: get_profiles failed: ${JSON.stringify(result)}`);
    calls.push(performance.now() - started);
  }
  await client.close();
  return {
    startupMs,
    rssMiB: rss,
    tools: tools.length,
    listBytes: JSON.stringify(tools).length,
    calls,
  };
}

interface Build {
  label: string;
  cli: string;
  args: string[];
}

const thisBuild = resolve(import.meta.dirname, "../dist/src/cli.js");
const baseline: Build = {
  label: "smallest SDK server",
  cli: resolve(import.meta.dirname, "support/baseline-stdio.mjs"),
  args: [],
};
const builds: Build[] = [baseline, { label: "klaviyo-mcp", cli: thisBuild, args: [] }];
if (process.env.BENCH_BETA !== "0") {
  builds.push({ label: "klaviyo-mcp --beta", cli: thisBuild, args: ["--beta"] });
}
if (process.env.BENCH_COMPARE_CLI) {
  builds.push({ label: "compared build", cli: resolve(process.env.BENCH_COMPARE_CLI), args: [] });
}

const rounds = new Map(builds.map((b) => [b.label, [] as Round[]]));
const direct: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  // The direct requests interleave with the rounds, so that both see the same machine.
  direct.push(...(await directCalls(CALLS)));
  for (const build of builds) rounds.get(build.label)?.push(await round(build));
}
server.close();

interface Figures {
  startupMs: number;
  rssMiB: number;
  addedMs: number;
}
const p50Direct = median(direct);
const figures = new Map<string, Figures>();
console.log(
  `stdio, ${ROUNDS} start-ups per build (medians), ${CALLS} calls to get_profiles each; direct HTTP GET p50 ${p50Direct.toFixed(2)} ms`,
);
for (const build of builds) {
  const runs = rounds.get(build.label) ?? [];
  const calls = runs.flatMap((r) => r.calls);
  const own: Figures = {
    startupMs: median(runs.map((r) => r.startupMs)),
    rssMiB: median(runs.map((r) => r.rssMiB)),
    addedMs: median(calls) - p50Direct,
  };
  figures.set(build.label, own);
  const first = runs[0];
  console.log(
    `${build.label.padEnd(20)} ${String(first?.tools).padStart(3)} tools (${((first?.listBytes ?? 0) / 1024).toFixed(0)} KiB listed): start-up ${own.startupMs.toFixed(0)} ms, RSS ${own.rssMiB.toFixed(1)} MiB, call p50 ${median(calls).toFixed(2)} ms (p99 ${percentile(calls, 0.99).toFixed(2)}), added ${own.addedMs.toFixed(2)} ms`,
  );
}
const base = figures.get(baseline.label) as Figures;
const ratio = (value: number, reference: number) => `${(value / reference).toFixed(2)}x`;
for (const build of builds.slice(1)) {
  const own = figures.get(build.label) as Figures;
  console.log(
    `${build.label} vs ${baseline.label}: start-up ${ratio(own.startupMs, base.startupMs)}, RSS ${ratio(own.rssMiB, base.rssMiB)}, added latency per call ${ratio(own.addedMs, base.addedMs)} (target 1.10x, at worst 1.25x)`,
  );
}
