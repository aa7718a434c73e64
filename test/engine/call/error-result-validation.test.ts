/**
 * Validation errors a model can act on after one reading: unknown keys with the valid ones, the
 * bad items of one array as one issue, option lists given once and short, the value meant.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { validationErrorResult } from "../../../src/engine/call/error-result.js";
import { closest, schemaAt } from "../../../src/engine/call/error-result-validation.js";
import { recordingSender, runTool } from "../../support/recording-sender.js";

const NOTHING_SENT = "nothing was sent to Klaviyo.";

/** Calls the tool through executeTool, checks that nothing was sent, returns text and JSON. */
async function refused(name: string, args: unknown) {
  const { client, sent } = recordingSender(() => ({ status: 200, headers: {}, body: {} }));
  const { isError, text } = await runTool(name, args, client);
  expect(isError, text).toBe(true);
  expect(sent).toHaveLength(0);
  return { text, body: JSON.parse(text) as { error: string; issues: unknown[]; more?: string } };
}

const FLOW_ACTION_VALUES =
  "Valid values: created, definition, id, updated; sub-paths such as definition.data are accepted too.";

describe("invalid enum values", () => {
  it("become one short issue for five bad fields.flow_action items of get_flow_flow_actions", async () => {
    const { text, body } = await refused("get_flow_flow_actions", {
      flow_id: "F1",
      fields: {
        flow_action: ["Created", "status", "created", "definition.bogus", "Definition.Data", "x"],
      },
    });
    // zod's own issues for these repeat the 152 options five times: about 14 KB.
    expect(text.length).toBeLessThan(600);
    expect(body).toStrictEqual({
      error: `Invalid arguments for get_flow_flow_actions: ${NOTHING_SENT}`,
      issues: [
        {
          argument: "fields.flow_action",
          message: `"Created", "status", "definition.bogus", "Definition.Data", "x" are not valid; did you mean "created" (for "Created"), "definition.data" (for "Definition.Data")? ${FLOW_ACTION_VALUES}`,
        },
      ],
    });
  });

  it("suggest the value meant for a single bad value, listing the options once", async () => {
    const { body } = await refused("get_flow_flow_actions", { flow_id: "F1", sort: "Created" });
    expect(body.issues).toStrictEqual([
      {
        argument: "sort",
        message:
          '"Created" is not valid; did you mean "created"? Valid values: action_type, -action_type, created, -created, id, -id, status, -status, updated, -updated.',
      },
    ]);
  });

  it("list at most 30 options and say how many more, each bad value once", () => {
    const options = Array.from({ length: 45 }, (_, i) => `v${i}`);
    const schema = z.strictObject({ tags: z.array(z.enum(options as [string, ...string[]])) });
    const parsed = schema.safeParse({ tags: ["nope", "v1", "nope", "V2"] }, { reportInput: true });
    const body = JSON.parse(
      validationErrorResult("t", parsed.error?.issues ?? [], schema).content[0]?.text ?? "",
    );
    const listed = options.slice(0, 30).join(", ");
    expect(body.issues).toStrictEqual([
      {
        argument: "tags",
        message: `"nope", "V2" are not valid; did you mean "v2" (for "V2")? Valid values: ${listed} (15 more).`,
      },
    ]);
  });

  it("keep items of different arrays, and other issues, apart; count items without their values", () => {
    const schema = z.strictObject({
      a: z.array(z.enum(["x", "y"])),
      b: z.array(z.enum(["x", "y"])),
      n: z.number(),
    });
    // Without reportInput (catalog mode's own schemas) the bad values are unknown: count them.
    const parsed = schema.safeParse({ a: ["q", "r"], b: ["y", "s"], n: "1" });
    const body = JSON.parse(
      validationErrorResult("t", parsed.error?.issues ?? []).content[0]?.text ?? "",
    );
    expect(body.issues).toStrictEqual([
      { argument: "a", message: "2 items are not valid. Valid values: x, y." },
      { argument: "b", message: "Invalid value. Valid values: x, y." },
      { argument: "n", message: "Invalid input: expected number, received string" },
    ]);
  });
});

describe("unknown keys", () => {
  it("name the valid keys at the top level and inside fields, with the key meant", async () => {
    const { body } = await refused("get_flow_flow_actions", {
      flow_id: "F1",
      pageSize: 5,
      page: 2,
      fields: { flow_actions: ["created"] },
    });
    expect(body.issues).toStrictEqual([
      {
        argument: "fields",
        message: 'Unknown key "flow_actions" in fields. Valid keys: flow_action.',
      },
      {
        message:
          'Unknown keys "pageSize", "page"; did you mean "page_size" (for "pageSize")? Valid keys: flow_id, filter, page_cursor, page_size, sort, fields, max_items.',
      },
    ]);
  });

  it("walk nullable, default, array and record wrappers to the object at fault", () => {
    const schema = z.strictObject({
      rows: z
        .array(z.strictObject({ b: z.string() }))
        .nullable()
        .optional(),
      byName: z.record(z.string(), z.strictObject({ c: z.number() })),
      settings: z.strictObject({ e: z.string() }).default({ e: "x" }),
      either: z.union([
        z.strictObject({ kind: z.literal("a") }),
        z.strictObject({ k: z.string() }),
      ]),
    });
    // Through a union: the first option where the path leads somewhere.
    expect(schemaAt(schema, ["either", "k"])).toBeInstanceOf(z.ZodString);
    expect(schemaAt(schema, ["either", "nothing"])).toBeUndefined();
    const parsed = schema.safeParse({
      rows: [{ b: "ok", B: 1 }],
      byName: { first: { c: 1, C: 2 } },
      settings: { e: "y", f: 1 },
      either: { kind: "a" },
    });
    const body = JSON.parse(
      validationErrorResult("t", parsed.error?.issues ?? [], schema).content[0]?.text ?? "",
    );
    expect(body.issues).toStrictEqual([
      {
        argument: "rows[0]",
        message: 'Unknown key "B" in rows[0]; did you mean "b"? Valid keys: b.',
      },
      {
        argument: "byName.first",
        message: 'Unknown key "C" in byName.first; did you mean "c"? Valid keys: c.',
      },
      { argument: "settings", message: 'Unknown key "f" in settings. Valid keys: e.' },
    ]);
  });

  it("still name the key without a schema (catalog mode, errorResult)", () => {
    const parsed = z.strictObject({ name: z.string() }).safeParse({ name: "x", nmae: "y" });
    const body = JSON.parse(
      validationErrorResult("describe_tool", parsed.error?.issues ?? []).content[0]?.text ?? "",
    );
    expect(body.issues).toStrictEqual([{ message: 'Unknown key "nmae".' }]);
  });
});

describe("the size of one answer", () => {
  it("stays under 2 KB however many issues, saying how many were left out", () => {
    const shape = Object.fromEntries(
      Array.from({ length: 60 }, (_, i) => [`argument_number_${i}`, z.string()]),
    );
    const schema = z.strictObject(shape);
    const wrongKeys = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`a_rather_long_unknown_key_${i}_${"x".repeat(40)}`, 1]),
    );
    const parsed = schema.safeParse(wrongKeys, { reportInput: true });
    expect(parsed.error?.issues.length).toBe(61);
    const text = validationErrorResult("t", parsed.error?.issues ?? [], schema).content[0]?.text;
    expect(text?.length).toBeLessThan(2048);
    const body = JSON.parse(text ?? "");
    expect(body.issues.length).toBeGreaterThan(5);
    expect(body.more).toBe(`${61 - body.issues.length} more issues not shown: fix these first.`);
  });
});

describe("closest", () => {
  it("finds the value meant only when it is obvious", () => {
    expect(closest("Live", ["draft", "live", "manual"])).toBe("live");
    expect(closest("push_tokens", ["lists", "push-tokens"])).toBe("push-tokens");
    expect(closest("pageSize", ["page_size", "page_cursor"])).toBe("page_size");
    expect(closest("-Created", ["created", "-created"])).toBe("-created");
    expect(closest("lists", ["list", "segments"])).toBeUndefined();
    expect(closest(3, ["3"])).toBeUndefined();
  });
});

describe("a union no branch of which matched (create_campaign's send_strategy)", () => {
  const campaign = (sendStrategy: unknown) => ({
    name: "Winter Sale",
    audiences: { included: ["L1"] },
    send_strategy: sendStrategy,
    campaign_messages: [{ definition: { channel: "email", label: "Winter Sale" } }],
  });

  it("names the branch key's valid values when the value names no branch", async () => {
    const { body } = await refused("create_campaign", campaign({ method: "Later" }));
    expect(body.issues).toStrictEqual([
      {
        argument: "send_strategy.method",
        message:
          '"Later" is not valid. Valid values: static, throttled, immediate, smart_send_time.',
      },
    ]);
  });

  it("speaks for the branch the value names, with that branch's keys", async () => {
    const { body } = await refused("create_campaign", campaign({ method: "static", date: "x" }));
    expect(body.issues).toStrictEqual([
      {
        argument: "send_strategy.datetime",
        message: "Invalid input: expected string, received undefined",
      },
      {
        argument: "send_strategy",
        message: 'Unknown key "date" in send_strategy. Valid keys: method, datetime, options.',
      },
    ]);
  });

  it("gives a union of literals as one list of valid values", async () => {
    const strategy = {
      method: "throttled",
      datetime: "2026-01-01T00:00:00Z",
      throttle_percentage: 15,
    };
    const { body } = await refused("create_campaign", campaign(strategy));
    expect(body.issues).toStrictEqual([
      {
        argument: "send_strategy.throttle_percentage",
        message: "15 is not valid. Valid values: 1, 2, 5, 10, 11, 13, 14, 17, 20, 25, 33, 50.",
      },
    ]);
  });
});
