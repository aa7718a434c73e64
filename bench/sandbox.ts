/**
 * npm run bench (second part): the sandbox. How long the server takes to be usable in sandbox
 * mode (emulator + demo data) against start-up with a key, and how fast the emulator answers
 * typical requests, against a trivial route (get_accounts) measured in the same run.
 */
import { resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { request } from "undici";
import { startEmulator } from "../emulator/index.js";

const ROUNDS = Number(process.env.BENCH_CALLS ?? 60);
const CLI = resolve(import.meta.dirname, "../dist/src/cli.js");
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ??
  0;

async function startupMs(env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const client = new Client({ name: "bench", version: "1" });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [CLI],
      env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn", ...env },
      stderr: "ignore",
    }),
  );
  await client.listTools();
  const elapsed = performance.now() - started;
  await client.close();
  return elapsed;
}

const withKey: number[] = [];
const sandbox: number[] = [];
for (let i = 0; i < 5; i++) {
  withKey.push(
    await startupMs({ KLAVIYO_API_KEY: "pk_bench", KLAVIYO_BASE_URL: "http://127.0.0.1:9" }),
  );
  sandbox.push(await startupMs({}));
}
console.log(
  `start-up to tools/list: with a key p50 ${percentile(withKey, 0.5).toFixed(0)} ms, sandbox p50 ${percentile(sandbox, 0.5).toFixed(0)} ms (ratio ${(percentile(sandbox, 0.5) / percentile(withKey, 0.5)).toFixed(2)}x)`,
);

const seedStarted = performance.now();
const emulator = await startEmulator({ rateLimits: false });
console.log(
  `emulator start with demo data: ${(performance.now() - seedStarted).toFixed(0)} ms (${emulator.store.count("profile")} profiles, ${emulator.store.count("event")} events)`,
);
const headers = {
  Authorization: `Klaviyo-API-Key ${emulator.apiKey}`,
  revision: "2026-07-15",
  "content-type": "application/vnd.api+json",
};
const metric = emulator.demo?.metricIds["Placed Order"];
const since = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 19);
const cases: Array<[string, string, string, unknown?]> = [
  ["get_accounts (baseline)", "GET", "/api/accounts"],
  ["get_profiles, 100 per page", "GET", "/api/profiles?page[size]=100"],
  [
    "get_events, filter metric+datetime",
    "GET",
    `/api/events?filter=${encodeURIComponent(`and(equals(metric_id,"${metric}"),greater-than(datetime,${since}))`)}&page[size]=100`,
  ],
  ["get_list_profiles", "GET", `/api/lists/${emulator.demo?.listIds[0]}/profiles?page[size]=100`],
  [
    "metric aggregate, 30 days by day",
    "POST",
    "/api/metric-aggregates",
    {
      data: {
        type: "metric-aggregate",
        attributes: {
          metric_id: metric,
          measurements: ["count", "sum_value"],
          interval: "day",
          filter: [
            `greater-or-equal(datetime,${since})`,
            `less-than(datetime,${new Date().toISOString().slice(0, 19)})`,
          ],
        },
      },
    },
  ],
];
let baseline = 0;
for (const [label, method, path, body] of cases) {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    const res = await request(`${emulator.url}${path}`, {
      method: method as "GET",
      headers,
      body: body ? JSON.stringify(body) : undefined,
    });
    await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${label}: HTTP ${res.statusCode}`);
    times.push(performance.now() - started);
  }
  const p50 = percentile(times, 0.5);
  if (!baseline) baseline = p50;
  console.log(
    `emulator ${label.padEnd(36)} p50 ${p50.toFixed(2)} ms  p99 ${percentile(times, 0.99).toFixed(2)} ms  (${(p50 / baseline).toFixed(1)}x baseline)`,
  );
}
await emulator.close();
