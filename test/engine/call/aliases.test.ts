/**
 * Spellings taken from results are accepted: JSON:API types as `fields` keys, snake_case
 * `include` values. The request built is the one of the canonical spelling.
 */
import { describe, expect, it } from "vitest";
import { normalizeAliases } from "../../../src/engine/call/aliases.js";
import { buildRequest } from "../../../src/engine/call/request.js";
import type { ToolDefinition } from "../../../src/engine/definition.js";
import { allTools } from "../../../tools/index.js";
import { recordingSender, runTool } from "../../support/recording-sender.js";

function tool(name: string): ToolDefinition {
  const found = allTools.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no tool ${name}`);
  return found;
}

/** Normalize, validate and build as executeTool does. */
function built(name: string, args: Record<string, unknown>) {
  const definition = tool(name);
  return buildRequest(definition, definition.input.parse(normalizeAliases(definition, args)), {});
}

describe("normalizeAliases", () => {
  it("renames fields keys written as their JSON:API type, without touching the caller's object", () => {
    const args = { flow_id: "F1", fields: { "flow-action": ["created"] } };
    const copy = structuredClone(args);
    expect(normalizeAliases(tool("get_flow_flow_actions"), args)).toStrictEqual({
      flow_id: "F1",
      fields: { flow_action: ["created"] },
    });
    expect(args).toStrictEqual(copy);
  });

  it("renames only the hyphenated types of a tool with several, keeping key order", () => {
    const fields = { "flow-message": ["name"], template: ["html"], "flow-action": ["status"] };
    const normalized = normalizeAliases(tool("get_flow_message"), {
      flow_message_id: "M1",
      fields,
    });
    expect(Object.keys((normalized as { fields: object }).fields)).toEqual([
      "flow_message",
      "template",
      "flow_action",
    ]);
  });

  it("leaves a key written both ways for zod to refuse", () => {
    const args = { flow_id: "F1", fields: { "flow-action": ["id"], flow_action: ["created"] } };
    const definition = tool("get_flow_flow_actions");
    expect(normalizeAliases(definition, args)).toBe(args);
    expect(definition.input.safeParse(args).error?.issues[0]).toMatchObject({
      code: "unrecognized_keys",
      keys: ["flow-action"],
    });
  });

  it("hyphenates include values only where the hyphenated value is valid", () => {
    const args = { profile_id: "P1", include: ["push_tokens", "lists", "list_memberships"] };
    expect(normalizeAliases(tool("get_profile"), args)).toStrictEqual({
      profile_id: "P1",
      include: ["push-tokens", "lists", "list_memberships"],
    });
    expect(args.include).toEqual(["push_tokens", "lists", "list_memberships"]);
  });

  it("returns anything else as it is", () => {
    const definition = tool("get_profile");
    const canonical = { profile_id: "P1", include: ["push-tokens"] };
    expect(normalizeAliases(definition, canonical)).toBe(canonical);
    for (const value of [undefined, null, "text", ["push_tokens"]]) {
      expect(normalizeAliases(definition, value)).toBe(value);
    }
    const notAnObject = { profile_id: "P1", include: "push_tokens" };
    expect(normalizeAliases(definition, notAnObject)).toBe(notAnObject);
  });
});

describe("an aliased call", () => {
  it("validates and builds the same request as the canonical spelling", () => {
    const hyphenated = built("get_flow_flow_actions", {
      flow_id: "F1",
      fields: { "flow-action": ["created"] },
    });
    expect(hyphenated).toStrictEqual(
      built("get_flow_flow_actions", { flow_id: "F1", fields: { flow_action: ["created"] } }),
    );
    expect(hyphenated.query).toContainEqual(["fields[flow-action]", "created"]);
    expect(built("get_profile", { profile_id: "P1", include: ["push_tokens"] })).toStrictEqual(
      built("get_profile", { profile_id: "P1", include: ["push-tokens"] }),
    );
  });

  it("is sent by executeTool like the canonical one", async () => {
    const answer = { data: [], links: {} };
    const { client, sent } = recordingSender(() => ({ status: 200, headers: {}, body: answer }));
    for (const key of ["flow-action", "flow_action"]) {
      const result = await runTool(
        "get_flow_flow_actions",
        { flow_id: "F1", fields: { [key]: ["created"] } },
        client,
      );
      expect(result.isError, result.text).toBe(false);
    }
    expect(sent).toHaveLength(2);
    expect(sent[0]).toStrictEqual(sent[1]);
    expect(sent[0]?.query).toContainEqual(["fields[flow-action]", "created"]);
  });
});
