/**
 * The one stand-in for Klaviyo's HTTP API in tests: a recording HTTP server on 127.0.0.1 that
 * keeps every request it received and answers from routes the test sets, or misbehaves on
 * purpose (never answers, drops the connection, trickles a body). It never forwards anywhere.
 * For the whole emulated API with data, use the emulator (sandbox-client.ts) instead.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  /** 1 for the first request this server received, 2 for the next, ... */
  arrival: number;
  method: string;
  /** The request target as sent, query string included and still encoded. */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  json?: unknown;
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A raw (non-JSON) body, e.g. an HTML error page, or JSON cut off in transit. */
  text?: string;
}

/** What a server in trouble does instead of answering. */
export interface Misbehaviour {
  /**
   * `hang`: never answer; `reset`: drop the connection; `trickle`: send 200 headers, then one
   * space every 50 ms, never ending the body.
   */
  misbehave: "hang" | "reset" | "trickle";
}

export type FakeAnswer = FakeResponse | Misbehaviour;
export type Route = (request: RecordedRequest) => FakeAnswer | undefined;

const NOT_FOUND = (request: RecordedRequest): FakeResponse => ({
  status: 404,
  body: {
    errors: [
      {
        id: "x",
        status: 404,
        code: "not_found",
        title: "Not found.",
        detail: `No route ${request.method} ${request.path}`,
      },
    ],
  },
});

export class FakeKlaviyo {
  readonly requests: RecordedRequest[] = [];
  private routes: Array<{ method: string; path: string | RegExp; handler: Route }> = [];
  private fallback: Route = NOT_FOUND;
  private server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const rawBody = Buffer.concat(chunks);
      const recorded: RecordedRequest = {
        arrival: this.requests.length + 1,
        method: req.method ?? "GET",
        url: req.url ?? "/",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        rawBody,
      };
      if (rawBody.length > 0 && String(req.headers["content-type"]).includes("json")) {
        recorded.json = JSON.parse(rawBody.toString("utf8"));
      }
      this.requests.push(recorded);
      const route = this.routes.find(
        (r) =>
          r.method === recorded.method &&
          (typeof r.path === "string" ? r.path === recorded.path : r.path.test(recorded.path)),
      );
      respond(res, route?.handler(recorded) ?? this.fallback(recorded) ?? NOT_FOUND(recorded));
    });
  });

  on(method: string, path: string | RegExp, handler: Route | FakeAnswer): this {
    this.routes.push({ method, path, handler: asRoute(handler) });
    return this;
  }

  /** Answers every request no route takes (by default, Klaviyo's 404). */
  otherwise(handler: Route | FakeAnswer): this {
    this.fallback = asRoute(handler);
    return this;
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  last(): RecordedRequest {
    const request = this.requests.at(-1);
    if (!request) throw new Error("the fake Klaviyo server received no request");
    return request;
  }
}

function asRoute(handler: Route | FakeAnswer): Route {
  return typeof handler === "function" ? handler : () => handler;
}

function respond(res: ServerResponse, answer: FakeAnswer): void {
  if ("misbehave" in answer) {
    if (answer.misbehave === "reset") res.socket?.destroy();
    if (answer.misbehave === "trickle") {
      res.writeHead(200, { "content-type": "application/json" });
      const timer = setInterval(() => res.write(" "), 50);
      res.on("close", () => clearInterval(timer));
    }
    return; // "hang": the request stays open until the client gives up
  }
  const headers: Record<string, string> = { ...answer.headers };
  let payload = "";
  if (answer.text !== undefined) {
    payload = answer.text;
    headers["content-type"] ??= "text/html";
  } else if (answer.body !== undefined) {
    payload = JSON.stringify(answer.body);
    headers["content-type"] ??= "application/vnd.api+json";
  }
  res.writeHead(answer.status, headers);
  res.end(payload);
}
