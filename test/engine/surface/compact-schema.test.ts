/**
 * The listing's compact schemas: a token budget per tool, schemas every provider accepts, and
 * nothing a model needs lost (ids say where they come from; validation stays complete).
 */
import { encode } from "gpt-tokenizer/encoding/o200k_base";
import { describe, expect, it } from "vitest";
import {
  compactDescription,
  firstSentence,
  tightenDescription,
} from "../../../src/engine/surface/compact-schema.js";
import { prepareToolSurface } from "../../../src/server.js";
import { toolGroups } from "../../../tools/index.js";

const surface = prepareToolSurface({ toolsets: [...toolGroups], readOnly: false });

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every sub-schema, with its path. */
function* nodes(schema: Node, path: string): Generator<[string, Node]> {
  yield [path, schema];
  if (isNode(schema.properties)) {
    for (const [k, v] of Object.entries(schema.properties)) {
      if (isNode(v)) yield* nodes(v, `${path}.${k}`);
    }
  }
  if (isNode(schema.items)) yield* nodes(schema.items, `${path}[]`);
  if (isNode(schema.additionalProperties)) yield* nodes(schema.additionalProperties, `${path}{}`);
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    const branches = schema[key];
    if (Array.isArray(branches)) {
      for (const [i, b] of branches.entries()) if (isNode(b)) yield* nodes(b, `${path}|${i}`);
    }
  }
}

describe("the compact tool listing", () => {
  it("takes at most 130 tokens per tool on average (o200k, JSON of tools/list)", () => {
    const tokens = encode(JSON.stringify({ tools: surface.listed })).length;
    expect(tokens / surface.listed.length).toBeLessThanOrEqual(130);
  });

  it("gives every schema node a type (portable across model providers)", () => {
    for (const tool of surface.listed) {
      for (const [path, node] of nodes(tool.inputSchema, tool.name)) {
        const typed = typeof node.type === "string" || Array.isArray(node.anyOf);
        expect(typed, `${path}: ${JSON.stringify(node)}`).toBe(true);
      }
    }
  });

  it("says where every path id comes from", () => {
    const getList = surface.listed.find((t) => t.name === "get_list");
    expect(getList?.inputSchema.properties).toMatchObject({
      list_id: { type: "string", description: "From get_lists" },
    });
    const variant = surface.listed.find((t) => t.name === "create_catalog_variant");
    expect(variant?.inputSchema.properties).toMatchObject({
      item_id: { description: "From get_catalog_items" },
    });
  });

  it("lists filters' fields, operators, values and an example; sort fields; paging bounds", () => {
    const getLists = surface.listed.find((t) => t.name === "get_lists");
    expect(getLists?.inputSchema.properties).toMatchObject({
      filter: {
        type: "string",
        description: 'name,id: any|equals; created,updated: greater-than. E.g. equals(id,"…")',
      },
      sort: { type: "string", description: "created|id|name|updated (-created for descending)" },
    });
    const getFlows = surface.listed.find((t) => t.name === "get_flows");
    const flows = getFlows?.inputSchema.properties as Record<string, { description?: string }>;
    expect(flows.filter?.description).toContain("status: equals draft|manual|live");
    expect(flows.page_size).toStrictEqual({ type: "integer", maximum: 50 });
    expect(flows.fields?.description).toContain("flow:[archived,created,name,status,");
  });
});

describe("tightening prose", () => {
  it("drops what the names already say, and keeps rules", () => {
    expect(tightenDescription("Individual's first name", false, "first_name")).toBe("");
    expect(
      tightenDescription(
        "The SKU of the catalog item variant.",
        false,
        "sku",
        "create_catalog_variant",
      ),
    ).toBe("");
    expect(
      tightenDescription("Individual's phone number in E.164 format", false, "phone_number"),
    ).toBe("Individual's phone number in E.164 format");
    expect(
      tightenDescription(
        "The opt-in process for this list. Valid values: 'double_opt_in', 'single_opt_in'. If not provided, uses account default.",
        true,
        "opt_in_process",
      ),
    ).toBe("");
  });

  it("shortens tool descriptions without losing their sense", () => {
    expect(
      compactDescription(
        "List catalog items in the account, filterable by ids, category id, title and published, sortable by created, and paged (at most 100 per page). Use include to add their variants.",
      ),
    ).toBe("List catalog items (max 100 per page).");
    expect(
      compactDescription(
        "Get only the ids of the tags attached to the given list. For full tag resources, use get_list_tags.",
      ),
    ).toBe("Ids of the tags attached to the given list (full: get_list_tags).");
    expect(
      compactDescription(
        "Create a tag in the given tag group, or in the account's default tag group if none is given.",
      ),
    ).toBe(
      "Create a tag in the given tag group, or in the account's default tag group if none is given.",
    );
  });
});

describe("firstSentence", () => {
  it("ends at the sentence's end, not at an abbreviation", () => {
    expect(firstSentence("Filter by status, e.g. active. Then page.")).toBe(
      "Filter by status, e.g. active.",
    );
    expect(firstSentence("One sentence only")).toBe("One sentence only");
  });
});
