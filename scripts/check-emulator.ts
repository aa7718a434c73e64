/**
 * npm run check:emulator: runs one meaningful call of every tool against the emulator (the
 * same plan as the every-tool test) and checks each raw response body against the operation's
 * response schema in Klaviyo's OpenAPI spec (spec/, in the repository: this always runs).
 */
import type { EmulatedOperation } from "../emulator/index.js";
import { OPERATIONS } from "../emulator/index.js";
import { resultText, startSandboxSession } from "../test/support/sandbox-client.js";
import { type PlanContext, SANDBOX_PLAN } from "../test/support/sandbox-plan.js";
import { loadInputs, type Schema } from "./generate/spec.js";
import { specDir } from "./generate.js";
import { type Mismatch, validate } from "./openapi-validate.js";

const { spec } = loadInputs(specDir);
const exchanges: Array<{ op: EmulatedOperation; status: number; body: unknown }> = [];
const session = await startSandboxSession({
  jobDurationMs: 600_000,
  onExchange: (exchange) => exchanges.push(exchange),
});
const problems: string[] = [];
try {
  const demo = session.emulator.demo;
  if (!demo) throw new Error("the emulator started without demo data");
  const ctx: PlanContext = { demo, store: session.emulator.store, saved: {} };
  for (const step of SANDBOX_PLAN) {
    const result = await session.client.callTool({ name: step.tool, arguments: step.args(ctx) });
    const text = resultText(result);
    if (result.isError) problems.push(`${step.tool}: the tool failed: ${text.slice(0, 300)}`);
    if (step.save) {
      const parsed = JSON.parse(text) as { id?: string; data?: { id?: string } };
      ctx.saved[step.save] = parsed.data?.id ?? parsed.id ?? "";
    }
  }
  // A malformed call of every operation: it must fail as a 4xx with Klaviyo's error shape, never a 500.
  for (const op of OPERATIONS) {
    const path = op.path.replace(/\{\w+\}/g, "does-not-exist");
    const response = await fetch(`${session.emulator.url}${path}?bogus=1`, {
      method: op.method,
      headers: {
        Authorization: `Klaviyo-API-Key ${session.emulator.apiKey}`,
        revision: "2026-07-15",
        "Content-Type": "application/vnd.api+json",
      },
      body: op.method === "GET" ? undefined : "{}",
    });
    const text = await response.text();
    if (response.status < 400 || response.status >= 500) {
      problems.push(
        `${op.id}: a malformed call answered ${response.status}, expected a 4xx: ${text.slice(0, 200)}`,
      );
    }
    // The emulator's onExchange records the error body for the spec check below.
  }
} finally {
  await session.close();
}

const checked = new Set<string>();
let errorsChecked = 0;
for (const { op, status, body } of exchanges) {
  if (status >= 400) {
    errorsChecked++;
    const schema = responseSchema(op, status);
    for (const m of schema ? validate(spec, schema, body).slice(0, 3) : []) {
      problems.push(`${op.id} (${status}): ${m.path} ${m.problem}`);
    }
    continue;
  }
  if (status >= 300 || body === undefined) continue;
  const schema = responseSchema(op, status);
  if (!schema) {
    problems.push(`${op.id}: HTTP ${status} is not a documented response`);
    continue;
  }
  checked.add(op.id);
  const mismatches: Mismatch[] = validate(spec, schema, body);
  for (const m of mismatches.slice(0, 5))
    problems.push(`${op.id} (${status}): ${m.path} ${m.problem}`);
  if (mismatches.length > 5) problems.push(`${op.id}: ...and ${mismatches.length - 5} more`);
}

function responseSchema(op: EmulatedOperation, status: number): Schema | undefined {
  const operation = spec.paths[op.path]?.[op.method.toLowerCase()];
  type Response = { $ref?: string; content?: Record<string, { schema: Schema }> };
  let response = (operation?.responses[String(status)] ??
    operation?.responses[`${String(status)[0]}XX`]) as Response | undefined;
  if (response?.$ref) {
    const responses = (spec.components as { responses?: Record<string, Response> }).responses;
    response = responses?.[response.$ref.split("/").pop() ?? ""];
  }
  return response?.content ? Object.values(response.content)[0]?.schema : undefined;
}

const withBody = new Set(
  exchanges.filter((e) => e.status < 300 && e.body !== undefined).map((e) => e.op.id),
);
if (problems.length > 0) {
  console.error(
    `The emulator's responses differ from the spec (${problems.length}):\n  ${problems.join("\n  ")}`,
  );
  process.exit(1);
}
console.error(
  `Emulator responses match the spec: ${checked.size} operations with a body checked (${withBody.size} seen), ${errorsChecked} error bodies, ${exchanges.length} exchanges.`,
);
