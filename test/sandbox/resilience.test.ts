/** The real client path against an emulator that misbehaves: reads recover, writes are not repeated. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultText, type SandboxSession, startSandboxSession } from "../support/sandbox-client.js";

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

  it("retries failed reads until they succeed", async () => {
    for (let i = 0; i < 8; i++) {
      const result = await session.client.callTool({ name: "get_lists", arguments: {} });
      expect(result.isError, resultText(result)).toBeFalsy();
    }
  });

  it("never repeats a write that failed with a 5xx, and says what happened", async () => {
    const outcomes: boolean[] = [];
    for (let i = 0; i < 8; i++) {
      const result = await session.client.callTool({
        name: "create_list",
        arguments: { name: `Flaky ${i}` },
      });
      outcomes.push(result.isError === true);
      if (result.isError) expect(resultText(result)).toMatch(/5\d\d|server/i);
    }
    expect(outcomes).toContain(true);
    // A failed POST reaches the handler zero times (the fault answers first) and is not retried.
    const created = session.emulator.store
      .all("list")
      .filter((l) => String(l.attributes.name).startsWith("Flaky"));
    expect(created.length).toBe(outcomes.filter((failed) => !failed).length);
    expect(createListAttempts).toBe(created.length);
  });
});
