/** max_items through executeTool, with a fake client: page sizes, cursors, fixed pages, cancel. */
import pino from "pino";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_RESULT_OPTIONS,
  type ExecutionContext,
  executeTool,
  type KlaviyoSender,
} from "../../../src/engine/call/execute.js";
import type { ToolDefinition } from "../../../src/engine/definition.js";
import type { KlaviyoRequest, KlaviyoResponse } from "../../../src/klaviyo/client.js";
import { allTools } from "../../../tools/index.js";
import { nested } from "../../support/deep-json.js";

const tool = (name: string) => allTools.find((t) => t.name === name) as ToolDefinition;
const API = "https://a.klaviyo.com/api"; // only inside the fake answers' link strings: never called

/** A list of `total` items served from an offset cursor, honouring page[size] (or `fixed`). */
function listServer(total: number, type: string, fixed?: number) {
  const sent: KlaviyoRequest[] = [];
  const client: KlaviyoSender = {
    request: async (req): Promise<KlaviyoResponse> => {
      sent.push(req);
      const query = new Map(req.query);
      const offset = Number(query.get("page[cursor]") ?? 0);
      const size = fixed ?? Number(query.get("page[size]") ?? 20);
      const end = Math.min(total, offset + size);
      const data = [];
      for (let i = offset; i < end; i++) data.push({ type, id: `id${i}`, attributes: { n: i } });
      const links = end < total ? { next: `${API}/x/?page%5Bcursor%5D=${end}` } : {};
      return { status: 200, headers: {}, body: { data, links } };
    },
  };
  return { client, sent };
}

const ctx = (client: KlaviyoSender, extra: Partial<ExecutionContext> = {}): ExecutionContext => ({
  client,
  logger: pino({ level: "silent" }),
  allowFilePaths: false,
  ...extra,
});
const json = (result: { content: Array<{ text: string }> }) =>
  JSON.parse(result.content[0]?.text ?? "") as {
    truncated?: boolean;
    next_cursor?: string;
    dropped?: number;
    hint?: string;
    data: Array<{ id: string }>;
  };

describe("max_items", () => {
  it("pages until max_items, asking the last page for exactly what is missing", async () => {
    const { client, sent } = listServer(500, "profile");
    const result = json(await executeTool(tool("get_profiles"), { max_items: 250 }, ctx(client)));
    expect(result.data.map((item) => item.id)).toEqual(
      Array.from({ length: 250 }, (_, i) => `id${i}`),
    );
    expect(result.truncated).toBe(true);
    expect(result.next_cursor).toBe("250");
    expect(sent.map((req) => new Map(req.query).get("page[size]"))).toEqual(["100", "100", "50"]);
    expect(sent.every((req) => req.idempotent === true)).toBe(true);
  });

  it("honours page_size per page, continues from page_cursor, and ends with truncated: false", async () => {
    const { client, sent } = listServer(45, "profile");
    const result = json(
      await executeTool(
        tool("get_profiles"),
        { max_items: 1000, page_size: 10, page_cursor: "20" },
        ctx(client),
      ),
    );
    expect(result.data).toHaveLength(25);
    expect(result.data[0]?.id).toBe("id20");
    expect(result).toMatchObject({ truncated: false });
    expect(result.next_cursor).toBeUndefined();
    expect(sent.map((req) => new Map(req.query).get("page[cursor]"))).toEqual(["20", "30", "40"]);
  });

  it("cuts a fixed-size page and says how many items it left out", async () => {
    const { client, sent } = listServer(250, "metric", 200);
    const result = json(await executeTool(tool("get_metrics"), { max_items: 5 }, ctx(client)));
    expect(result.data).toHaveLength(5);
    expect(result).toMatchObject({ truncated: true, dropped: 195, next_cursor: "200" });
    expect(result.hint).toContain("max_items");
    expect(sent).toHaveLength(1);
    expect(sent[0]?.query.some(([name]) => name === "page[size]")).toBe(false);
  });

  it("stops between pages when the call is cancelled", async () => {
    const controller = new AbortController();
    const { client, sent } = listServer(500, "profile");
    const cancelling: KlaviyoSender = {
      request: async (req, options) => {
        const answer = await client.request(req, options);
        controller.abort();
        return answer;
      },
    };
    const result = await executeTool(
      tool("get_profiles"),
      { max_items: 500 },
      ctx(cancelling, { signal: controller.signal }),
    );
    expect(result.isError).toBe(true);
    expect(result.content[0]?.text).toContain("cancelled");
    expect(sent).toHaveLength(1);
  });

  it("is refused above 1000 and on reports", async () => {
    const { client, sent } = listServer(10, "profile");
    const tooMany = await executeTool(tool("get_profiles"), { max_items: 1001 }, ctx(client));
    expect(tooMany.isError).toBe(true);
    const report = await executeTool(
      tool("query_campaign_values"),
      { max_items: 5, statistics: ["opens"], timeframe: { key: "last_30_days" } },
      ctx(client),
    );
    expect(report.isError).toBe(true);
    expect(report.content[0]?.text).toContain("max_items");
    expect(sent).toHaveLength(0);
  });

  it("without max_items sends one request with the default page size", async () => {
    const { client, sent } = listServer(500, "event");
    const result = json(
      await executeTool(tool("get_events"), {}, ctx(client, { results: DEFAULT_RESULT_OPTIONS })),
    );
    expect(result.data).toHaveLength(20);
    expect(result.truncated).toBeUndefined();
    expect(sent.map((req) => new Map(req.query).get("page[size]"))).toEqual(["20"]);
  });
});

describe("max_items with hostile pages", () => {
  /** One page, whatever is asked: `data` and `included` as given. */
  const onePage = (data: unknown[], included?: unknown[]): KlaviyoSender => ({
    request: async (): Promise<KlaviyoResponse> => ({
      status: 200,
      headers: {},
      body: { data, included, links: {} },
    }),
  });

  it("collects a page of 300,000 items without overflowing the stack", async () => {
    const data = Array.from({ length: 300_000 }, (_, i) => ({ type: "metric", id: `m${i}` }));
    const result = await executeTool(tool("get_metrics"), { max_items: 3 }, ctx(onePage(data)));
    expect(result.isError, result.content[0]?.text).toBeUndefined();
    expect(json(result)).toMatchObject({ truncated: true, dropped: 299_997 });
  });

  it("keys included resources of any depth, and shapes them within the budget", async () => {
    const deep = nested(100_000);
    const data = [{ type: "profile", id: "p1", attributes: { email: "a@example.com" } }];
    const result = await executeTool(
      tool("get_profiles"),
      { max_items: 5 },
      ctx(onePage(data, [deep, deep]), { results: DEFAULT_RESULT_OPTIONS }),
    );
    expect(result.isError, result.content[0]?.text).toBeUndefined();
    expect(json(result).data).toEqual([{ id: "p1", email: "a@example.com" }]);
  });
});
