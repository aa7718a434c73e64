/**
 * npm run bench: start-up and per-call overhead of the stdio server, against a loopback HTTP
 * server that answers instantly. Prints figures; it asserts nothing. The baseline is a direct
 * HTTP request to the same loopback server, measured in the same run.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { request } from "undici";

// Below get_profiles' burst limit (75/s), so the throttle never has to hold a call back.
const CALLS = Number(process.env.BENCH_CALLS ?? 60);
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

// Baseline: the same request, straight over HTTP.
const direct: number[] = [];
for (let i = 0; i < CALLS; i++) {
  const started = performance.now();
  const res = await request(`${baseUrl}/api/profiles?page[size]=20`);
  await res.body.text();
  direct.push(performance.now() - started);
}

const spawnStarted = performance.now();
const transport = new StdioClientTransport({
  command: process.execPath,
  args: [resolve(import.meta.dirname, "../dist/src/cli.js")],
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
const listBytes = JSON.stringify(tools).length;

const viaMcp: number[] = [];
for (let i = 0; i < CALLS; i++) {
  const started = performance.now();
  await client.callTool({ name: "get_profiles", arguments: { page_size: 20 } });
  viaMcp.push(performance.now() - started);
}
await client.close();
server.close();

const p50Direct = percentile(direct, 0.5);
const p50Mcp = percentile(viaMcp, 0.5);
console.log(
  `start-up to tools/list: ${startupMs.toFixed(0)} ms (${tools.length} tools, ${(listBytes / 1024).toFixed(0)} KiB)`,
);
console.log(
  `direct HTTP   p50 ${p50Direct.toFixed(2)} ms  p99 ${percentile(direct, 0.99).toFixed(2)} ms  (${CALLS} calls)`,
);
console.log(
  `MCP tool call p50 ${p50Mcp.toFixed(2)} ms  p99 ${percentile(viaMcp, 0.99).toFixed(2)} ms  (${CALLS} calls)`,
);
console.log(
  `added latency per call: ${(p50Mcp - p50Direct).toFixed(2)} ms at p50 (ratio ${(p50Mcp / p50Direct).toFixed(2)}x)`,
);
