/**
 * The filter check before sending: every field of every tool accepts a well-formed condition
 * (and the spec's own examples pass), each kind of mistake gets its message, and hostile text
 * ends quickly with an ArgumentError and nothing else.
 */
import { describe, expect, it } from "vitest";
import { loadInputs } from "../../../scripts/generate/spec.js";
import { specDir } from "../../../scripts/generate.js";
import { checkFilter, MAX_FILTER_NESTING } from "../../../src/engine/call/filter-check.js";
import { ArgumentError, buildRequest } from "../../../src/engine/call/request.js";
import type { FilterField, ToolDefinition } from "../../../src/engine/definition.js";
import { allTools } from "../../../tools/index.js";
import { endpointOf } from "../../support/endpoints.js";

const filtered = allTools.filter((tool) => tool.filters);

function tool(name: string): ToolDefinition {
  const found = allTools.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no tool ${name}`);
  return found;
}
const fieldsOf = (name: string) => tool(name).filters ?? {};
const check = (name: string, text: string) => checkFilter(text, fieldsOf(name));

/** A value of the field's kind, written as Klaviyo wants it. */
function validValue(field: FilterField): string {
  switch (field.type) {
    case "date-time":
    case "date":
      return "2025-06-30T12:00:00+02:00";
    case "boolean":
      return "false";
    case "number":
    case "integer":
      return "42";
    default:
      return JSON.stringify(field.values?.at(-1) ?? "some text");
  }
}

/** The field's first operator (single, then list, then none) with a valid value. */
function firstCondition(name: string, field: FilterField): string {
  const { single, list, none } = field.operators;
  if (single?.[0]) return `${single[0]}(${name},${validValue(field)})`;
  if (list?.[0]) return `${list[0]}(${name},[${validValue(field)},${validValue(field)}])`;
  return `${none?.[0]}(${name})`;
}

describe("checkFilter accepts what Klaviyo accepts", () => {
  it("gives filters to every tool whose filter is a query parameter, and to no other", () => {
    for (const candidate of allTools) {
      const mapping = candidate.args.filter;
      expect(Boolean(candidate.filters), candidate.name).toBe(
        mapping?.in === "query" && mapping.name === "filter",
      );
    }
    expect(filtered.length).toBeGreaterThan(40);
  });

  it.each(filtered.map((t) => [t.name, t] as const))("%s: each field's first operator", (_, t) => {
    const conditions = Object.entries(t.filters ?? {}).map(([name, field]) =>
      firstCondition(name, field),
    );
    for (const condition of conditions)
      expect(checkFilter(condition, t.filters ?? {})).toBe(undefined);
    expect(checkFilter(`and(${conditions.join(",")})`, t.filters ?? {})).toBeUndefined();
    expect(checkFilter(conditions.join(" , "), t.filters ?? {})).toBeUndefined();
  });

  it("passes the example the spec gives for every filtered tool", () => {
    const { spec } = loadInputs(specDir);
    for (const t of filtered) {
      const endpoint = endpointOf(t.name);
      const op = spec.paths[endpoint.path]?.[endpoint.method.toLowerCase()];
      const example = op?.parameters?.find((p) => p.name === "filter")?.schema.example;
      expect(typeof example, t.name).toBe("string");
      expect(checkFilter(example as string, t.filters ?? {}), t.name).toBeUndefined();
    }
  });

  it("reads both quotes, escapes, lists, null, numbers and offsets", () => {
    expect(check("get_flows", `equals(name,'it\\'s "live"')`)).toBeUndefined();
    expect(check("get_flows", 'equals(name,"tab\\tand \\u00e9")')).toBeUndefined();
    expect(check("get_flows", "equals(status,'live'),equals(archived,true)")).toBeUndefined();
    expect(check("get_flows", ' and( equals(status , "manual") , has(name) ) ')).toMatch(
      /"has" cannot be used on name/,
    );
    expect(
      check("get_images", "greater-than(size,1024),any(format,['png','gif'])"),
    ).toBeUndefined();
    expect(check("get_events", "greater-than(timestamp,1.5e9),has(profile)")).toBeUndefined();
    expect(check("get_profiles", "greater-than(created,2026-01-01)")).toBeUndefined();
    expect(
      check("get_profiles", "less-than(updated,2026-01-01T10:00:00.123-0500)"),
    ).toBeUndefined();
    expect(check("get_flows", "equals(archived,null)")).toBeUndefined();
    // equals listed for lists only still takes one value: the spec's own example does.
    expect(check("get_lists", 'equals(name,"Newsletter")')).toBeUndefined();
  });
});

describe("checkFilter refuses, saying how to fix it", () => {
  it("a value outside the field's values, suggesting the case-insensitive match", () => {
    expect(check("get_flows", 'equals(status,"Live")')).toBe(
      '"Live" is not a status; did you mean "live"? Allowed: draft, manual, live.',
    );
    expect(check("get_campaigns", "equals(messages.channel,'fax')")).toBe(
      '"fax" is not a messages.channel. Allowed: email, sms, mobile_push.',
    );
    expect(check("get_flow_flow_actions", "equals(status,'paused')")).toBe(
      '"paused" is not a status. Allowed: disabled, draft, live, manual.',
    );
    // Each item of a list is checked.
    expect(check("get_campaigns", 'any(status,["Sent","draft"])')).toMatch(
      /^"draft" is not a status; did you mean "Draft"\? Allowed: Scheduled, Sent, Draft,/,
    );
    // contains takes a part of a value: only equals and any are held to the values.
    const fields = {
      name: { operators: { single: ["contains", "equals"] }, type: "string", values: ["Alpha"] },
    };
    expect(checkFilter('contains(name,"Alp")', fields)).toBeUndefined();
    expect(checkFilter('equals(name,"Alp")', fields)).toBe('"Alp" is not a name. Allowed: Alpha.');
  });

  it("lists at most 30 values", () => {
    const values = Array.from({ length: 45 }, (_, i) => `v${i}`);
    const fields = { kind: { operators: { single: ["equals"] }, type: "string", values } };
    const message = checkFilter('equals(kind,"x")', fields) ?? "";
    expect(message).toContain("v29 (and 15 more).");
    expect(message).not.toContain("v30");
  });

  it("a syntax error: where, and a correct example from this tool's fields", () => {
    expect(check("get_flows", 'equals(status,"live"')).toBe(
      "The filter ends too early: expected ')'. Write conditions as operator(field,value), combined with and(...) or commas, e.g. and(equals(status,\"draft\"),greater-than(created,2026-01-01T00:00:00Z)).",
    );
    expect(check("get_flows", 'equals(status,"live"))')).toMatch(
      /^Invalid filter at character 22 \(at "\)"\): expected ',' between conditions, or the end\. Write/,
    );
    expect(check("get_flows", "equals(status,live)")).toMatch(
      /^Unquoted value "live" at character 15: quote strings, e.g. "live"\./,
    );
    expect(check("get_flows", 'equals(name,"open')).toMatch(
      /^The string starting at character 13 is never closed\./,
    );
    expect(check("get_flows", "   ")).toMatch(/^The filter is empty\. Write/);
    expect(check("get_flows", "less-than(created,2024-02-30T00:00:00Z)")).toMatch(
      /^"2024-02-30T00:00:00Z" at character 19 is not a valid datetime/,
    );
    expect(check("get_flows", 'or(equals(status,"live"),equals(status,"draft"))')).toMatch(
      /^or\(\.\.\.\) is not supported: conditions combine only with and\(\.\.\.\) or commas/,
    );
  });

  it("a field not filterable here, listing those that are", () => {
    expect(check("get_flows", 'equals(state,"live")')).toBe(
      '"state" cannot be filtered on here. Filterable fields: id, name, status, archived, created, updated, trigger_type.',
    );
    expect(check("get_flows", 'equals(Status,"live")')).toMatch(/Did you mean status\?/);
  });

  it("an operator the field does not allow, showing the forms it does", () => {
    expect(check("get_flows", 'equals(id,"abc")')).toBe(
      '"equals" cannot be used on id. Write one of: any(id,["a","b"]).',
    );
    expect(check("get_flows", 'any(id,"abc")')).toBe('any on id takes a list: any(id,["a","b"]).');
    expect(check("get_flows", 'equals(status,["live","draft"])')).toBe(
      'equals on status takes one value, not a list: equals(status,"draft").',
    );
    expect(check("get_flows", "any(id,[])")).toBe(
      'any on id needs at least one value: any(id,["a","b"]).',
    );
    expect(check("get_events", "has(profile,'x')")).toBe(
      "has on profile takes no value: has(profile).",
    );
  });

  it("a value of the wrong kind", () => {
    expect(check("get_flows", "greater-than(created,'2026-01-01T00:00:00Z')")).toBe(
      `created takes a datetime without quotes, e.g. greater-than(created,2026-01-01T00:00:00Z); got '2026-01-01T00:00:00Z'.`,
    );
    expect(check("get_flows", 'equals(archived,"true")')).toBe(
      'archived takes true or false, unquoted, e.g. equals(archived,true); got "true".',
    );
    expect(check("get_images", "greater-than(size,1.5)")).toMatch(/^size takes a whole number/);
    expect(check("get_flows", "equals(name,123)")).toBe(
      'name takes a quoted string, e.g. equals(name,"123"); got "123" unquoted.',
    );
    expect(check("get_flows", "greater-than(created,null)")).toBe(
      "null can only be compared with equals, not greater-than (on created).",
    );
  });

  it("and(...) nested too deep", () => {
    const nested = (depth: number) =>
      `${"and(".repeat(depth)}equals(status,"live")${")".repeat(depth)}`;
    expect(check("get_flows", nested(MAX_FILTER_NESTING))).toBeUndefined();
    expect(check("get_flows", nested(MAX_FILTER_NESTING + 1))).toMatch(
      /^and\(\.\.\.\) is nested more than 8 levels deep/,
    );
  });

  it("through buildRequest, as an ArgumentError on filter, before any request exists", () => {
    const thrown = (() => {
      try {
        buildRequest(tool("get_flows"), { filter: 'equals(status,"Live")' });
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(ArgumentError);
    expect(thrown).toMatchObject({
      argument: "filter",
      message: expect.stringContaining('"live"'),
    });
    const built = buildRequest(tool("get_flows"), { filter: 'equals(status,"live")' });
    expect(built.query).toContainEqual(["filter", 'equals(status,"live")']);
  });
});

describe("checkFilter on hostile input", () => {
  const big = 100_000;
  const hostile = [
    "and(".repeat(big / 4),
    "(".repeat(big),
    `equals(name,"${"\\".repeat(big)}`,
    `equals(name,"${'\\"'.repeat(big / 2)}`,
    `equals(name,${"x".repeat(big)})`,
    `any(id,[${'"a",'.repeat(big / 4)}])`,
    `${'equals(status,"live"),'.repeat(big / 22)}`,
    `equals(${"a".repeat(big)},"x")`,
    ",".repeat(big),
    `equals(name,'${"'".repeat(big)}`,
    " ".repeat(big),
    "\u0000\uffff\ud800".repeat(big / 3),
  ];

  it("answers each 100 KB string with a short message, and buildRequest only with ArgumentError", () => {
    const flows = tool("get_flows");
    for (const text of hostile) {
      const message = checkFilter(text, flows.filters ?? {});
      expect(message, text.slice(0, 30)).toEqual(expect.any(String));
      expect((message ?? "").length).toBeLessThan(600);
      expect(() => buildRequest(flows, { filter: text })).toThrow(ArgumentError);
    }
  });

  it("throws nothing but ArgumentError on random text from the grammar's alphabet", () => {
    const alphabet = [
      "equals(",
      "and(",
      "any(",
      "has(",
      "status",
      "id",
      ",",
      "(",
      ")",
      "[",
      "]",
      '"',
      "'",
      "\\",
      "live",
      "2026-01-01T00:00:00Z",
      "true",
      "null",
      " ",
      "1",
      "or(",
    ];
    let seed = 13;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const flows = tool("get_flows");
    for (let i = 0; i < 5000; i++) {
      const length = next() % 40;
      const text = Array.from({ length }, () => alphabet[next() % alphabet.length]).join("");
      try {
        buildRequest(flows, { filter: text });
      } catch (error) {
        expect(error, text).toBeInstanceOf(ArgumentError);
      }
    }
  });
});
