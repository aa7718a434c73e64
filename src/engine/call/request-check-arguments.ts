/**
 * A path in the request the engine built -> the argument the model wrote, read backwards from
 * the tool's mappings (request.ts builds forwards): `data.attributes.definition.x` is
 * `definition.x`, `data.relationships.tags.data[1].id` is `tag_ids[1]`, the query parameter
 * `fields[campaign-message]` is `fields.campaign_message`, the path's `{id}` is `list_id`.
 * Undefined where no argument put the value there (the body's `type`, say).
 */
import type { ArgMapping, NestedResource, ToolDefinition } from "../definition.js";
import type { WirePath } from "./request-check-value.js";

type ArgumentPath = Array<string | number>;

export function argumentPath(tool: ToolDefinition, wire: WirePath): ArgumentPath | undefined {
  const [head, ...rest] = wire;
  if (typeof head !== "string") return undefined;
  if (head.startsWith("{") && head.endsWith("}")) {
    const name = head.slice(1, -1);
    return argumentWhere(tool, (m) => m.in === "path" && m.name === name);
  }
  if (head.startsWith("?")) return queryArgument(tool, head.slice(1), rest);
  if (head === "data") return bodyArgument(tool, rest);
  return undefined;
}

function argumentWhere(
  tool: ToolDefinition,
  test: (mapping: ArgMapping) => boolean,
  rest: ArgumentPath = [],
): ArgumentPath | undefined {
  for (const name in tool.args) {
    if (test(tool.args[name] as ArgMapping)) return [name, ...rest];
  }
  return undefined;
}

/** `fields[t]` and `additional-fields[t]` name their type in brackets; the rest by name. */
function queryArgument(tool: ToolDefinition, name: string, rest: WirePath) {
  const bracket = /^([\w-]+)\[([^\]]+)\]$/.exec(name);
  if (bracket?.[1] === "fields") {
    const type = bracket[2] ?? "";
    for (const arg in tool.args) {
      const mapping = tool.args[arg] as ArgMapping;
      if (mapping.in !== "fields") continue;
      const key = Object.entries(mapping.types).find(([, wire]) => wire === type)?.[0] ?? type;
      return [arg, key, ...rest];
    }
  }
  if (bracket?.[1] === "additional-fields") {
    const type = bracket[2];
    const found = argumentWhere(tool, (m) => m.in === "additional_fields" && m.type === type, rest);
    if (found) return found;
  }
  if (name === "company_id") {
    const found = argumentWhere(tool, (m) => m.in === "company_id", rest);
    if (found) return found;
  }
  return argumentWhere(tool, (m) => m.in === "query" && m.name === name, rest);
}

function bodyArgument(tool: ToolDefinition, path: WirePath): ArgumentPath | undefined {
  const [section, name, ...rest] = path;
  if (tool.body.kind === "identifiers") {
    // `data[i].id`: the i-th id of the identifiers argument.
    if (typeof section !== "number") return undefined;
    return argumentWhere(tool, (m) => m.in === "identifiers", [section]);
  }
  switch (section) {
    case "id":
      if (path.length !== 1 || tool.body.kind !== "resource" || !tool.body.idArg) return undefined;
      return [tool.body.idArg];
    case "meta":
      return argumentWhere(tool, (m) => m.in === "meta", path.slice(1));
    case "attributes": {
      if (typeof name !== "string") return undefined;
      for (const arg in tool.args) {
        const mapping = tool.args[arg] as ArgMapping;
        if (mapping.in !== "attribute" || mapping.name !== name) continue;
        if (!mapping.nested) return [arg, ...rest];
        const inner = nestedPath(mapping.nested, rest);
        return inner && [arg, ...inner];
      }
      return undefined;
    }
    case "relationships": {
      if (typeof name !== "string") return undefined;
      // data.relationships.<rel>.data[i].id -> <arg>[i]
      const index = typeof rest[1] === "number" ? [rest[1]] : [];
      return argumentWhere(tool, (m) => m.in === "relationship" && m.name === name, index);
    }
    default:
      return undefined;
  }
}

/** Inside a nested resource (`{data: {type, id, attributes, ...}}`) -> the plain object's path. */
function nestedPath(nested: NestedResource, path: WirePath): ArgumentPath | undefined {
  if (path[0] !== "data") return path.length === 0 ? [] : undefined;
  let rest = path.slice(1);
  const out: ArgumentPath = [];
  if (nested.many) {
    if (typeof rest[0] !== "number") return rest.length === 0 ? [] : undefined;
    out.push(rest[0]);
    rest = rest.slice(1);
  }
  const [section, name, ...inner] = rest;
  if (section === undefined) return out;
  if (nested.idOnly) return section === "id" ? out : undefined;
  switch (section) {
    case "id":
      return [...out, "id"];
    case "attributes":
      return name === undefined ? out : [...out, name, ...inner];
    case "meta":
      return [...out, "meta", ...rest.slice(1)];
    case "relationships": {
      const relation = Object.entries(nested.relationships ?? {}).find(([, r]) => r.name === name);
      if (!relation) return undefined;
      return typeof inner[1] === "number" ? [...out, relation[0], inner[1]] : [...out, relation[0]];
    }
    default:
      return undefined;
  }
}
