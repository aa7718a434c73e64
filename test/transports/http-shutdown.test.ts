/**
 * Shutdown with writes still running, over real HTTP against the sandbox: at the deadline every
 * call gets a JSON-RPC answer with its outcome (not_applied for those still queued behind the
 * rate limit, unknown for those Klaviyo was handling), none a bare connection reset.
 */
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  type HttpSession,
  startHttpSession,
  TEST_TOKEN,
  toolCall,
} from "../support/http-session.js";

let session: HttpSession | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

const AUTH = { authorization: `Bearer ${TEST_TOKEN}` };

describe("shutdown with calls still running", () => {
  it("answers every queued and in-flight write with its outcome before cutting", async () => {
    session = await startHttpSession({
      argv: ["--shutdown-timeout-ms", "300"],
      emulator: {
        // Writes Klaviyo is slow to answer: they are in flight at the deadline.
        faults: { latencyMs: 5_000, operations: ["create_tag_group"] },
      },
    });
    const { post } = session;
    // create_tag_group allows 3 calls a second: 3 are sent, the other 7 queue behind the limit.
    const calls = Array.from({ length: 10 }, (_, i) =>
      post(toolCall("create_tag_group", { name: `Shutdown ${i}` }, i + 1), AUTH).then(
        (response) => response,
        (error: Error) => error,
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    await session.serving.handle.close();
    const elapsed = Date.now() - started;
    const responses = await Promise.all(calls);

    const outcomes: string[] = [];
    for (const response of responses) {
      expect(response).not.toBeInstanceOf(Error);
      if (response instanceof Error) continue;
      expect(response.status).toBe(200);
      const answer = JSON.parse(response.text);
      expect(answer.result.isError).toBe(true);
      const result = JSON.parse(answer.result.content[0].text);
      expect(result.error).toMatch(
        /^create_tag_group was stopped because this server is shutting down/,
      );
      outcomes.push(result.outcome);
      if (result.outcome === "not_applied") {
        expect(result.error).toMatch(/nothing was sent to Klaviyo/);
        expect(result.hint).toMatch(/^Nothing was changed in Klaviyo\. Retry on another replica/);
      } else {
        expect(result.outcome).toBe("unknown");
        expect(result.hint).toMatch(/outcome is unknown.*check with get_tag_groups/);
      }
    }
    expect(outcomes.filter((o) => o === "unknown")).toHaveLength(3);
    expect(outcomes.filter((o) => o === "not_applied")).toHaveLength(7);
    expect(elapsed).toBeLessThan(300 + 2_000);
    expect(session.logs.join("")).toMatch(/shutdown timeout: stopping the calls still running/);
    expect(session.logs.join("")).not.toMatch(/cutting requests not answered/);
  });

  it("says so for a read cut off at the deadline, too", async () => {
    session = await startHttpSession({
      argv: ["--shutdown-timeout-ms", "200"],
      emulator: { faults: { latencyMs: 5_000, operations: ["get_lists"] } },
    });
    const client = await session.connect();
    const inFlight = client.callTool({ name: "get_lists", arguments: {} });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await session.serving.handle.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    const result = await inFlight;
    expect(result.isError).toBe(true);
    const text = (result.content as Array<{ text: string }>)[0]?.text ?? "";
    expect(JSON.parse(text)).toMatchObject({
      error: expect.stringMatching(/^get_lists was stopped because this server is shutting down/),
      hint: "Retry on another replica, or once the server is back.",
    });
  });

  it("cuts at the deadline, without a grace, a request still sending its body", async () => {
    session = await startHttpSession({ argv: ["--shutdown-timeout-ms", "200"] });
    const { port } = session.serving.handle;
    const socket = connect(port, "127.0.0.1");
    socket.on("error", () => {});
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write(
      `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${TEST_TOKEN}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: 1000\r\n\r\n{`,
    );
    const closed = new Promise((resolve) => socket.once("close", resolve));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await session.serving.handle.close();
    await closed;
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(session.logs.join("")).toMatch(/"unanswered":1/);
  });
});
