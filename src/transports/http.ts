/**
 * MCP over streamable HTTP at /mcp, stateless: every POST gets a fresh MCP server and transport,
 * so any replica behind a load balancer can answer any request and nothing is kept between
 * requests. In front of the SDK transport sit the checks that make it safe to expose: Host and
 * Origin (DNS rebinding), bearer tokens, and a body-size limit. GET /healthz is for load
 * balancers. close() drains: it stops accepting, lets in-flight calls finish within a bound,
 * then cuts what is left.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { Logger } from "../logger.js";
import { originPolicy, refusedOrigin, TokenChecker } from "./http-security.js";

export const MCP_PATH = "/mcp";
export const HEALTH_PATH = "/healthz";

/** Thrown by `serverFor` to answer a request with an HTTP error instead of serving it. */
export class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface HttpServerOptions {
  host: string;
  port: number;
  /** Bearer tokens a request must present one of. Empty only together with `noAuth`. */
  tokens: readonly string[];
  noAuth: boolean;
  allowedOrigins: readonly string[];
  allowedHosts: readonly string[];
  maxBodyBytes: number;
  shutdownTimeoutMs: number;
  logger: Logger;
  /** Request headers `serverFor` reads, which browsers may then send (CORS). */
  requestHeaders?: readonly string[];
  /** The MCP server for one request, chosen from its headers (e.g. a per-request account). */
  serverFor(headers: IncomingHttpHeaders): Server | Promise<Server>;
}

export interface HttpServerHandle {
  /** e.g. http://127.0.0.1:3000/mcp */
  url: string;
  port: number;
  /** Stops accepting, waits for in-flight requests (up to shutdownTimeoutMs), then closes. */
  close(): Promise<void>;
}

/** Headers a browser client may send and read (CORS), for allowed origins only. */
const CORS_ALLOW_HEADERS =
  "Authorization, Content-Type, Accept, Mcp-Protocol-Version, Mcp-Session-Id, Last-Event-ID";
const CORS_EXPOSE_HEADERS = "Mcp-Session-Id, Mcp-Protocol-Version, WWW-Authenticate";

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServerHandle> {
  const tokens = new TokenChecker(options.tokens);
  if (!tokens.enabled && !options.noAuth) {
    throw new Error("The HTTP server needs bearer tokens unless noAuth is set.");
  }
  const { logger } = options;
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  // Computed again once listening: the server's own origins carry the real port (--port 0).
  let policy = originPolicy(options);

  /** `expectsContinue`: the client awaits "100 Continue" before sending the body. */
  const handle = async (
    req: IncomingMessage,
    res: ServerResponse,
    expectsContinue: boolean,
  ): Promise<void> => {
    const started = performance.now();
    const path = (req.url ?? "/").split("?")[0];
    res.on("close", () => {
      logger.debug(
        {
          method: req.method,
          path,
          status: res.statusCode,
          ms: +(performance.now() - started).toFixed(1),
        },
        "http request",
      );
    });
    if (path === HEALTH_PATH && (req.method === "GET" || req.method === "HEAD")) {
      return sendJson(res, draining ? 503 : 200, { status: draining ? "draining" : "ok" });
    }
    if (path !== MCP_PATH) {
      return sendError(res, 404, `Not found: MCP is served at ${MCP_PATH}.`);
    }
    const origin = req.headers.origin;
    const refusal = refusedOrigin(policy, req.headers.host, origin);
    if (refusal) {
      logger.warn(
        { remote: req.socket.remoteAddress, origin, host: req.headers.host },
        "refused Host/Origin",
      );
      return sendError(res, 403, `Forbidden: ${refusal}`);
    }
    if (origin) {
      res.setHeader("Access-Control-Allow-Origin", origin);
      res.setHeader("Vary", "Origin");
      res.setHeader("Access-Control-Expose-Headers", CORS_EXPOSE_HEADERS);
    }
    if (req.method === "OPTIONS") {
      res.writeHead(204, {
        "Access-Control-Allow-Methods": "POST, OPTIONS",
        "Access-Control-Allow-Headers": [
          CORS_ALLOW_HEADERS,
          ...(options.requestHeaders ?? []),
        ].join(", "),
        "Access-Control-Max-Age": "600",
      });
      res.end();
      return;
    }
    if (draining) {
      res.setHeader("Retry-After", "1");
      return sendError(res, 503, "The server is shutting down; retry on another replica.", {
        Connection: "close",
      });
    }
    if (req.method !== "POST") {
      // Stateless: no standalone SSE stream (GET) and no sessions to delete (DELETE).
      return sendError(
        res,
        405,
        `Method ${req.method} is not allowed: this stateless server takes JSON-RPC messages by POST.`,
        { Allow: "POST, OPTIONS" },
      );
    }
    if (!options.noAuth) {
      const verdict = tokens.check(req.headers.authorization);
      if (verdict !== "ok") {
        logger.warn({ remote: req.socket.remoteAddress, reason: verdict }, "refused bearer token");
        const message = {
          missing: "Unauthorized: send Authorization: Bearer <token> (one of KLAVIYO_MCP_TOKENS).",
          malformed: "Unauthorized: the Authorization header must be 'Bearer <token>'.",
          invalid: "Unauthorized: the bearer token is not valid for this server.",
        }[verdict];
        return sendError(res, 401, message, {
          "WWW-Authenticate":
            verdict === "missing"
              ? 'Bearer realm="klaviyo-mcp"'
              : 'Bearer realm="klaviyo-mcp", error="invalid_token"',
        });
      }
    }
    const declaredLength = Number(req.headers["content-length"] ?? 0);
    if (declaredLength > options.maxBodyBytes) {
      // Refused unread: close the connection rather than drain a body we will not use.
      return sendError(res, 413, tooLarge(options.maxBodyBytes), { Connection: "close" });
    }

    let server: Server;
    try {
      server = await options.serverFor(req.headers);
    } catch (error) {
      if (error instanceof HttpRefusal) return sendError(res, error.status, error.message);
      throw error;
    }
    // Only now, past every check, is the body worth receiving.
    if (expectsContinue) res.writeContinue();
    let parsedBody: unknown;
    if (isJsonContentType(req.headers["content-type"])) {
      const body = await readBody(req, options.maxBodyBytes);
      if (body === undefined) {
        return sendError(res, 413, tooLarge(options.maxBodyBytes), { Connection: "close" });
      }
      try {
        parsedBody = JSON.parse(body);
      } catch {
        return sendError(res, 400, "Parse error: Invalid JSON", {}, -32700);
      }
    }
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      // Plain JSON answers, unless the client asked for progress: notifications need a stream.
      enableJsonResponse: !asksForProgress(parsedBody),
      maxRequestBodySize: options.maxBodyBytes,
    });
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, parsedBody);
  };

  const dispatch = (req: IncomingMessage, res: ServerResponse, expectsContinue: boolean) => {
    inFlight.add(res);
    res.on("close", () => inFlight.delete(res));
    if (draining) res.shouldKeepAlive = false;
    handle(req, res, expectsContinue).catch((error: unknown) => {
      logger.error({ err: error }, "HTTP request failed");
      if (!res.headersSent) sendError(res, 500, "Internal server error.");
      else res.destroy();
    });
  };
  const http = createServer((req, res) => dispatch(req, res, false));
  http.on("checkContinue", (req, res) => dispatch(req, res, true));
  // Longer than common load-balancer idle timeouts (60 s), so the balancer closes first.
  http.keepAliveTimeout = 65_000;
  http.headersTimeout = 66_000;

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port, options.host, () => {
      http.off("error", reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  policy = originPolicy({ ...options, port });
  const shownHost = options.host.includes(":") ? `[${options.host}]` : options.host;
  logger.info({ host: options.host, port }, "serving MCP over streamable HTTP");

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      draining = true;
      for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
      const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeIdleConnections();
      const waitedFor = inFlight.size;
      const deadline = Date.now() + options.shutdownTimeoutMs;
      while (inFlight.size > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      if (inFlight.size > 0) {
        logger.warn({ unfinished: inFlight.size }, "shutdown timeout: cutting in-flight requests");
      }
      logger.info({ waitedFor }, "HTTP server drained");
      http.closeAllConnections();
      await stopped;
    })();
    return closed;
  };
  return { url: `http://${shownHost}:${port}${MCP_PATH}`, port, close };
}

function isJsonContentType(value: string | undefined): boolean {
  return /^application\/json\s*(;|$)/i.test(value ?? "");
}

/** The body as text, or undefined once it passes `max` bytes (reading stops there). */
async function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A request (or batch) whose `_meta.progressToken` asks for progress notifications. */
function asksForProgress(body: unknown): boolean {
  const messages = Array.isArray(body) ? body : [body];
  return messages.some(
    (m) =>
      (m as { params?: { _meta?: { progressToken?: unknown } } })?.params?._meta?.progressToken !==
      undefined,
  );
}

function tooLarge(max: number): string {
  return `Payload too large: request bodies are limited to ${max} bytes (KLAVIYO_MCP_MAX_BODY_BYTES).`;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** Errors in JSON-RPC shape, as the SDK's own transport answers, so clients parse one format. */
function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
  code = -32000,
): void {
  sendJson(res, status, { jsonrpc: "2.0", error: { code, message }, id: null }, headers);
}
