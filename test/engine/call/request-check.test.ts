/**
 * The request check: the validator's rules on a small table of its own, the wire paths named
 * back as the arguments the model wrote, and whole calls that are refused with nothing sent
 * (through the engine with a recording client, and through the SDK client against the
 * emulator), whatever built the request: the generic path, paging, a hand-written handler.
 */
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executeTool } from "../../../src/engine/call/execute.js";
import { checkRequest, operationSchema } from "../../../src/engine/call/request-check.js";
import { argumentPath } from "../../../src/engine/call/request-check-arguments.js";
import { ValueChecker } from "../../../src/engine/call/request-check-value.js";
import type { SchemaNode } from "../../../src/engine/call/request-schema.js";
import type { ToolDefinition } from "../../../src/engine/definition.js";
import type { KlaviyoRequest } from "../../../src/klaviyo/client.js";
import { betaTools } from "../../../tools/beta/index.js";
import { allTools } from "../../../tools/index.js";
import { recordingSender } from "../../support/recording-sender.js";
import {
  resultText,
  type SandboxSession,
  startSandboxSession,
} from "../../support/sandbox-client.js";

const toolNamed = (name: string): ToolDefinition => {
  const tool = [...allTools, ...betaTools].find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`no tool ${name}`);
  return tool;
};

// ---- The validator ----

/** A made-up schema exercising every rule (indices as in a generated table). */
const NODES: SchemaNode[] = [
  {
    type: "object",
    properties: { name: 1, count: 2, when: 3, tags: 4, channel: 5, filter: 6, note: 9, pick: 12 },
    required: ["name"],
  },
  { type: "string", minLength: 1 },
  { type: "integer", minimum: 1, maximum: 100 },
  { type: "string", format: "date-time" },
  { type: "array", items: 1, maxItems: 2 },
  { type: "string", enum: ["email", "sms"] },
  { oneOf: [7, 8], discriminator: "type" },
  { type: "object", properties: { type: 10, value: 2 }, required: ["type", "value"] },
  { type: "object", properties: { type: 11, values: 4 }, required: ["type", "values"] },
  { type: "string", nullable: true },
  { type: "string", enum: ["numeric"] },
  { type: "string", enum: ["list"] },
  { oneOf: [13, 14] },
  { type: "object", properties: { day: 2 }, required: ["day"] },
  { type: "object", properties: { days: 4, every: 2 }, required: ["days", "every"] },
];
const checker = new ValueChecker(NODES);
const explain = (value: unknown) => checker.explain(0, value, ["data"]);

describe("the validator", () => {
  const valid = {
    name: "VIP",
    count: 3,
    when: "2026-01-31T09:00:00Z",
    tags: ["a", "b"],
    channel: "sms",
    filter: { type: "list", values: ["x"] },
    note: null,
    pick: { days: ["mon"], every: 2 },
  };

  it("accepts a value that matches, explaining nothing", () => {
    expect(checker.valid(0, valid)).toBe(true);
    expect(explain(valid)).toEqual([]);
    expect(checker.valid(0, { ...valid, when: "2026-01-31", count: 100 })).toBe(true);
  });

  it("names each mismatch by its path, with what was expected", () => {
    const wrong = {
      count: 1.5,
      when: "tomorrow",
      tags: ["a", "", "c"],
      channel: "Email",
      extra: true,
    };
    expect(checker.valid(0, wrong)).toBe(false);
    expect(explain(wrong)).toEqual([
      { path: ["data", "name"], message: "Required, missing." },
      { path: ["data", "count"], message: "Expected an integer, got the number 1.5." },
      {
        path: ["data", "when"],
        message: '"tomorrow" is not a date-time: use ISO 8601, e.g. "2025-01-31T09:00:00Z".',
      },
      { path: ["data", "tags"], message: "At most 2 items; got 3." },
      {
        path: ["data", "channel"],
        message: '"Email" is not valid.',
        code: "invalid_value",
        values: ["email", "sms"],
        input: "Email",
      },
    ]);
  });

  it("bounds, lengths, null and unknown keys", () => {
    expect(explain({ name: "", count: 0, note: null, pick: null, bogus: 1 })).toEqual([
      { path: ["data", "name"], message: "At least 1 characters; got 0." },
      { path: ["data", "count"], message: "Must be at least 1; got 0." },
      { path: ["data", "pick"], message: "Expected an object, got null." },
      {
        path: ["data"],
        message:
          'Unknown key "bogus". Valid keys: name, count, when, tags, channel, filter, note, pick.',
      },
    ]);
    expect(explain({ name: "x", Count: 2 })[0]?.message).toBe(
      'Unknown key "Count"; did you mean "count"? Valid keys: name, count, when, tags, channel, filter, note, pick.',
    );
  });

  it("a oneOf with a discriminator: a wrong or missing tag lists the choices", () => {
    expect(explain({ name: "x", filter: { type: "lists", values: [] } })).toEqual([
      {
        path: ["data", "filter", "type"],
        message: '"lists" is not valid.',
        code: "invalid_value",
        values: ["numeric", "list"],
        input: "lists",
      },
    ]);
    expect(explain({ name: "x", filter: { values: [] } })).toEqual([
      { path: ["data", "filter", "type"], message: "Required, missing: one of numeric, list." },
    ]);
  });

  it("a oneOf with a discriminator: the branch the tag names is explained, and named", () => {
    expect(explain({ name: "x", filter: { type: "numeric", value: "2" } })).toEqual([
      {
        path: ["data", "filter", "value"],
        message: 'Expected an integer, got the string "2" (for type "numeric").',
      },
    ]);
  });

  it("a oneOf without one: the closest branch is explained, and named by its keys", () => {
    expect(explain({ name: "x", pick: { days: ["mon"] } })).toEqual([
      {
        path: ["data", "pick", "every"],
        message: "Required, missing (closest of 2 shapes: the one with keys days, every).",
      },
    ]);
    expect(explain({ name: "x", pick: "mondays" })).toEqual([
      { path: ["data", "pick"], message: 'Expected an object, got the string "mondays".' },
    ]);
  });

  it("explains at most five issues", () => {
    const many = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, i]));
    expect(explain({ name: "x", ...many })).toHaveLength(5);
  });
});

// ---- Wire paths -> arguments ----

describe("a request's paths named as the arguments the model wrote", () => {
  const cases: Array<[tool: string, wire: Array<string | number>, argument: unknown]> = [
    [
      "create_segment",
      ["data", "attributes", "definition", "condition_groups", 0, "conditions", 0, "type"],
      ["definition", "condition_groups", 0, "conditions", 0, "type"],
    ],
    [
      "create_catalog_item",
      ["data", "relationships", "categories", "data", 1, "id"],
      ["category_ids", 1],
    ],
    ["update_profile", ["data", "id"], ["profile_id"]],
    [
      "update_profile",
      ["data", "meta", "patch_properties", "append"],
      ["meta", "patch_properties", "append"],
    ],
    ["get_profile", ["{id}"], ["profile_id"]],
    ["get_profiles", ["?fields[profile]", 1], ["fields", "profile", 1]],
    ["get_profiles", ["?additional-fields[profile]", 0], ["additional_fields", 0]],
    ["get_profiles", ["?page[size]"], ["page_size"]],
    ["create_client_event", ["?company_id"], ["company_id"]],
    ["add_profiles_to_list", ["data", 3, "id"], ["profile_ids", 3]],
    [
      "create_event",
      ["data", "attributes", "profile", "data", "attributes", "email"],
      ["profile", "email"],
    ],
    [
      "spawn_create_items_job",
      ["data", "attributes", "items", "data", 2, "relationships", "categories", "data", 0, "id"],
      ["items", 2, "category_ids", 0],
    ],
    [
      "spawn_create_items_job",
      ["data", "attributes", "items", "data", 2, "attributes", "title"],
      ["items", 2, "title"],
    ],
    ["create_segment", ["data", "type"], undefined],
  ];
  it.each(cases)("%s: %j -> %j", (tool, wire, argument) => {
    expect(argumentPath(toolNamed(tool), wire)).toEqual(argument);
  });
});

// ---- Whole requests ----

const request = (
  operationId: string,
  path: string,
  query: Array<[string, string]> = [],
): KlaviyoRequest => ({
  operationId,
  method: "GET",
  path,
  query,
  auth: "private",
});

describe("a whole request against its operation", () => {
  it("checks query parameters: known names, comma lists item by item, numbers, required ones", async () => {
    expect(
      await checkRequest(request("get_profiles", "/api/profiles", [["page[size]", "20"]])),
    ).toEqual([]);
    expect(
      await checkRequest(
        request("get_profiles", "/api/profiles", [
          ["page[size]", "500"],
          ["include", "push-tokens,lists"],
          ["bogus", "1"],
        ]),
      ),
    ).toMatchObject([
      { path: ["?page[size]"], message: "Must be at most 100; got 500." },
      {
        path: ["?include", 1],
        message: '"lists" is not valid.',
        values: ["conversations", "push-tokens"],
      },
      { path: ["?bogus"], message: expect.stringMatching(/^Not a parameter of this operation \(/) },
    ]);
    expect(await checkRequest(request("get_campaigns", "/api/campaigns"))).toEqual([
      { path: ["?filter"], message: "Required, missing." },
    ]);
  });

  it("checks the path against its template and the values of its parameters", async () => {
    expect(await checkRequest(request("get_mapped_metric", "/api/mapped-metrics/revenue"))).toEqual(
      [],
    );
    expect(
      await checkRequest(request("get_mapped_metric", "/api/mapped-metrics/sales")),
    ).toMatchObject([{ path: ["{id}"], message: '"sales" is not valid.' }]);
    expect(await checkRequest(request("get_profile", "/api/lists/L1"))).toMatchObject([
      { path: [], message: "The path /api/lists/L1 does not match /api/profiles/{id}." },
    ]);
  });

  it("loads a toolset's schemas on demand, and lets an operation it does not know through", async () => {
    expect(await operationSchema("get_profiles")).toMatchObject({
      schema: { path: "/api/profiles" },
    });
    expect(await operationSchema("get_campaigns_beta")).toMatchObject({
      schema: { path: "/api/campaigns" },
    });
    expect(await operationSchema("no_such_operation")).toBeUndefined();
    expect(await checkRequest(request("no_such_operation", "/api/nowhere"))).toEqual([]);
  });
});

// ---- Whole calls: refused, nothing sent ----

const answer = () => ({ status: 200, headers: {}, body: { data: [], links: {} } });
const logger = pino({ level: "silent" });

async function run(tool: ToolDefinition, args: unknown) {
  const { client, sent } = recordingSender(answer);
  const result = await executeTool(tool, args, { client, logger, allowFilePaths: false });
  return { isError: result.isError === true, text: result.content[0]?.text ?? "", sent };
}

const BAD_CONDITION = { type: "profile-metrics", metric_id: "M1" };

describe("a call whose request Klaviyo would refuse", () => {
  it("is refused by the argument's path, and nothing is sent", async () => {
    const { isError, text, sent } = await run(toolNamed("create_segment"), {
      name: "VIP",
      definition: { condition_groups: [{ conditions: [BAD_CONDITION] }] },
    });
    expect(isError).toBe(true);
    expect(sent).toHaveLength(0);
    expect(JSON.parse(text)).toEqual({
      error: "Invalid arguments for create_segment: nothing was sent to Klaviyo.",
      issues: [
        {
          argument: "definition.condition_groups[0].conditions[0].type",
          message:
            '"profile-metrics" is not valid. Valid values: profile-group-membership, profile-metric, profile-marketing-consent, profile-postal-code-distance, profile-property, profile-region, profile-predictive-analytics, profile-has-custom-object, profile-permissions, profile-metric-funnel.',
        },
      ],
    });
  });

  it("is sent once the argument is right", async () => {
    const condition = {
      type: "profile-marketing-consent",
      consent: {
        channel: "email",
        can_receive_marketing: true,
        consent_status: { subscription: "any" },
      },
    };
    const { isError, text, sent } = await run(toolNamed("create_segment"), {
      name: "VIP",
      definition: { condition_groups: [{ conditions: [condition] }] },
    });
    expect(text).not.toContain("Invalid arguments");
    expect(isError).toBe(false);
    expect(sent).toHaveLength(1);
  });

  it("a page of max_items is checked too", async () => {
    // A definition whose paging allows pages Klaviyo refuses (get_profiles takes at most 100).
    const profiles = toolNamed("get_profiles");
    const wide = {
      ...profiles,
      paging: {
        ...profiles.paging,
        cursor: "page[cursor]" as const,
        size: { default: 20, min: 1, max: 500 },
        collect: true,
      },
    };
    const { text, sent } = await run(wide, { max_items: 300 });
    expect(sent).toHaveLength(0);
    expect(JSON.parse(text).issues).toEqual([
      { argument: "page_size", message: "Must be at most 100; got 300." },
    ]);
  });

  it("a hand-written handler's request is checked too, named by where it went wrong", async () => {
    const profiles = toolNamed("get_profiles");
    const handled: ToolDefinition = {
      ...profiles,
      handler: async (_tool, _args, ctx) => {
        await ctx.client.request(request("get_profiles", "/api/profiles", [["sort", "age"]]));
        return { content: [{ type: "text", text: "sent" }] };
      },
    };
    const { text, sent } = await run(handled, {});
    expect(sent).toHaveLength(0);
    expect(JSON.parse(text).issues).toEqual([
      {
        argument: "sort",
        message: expect.stringMatching(/^"age" is not valid\. Valid values: created, -created, /),
      },
    ]);
  });

  it("a request of another operation, which no argument of the tool wrote, says where it is wrong", async () => {
    const handled: ToolDefinition = {
      ...toolNamed("remove_profile_from_list"),
      handler: async (_tool, _args, ctx) => {
        await ctx.client.request(request("get_lists", "/api/lists", [["sort", "age"]]));
        return { content: [{ type: "text", text: "sent" }] };
      },
    };
    const { text, sent } = await run(handled, { list_id: "L1", profile_ids: ["P1"] });
    expect(sent).toHaveLength(0);
    expect(JSON.parse(text).issues).toEqual([
      {
        message:
          '"age" is not valid (at ?sort of the request to get_lists, which this server built: please report it). Valid values: created, -created, id, -id, name, -name, updated, -updated.',
      },
    ]);
  });

  it("a beta tool's upload goes out as the form its handler builds, which the check accepts", async () => {
    const { sent } = await run(toolNamed("create_agent_knowledge_file_beta"), {
      title: "Returns policy",
      file_base64: "aGVsbG8=",
      filename: "returns.txt",
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body?.kind).toBe("multipart");
  });
});

describe("through the SDK client against the emulator", () => {
  let session: SandboxSession;
  beforeAll(async () => {
    session = await startSandboxSession({ rateLimits: false });
  });
  afterAll(() => session.close());

  it("a refused call sends nothing and creates nothing", async () => {
    const segments = session.emulator.store.count("segment");
    const before = session.sent.length;
    const result = await session.client.callTool({
      name: "create_segment",
      arguments: {
        name: "VIP",
        definition: { condition_groups: [{ conditions: [BAD_CONDITION] }] },
      },
    });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain(
      '"argument":"definition.condition_groups[0].conditions[0].type"',
    );
    expect(session.sent.length).toBe(before);
    expect(session.emulator.store.count("segment")).toBe(segments);
  });
});
