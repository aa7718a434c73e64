/** The real client path against an emulator that misbehaves: reads recover, writes are not repeated. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countServerRequests } from "../support/exactly-once.js";
import { resultText, type SandboxSession, startSandboxSession } from "../support/sandbox-client.js";

const CALLS = 8;

describe("tools against a flaky Klaviyo", () => {
  let session: SandboxSession;
  let createListAttempts = 0;
  beforeAll(async () => {
    session = await startSandboxSession({
      rateLimits: false,
      faults: { errorRate: 0.35, seed: 11, operations: ["get_lists", "create_list"] },
      onExchange: ({ op }) => {
        if (op.id === "create_list") createListAttempts++;
      },
    });
  });
  afterAll(() => session?.close());

  /** Counts what reaches the emulator, faults included (onExchange sees only handled requests). */
  const observe = () => countServerRequests(Number(new URL(session.emulator.url).port));
  const serverErrors = (statuses: Map<number, number>) =>
    [...statuses].filter(([status]) => status >= 500).reduce((sum, [, n]) => sum + n, 0);

  it("retries failed reads until they succeed", async () => {
    const seen = observe();
    try {
      for (let i = 0; i < CALLS; i++) {
        const result = await session.client.callTool({ name: "get_lists", arguments: {} });
        expect(result.isError, resultText(result)).toBeFalsy();
      }
    } finally {
      seen.stop();
    }
    // The test proves something only if faults struck: each 5xx was followed by a retry.
    const failed = serverErrors(seen.statuses);
    expect(failed).toBeGreaterThan(0);
    expect(seen.requests()).toBe(CALLS + failed);
  });

  it("never repeats a write that failed with a 5xx, and says what happened", async () => {
    const seen = observe();
    const outcomes: boolean[] = [];
    try {
      for (let i = 0; i < CALLS; i++) {
        const result = await session.client.callTool({
          name: "create_list",
          arguments: { name: `Flaky ${i}` },
        });
        outcomes.push(result.isError === true);
        if (result.isError) expect(resultText(result)).toMatch(/5\d\d|server/i);
      }
    } finally {
      seen.stop();
    }
    expect(outcomes).toContain(true);
    // One request per call: the faults struck (5xx answers), and none was sent again.
    expect(serverErrors(seen.statuses)).toBe(outcomes.filter((failed) => failed).length);
    expect(seen.methods.get("POST")).toBe(CALLS);
    // A failed POST reaches the handler zero times (the fault answers first) and is not retried.
    const created = session.emulator.store
      .all("list")
      .filter((l) => String(l.attributes.name).startsWith("Flaky"));
    expect(created.length).toBe(outcomes.filter((failed) => !failed).length);
    expect(createListAttempts).toBe(created.length);
  });
});
