/**
 * MCP over streamable HTTP at /mcp, stateless: every POST gets a fresh MCP server and transport,
 * so any replica behind a load balancer can answer any request and nothing is kept between
 * requests. In front of the SDK transport sit the checks that make it safe to expose: Host and
 * Origin (DNS rebinding), bearer tokens (with failed attempts throttled per client address), a
 * body-size limit, time limits on headers and bodies, and a cap on connections. A refused
 * request's connection is closed, its body unread. GET /healthz is for load balancers.
 * close() drains: it stops accepting, lets in-flight calls finish within a bound, then stops
 * the calls still running so that each is answered with its outcome, and cuts what is left.
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
import type { OAuthSession } from "../oauth/authorization-server.js";
import { FailedLogins } from "./auth-throttle.js";
import { ConnectionGuard } from "./connections.js";
import {
  asksForProgress,
  isJsonContentType,
  readBody,
  refuse,
  sendError,
  sendJson,
  tooLarge,
} from "./http-io.js";
import {
  addressKey,
  clientAddress,
  originPolicy,
  proxyList,
  refusedOrigin,
  TokenChecker,
} from "./http-security.js";
import { LogAggregator } from "./log-aggregator.js";
import { bearerChallenge, needsSameOrigin, type OAuthEndpoints, serveOAuth } from "./oauth-http.js";

export const MCP_PATH = "/mcp";
export const HEALTH_PATH = "/healthz";

/** Defaults of the limits (see the options below and src/config.ts). */
export const HTTP_LIMITS = {
  maxConnections: 512,
  headersTimeoutMs: 15_000,
  bodyTimeoutMs: 60_000,
  authFailureLimit: 20,
  authFailureWindowMs: 60_000,
};
/** Addresses whose failed logins are counted at once (memory stays bounded under attack). */
const TRACKED_ADDRESSES = 10_000;
/** Client registrations and refused token requests per address per window (OAuth). */
const OAUTH_REQUESTS_PER_WINDOW = 30;
/** Addresses logged one by one per minute; refusals from more share one line. */
const LOGGED_ADDRESSES = 100;
const LOG_INTERVAL_MS = 60_000;
/** At shutdown, how long the calls stopped at the deadline have to send their answers. */
const ANSWER_GRACE_MS = 2_000;

export type HealthStatus = { status: "ok" } | { status: "degraded"; reason: string };

/**
 * Thrown by `serverFor` to answer a request with an HTTP error instead of serving it. A 503
 * says Retry-After: 1 unless `headers` say otherwise.
 */
export class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface HttpServerOptions {
  host: string;
  port: number;
  /** Bearer tokens a request must present one of. Empty only with `noAuth` or `oauth`. */
  tokens: readonly string[];
  /** OAuth for MCP clients: its endpoints, and access tokens accepted on /mcp beside `tokens`. */
  oauth?: OAuthEndpoints;
  noAuth: boolean;
  allowedOrigins: readonly string[];
  allowedHosts: readonly string[];
  maxBodyBytes: number;
  shutdownTimeoutMs: number;
  /** Connections open at once; at the cap, idle ones make room (see connections.ts). */
  maxConnections?: number;
  /** Time to receive a request's headers (408 and closed past it). */
  headersTimeoutMs?: number;
  /** Time to receive an authenticated request's body after its headers. */
  bodyTimeoutMs?: number;
  /** Failed bearer tokens per client address per window, before 429. */
  authFailureLimit?: number;
  authFailureWindowMs?: number;
  /** Addresses or subnets of proxies whose X-Forwarded-For names the client. */
  trustedProxies?: readonly string[];
  logger: Logger;
  /** Request headers `serverFor` reads, which browsers may then send (CORS). */
  requestHeaders?: readonly string[];
  /**
   * What GET /healthz reports while not draining. Degraded still answers 200: a shared
   * dependency's outage (Redis) must not take every replica out of the load balancer at once.
   */
  health?: () => HealthStatus;
  /**
   * The MCP server for one request, chosen from its headers (e.g. a per-request account).
   * `shutdown` aborts at the shutdown deadline: calls still running stop and answer with
   * their outcome. `finished` aborts once the request is over, however it ended (answered,
   * refused, cut): what was taken for it can be let go.
   */
  serverFor(
    headers: IncomingHttpHeaders,
    context: { shutdown: AbortSignal; finished: AbortSignal; session?: OAuthSession },
  ): Server | Promise<Server>;
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
  if (!tokens.enabled && !options.noAuth && !options.oauth) {
    throw new Error("The HTTP server needs bearer tokens unless noAuth or oauth is set.");
  }
  const { oauth } = options;
  const { logger } = options;
  const limits = { ...HTTP_LIMITS, ...definedOnly(options) };
  const inFlight = new Set<ServerResponse>();
  /** Requests past their checks and body, handed to the MCP server: they can be answered. */
  const answering = new WeakSet<ServerResponse>();
  let draining = false;
  const shutdown = new AbortController();
  const proxies = options.trustedProxies?.length ? proxyList(options.trustedProxies) : undefined;
  const failedLogins = new FailedLogins({
    limit: limits.authFailureLimit,
    windowMs: limits.authFailureWindowMs,
    maxAddresses: TRACKED_ADDRESSES,
  });
  const refusalLog = authRefusalLog(logger);
  const oauthAbuse = new FailedLogins({
    limit: OAUTH_REQUESTS_PER_WINDOW,
    windowMs: limits.authFailureWindowMs,
    maxAddresses: TRACKED_ADDRESSES,
  });
  // Computed again once listening: the server's own origins carry the real port (--port 0).
  let policy = originPolicy(options);

  /** `expectsContinue`: the client awaits "100 Continue" before sending the body. */
  const handle = async (
    req: IncomingMessage,
    res: ServerResponse,
    expectsContinue: boolean,
  ): Promise<void> => {
    const started = performance.now();
    const path = (req.url ?? "/").split("?")[0] ?? "/";
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
      if (draining) return sendJson(res, 503, { status: "draining" });
      return sendJson(res, 200, options.health?.() ?? { status: "ok" });
    }
    const origin = req.headers.origin;
    if (oauth?.handles(path)) {
      return serveOAuth(req, res, path, {
        oauth,
        // Host always (DNS rebinding); Origin only where a browser posts this server's own form.
        refusal: refusedOrigin(
          policy,
          req.headers.host,
          needsSameOrigin(path) ? origin : undefined,
        ),
        draining,
        abuse: oauthAbuse,
        client: addressKey(
          clientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], proxies),
        ),
        maxBodyBytes: options.maxBodyBytes,
      });
    }
    if (path !== MCP_PATH) {
      return refuse(res, 404, `Not found: MCP is served at ${MCP_PATH}.`);
    }
    const refusal = refusedOrigin(policy, req.headers.host, origin);
    if (refusal) {
      logger.warn(
        { remote: req.socket.remoteAddress, origin, host: req.headers.host },
        "refused Host/Origin",
      );
      return refuse(res, 403, `Forbidden: ${refusal}`);
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
      return refuse(res, 503, "The server is shutting down; retry on another replica.");
    }
    if (req.method !== "POST") {
      // Stateless: no standalone SSE stream (GET) and no sessions to delete (DELETE).
      return refuse(
        res,
        405,
        `Method ${req.method} is not allowed: this stateless server takes JSON-RPC messages by POST.`,
        { Allow: "POST, OPTIONS" },
      );
    }
    let session: OAuthSession | undefined;
    if (!options.noAuth) {
      const client = addressKey(
        clientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], proxies),
      );
      // Past the limit the token is not even looked at, and the refusal is only counted.
      const wait = failedLogins.retryAfterSeconds(client);
      if (wait > 0) {
        refusalLog.record(client, "throttled");
        return refuse(
          res,
          429,
          `Too many failed bearer-token attempts from your address: retry in ${wait} s.`,
          { "Retry-After": String(wait) },
        );
      }
      let verdict = tokens.check(req.headers.authorization);
      let oauthProblem: string | undefined;
      if (oauth && verdict === "invalid") {
        // Not a static token: perhaps an access token this server issued.
        const token = (req.headers.authorization ?? "").replace(/^Bearer[ \t]+/i, "").trim();
        const found = await oauth.authenticate(token).catch(() => undefined);
        if (!found) {
          // The sign-in state (Redis) is away: nothing was refused, so the client retries.
          return refuse(
            res,
            503,
            "Sign-in state is unavailable right now; retry in a few seconds.",
            { "Retry-After": "1" },
          );
        }
        if ("session" in found) {
          session = found.session;
          verdict = "ok";
        } else {
          oauthProblem = found.error;
        }
      }
      if (verdict === "ok") {
        failedLogins.succeeded(client);
        connections.authenticated(req.socket);
      } else if (oauth) {
        // Every refusal points an OAuth client at the sign-in (RFC 9728 discovery). A request
        // without a token is how discovery starts, not a failed guess: it is not counted.
        if (verdict !== "missing") failedLogins.failed(client);
        refusalLog.record(client, verdict);
        const why =
          oauthProblem ??
          (verdict === "malformed"
            ? "the Authorization header must be 'Bearer <token>'."
            : "sign in (OAuth) or send a bearer token.");
        const problem =
          verdict === "missing" ? undefined : { error: "invalid_token" as const, description: why };
        return refuse(res, 401, `Unauthorized: ${why}`, {
          "WWW-Authenticate": bearerChallenge(oauth, problem),
        });
      } else {
        failedLogins.failed(client);
        refusalLog.record(client, verdict);
        const message = {
          missing: "Unauthorized: send Authorization: Bearer <token> (one of KLAVIYO_MCP_TOKENS).",
          malformed: "Unauthorized: the Authorization header must be 'Bearer <token>'.",
          invalid: "Unauthorized: the bearer token is not valid for this server.",
        }[verdict];
        return refuse(res, 401, message, {
          "WWW-Authenticate":
            verdict === "missing"
              ? 'Bearer realm="klaviyo-mcp"'
              : 'Bearer realm="klaviyo-mcp", error="invalid_token"',
        });
      }
    }
    const declaredLength = Number(req.headers["content-length"] ?? 0);
    if (declaredLength > options.maxBodyBytes) {
      return refuse(res, 413, tooLarge(options.maxBodyBytes));
    }

    let server: Server;
    const finished = new AbortController();
    res.on("close", () => finished.abort());
    try {
      server = await options.serverFor(req.headers, {
        shutdown: shutdown.signal,
        finished: finished.signal,
        session,
      });
    } catch (error) {
      if (error instanceof HttpRefusal) {
        const retry: Record<string, string> = error.status === 503 ? { "Retry-After": "1" } : {};
        return refuse(res, error.status, error.message, { ...retry, ...error.headers });
      }
      throw error;
    }
    // Only now, past every check, is the body worth receiving.
    if (expectsContinue) res.writeContinue();
    let parsedBody: unknown;
    if (isJsonContentType(req.headers["content-type"])) {
      const body = await readBody(req, options.maxBodyBytes);
      if (body === undefined) return refuse(res, 413, tooLarge(options.maxBodyBytes));
      try {
        parsedBody = JSON.parse(body);
      } catch {
        return sendError(res, 400, "Parse error: Invalid JSON", {}, -32700);
      }
    }
    // A call beyond the session's scopes: a challenge the client can step up with.
    const missing = oauth && session ? oauth.missingScopes(session, parsedBody) : [];
    if (oauth && missing.length > 0) {
      return sendError(
        res,
        403,
        `Insufficient scope: this call needs ${missing.join(", ")}; sign in again granting them.`,
        {
          "WWW-Authenticate": bearerChallenge(oauth, {
            error: "insufficient_scope",
            scopes: [...new Set([...(session?.scopes ?? []), ...missing])],
          }),
        },
      );
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
    answering.add(res);
    await transport.handleRequest(req, res, parsedBody);
  };

  const dispatch = (req: IncomingMessage, res: ServerResponse, expectsContinue: boolean) => {
    inFlight.add(res);
    connections.requestStarted(req.socket);
    res.on("close", () => {
      inFlight.delete(res);
      connections.requestFinished(req.socket);
    });
    if (draining) res.shouldKeepAlive = false;
    handle(req, res, expectsContinue).catch((error: unknown) => {
      logger.error({ err: error }, "HTTP request failed");
      if (!res.headersSent) sendError(res, 500, "Internal server error.");
      else res.destroy();
    });
  };
  const http = createServer(
    // Node checks the time limits below this often (30 s by default, too coarse for them).
    { connectionsCheckingInterval: Math.min(1_000, Math.ceil(limits.headersTimeoutMs / 4)) },
    (req, res) => dispatch(req, res, false),
  );
  http.on("checkContinue", (req, res) => dispatch(req, res, true));
  const connections = new ConnectionGuard(http, limits.maxConnections, logger, LOG_INTERVAL_MS);
  // Longer than common load-balancer idle timeouts (60 s), so the balancer closes first. Idle
  // keep-alive connections are not subject to headersTimeout, only requests under way.
  http.keepAliveTimeout = 65_000;
  http.headersTimeout = limits.headersTimeoutMs;
  // The whole request; only authenticated requests are read past their headers.
  http.requestTimeout = limits.headersTimeoutMs + limits.bodyTimeoutMs;

  try {
    await new Promise<void>((resolve, reject) => {
      http.once("error", reject);
      http.listen(options.port, options.host, () => {
        http.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    connections.stop();
    refusalLog.stop();
    throw error;
  }
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
        logger.warn(
          { unfinished: inFlight.size },
          "shutdown timeout: stopping the calls still running, each answered with its outcome",
        );
        shutdown.abort();
        // Requests still sending their body have nothing to answer: they are simply cut.
        const graceEnd = Date.now() + ANSWER_GRACE_MS;
        while ([...inFlight].some((res) => answering.has(res)) && Date.now() < graceEnd) {
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        if (inFlight.size > 0) {
          logger.warn({ unanswered: inFlight.size }, "shutdown: cutting requests not answered");
        }
      }
      logger.info({ waitedFor }, "HTTP server drained");
      http.closeAllConnections();
      connections.stop();
      refusalLog.stop();
      await stopped;
    })();
    return closed;
  };
  return { url: `http://${shownHost}:${port}${MCP_PATH}`, port, close };
}

/** The limits given in `options` (undefined ones keep their defaults). */
function definedOnly(options: HttpServerOptions): Partial<typeof HTTP_LIMITS> {
  const limits: Partial<typeof HTTP_LIMITS> = {};
  for (const key of Object.keys(HTTP_LIMITS) as Array<keyof typeof HTTP_LIMITS>) {
    const value = options[key];
    if (value !== undefined) limits[key] = value;
  }
  return limits;
}

/**
 * Refused bearer tokens, logged without flooding: an address's first refusal at once, then one
 * line a minute with the counts while refusals go on. The token is never logged.
 */
function authRefusalLog(logger: Logger) {
  return new LogAggregator<"missing" | "malformed" | "invalid" | "throttled">({
    intervalMs: LOG_INTERVAL_MS,
    maxKeys: LOGGED_ADDRESSES,
    first: (remote, reason) => logger.warn({ remote, reason }, "refused bearer token"),
    summary: (remote, counts) =>
      logger.warn(
        { remote: remote ?? "other addresses", ...counts, seconds: LOG_INTERVAL_MS / 1000 },
        "refused bearer tokens since the last line",
      ),
  });
}
