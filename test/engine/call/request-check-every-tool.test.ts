/**
 * No tool sends a request Klaviyo's spec refuses: every tool, stable and beta, is called with its
 * minimal arguments and with every argument filled (each union branch in turn), and each request
 * that reaches the client is checked against the spec's JSON by an independent validator
 * (scripts/openapi-validate.ts, not the compiled tables of request-check.ts). A call may instead
 * be refused, with a validation result and nothing sent.
 */
import pino from "pino";
import { describe, expect, it } from "vitest";
import { applyRequestErrata } from "../../../scripts/generate/request-errata.js";
import { deref, loadInputs, type Operation, type Spec } from "../../../scripts/generate/spec.js";
import { specDir } from "../../../scripts/generate.js";
import { validate } from "../../../scripts/openapi-validate.js";
import { executeTool } from "../../../src/engine/call/execute.js";
import { buildRequest } from "../../../src/engine/call/request.js";
import type { ToolDefinition } from "../../../src/engine/definition.js";
import type { KlaviyoRequest } from "../../../src/klaviyo/client.js";
import { betaTools } from "../../../tools/beta/index.js";
import { allTools } from "../../../tools/index.js";
import {
  BETA_ENDPOINT_COUNT,
  ENDPOINT_COUNT,
  endpointOf,
  SEED_ENDPOINTS,
} from "../../support/endpoints.js";
import { fullArgs, fullArgsVariants } from "../../support/full-args.js";
import { minimalArgs } from "../../support/minimal-args.js";
import { recordingSender } from "../../support/recording-sender.js";

const inputs = loadInputs(specDir);
const SPECS = {
  stable: operationsById(applyRequestErrata(inputs.spec, "stable")),
  beta: operationsById(applyRequestErrata(inputs.beta, "beta")),
};

interface SpecOperation {
  spec: Spec;
  method: string;
  path: string;
  op: Operation;
}

function operationsById(spec: Spec): Map<string, SpecOperation> {
  const byId = new Map<string, SpecOperation>();
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      byId.set(op.operationId, { spec, method: method.toUpperCase(), path, op });
    }
  }
  return byId;
}

/** What the spec says is wrong with the request: path, query and JSON body. */
function specProblems(tool: ToolDefinition, request: KlaviyoRequest): string[] {
  const found = (tool.beta ? SPECS.beta : SPECS.stable).get(request.operationId);
  if (!found) return [`${request.operationId} is no operation of the spec`];
  const { spec, op } = found;
  const problems: string[] = [];
  if (request.method !== found.method) problems.push(`method ${request.method}`);
  const template = found.path.split("/");
  const actual = request.path.split("/");
  if (template.length !== actual.length) problems.push(`path ${request.path}`);
  const params = op.parameters ?? [];
  template.forEach((part, i) => {
    const param = params.find((p) => p.in === "path" && `{${p.name}}` === part);
    const given = decodeURIComponent(actual[i] ?? "");
    if (!param) {
      if (part !== actual[i]) problems.push(`path ${request.path} is not ${found.path}`);
      return;
    }
    for (const m of validate(spec, param.schema, given, `{${param.name}}`)) {
      problems.push(`${m.path} ${m.problem}`);
    }
  });
  for (const [name, raw] of request.query) {
    const param = params.find((p) => p.in === "query" && p.name === name);
    if (!param) {
      problems.push(`?${name} is not a parameter`);
      continue;
    }
    const schema = deref(spec, param.schema);
    const item = deref(spec, schema.items);
    const parse = (text: string, type?: string) =>
      type === "integer" || type === "number" ? Number(text) : text;
    const value =
      schema.type === "array"
        ? raw.split(",").map((t) => parse(t, item.type))
        : parse(raw, schema.type);
    for (const m of validate(spec, param.schema, value, `?${name}`)) {
      problems.push(`${m.path} ${m.problem}`);
    }
  }
  for (const param of params.filter((p) => p.in === "query" && p.required)) {
    if (!request.query.some(([name]) => name === param.name))
      problems.push(`?${param.name} missing`);
  }
  const media = Object.values(op.requestBody?.content ?? {})[0];
  if (request.body?.kind === "json") {
    if (!media) problems.push("a body the operation does not take");
    else {
      for (const m of validate(spec, media.schema, request.body.value)) {
        problems.push(`${m.path} ${m.problem}`);
      }
    }
  } else if (op.requestBody?.required && !request.body) problems.push("no body");
  return problems;
}

/** Enough of an answer for every tool: an empty page (remove_profile_from_list's lookup). */
const answer = () => ({ status: 200, headers: {}, body: { data: [], links: {} } });

interface Outcome {
  tool: string;
  args: string;
  sent: number;
  refused?: string;
  problems: string[];
}

async function call(tool: ToolDefinition, args: Record<string, unknown>, label: string) {
  const { client, sent } = recordingSender(answer);
  const result = await executeTool(tool, args, {
    client,
    logger: pino({ level: "silent" }),
    publicKey: "PUBKEY",
    allowFilePaths: false,
  });
  const text = result.content[0]?.text ?? "";
  const outcome: Outcome = {
    tool: tool.name,
    args: label,
    sent: sent.length,
    problems: sent.flatMap((request) => specProblems(tool, request)),
  };
  if (result.isError) outcome.refused = text;
  return outcome;
}

const TOOLS = [...allTools, ...betaTools];

/** Each call sent only requests the spec accepts, or was refused as invalid and sent nothing. */
function expectSentValidOrRefused(outcomes: readonly Outcome[]): void {
  const sentInvalid = outcomes.filter((o) => o.problems.length > 0);
  expect(sentInvalid.map((o) => `${o.tool} (${o.args}): ${o.problems.join("; ")}`)).toEqual([]);
  for (const o of outcomes.filter((o) => o.refused !== undefined)) {
    expect(o.sent, o.tool).toBe(0);
    expect(o.refused, o.tool).toContain(
      `"error":"Invalid arguments for ${o.tool}: nothing was sent to Klaviyo."`,
    );
  }
  // Something went out: the check does not refuse every call.
  expect(outcomes.filter((o) => o.refused === undefined).length).toBeGreaterThan(
    outcomes.length / 2,
  );
}

describe("every tool's requests, against Klaviyo's spec", () => {
  it("covers every operation of both specs", () => {
    expect(allTools).toHaveLength(ENDPOINT_COUNT);
    expect(betaTools).toHaveLength(BETA_ENDPOINT_COUNT);
    for (const tool of TOOLS) expect(endpointOf(tool.name).operation_id).toBe(tool.operation.id);
  });

  it("with minimal arguments: valid, or refused by name with nothing sent", async () => {
    const outcomes = await Promise.all(
      TOOLS.map((tool) => call(tool, minimalArgs(tool), "minimal")),
    );
    expectSentValidOrRefused(outcomes);
    const refused = outcomes.filter((o) => o.refused !== undefined);
    console.info(
      `minimal arguments: ${refused.length} of ${TOOLS.length} tools refused (${refused.map((o) => o.tool).join(", ")})`,
    );
  });

  it("with every argument filled: valid, or refused by name with nothing sent", async () => {
    const invalidBefore: string[] = [];
    const outcomes: Outcome[] = [];
    for (const tool of TOOLS) {
      let toolInvalidBefore = false;
      const variants = fullArgsVariants(tool);
      for (let variant = 0; variant < variants; variant++) {
        const args = fullArgs(tool, variant);
        // The arguments themselves are valid: what follows tests the request, not zod.
        expect(tool.input.safeParse(args).success, `${tool.name} variant ${variant}`).toBe(true);
        // Without the check, the request as built would have gone out as it is.
        if (!tool.handler && !toolInvalidBefore) {
          const built = buildRequest(tool, args, { publicKey: "PUBKEY" });
          toolInvalidBefore = specProblems(tool, built).length > 0;
        }
        outcomes.push(await call(tool, args, `full #${variant}`));
      }
      if (toolInvalidBefore) invalidBefore.push(tool.name);
    }
    expectSentValidOrRefused(outcomes);
    const refusedTools = new Set(outcomes.filter((o) => o.refused).map((o) => o.tool));
    const sentTools = new Set(outcomes.filter((o) => !o.refused).map((o) => o.tool));
    const seed = new Set(SEED_ENDPOINTS.map((e) => e.tool_name));
    const seedBefore = invalidBefore.filter((name) => seed.has(name));
    console.info(
      `full arguments: without the check, ${invalidBefore.length} of ${TOOLS.length} tools would send a request the spec refuses (${seedBefore.length} of the ${seed.size} seed tools: ${seedBefore.join(", ")}); with it, 0 do (${refusedTools.size} tools refused in some variant, ${sentTools.size} sent a valid request in some variant, ${outcomes.length} calls)`,
    );
  });
});
