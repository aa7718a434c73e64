/**
 * A recording HTTP server on 127.0.0.1 that stands in for Klaviyo in tests: it keeps every
 * request it received and answers from routes the test sets. It never forwards anywhere.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
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
  /** A raw (non-JSON) body, e.g. an HTML error page. */
  text?: string;
}

type Route = (request: RecordedRequest) => FakeResponse | undefined;

export class FakeKlaviyo {
  readonly requests: RecordedRequest[] = [];
  private routes: Array<{ method: string; path: string | RegExp; handler: Route }> = [];
  private server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const rawBody = Buffer.concat(chunks);
      const recorded: RecordedRequest = {
        method: req.method ?? "GET",
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
      const answer = route?.handler(recorded) ?? {
        status: 404,
        body: {
          errors: [
            {
              id: "x",
              status: 404,
              code: "not_found",
              title: "Not found.",
              detail: `No route ${recorded.method} ${recorded.path}`,
            },
          ],
        },
      };
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
    });
  });

  on(method: string, path: string | RegExp, handler: Route | FakeResponse): this {
    this.routes.push({
      method,
      path,
      handler: typeof handler === "function" ? handler : () => handler,
    });
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
