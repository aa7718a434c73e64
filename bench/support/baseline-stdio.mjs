/**
 * The baseline of bench/startup.ts: the smallest honest MCP server one can write with the same
 * SDK. A few tools, each one fetch to Klaviyo's API (KLAVIYO_BASE_URL), over stdio. Plain
 * JavaScript, so that node runs it as it is.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import * as z from "zod/v4";

const baseUrl = process.env.KLAVIYO_BASE_URL ?? "https://a.klaviyo.com";
const headers = {
  authorization: `Klaviyo-API-Key ${process.env.KLAVIYO_API_KEY ?? ""}`,
  accept: "application/vnd.api+json",
  revision: "2026-07-15",
};

async function get(path) {
  const res = await fetch(`${baseUrl}${path}`, { headers });
  const text = await res.text();
  return { content: [{ type: "text", text }], isError: !res.ok };
}

const server = new McpServer({ name: "baseline", version: "1.0.0" });
server.registerTool(
  "get_profiles",
  {
    description: "List profiles.",
    inputSchema: { page_size: z.number().int().min(1).max(100).optional() },
  },
  ({ page_size }) => get(`/api/profiles?page[size]=${page_size ?? 20}`),
);
server.registerTool("get_lists", { description: "List lists.", inputSchema: {} }, () =>
  get("/api/lists"),
);
server.registerTool(
  "get_list",
  { description: "Get one list.", inputSchema: { id: z.string() } },
  ({ id }) => get(`/api/lists/${encodeURIComponent(id)}`),
);
await server.connect(new StdioServerTransport());
