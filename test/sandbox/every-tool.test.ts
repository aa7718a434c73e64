/**
 * Every tool, called through the SDK Client against the sandbox with meaningful arguments on
 * the demo data, returns a non-error result. A tool that cannot work in the sandbox fails
 * here; nothing is skipped. The plan runs twice: in memory, and over
 * streamable HTTP through the secure stateless server, so an HTTP client can do everything.
 * The beta tools' plan runs the same two ways with the beta flag on (--beta), so each of their
 * calls reaches the emulator with the beta revision.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmulatorOptions } from "../../emulator/index.js";
import { betaTools } from "../../tools/beta/index.js";
import { allTools } from "../../tools/index.js";
import { startHttpSession } from "../support/http-session.js";
import { resultText, startSandboxSession } from "../support/sandbox-client.js";
import {
  BETA_SANDBOX_PLAN,
  type PlanContext,
  type PlanStep,
  SANDBOX_PLAN,
} from "../support/sandbox-plan.js";

interface Session {
  client: Client;
  emulator: { demo?: PlanContext["demo"]; store: PlanContext["store"] };
  close(): Promise<void>;
}

type Start = (options: EmulatorOptions) => Promise<Session>;

function transports(beta: boolean): Array<[string, Start]> {
  return [
    ["in memory", (options) => startSandboxSession(options, {}, { beta })],
    [
      "over streamable HTTP",
      async (options) => {
        const argv = ["--log-level", "warn", ...(beta ? ["--beta"] : [])];
        const http = await startHttpSession({ emulator: options, argv });
        const emulator = http.runtime.emulator;
        if (!emulator) throw new Error("the HTTP server has no emulator");
        return { client: await http.connect(), emulator, close: http.close };
      },
    ],
  ];
}

/** Runs a plan's steps in order on one session, each as its own test. */
function runsPlan(plan: readonly PlanStep[], start: Start): void {
  let session: Session;
  let ctx: PlanContext;
  beforeAll(async () => {
    // Jobs stay pending for the whole run, so a campaign send can still be cancelled.
    session = await start({ jobDurationMs: 600_000 });
    const demo = session.emulator.demo;
    if (!demo) throw new Error("the emulator has no demo data");
    ctx = { demo, store: session.emulator.store, saved: {} };
  });
  afterAll(() => session?.close());

  it.each(plan.map((s, i) => [`${i + 1}. ${s.tool}`, s] as const))("%s", async (_label, step) => {
    const result = await session.client.callTool({ name: step.tool, arguments: step.args(ctx) });
    const text = resultText(result);
    expect(result.isError, text).toBeFalsy();
    if (step.save) {
      const parsed = JSON.parse(text) as { id?: string; data?: { id?: string } };
      const id = parsed.data?.id ?? parsed.id;
      expect(id, text).toBeTruthy();
      ctx.saved[step.save] = id as string;
    }
  });
}

describe.each(transports(false))("every tool against the sandbox, %s", (_transport, start) => {
  it("covers every registered tool", () => {
    const planned = new Set(SANDBOX_PLAN.map((s) => s.tool));
    expect(allTools.filter((t) => !planned.has(t.name)).map((t) => t.name)).toEqual([]);
  });
  runsPlan(SANDBOX_PLAN, start);
});

describe.each(transports(true))("every beta tool against the sandbox, %s", (_transport, start) => {
  it("covers every beta tool, once each", () => {
    const planned = BETA_SANDBOX_PLAN.map((s) => s.tool);
    expect(betaTools.filter((t) => !planned.includes(t.name)).map((t) => t.name)).toEqual([]);
    expect(planned.filter((name, i) => planned.indexOf(name) !== i)).toEqual([]);
    const names = new Set(betaTools.map((t) => t.name));
    expect(planned.filter((name) => !names.has(name))).toEqual([]);
  });
  runsPlan(BETA_SANDBOX_PLAN, start);
});
