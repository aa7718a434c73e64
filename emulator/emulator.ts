/**
 * The Klaviyo API emulator: an HTTP server on 127.0.0.1 that routes every seed operation of
 * the generated catalog through Klaviyo's gatekeeping (auth, revision, scopes, rate limits,
 * content type, body parsing) to a generic JSON:API handler or a resource-specific one.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ApiError, invalidParameter } from "./api-error.js";
import { BETA_SHAPES, isBetaRevision } from "./beta/shapes.js";
import { checkBodyDepth } from "./body.js";
import {
  type Fault,
  type FaultInjector,
  type FaultOptions,
  FaultInjector as Faults,
} from "./faults.js";
import type { EmulatorRequest, EmulatorState, Handler, HandlerResult } from "./handler-types.js";
import { genericHandler } from "./handlers/generic.js";
import { dedicatedHandlers } from "./handlers/index.js";
import { JobQueue } from "./jobs.js";
import { KeyRing, type ScopeGrant } from "./keys.js";
import { accountNameOf, authenticateBearer } from "./oauth/bearer.js";
import type { OAuthOptions, OAuthUrls } from "./oauth/protocol.js";
import { OAuthProvider } from "./oauth/provider.js";
import { handleOAuth, isOAuthPath } from "./oauth/routes.js";
import type { EmulatedOperation } from "./operation-types.js";
import { OPERATIONS as BETA_OPERATIONS } from "./operations/beta/index.js";
import { OPERATIONS } from "./operations/index.js";
import { bucketsFor, RateLimiter, throttledBody } from "./rate-limit.js";
import type { RevisionShapes } from "./render.js";
import { type DemoSummary, seedDemoData } from "./seed.js";
import { Store } from "./store.js";

export interface EmulatorOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Load the deterministic demo store (default true). */
  demoData?: boolean;
  /** Seed for ids and demo data (default 1). */
  seed?: number;
  /** Clock in ms (default Date.now); tests pin it. */
  now?: () => number;
  /** Enforce Klaviyo's per-endpoint rate limits (default true). */
  rateLimits?: boolean;
  /** 0.01 makes a 60 s rate-limit window last 0.6 s. */
  timeScale?: number;
  /** How long a bulk job takes from queued to complete (default 1500 ms). */
  jobDurationMs?: number;
  /** Fault injection; off unless given. */
  faults?: FaultOptions;
  /** A fixed private key to accept (default: a random `pk_emulator_…`). */
  apiKey?: string;
  /** Act as Klaviyo's OAuth provider for these apps (/oauth/*, Bearer tokens); off unless given. */
  oauth?: OAuthOptions;
  /** Called after each response; for tests and check:emulator. */
  onExchange?: (exchange: { op: EmulatedOperation; status: number; body: unknown }) => void;
}

export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:43123`; use it as KLAVIYO_BASE_URL. */
  url: string;
  /** A private key with every scope. */
  apiKey: string;
  /** The account's public key (`company_id` for /client/ endpoints). */
  publicKey: string;
  store: Store;
  demo?: DemoSummary;
  /** Klaviyo's OAuth endpoints on this emulator; only with the `oauth` option. */
  oauthUrls?: OAuthUrls;
  /** Issues another key, limited to `scopes`. */
  issueKey(scopes: ScopeGrant): string;
  /** Completes every pending job now. */
  flushJobs(): void;
  close(): Promise<void>;
}

const JSON_API = "application/vnd.api+json";
const MAX_BODY_BYTES = 12 * 1024 * 1024;

interface CompiledRoute {
  op: EmulatedOperation;
  pattern: RegExp;
  names: string[];
  handler: Handler | undefined;
  /** Set for the beta table's operations. */
  shapes?: RevisionShapes;
}

function compile(op: EmulatedOperation, shapes?: RevisionShapes): CompiledRoute {
  const names: string[] = [];
  const source = op.path
    .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    .replace(/\\\{(\w+)\\\}/g, (_, name: string) => {
      names.push(name);
      return "([^/]+)";
    });
  return {
    op,
    pattern: new RegExp(`^${source}/?$`),
    names,
    handler: dedicatedHandlers[op.id] ?? genericHandler(op.method, op.path),
    ...(shapes ? { shapes } : {}),
  };
}

/** Bodies sent as multipart/form-data (file uploads). */
const MULTIPART = new Set(["upload_image_from_file", "create_agent_knowledge_file_beta"]);

/** A beta-only path asked for with a stable revision: Klaviyo knows no such path there. */
function notInRevision(path: string, revision: string): ApiError {
  return new ApiError(
    404,
    `${path} is not an endpoint of revision ${revision}: it is in beta. Send it with a beta revision, e.g. revision: 2026-07-15.pre.`,
  );
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const store = new Store({ seed: options.seed ?? 1, now: options.now });
  const demo =
    options.demoData === false ? undefined : seedDemoData(store, { seed: options.seed ?? 1 });
  const publicKey = demo?.accountId ?? "EMUPUB";
  if (!demo) store.insert("account", { public_api_key: publicKey, test_account: true }, publicKey);
  const keys = new KeyRing();
  const apiKey = keys.issue("all", options.apiKey);
  const limiter =
    options.rateLimits === false
      ? undefined
      : new RateLimiter({ timeScale: options.timeScale, now: options.now });
  const faults: FaultInjector | undefined = options.faults ? new Faults(options.faults) : undefined;
  const state: EmulatorState = {
    store,
    jobs: new JobQueue(store, { durationMs: options.jobDurationMs }),
    publicKey,
    baseUrl: "",
  };
  const routes = OPERATIONS.map((op) => compile(op));
  const betaRoutes = BETA_OPERATIONS.map((op) => compile(op, BETA_SHAPES));
  // Under a beta revision, Klaviyo serves the beta operations and every stable one besides.
  const betaFirst = [...betaRoutes, ...routes];
  const oauth = options.oauth
    ? new OAuthProvider(options.oauth, { now: options.now, timeScale: options.timeScale })
    : undefined;
  const accountName = () => options.oauth?.accountName ?? accountNameOf(store, publicKey);

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // Only a bug lands here; answer like Klaviyo's 500 rather than hanging up.
      if (!res.headersSent)
        send(res, 500, { errors: [new ApiError(500, String(error)).toObject()] });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", state.baseUrl);
    const method = req.method ?? "GET";
    if (oauth && isOAuthPath(url.pathname)) return handleOAuth(req, res, url, oauth, accountName);
    const revision = String(req.headers.revision ?? "");
    const pathMatches = (isBetaRevision(revision) ? betaFirst : routes)
      .map((route) => ({ route, match: route.pattern.exec(url.pathname) }))
      .filter((m) => m.match);
    const chosen = pathMatches.find((m) => m.route.op.method === method);
    if (!chosen?.match) {
      req.resume();
      if (
        pathMatches.length === 0 &&
        revision &&
        betaRoutes.some((r) => r.pattern.test(url.pathname))
      )
        return fail(res, notInRevision(url.pathname, revision));
      if (pathMatches.length === 0)
        return fail(res, new ApiError(404, `No route for ${url.pathname}.`));
      const allow = [...new Set(pathMatches.map((m) => m.route.op.method))].join(", ");
      return fail(res, new ApiError(405, `Method "${method}" not allowed. Allowed: ${allow}.`), {
        Allow: allow,
      });
    }
    const { route, match } = chosen;
    const op = route.op;
    const params = decodeParams(route.names, match);
    if (!params) {
      req.resume();
      return fail(res, new ApiError(404, `Malformed escape in ${url.pathname}.`));
    }
    const rawBody = await readBody(req);
    let headers: Record<string, string> = {};
    let corruptBody = false;
    // An error or reset drawn to strike after the handler ran: the answer is lost, the effect kept.
    let afterEffect: Extract<Fault, { kind: "error" | "reset" }> | undefined;
    const strike = (fault: Extract<Fault, { kind: "error" | "reset" }>): void => {
      if (fault.kind === "reset") req.socket.destroy();
      else sendRaw(res, fault.status, fault.body, fault.contentType);
    };
    try {
      const caller = authenticate(req, url, op);
      if (limiter) {
        // A conditional tier (get_profile?include=lists) adds a bucket; the base one still counts.
        const decision = limiter.takeAll(
          bucketsFor(`${caller}:${op.id}`, op.rateLimit, url.searchParams),
        );
        if (!decision.allowed) {
          // Klaviyo sends Retry-After on a 429, not the RateLimit-* headers.
          return send(res, 429, throttledBody(decision.retryAfterSeconds), {
            "Retry-After": String(decision.retryAfterSeconds),
          });
        }
        headers = decision.headers;
      }
      if (faults?.enabled) {
        const delay = faults.latency(op.id);
        if (delay > 0) await new Promise((r) => setTimeout(r, delay));
        const fault = faults.decide(op.id);
        if (fault.kind === "reset" || fault.kind === "error") {
          if (!fault.afterEffect) return strike(fault);
          afterEffect = fault;
        }
        corruptBody = fault.kind === "malformed";
      }
      state.jobs.advance();
      const request: EmulatorRequest = {
        op,
        params,
        query: url.searchParams,
        rawBody,
        contentType: req.headers["content-type"] ?? "",
        body: parseBody(req, rawBody, op),
        ...(route.shapes ? { shapes: route.shapes } : {}),
      };
      if (!route.handler) throw new ApiError(500, `The emulator has no handler for ${op.id}.`);
      const result: HandlerResult = await route.handler(request, state);
      options.onExchange?.({ op, status: result.status, body: result.body });
      if (afterEffect) return strike(afterEffect);
      if (corruptBody && faults && result.body !== undefined) {
        return sendRaw(res, result.status, faults.corrupt(JSON.stringify(result.body)), JSON_API);
      }
      send(res, result.status, result.body, { ...headers, ...result.headers });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      options.onExchange?.({ op, status: error.status, body: { errors: [error.toObject()] } });
      if (afterEffect) return strike(afterEffect);
      fail(res, error);
    }
  }

  function authenticate(req: IncomingMessage, url: URL, op: EmulatedOperation): string {
    if (!req.headers.revision) {
      throw new ApiError(400, "The 'revision' header is required, e.g. revision: 2026-07-15.", {
        parameter: "revision",
      });
    }
    if (op.path.startsWith("/client/")) {
      const company = url.searchParams.get("company_id");
      if (!company)
        throw invalidParameter(
          "company_id",
          "The 'company_id' query parameter is required: your public API key.",
        );
      if (company !== publicKey)
        throw invalidParameter(
          "company_id",
          `'${company}' is not a valid company_id (public API key).`,
        );
      return `public:${company}`;
    }
    const header = req.headers.authorization ?? "";
    const bearer = oauth && /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (oauth && bearer) return authenticateBearer(oauth, bearer, op);
    const key = /^Klaviyo-API-Key\s+(\S+)$/i.exec(header)?.[1];
    if (!key) {
      throw new ApiError(
        401,
        "Missing or invalid authorization scheme. Please use Klaviyo-API-Key.",
      );
    }
    if (!keys.has(key)) {
      throw new ApiError(401, "Incorrect authentication credentials.", undefined, {
        code: "authentication_failed",
        title: "Incorrect authentication credentials.",
      });
    }
    const missing = keys.missingScopes(key, op.scopes);
    if (missing.length > 0) {
      throw new ApiError(403, `This API key is missing required scopes: ${missing.join(", ")}.`);
    }
    return key;
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  state.baseUrl = `http://127.0.0.1:${port}`;
  return {
    url: state.baseUrl,
    oauthUrls: oauth && {
      authorize: `${state.baseUrl}/oauth/authorize`,
      token: `${state.baseUrl}/oauth/token`,
      revoke: `${state.baseUrl}/oauth/revoke`,
    },
    apiKey,
    publicKey,
    store,
    demo,
    issueKey: (scopes) => keys.issue(scopes),
    flushJobs: () => state.jobs.drain(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Path parameters, percent-decoded; undefined when an escape is malformed. */
function decodeParams(names: string[], match: RegExpExecArray): Record<string, string> | undefined {
  try {
    return Object.fromEntries(
      names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? "")]),
    );
  } catch {
    return undefined;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function parseBody(req: IncomingMessage, raw: Buffer, op: EmulatedOperation): unknown {
  if (Number(req.headers["content-length"] ?? raw.length) > MAX_BODY_BYTES) {
    throw new ApiError(413, `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
  }
  if (raw.length === 0) {
    if (op.requestType)
      throw new ApiError(400, "This endpoint needs a JSON:API request body.", { pointer: "/data" });
    return undefined;
  }
  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (MULTIPART.has(op.id)) {
    if (type !== "multipart/form-data") {
      throw new ApiError(415, `Unsupported media type "${type}". Use multipart/form-data.`);
    }
    return undefined;
  }
  if (type !== JSON_API && type !== "application/json") {
    throw new ApiError(
      415,
      `Unsupported media type "${type || "(none)"}" in request. Use ${JSON_API}.`,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString("utf8"));
  } catch (error) {
    throw new ApiError(
      400,
      `JSON parse error - ${(error as Error).message}`,
      { pointer: "/" },
      { code: "parse_error" },
    );
  }
  checkBodyDepth(body);
  return body;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  sendRaw(res, status, JSON.stringify(body), JSON_API, headers);
}

function sendRaw(
  res: ServerResponse,
  status: number,
  text: string,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  res
    .writeHead(status, {
      ...headers,
      "Content-Type": contentType,
      "Content-Length": String(Buffer.byteLength(text)),
    })
    .end(text);
}

function fail(res: ServerResponse, error: ApiError, headers: Record<string, string> = {}): void {
  send(res, error.status, { errors: [error.toObject()] }, headers);
}
