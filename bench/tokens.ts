/**
 * npm run bench:tokens: what the tool surface and the results cost in a model's context,
 * counted with an o200k tokenizer on the JSON a client receives.
 * - tools/list for each configuration (all tools, core, read-only, catalog mode), against the
 *   full listing (every schema in full, with _meta) measured in the same run;
 * - per list endpoint, the trimmed tool result against Klaviyo's raw JSON:API response for the
 *   same data on the sandbox, and the median.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { encode } from "gpt-tokenizer/encoding/o200k_base";
import { loadSchemas } from "../src/engine/definition.js";
import { listedTool } from "../src/engine/surface/registry.js";
import { createLogger } from "../src/logger.js";
import { createMcpServer, type ServerOptions } from "../src/server.js";
import { allTools, toolGroups } from "../tools/index.js";

await loadSchemas(allTools);

const tokens = (value: unknown) => encode(JSON.stringify(value)).length;

async function listing(options: Partial<ServerOptions>): Promise<unknown[]> {
  const server = createMcpServer({
    client: { request: async () => ({ status: 200, headers: {}, body: {} }) },
    logger: createLogger("silent"),
    allowFilePaths: false,
    toolsets: [...toolGroups],
    readOnly: false,
    ...options,
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "bench-tokens", version: "1" });
  await client.connect(clientSide);
  const { tools } = await client.listTools();
  await client.close();
  await server.close();
  return tools;
}

const full = allTools.map(listedTool);
const fullTokens = tokens({ tools: full });
console.log(
  `full listing (baseline: every schema in full, with _meta): ${full.length} tools, ${fullTokens} tokens, ${(fullTokens / full.length).toFixed(1)} per tool`,
);
const configurations: Array<[string, Partial<ServerOptions>]> = [
  ["all tools", {}],
  ["core", { toolsets: ["core"] }],
  ["read-only", { readOnly: true }],
  ["core, read-only", { toolsets: ["core"], readOnly: true }],
  ["catalog mode", { toolMode: "catalog" }],
];
for (const [label, options] of configurations) {
  const tools = await listing(options);
  const total = tokens({ tools });
  console.log(
    `${label.padEnd(16)} ${String(tools.length).padStart(3)} tools  ${String(total).padStart(6)} tokens  ${(total / tools.length).toFixed(1).padStart(6)} per tool  (${((total / fullTokens) * 100).toFixed(1)}% of the full listing)`,
  );
}

// Results: the trimmed tool result against Klaviyo's raw response, per list endpoint.
const ratio = await import("./support/result-ratio.js").catch(() => undefined);
if (ratio) {
  const { rows, median } = await ratio.measureResultRatios();
  for (const row of rows) {
    console.log(
      `  ${row.tool.padEnd(44)} raw ${String(row.rawTokens).padStart(6)}  trimmed ${String(row.trimmedTokens).padStart(6)}  ${(row.ratio * 100).toFixed(1).padStart(5)}%${row.lostFields.length > 0 ? `  LOST: ${row.lostFields.join(", ")}` : ""}`,
    );
  }
  console.log(
    `results: median trimmed/raw over ${rows.length} list endpoints: ${(median * 100).toFixed(1)}%`,
  );
  if (rows.some((row) => row.lostFields.length > 0)) process.exitCode = 1;
}
process.exit();
