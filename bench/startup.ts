/**
 * npm run bench: start-up and per-call overhead of the stdio server, against a loopback HTTP
 * server that answers instantly. Prints figures; it asserts nothing. The baseline is a direct
 * HTTP request to the same loopback server, measured in the same run.
 *
 * BENCH_COMPARE_CLI=<path to another build's dist/src/cli.js> measures that build too, in the
 * same run, alternating rounds (e.g. the previous release, to show what a change cost).
 * BENCH_ROUNDS (default 3) start-ups per build; the median is printed.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { request } from "undici";

// Below get_profiles' burst limit (75/s), so the throttle never has to hold a call back.
const CALLS = Number(process.env.BENCH_CALLS ?? 60);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
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

// Baseline: the same request, straight over HTTP.
const direct: number[] = [];
for (let i = 0; i < CALLS; i++) {
  const started = performance.now();
  const res = await request(`${baseUrl}/api/profiles?page[size]=20`);
  await res.body.text();
  direct.push(performance.now() - started);
}

interface Round {
  startupMs: number;
  tools: number;
  listBytes: number;
  calls: number[];
}

async function round(cli: string, extraArgs: string[]): Promise<Round> {
  const spawnStarted = performance.now();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli, ...extraArgs],
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
  const calls: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const started = performance.now();
    await client.callTool({ name: "get_profiles", arguments: { page_size: 20 } });
    calls.push(performance.now() - started);
  }
  await client.close();
  return { startupMs, tools: tools.length, listBytes: JSON.stringify(tools).length, calls };
}

const builds: Array<{ label: string; cli: string; args: string[] }> = [
  { label: "this build", cli: resolve(import.meta.dirname, "../dist/src/cli.js"), args: [] },
];
if (process.env.BENCH_COMPARE_CLI) {
  builds.push({ label: "compared build", cli: resolve(process.env.BENCH_COMPARE_CLI), args: [] });
}
if (process.env.BENCH_BETA !== "0") {
  builds.push({ label: "this build --beta", cli: builds[0]?.cli ?? "", args: ["--beta"] });
}
const rounds = new Map(builds.map((b) => [b.label, [] as Round[]]));
for (let i = 0; i < ROUNDS; i++) {
  for (const build of builds) rounds.get(build.label)?.push(await round(build.cli, build.args));
}
server.close();

const p50Direct = median(direct);
console.log(
  `direct HTTP   p50 ${p50Direct.toFixed(2)} ms  p99 ${percentile(direct, 0.99).toFixed(2)} ms  (${CALLS} calls)`,
);
for (const build of builds) {
  const runs = rounds.get(build.label) ?? [];
  const calls = runs.flatMap((r) => r.calls);
  const p50 = median(calls);
  const first = runs[0];
  console.log(
    `${build.label}: start-up to tools/list ${median(runs.map((r) => r.startupMs)).toFixed(0)} ms (median of ${runs.length}; ${first?.tools} tools, ${((first?.listBytes ?? 0) / 1024).toFixed(0)} KiB)`,
  );
  console.log(
    `${build.label}: MCP tool call p50 ${p50.toFixed(2)} ms  p99 ${percentile(calls, 0.99).toFixed(2)} ms; added latency ${(p50 - p50Direct).toFixed(2)} ms at p50 (ratio ${(p50 / p50Direct).toFixed(2)}x)`,
  );
}
