/**
 * Writes through a Klaviyo that fails 12% of requests, half of the failures after the request
 * took effect: no create is applied twice, and every failed create says truthfully whether it
 * was applied (see test/support/exactly-once.ts).
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeReport, reportFailures, runExactlyOnce } from "../support/exactly-once.js";
import { type SandboxSession, startSandboxSession } from "../support/sandbox-client.js";

describe("exactly-once writes through a faulty Klaviyo", () => {
  let session: SandboxSession;
  beforeAll(async () => {
    session = await startSandboxSession(
      {
        rateLimits: false,
        faults: { errorRate: 0.1, resetRate: 0.02, afterEffectRate: 0.5, seed: 7 },
      },
      // Client-side throttling would hold create_tag to 3/s; the emulator's limits are lifted.
      { throttle: false },
    );
  });
  afterAll(() => session?.close());

  it("never duplicates or loses a create, and explains every failure", async () => {
    const report = await runExactlyOnce({
      client: session.client,
      emulator: session.emulator,
      calls: 150,
      concurrency: 10,
      seed: 3,
    });
    const summary = describeReport(report).join("\n");
    expect(reportFailures(report), summary).toEqual([]);
    expect(report.duplicates, summary).toHaveLength(0);
    expect(report.lost, summary).toHaveLength(0);
    expect(report.unexplained, summary).toHaveLength(0);
    // The run proves something only if faults struck writes and reads were retried.
    expect(report.outcomes.unknown, summary).toBeGreaterThan(0);
    expect(report.retries.observed, summary).toBeGreaterThan(0);
    // No 429s with the limits lifted: a create sent twice would be a retry after a 5xx or reset.
    expect(report.emulator429s, summary).toBe(0);
    expect(report.retries.writes, summary).toBe(0);
    expect(report.outcomes.success, summary).toBeGreaterThan(0);
  });
});

describe("the exactly-once check itself", () => {
  let session: SandboxSession;
  beforeAll(async () => {
    session = await startSandboxSession({ rateLimits: false }, { throttle: false });
  });
  afterAll(() => session?.close());

  it("catches a write applied twice, a result that contradicts the store, and a bare error", async () => {
    // A broken server, simulated: it repeats every create_list, claims create_tag was not
    // applied after applying it, and fails create_event without saying what happened.
    const broken: Pick<Client, "callTool"> = {
      async callTool(params) {
        const result = await session.client.callTool(params);
        if (params.name === "create_list") return session.client.callTool(params);
        if (params.name === "create_tag") {
          return { isError: true, content: [{ type: "text", text: '{"outcome":"not_applied"}' }] };
        }
        if (params.name === "create_event") {
          return { isError: true, content: [{ type: "text", text: '{"error":"boom"}' }] };
        }
        return result;
      },
    };
    const report = await runExactlyOnce({
      client: broken,
      emulator: session.emulator,
      calls: 40,
      seed: 5,
    });
    const { byTool } = report;
    expect(byTool.create_list * byTool.create_tag * byTool.create_event).toBeGreaterThan(0);
    expect(report.duplicates.map((d) => d.tool)).toEqual(
      Array(byTool.create_list).fill("create_list"),
    );
    expect(report.lost.map((l) => l.tool)).toEqual(Array(byTool.create_tag).fill("create_tag"));
    expect(report.unexplained).toHaveLength(byTool.create_event);
    expect(reportFailures(report)).toHaveLength(
      byTool.create_list + byTool.create_tag + byTool.create_event,
    );
  });
});
