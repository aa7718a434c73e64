/**
 * The OAuth endpoints over HTTP, as Klaviyo serves them to apps: /oauth/authorize (GET: the
 * consent page; POST: its answer), /oauth/token and /oauth/revoke. The logic is in provider.ts.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { consentPage, errorPage, PAGE_HEADERS } from "./pages.js";
import { OAuthError } from "./protocol.js";
import type { OAuthProvider } from "./provider.js";

const ROUTES: Record<string, string[]> = {
  "/oauth/authorize": ["GET", "POST"],
  "/oauth/token": ["POST"],
  "/oauth/revoke": ["POST"],
};
/** Forms here are a few hundred bytes; refuse anything far larger without buffering it. */
const MAX_FORM_BYTES = 64 * 1024;
const FORM_TYPE = "application/x-www-form-urlencoded";

export function isOAuthPath(pathname: string): boolean {
  return Object.hasOwn(ROUTES, pathname);
}

/** Answers a request to one of the OAuth paths (see isOAuthPath). */
export async function handleOAuth(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  provider: OAuthProvider,
  accountName: () => string,
): Promise<void> {
  const method = req.method ?? "GET";
  const allowed = ROUTES[url.pathname] ?? [];
  if (!allowed.includes(method)) {
    req.resume();
    return sendJson(res, 405, oauthErrorBody("invalid_request", `Use ${allowed.join(" or ")}.`), {
      Allow: allowed.join(", "),
    });
  }
  const html = url.pathname === "/oauth/authorize";
  try {
    if (method === "GET") {
      req.resume();
      const start = provider.startConsent(url.searchParams);
      if (start.kind === "redirect") return redirect(res, start.redirectTo);
      return sendHtml(res, 200, consentPage(start.consent, accountName()));
    }
    const form = await readForm(req);
    if (html) {
      const decision = form.get("decision");
      if (decision !== "allow" && decision !== "deny")
        throw new OAuthError("invalid_request", "decision must be allow or deny.");
      const { redirectTo } = provider.decide(form.get("request_id") ?? "", decision === "allow");
      return redirect(res, redirectTo);
    }
    const clientId = provider.authenticateClient(req.headers.authorization);
    if (url.pathname === "/oauth/token") {
      return sendJson(res, 200, provider.exchange(clientId, form));
    }
    provider.revoke(clientId, form);
    return sendJson(res, 200, {});
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    if (html) return sendHtml(res, 400, errorPage(error.error, error.description));
    const challenge: Record<string, string> =
      error.status === 401 ? { "WWW-Authenticate": 'Basic realm="Klaviyo"' } : {};
    return sendJson(res, error.status, oauthErrorBody(error.error, error.description), challenge);
  }
}

function oauthErrorBody(error: string, description: string) {
  return { error, error_description: description };
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  const raw = await new Promise<Buffer | undefined>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Keeps reading past the limit (so the answer is not cut off) but stops keeping it.
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_FORM_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_FORM_BYTES ? undefined : Buffer.concat(chunks)));
    req.on("error", reject);
  });
  if (!raw)
    throw new OAuthError("invalid_request", `The request body is over ${MAX_FORM_BYTES} bytes.`);
  if (type !== FORM_TYPE) throw new OAuthError("invalid_request", `The body must be ${FORM_TYPE}.`);
  return new URLSearchParams(raw.toString("utf8"));
}

function redirect(res: ServerResponse, location: string): void {
  res
    .writeHead(302, { Location: location, "Cache-Control": "no-store", "Content-Length": "0" })
    .end();
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res
    .writeHead(status, { ...PAGE_HEADERS, "Content-Length": String(Buffer.byteLength(html)) })
    .end(html);
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res
    .writeHead(status, {
      ...headers,
      "Content-Type": "application/json",
      // Tokens must not be cached (RFC 6749 §5.1).
      "Cache-Control": "no-store",
      Pragma: "no-cache",
      "Content-Length": String(Buffer.byteLength(text)),
    })
    .end(text);
}
