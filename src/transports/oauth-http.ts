/**
 * The OAuth endpoints over HTTP, and the challenges on /mcp (MCP authorization spec
 * 2025-11-25). http.ts routes here after its Host check and before the MCP path; the
 * authorization server itself (src/oauth/authorization-server.ts) knows nothing of HTTP.
 * Metadata, registration, token and revocation are meant to be called across origins (they
 * carry no ambient credentials), so they answer CORS with `*`; the consent form is same-origin.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { OAuthAnswer, OAuthRequest, OAuthSession } from "../oauth/authorization-server.js";
import { PAGE_HEADERS } from "../oauth/consent-page.js";
import type { FailedLogins } from "./auth-throttle.js";
import { readBody, refuse } from "./http-io.js";

/** What the HTTP layer needs of the authorization server. */
export interface OAuthEndpoints {
  handles(path: string): boolean;
  handle(request: OAuthRequest): Promise<OAuthAnswer>;
  authenticate(token: string): Promise<{ session: OAuthSession } | { error: string }>;
  resourceMetadataUrl: string;
  scopes: readonly string[];
  /** For a JSON-RPC body: the scopes its tools/call needs beyond the session's, if any. */
  missingScopes(session: OAuthSession, body: unknown): string[];
}

/** The consent form posts here from this server's own page; everything else is public. */
const SAME_ORIGIN_PATHS = new Set(["/authorize", "/oauth/callback"]);

export const needsSameOrigin = (path: string) => SAME_ORIGIN_PATHS.has(path);

/**
 * An OAuth endpoint's request, past the HTTP layer's checks: Host/Origin (`refusal`), draining,
 * and a per-address limit on registrations and refused token requests, so that nobody can fill
 * the client store (pushing real clients out) or guess codes and secrets at speed.
 */
export async function serveOAuth(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  ctx: {
    oauth: OAuthEndpoints;
    refusal?: string;
    draining: boolean;
    abuse: FailedLogins;
    client: string;
    maxBodyBytes: number;
  },
): Promise<void> {
  if (ctx.refusal) return refuse(res, 403, `Forbidden: ${ctx.refusal}`);
  if (ctx.draining)
    return refuse(res, 503, "The server is shutting down; retry on another replica.");
  const wait = ctx.abuse.retryAfterSeconds(ctx.client);
  if (wait > 0) {
    return refuse(res, 429, `Too many sign-in requests from your address: retry in ${wait} s.`, {
      "Retry-After": String(wait),
    });
  }
  const status = await answerOAuth(req, res, path, ctx.oauth, ctx.maxBodyBytes, readBody);
  if (path === "/register" || (req.method === "POST" && status >= 400))
    ctx.abuse.failed(ctx.client);
}

export async function answerOAuth(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  oauth: OAuthEndpoints,
  maxBodyBytes: number,
  readBody: (req: IncomingMessage, max: number) => Promise<string | undefined>,
): Promise<number> {
  const cors: Record<string, string> = needsSameOrigin(path)
    ? {}
    : { "Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "WWW-Authenticate" };
  if (req.method === "OPTIONS") {
    res.writeHead(204, {
      ...cors,
      "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
      "Access-Control-Allow-Headers": "Authorization, Content-Type, Mcp-Protocol-Version",
      "Access-Control-Max-Age": "600",
    });
    res.end();
    return 204;
  }
  const url = new URL(req.url ?? "/", "http://placeholder");
  const request: OAuthRequest = {
    method: req.method ?? "GET",
    path,
    query: url.searchParams,
    authorization: req.headers.authorization,
  };
  if (req.method === "POST") {
    const body = await readBody(req, maxBodyBytes);
    if (body === undefined) {
      return write(
        res,
        { status: 413, json: oauthError("invalid_request", "The body is too large.") },
        cors,
      );
    }
    const type = req.headers["content-type"] ?? "";
    if (/^application\/x-www-form-urlencoded\b/i.test(type)) {
      request.form = new URLSearchParams(body);
    } else if (/^application\/json\b/i.test(type)) {
      try {
        request.json = JSON.parse(body);
      } catch {
        return write(
          res,
          { status: 400, json: oauthError("invalid_request", "The body is not valid JSON.") },
          cors,
        );
      }
    } else if (body.length > 0) {
      return write(
        res,
        {
          status: 415,
          json: oauthError(
            "invalid_request",
            "Send application/x-www-form-urlencoded (or JSON to /register).",
          ),
        },
        cors,
      );
    }
  }
  let answer: OAuthAnswer;
  try {
    answer = await oauth.handle(request);
  } catch {
    // The state store (Redis) is away: a standard, retryable answer rather than a 500.
    answer = {
      status: 503,
      headers: { "Retry-After": "5" },
      json: oauthError("temporarily_unavailable", "Sign-in state is unavailable; retry shortly."),
    };
  }
  return write(res, answer, cors);
}

const oauthError = (error: string, description: string) => ({
  error,
  error_description: description,
});

/** Writes the answer; returns its status (the HTTP layer counts refusals). */
function write(res: ServerResponse, answer: OAuthAnswer, extra: Record<string, string>): number {
  if (answer.redirect) {
    res.writeHead(302, {
      ...extra,
      ...answer.headers,
      Location: answer.redirect,
      "Cache-Control": "no-store",
    });
    res.end();
  } else if (answer.html !== undefined) {
    res.writeHead(answer.status, { ...extra, ...PAGE_HEADERS, ...answer.headers });
    res.end(answer.html);
  } else {
    res.writeHead(answer.status, {
      ...extra,
      "Content-Type": "application/json",
      ...answer.headers,
    });
    res.end(JSON.stringify(answer.json ?? {}));
  }
  return answer.redirect ? 302 : answer.status;
}

/** RFC 6750 / RFC 9728: where to find the authorization server, and which scopes to ask for. */
export function bearerChallenge(
  oauth: OAuthEndpoints,
  problem?: {
    error: "invalid_token" | "insufficient_scope";
    description?: string;
    scopes?: readonly string[];
  },
): string {
  const parts = [`resource_metadata="${oauth.resourceMetadataUrl}"`];
  if (problem) {
    parts.unshift(`error="${problem.error}"`);
    if (problem.description)
      parts.push(`error_description="${problem.description.replace(/["\\]/g, "")}"`);
  }
  parts.push(`scope="${(problem?.scopes ?? oauth.scopes).join(" ")}"`);
  return `Bearer ${parts.join(", ")}`;
}
