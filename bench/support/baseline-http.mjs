/**
 * The baseline of bench/http-load.ts: the SDK's own stateless streamable-HTTP example
 * (@modelcontextprotocol/sdk/dist/esm/examples/server/simpleStatelessStreamableHttp.js), with
 * its demo tools replaced by one, get_lists, that makes the same request to Klaviyo's API
 * (KLAVIYO_BASE_URL) as our server does. A new server and transport per POST, 405 for GET and
 * DELETE, as in the example. Plain JavaScript, so that node runs it as it is. Listens on
 * 127.0.0.1:PORT (0: any free port) and prints one JSON line { url, pid } once listening, like
 * bench/support/http-server.ts.
 */
import { createMcpExpressApp } from "@modelcontextprotocol/sdk/server/express.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";

const baseUrl = process.env.KLAVIYO_BASE_URL ?? "https://a.klaviyo.com";
const headers = {
  authorization: `Klaviyo-API-Key ${process.env.KLAVIYO_API_KEY ?? ""}`,
  accept: "application/vnd.api+json",
  revision: "2026-07-15",
};
const port = Number(process.env.PORT ?? 0);

async function get(path) {
  const res = await fetch(`${baseUrl}${path}`, { headers });
  const text = await res.text();
  return { content: [{ type: "text", text }], isError: !res.ok };
}

const getServer = () => {
  const server = new McpServer(
    { name: "stateless-streamable-http-server", version: "1.0.0" },
    { capabilities: { logging: {} } },
  );
  server.registerTool("get_lists", { description: "List lists.", inputSchema: {} }, () =>
    get("/api/lists"),
  );
  return server;
};

const methodNotAllowed = JSON.stringify({
  jsonrpc: "2.0",
  error: { code: -32000, message: "Method not allowed." },
  id: null,
});

const app = createMcpExpressApp();
app.post("/mcp", async (req, res) => {
  const server = getServer();
  try {
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
    // The example also logs "Request closed" here: left out, it would be measured too.
    res.on("close", () => {
      transport.close();
      server.close();
    });
  } catch (error) {
    console.error("Error handling MCP request:", error);
    if (!res.headersSent) {
      res.status(500).json({
        jsonrpc: "2.0",
        error: { code: -32603, message: "Internal server error" },
        id: null,
      });
    }
  }
});
app.get("/mcp", (_req, res) => {
  res.writeHead(405).end(methodNotAllowed);
});
app.delete("/mcp", (_req, res) => {
  res.writeHead(405).end(methodNotAllowed);
});

const listening = app.listen(port, "127.0.0.1", (error) => {
  if (error) {
    console.error("Failed to start server:", error);
    process.exit(1);
  }
  const address = listening.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : port}/mcp`;
  process.stdout.write(`${JSON.stringify({ url, pid: process.pid })}\n`);
});
// The example exits on SIGINT; the bench stops its children with SIGTERM.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(0));
