/**
 * The rule of the listing: a model that sees only tools/list (many clients never show the server
 * instructions) can make every call right. For every tool, every argument the validator accepts
 * is listed, and every finite set of values the validator enforces is visible there: as an enum,
 * or named in a description on the way to it, or in the listing of the tool a description refers
 * to ("As in get_lists", or "As utm_source" for an argument of the same tool). Failures name the
 * tool, the argument path and the values not shown.
 */
import { describe, expect, it } from "vitest";
import type { ToolDefinition } from "../../../src/engine/definition.js";
import { fullInputSchema } from "../../../src/engine/surface/registry.js";
import { prepareToolSurface } from "../../../src/server.js";
import { allTools, toolGroups } from "../../../tools/index.js";

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === "object" && v !== null && !Array.isArray(v);

const surface = prepareToolSurface({ toolsets: [...toolGroups], readOnly: false });
const listedByName = new Map(surface.listed.map((tool) => [tool.name, tool]));

/** Every finite set of values in a full schema: [path, values]. Branches share their path. */
function* enums(schema: Node, path: string[]): Generator<[string[], unknown[]]> {
  if (Array.isArray(schema.enum)) yield [path, schema.enum];
  if (schema.const !== undefined && typeof schema.const !== "boolean") yield [path, [schema.const]];
  if (isNode(schema.properties)) {
    for (const [key, value] of Object.entries(schema.properties)) {
      if (isNode(value)) yield* enums(value, [...path, key]);
    }
  }
  if (isNode(schema.items)) yield* enums(schema.items, [...path, "[]"]);
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    const branches = schema[key];
    if (Array.isArray(branches)) for (const b of branches) if (isNode(b)) yield* enums(b, path);
  }
}

/** The listed nodes along a path (the last one may stop short), with every description seen. */
function walk(schema: Node, path: string[]): { ends: Node[]; texts: string[] } {
  const texts: string[] = [];
  let nodes: Node[] = [schema];
  for (const step of path) {
    const next: Node[] = [];
    const expand = (node: Node): Node[] => [
      node,
      ...["anyOf", "oneOf", "allOf"].flatMap((k) =>
        Array.isArray(node[k]) ? (node[k] as unknown[]).filter(isNode).flatMap(expand) : [],
      ),
    ];
    for (const node of nodes.flatMap(expand)) {
      if (typeof node.description === "string") texts.push(node.description);
      const child =
        step === "[]" ? node.items : isNode(node.properties) ? node.properties[step] : undefined;
      if (isNode(child)) next.push(child);
    }
    if (next.length === 0) return { ends: [], texts };
    nodes = next;
  }
  const all = nodes.flatMap((n) => [n, ...(Array.isArray(n.anyOf) ? n.anyOf.filter(isNode) : [])]);
  for (const node of all) if (typeof node.description === "string") texts.push(node.description);
  return { ends: all, texts };
}

const mentions = (text: string, value: string) =>
  new RegExp(`(^|[^\\w.$-])${value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^\\w-])`).test(text);

/** Whether a value of the enum at `path` can be read from the tool's listing. */
function shown(toolName: string, path: string[], value: string, seen = new Set<string>()): boolean {
  const listed = listedByName.get(toolName);
  if (!listed || seen.has(toolName)) return false;
  seen.add(toolName);
  const { ends, texts } = walk(listed.inputSchema, path);
  if (ends.some((end) => Array.isArray(end.enum) && end.enum.map(String).includes(value))) {
    return true;
  }
  // Sparse fields: sub-paths (location.city) go with their top-level attribute.
  const top = path[0] === "fields" ? (value.split(".")[0] ?? value) : value;
  // `id` comes with every resource: a fields list need not name it.
  if (path[0] === "fields" && top === "id") return true;
  // Sort: "-created" is "created" descending.
  const plain = path[0] === "sort" && top.startsWith("-") ? top.slice(1) : top;
  const direction = plain === top || texts.some((t) => /descending/.test(t));
  if (direction && texts.some((text) => mentions(text, plain))) return true;
  // "any by value": the values of the `by` argument.
  for (const text of texts) {
    const sibling = /\bany (\w+) value\b/.exec(text)?.[1];
    if (sibling && shown(toolName, [sibling, "[]"], plain, new Set())) return true;
  }
  // A reference to another argument of the same tool: "As utm_source".
  for (const text of texts) {
    const sibling = /^As (\w+)$/.exec(text)?.[1];
    if (sibling && path[0] !== sibling) {
      const again = new Set([...seen].filter((name) => name !== toolName));
      if (shown(toolName, [sibling, ...path.slice(1)], value, again)) return true;
    }
  }
  // A reference to another tool's listing: "As in get_lists", "list:[as get_lists]".
  const key = path[0] === "fields" ? path[1] : undefined;
  for (const text of texts) {
    const other =
      /\bAs in (\w+)/.exec(text)?.[1] ??
      (key ? new RegExp(`${key}:\\[as (\\w+)\\]`).exec(text)?.[1] : undefined);
    if (other && shown(other, path, value, seen)) return true;
  }
  return false;
}

/**
 * Structures too large to list in full, where the listing gives the branch names and a worked
 * example (the tool's policy hints) and a wrong value is refused with the allowed ones. Each
 * entry: a path prefix, and the tool whose listing shows the values instead (or none).
 */
const TOO_LARGE: ReadonlyArray<{ path: string; shownIn?: string; why: string }> = [
  {
    path: "profiles.[].subscriptions.push.tokens",
    shownIn: "create_or_update_push_token",
    why: "push tokens come from the mobile SDKs; their own tool lists every field",
  },
  {
    path: "profile.subscriptions.push.tokens",
    shownIn: "create_or_update_push_token",
    why: "as above, on the client-side subscription",
  },
  {
    path: "definition.body.sections",
    why: "drag-and-drop template sections: the hint says to start from get_template's definition",
  },
  {
    path: "definition.versions",
    why: "signup form versions (styles, teasers, steps): the hint says to start from get_form's definition",
  },
];

/** Whether the value is shown anywhere in another tool's listing (an exception's `shownIn`). */
function shownAnywhere(toolName: string, value: string): boolean {
  const listed = listedByName.get(toolName);
  return listed !== undefined && mentions(JSON.stringify(listed.inputSchema), value);
}

function missingValues(tool: ToolDefinition): string[] {
  const problems: string[] = [];
  for (const [path, values] of enums(fullInputSchema(tool), [])) {
    const large = TOO_LARGE.find((entry) => path.join(".").startsWith(entry.path));
    if (large && !large.shownIn) continue;
    const hidden = values
      .map(String)
      .filter((value) =>
        large?.shownIn ? !shownAnywhere(large.shownIn, value) : !shown(tool.name, path, value),
      );
    if (hidden.length > 0) problems.push(`${path.join(".")}: ${hidden.slice(0, 8).join(", ")}`);
  }
  return problems;
}

describe("the listing stands on its own", () => {
  it("lists every argument each tool accepts", () => {
    const missing = surface.tools.flatMap((tool) => {
      const listed = listedByName.get(tool.name)?.inputSchema.properties as Node | undefined;
      return Object.keys(tool.input.shape)
        .filter((name) => !listed || !(name in listed))
        .map((name) => `${tool.name}: ${name}`);
    });
    expect(missing).toEqual([]);
  });

  it("shows every finite set of values the validator enforces", () => {
    const missing = allTools.flatMap((tool) =>
      missingValues(tool).map((problem) => `${tool.name} ${problem}`),
    );
    expect(missing).toEqual([]);
  });

  it("shows the values of every enumerable filter field in the filter's description", () => {
    const missing = surface.tools.flatMap((tool) =>
      Object.entries(tool.filters ?? {}).flatMap(([field, rule]) =>
        (rule.values ?? [])
          .filter((value) => !shown(tool.name, ["filter"], value))
          .map((value) => `${tool.name} filter ${field}: ${value}`),
      ),
    );
    expect(missing).toEqual([]);
  });

  it("states each page_size maximum", () => {
    const missing = surface.tools.flatMap((tool) => {
      const size = (listedByName.get(tool.name)?.inputSchema.properties as Node)?.page_size;
      const max = tool.paging?.size?.max;
      return max !== undefined && (!isNode(size) || size.maximum !== max) ? [tool.name] : [];
    });
    expect(missing).toEqual([]);
  });

  it("catches a value hidden from the listing (the check can fail)", () => {
    const tool = allTools.find((t) => t.name === "get_flows") as ToolDefinition;
    expect(shown(tool.name, ["sort"], "-created")).toBe(true);
    expect(shown(tool.name, ["sort"], "-no_such_field")).toBe(false);
    expect(shown(tool.name, ["fields", "flow", "[]"], "trigger_type")).toBe(true);
    expect(shown(tool.name, ["include", "[]"], "not-an-include")).toBe(false);
  });
});
