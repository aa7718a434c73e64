/**
 * Every one of the 223 tools, called through the SDK Client against the sandbox with
 * meaningful arguments on the demo data, returns a non-error result. A tool that cannot work
 * in the sandbox fails here; nothing is skipped.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allTools } from "../../tools/index.js";
import { resultText, type SandboxSession, startSandboxSession } from "../support/sandbox-client.js";
import { type PlanContext, SANDBOX_PLAN } from "../support/sandbox-plan.js";

describe("every tool against the sandbox", () => {
  let session: SandboxSession;
  let ctx: PlanContext;
  beforeAll(async () => {
    // Jobs stay pending for the whole run, so a campaign send can still be cancelled.
    session = await startSandboxSession({ jobDurationMs: 600_000 });
    const demo = session.emulator.demo;
    if (!demo) throw new Error("the sandbox has no demo data");
    ctx = { demo, store: session.emulator.store, saved: {} };
  });
  afterAll(() => session?.close());

  it("covers every registered tool", () => {
    const planned = new Set(SANDBOX_PLAN.map((s) => s.tool));
    expect(allTools.filter((t) => !planned.has(t.name)).map((t) => t.name)).toEqual([]);
  });

  it.each(SANDBOX_PLAN.map((s, i) => [`${i + 1}. ${s.tool}`, s] as const))(
    "%s",
    async (_label, step) => {
      const result = await session.client.callTool({ name: step.tool, arguments: step.args(ctx) });
      const text = resultText(result);
      expect(result.isError, text).toBeFalsy();
      if (step.save) {
        const parsed = JSON.parse(text) as { id?: string; data?: { id?: string } };
        const id = parsed.data?.id ?? parsed.id;
        expect(id, text).toBeTruthy();
        ctx.saved[step.save] = id as string;
      }
    },
  );
});
