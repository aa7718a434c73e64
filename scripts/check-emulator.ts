/**
 * npm run check:emulator: runs one meaningful call of every tool against the emulator (the
 * same plans as the every-tool test: the stable tools, then the beta tools with --beta) and
 * checks each raw response body against the operation's response schema in Klaviyo's OpenAPI
 * spec (spec/, in the repository: this always runs), the beta spec for the beta operations.
 */
import type { EmulatedOperation } from "../emulator/index.js";
import { BETA_OPERATIONS, OPERATIONS } from "../emulator/index.js";
import { resultText, startSandboxSession } from "../test/support/sandbox-client.js";
import {
  BETA_SANDBOX_PLAN,
  type PlanContext,
  type PlanStep,
  SANDBOX_PLAN,
} from "../test/support/sandbox-plan.js";
import { deref, loadInputs, type Schema, type Spec } from "./generate/spec.js";
import { specDir } from "./generate.js";
import { type Mismatch, validate } from "./openapi-validate.js";

const { spec, beta: betaSpec } = loadInputs(specDir);
const BETA_OPS = new Set<EmulatedOperation>(BETA_OPERATIONS);
const exchanges: Array<{ op: EmulatedOperation; status: number; body: unknown }> = [];
const problems: string[] = [];

/** One plan through the MCP server on a fresh sandbox, then a malformed call of each operation. */
async function check(
  plan: readonly PlanStep[],
  operations: readonly EmulatedOperation[],
  { beta, revision }: { beta: boolean; revision: string },
): Promise<void> {
  const session = await startSandboxSession(
    { jobDurationMs: 600_000, onExchange: (exchange) => exchanges.push(exchange) },
    {},
    { beta },
  );
  try {
    const demo = session.emulator.demo;
    if (!demo) throw new Error("the emulator started without demo data");
    const ctx: PlanContext = { demo, store: session.emulator.store, saved: {} };
    for (const step of plan) {
      const result = await session.client.callTool({ name: step.tool, arguments: step.args(ctx) });
      const text = resultText(result);
      if (result.isError) problems.push(`${step.tool}: the tool failed: ${text.slice(0, 300)}`);
      if (step.save) {
        const parsed = JSON.parse(text) as { id?: string; data?: { id?: string } };
        ctx.saved[step.save] = parsed.data?.id ?? parsed.id ?? "";
      }
    }
    // A malformed call of every operation: a 4xx with Klaviyo's error shape, never a 500.
    for (const op of operations) {
      const path = op.path.replace(/\{\w+\}/g, "does-not-exist");
      const response = await fetch(`${session.emulator.url}${path}?bogus=1`, {
        method: op.method,
        headers: {
          Authorization: `Klaviyo-API-Key ${session.emulator.apiKey}`,
          revision,
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
}

await check(SANDBOX_PLAN, OPERATIONS, { beta: false, revision: "2026-07-15" });
await check(BETA_SANDBOX_PLAN, BETA_OPERATIONS, { beta: true, revision: "2026-07-15.pre" });

const checked = new Set<string>();
let errorsChecked = 0;
for (const { op, status, body } of exchanges) {
  const specOf = BETA_OPS.has(op) ? betaSpec : spec;
  if (status >= 400) {
    errorsChecked++;
    const schema = responseSchema(specOf, op, status);
    for (const m of schema ? validate(specOf, schema, body).slice(0, 3) : []) {
      problems.push(`${op.id} (${status}): ${m.path} ${m.problem}`);
    }
    continue;
  }
  if (status >= 300 || body === undefined) continue;
  const schema = responseSchema(specOf, op, status);
  if (!schema) {
    problems.push(`${op.id}: HTTP ${status} is not a documented response`);
    continue;
  }
  checked.add(op.id);
  const mismatches: Mismatch[] = pageOfOne(specOf, schema, body)
    ? (body as { data: unknown[] }).data.flatMap((item, i) =>
        validate(specOf, schema, { ...(body as object), data: item }, `$.data[${i}]`),
      )
    : validate(specOf, schema, body);
  for (const m of mismatches.slice(0, 5))
    problems.push(`${op.id} (${status}): ${m.path} ${m.problem}`);
  if (mismatches.length > 5) problems.push(`${op.id}: ...and ${mismatches.length - 5} more`);
}

/**
 * A page of resources where the spec documents one object (a few beta collections, such as
 * `GET /api/agent-tools`, whose schema is the single resource's): each resource is checked
 * against that object schema.
 */
function pageOfOne(specOf: Spec, schema: Schema, body: unknown): boolean {
  const data = deref(specOf, deref(specOf, schema).properties?.data);
  return Array.isArray((body as { data?: unknown })?.data) && data.type !== "array";
}

function responseSchema(specOf: Spec, op: EmulatedOperation, status: number): Schema | undefined {
  const operation = specOf.paths[op.path]?.[op.method.toLowerCase()];
  type Response = { $ref?: string; content?: Record<string, { schema: Schema }> };
  let response = (operation?.responses[String(status)] ??
    operation?.responses[`${String(status)[0]}XX`]) as Response | undefined;
  if (response?.$ref) {
    const responses = (specOf.components as { responses?: Record<string, Response> }).responses;
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
