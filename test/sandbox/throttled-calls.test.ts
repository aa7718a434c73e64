/**
 * Tool calls queued behind Klaviyo's rate limits, end to end through the MCP client: a
 * cancelled call never reaches Klaviyo, and a daily cap or a conditional limit is reported
 * to the model in words it can act on.
 */
import { afterEach, describe, expect, it } from "vitest";
import { resultText, type SandboxSession, startSandboxSession } from "../support/sandbox-client.js";

let session: SandboxSession | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

describe("calls queued behind a rate limit", () => {
  it("a cancelled queued call never reaches Klaviyo", async () => {
    let sent = 0;
    session = await startSandboxSession({
      onExchange: ({ op }) => {
        if (op.id === "get_accounts") sent++;
      },
    });
    const { client } = session;
    // get_accounts allows one call per second: the second waits, and is cancelled while waiting.
    await client.callTool({ name: "get_accounts", arguments: {} });
    const controller = new AbortController();
    const queued = client.callTool({ name: "get_accounts", arguments: {} }, undefined, {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort("changed my mind"), 100);
    await expect(queued).rejects.toThrow();
    await new Promise((done) => setTimeout(done, 1_300));
    expect(sent).toBe(1);
  });

  it("queues rather than fails: a burst of calls over the limit all succeed", async () => {
    let throttled = 0;
    session = await startSandboxSession({
      onExchange: ({ status }) => {
        if (status === 429) throttled++;
      },
    });
    const { client } = session;
    const results = await Promise.all(
      Array.from({ length: 3 }, () => client.callTool({ name: "get_accounts", arguments: {} })),
    );
    for (const result of results) expect(result.isError, resultText(result)).toBeFalsy();
    expect(throttled).toBe(0);
  });

  it("reports a 429 that outlasts the retries as not applied, with when to retry", async () => {
    // The client does not throttle, and the emulator keeps refusing: the model sees it in words.
    session = await startSandboxSession({}, { throttle: false, maxRateLimitRetries: 1 });
    const { client } = session;
    const calls = await Promise.all(
      Array.from({ length: 10 }, () =>
        client.callTool({
          name: "create_tag_group",
          arguments: { name: `Group ${Math.random()}` },
        }),
      ),
    );
    const refused = calls.filter((c) => c.isError).map((c) => JSON.parse(resultText(c)));
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]).toMatchObject({ status: 429, outcome: "not_applied" });
    expect(refused[0].hint).toMatch(
      /^Nothing was changed in Klaviyo\. Rate limited by Klaviyo; retry after \d+ seconds/,
    );
  });
});
