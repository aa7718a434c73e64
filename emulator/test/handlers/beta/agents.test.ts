/** The beta's customer agent: knowledge indexing, masked secrets, conversation turns, reports. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../../emulator.js";
import { api } from "../../support.js";

const BETA = { revision: "2026-07-15.pre" };

describe("beta agents", () => {
  let now = Date.UTC(2026, 10, 1, 12);
  let emulator: Emulator;
  let call: ReturnType<typeof api>;
  const beta = (method: string, path: string, body?: unknown) => call(method, path, body, BETA);
  beforeAll(async () => {
    emulator = await startEmulator({ now: () => now, rateLimits: false, jobDurationMs: 1000 });
    call = api(emulator);
  });
  afterAll(() => emulator.close());

  it("indexes an uploaded knowledge file along the job clock", async () => {
    const form = new FormData();
    form.append("title", "Size guide");
    form.append("file", new Blob(["Boots run small."], { type: "text/plain" }), "sizes.txt");
    const response = await fetch(`${emulator.url}/api/agent-knowledge-files`, {
      method: "POST",
      headers: { Authorization: `Klaviyo-API-Key ${emulator.apiKey}`, ...BETA },
      body: form,
    });
    expect(response.status).toBe(201);
    const created = (await response.json()) as {
      data: { id: string; attributes: Record<string, unknown> };
    };
    expect(created.data.attributes).toMatchObject({
      source: { source_type: "file", title: "Size guide" },
      status: "pending",
    });
    now += 2000;
    const read = await beta("GET", `/api/agent-knowledge/${created.data.id}`);
    expect(read.body.data.attributes.status).toBe("indexed");
    const json = await beta("POST", "/api/agent-knowledge-files", { title: "x" });
    expect(json.status).toBe(415);
  });

  it("never returns a secret's value, only its mask", async () => {
    const created = await beta("POST", "/api/agent-secrets", {
      data: { type: "agent-secret", attributes: { name: "Key", value: "sk_live_abcdef9876" } },
    });
    expect(created.status).toBe(201);
    expect(created.body.data.attributes.mask).toMatch(/9876$/);
    const read = await beta("GET", `/api/agent-secrets/${created.body.data.id}`);
    expect(JSON.stringify(read.body)).not.toContain("sk_live_abcdef");
  });

  it("answers a live turn from the knowledge and keeps it in the conversation", async () => {
    const turn = await beta("POST", "/api/customer-agent-responses", {
      data: {
        type: "customer-agent-response",
        attributes: {
          mode: "live",
          messages: [{ role: "user", content: "How does shipping work?" }],
        },
      },
    });
    expect(turn.status).toBe(201);
    const { conversation_id: conversation, events } = turn.body.data.attributes;
    expect(events[0]).toMatchObject({ type: "message", role: "agent" });
    expect(events[0].content).toContain("ship");
    const messages = await beta(
      "GET",
      `/api/customer-agent-conversations/${conversation}/customer-agent-messages`,
    );
    expect(
      messages.body.data.map((m: { attributes: { role: string } }) => m.attributes.role),
    ).toEqual(["user", "agent"]);
    const handoff = await beta("POST", "/api/customer-agent-responses", {
      data: {
        type: "customer-agent-response",
        attributes: {
          mode: "live",
          messages: [{ role: "user", content: "Let me talk to a human" }],
        },
        relationships: {
          conversation: { data: { type: "customer-agent-conversation", id: conversation } },
        },
      },
    });
    expect(handoff.body.data.attributes.events).toContainEqual(
      expect.objectContaining({ type: "handoff" }),
    );
    const read = await beta("GET", `/api/customer-agent-conversations/${conversation}`);
    expect(read.body.data.attributes.status).toBe("routed-to-team");
  });

  it("counts conversations by channel in the values report", async () => {
    const report = await beta("POST", "/api/customer-agent-values-reports", {
      data: {
        type: "customer-agent-values-report",
        attributes: {
          statistics: ["volume"],
          groupings: ["channel"],
          timeframe: { key: "last_90_days" },
        },
      },
    });
    expect(report.status).toBe(201);
    const total = report.body.data.attributes.results.reduce(
      (sum: number, r: { statistics: { volume: number } }) => sum + r.statistics.volume,
      0,
    );
    const inRange = emulator.store
      .all("customer-agent-conversation")
      .filter((c) => Date.parse(String(c.attributes.created_at)) >= now - 91 * 86_400_000).length;
    expect(total).toBe(inRange);
    expect(total).toBeGreaterThan(0);
  });
});
