/**
 * The built server in sandbox mode over real stdio, used the way an agent would, and the
 * standalone `klaviyo-mcp emulator` command used as a local Klaviyo.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultText } from "../support/sandbox-client.js";

const CLI = resolve(import.meta.dirname, "../../dist/src/cli.js");

// biome-ignore lint/suspicious/noExplicitAny: results are arbitrary trimmed JSON
type Json = any;

describe("sandbox mode over stdio", () => {
  let client: Client;
  let stderr = "";

  beforeAll(async () => {
    // No KLAVIYO_API_KEY at all: the server must fall back to the sandbox, and say so.
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI],
      env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn" },
      stderr: "pipe",
    });
    transport.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    client = new Client({ name: "sandbox-scenario", version: "1.0.0" });
    await client.connect(transport);
  });
  afterAll(() => client?.close());

  async function call(name: string, args: Record<string, unknown> = {}): Promise<Json> {
    const result = await client.callTool({ name, arguments: args });
    const text = resultText(result);
    expect(result.isError, `${name}: ${text}`).toBeFalsy();
    return JSON.parse(text);
  }

  async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const value = await read();
      if (done(value) || Date.now() > deadline) return value;
      await new Promise((r) => setTimeout(r, 400));
    }
  }

  it("says clearly that it is a sandbox, on stderr and in its instructions", () => {
    expect(stderr).toContain("SANDBOX MODE");
    expect(stderr).toContain("KLAVIYO_API_KEY is not set");
    expect(client.getInstructions()).toMatch(/^SANDBOX MODE/);
  });

  it("finds a profile by email, adds it to a list, tracks an event and reads it back in an aggregate", async () => {
    const anyProfile = await call("get_profiles", { page_size: 1 });
    const email: string = anyProfile.data[0].email;
    const found = await call("get_profiles", { filter: `equals(email,"${email}")` });
    expect(found.data).toHaveLength(1);
    const profileId: string = found.data[0].id;

    const list = await call("create_list", { name: "Scenario list" });
    const listId: string = list.data.id;
    await call("subscribe_profiles", {
      list_id: listId,
      profiles: [{ email, subscriptions: { email: { marketing: { consent: "SUBSCRIBED" } } } }],
    });
    const members = await eventually(
      () => call("get_list_profiles", { list_id: listId }),
      (page) => page.data.some((p: Json) => p.id === profileId),
    );
    expect(members.data.map((p: Json) => p.id)).toContain(profileId);

    const metrics = await call("get_metrics");
    const placedOrder = metrics.data.find((m: Json) => m.name === "Placed Order");
    expect(placedOrder).toBeDefined();
    const now = new Date();
    const aggregate = () =>
      call("query_metric_aggregates", {
        metric_id: placedOrder.id,
        measurements: ["count", "sum_value"],
        interval: "day",
        filter: [
          `greater-or-equal(datetime,${new Date(now.getTime() - 86_400_000).toISOString().slice(0, 19)})`,
          `less-than(datetime,${new Date(now.getTime() + 86_400_000).toISOString().slice(0, 19)})`,
        ],
        timezone: "UTC",
      });
    const total = (result: Json, key: string): number =>
      result.data.data.reduce(
        (sum: number, row: Json) =>
          sum + row.measurements[key].reduce((a: number, b: number) => a + b, 0),
        0,
      );
    const before = await aggregate();
    await call("create_event", {
      metric: { name: "Placed Order" },
      profile: { email },
      properties: { OrderId: "SCENARIO-1" },
      value: 42.5,
      time: now.toISOString(),
    });
    const after = await eventually(aggregate, (r) => total(r, "count") > total(before, "count"));
    expect(total(after, "count")).toBe(total(before, "count") + 1);
    expect(total(after, "sum_value")).toBeCloseTo(total(before, "sum_value") + 42.5, 5);

    const events = await call("get_events", {
      filter: `equals(profile_id,"${profileId}")`,
      sort: "-datetime",
    });
    expect(events.data[0].event_properties.OrderId).toBe("SCENARIO-1");
  });
});

describe("klaviyo-mcp emulator", () => {
  let child: ChildProcess;
  let lines: string[] = [];

  beforeAll(async () => {
    child = spawn(process.execPath, [CLI, "emulator", "--port", "0", "--job-ms", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    await new Promise<void>((done, fail) => {
      child.stdout?.on("data", (chunk: Buffer) => {
        out += chunk.toString("utf8");
        if (out.includes("KLAVIYO_PUBLIC_KEY=")) done();
      });
      child.on("exit", (code) => fail(new Error(`emulator exited with ${code}`)));
    });
    lines = out.trim().split("\n");
  });
  afterAll(() => {
    child?.kill("SIGTERM");
  });

  it("prints its base URL and keys, and serves the Klaviyo API there", async () => {
    expect(lines[0]).toMatch(/^Klaviyo emulator listening on http:\/\/127\.0\.0\.1:\d+$/);
    const env = Object.fromEntries(lines.slice(1).map((line) => line.split("=", 2)));
    const response = await fetch(`${env.KLAVIYO_BASE_URL}/api/lists?page[size]=2`, {
      headers: { Authorization: `Klaviyo-API-Key ${env.KLAVIYO_API_KEY}`, revision: "2026-07-15" },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Json;
    expect(body.data[0].type).toBe("list");
    expect(response.headers.get("ratelimit-remaining")).toBeTruthy();
  });
});
