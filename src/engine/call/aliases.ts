/**
 * Spellings a model picks up from results, accepted before validation. Results show JSON:API
 * types (`flow-action`) where `fields` takes argument keys (`flow_action`), and `include` takes
 * hyphenated types that a model may write snake_case (`push_tokens`). Pure: the caller's
 * arguments are never changed; a changed copy is returned.
 */
import { isRecord, type JsonObject } from "../../json.js";
import type { ToolDefinition } from "../definition.js";
import { enumValues, schemaAt } from "./error-result-validation.js";

/** `{"flow-action": [...]}` -> `{flow_action: [...]}`, key order kept; the same object if none. */
function renameTypes(fields: JsonObject, types: Readonly<Record<string, string>>): JsonObject {
  const keyOf = new Map<string, string>();
  for (const [key, type] of Object.entries(types)) if (key !== type) keyOf.set(type, key);
  // A key written both ways stays as is: zod names the duplicate, nothing is silently dropped.
  const renamed = (name: string) => {
    const key = keyOf.get(name);
    return key !== undefined && !Object.hasOwn(fields, key) ? key : undefined;
  };
  if (!Object.keys(fields).some(renamed)) return fields;
  return Object.fromEntries(
    Object.entries(fields).map(([name, value]) => [renamed(name) ?? name, value]),
  );
}

/** `["push_tokens"]` -> `["push-tokens"]` where only the hyphenated value is valid. */
function hyphenateValues(values: readonly unknown[], allowed: ReadonlySet<string>): unknown[] {
  return values.map((value) => {
    if (typeof value !== "string" || allowed.has(value)) return value;
    const hyphenated = value.replaceAll("_", "-");
    return allowed.has(hyphenated) ? hyphenated : value;
  });
}

/** Per tool and argument, the values its `include` list takes: looked up once, not per call. */
const includeValues = new WeakMap<ToolDefinition, Map<string, ReadonlySet<string> | undefined>>();

function includeValuesOf(tool: ToolDefinition, name: string): ReadonlySet<string> | undefined {
  let byName = includeValues.get(tool);
  if (!byName) {
    byName = new Map();
    includeValues.set(tool, byName);
  }
  if (!byName.has(name)) {
    const valid = enumValues(schemaAt(tool.input, [name, 0]));
    byName.set(name, valid && new Set(valid));
  }
  return byName.get(name);
}

export function normalizeAliases(tool: ToolDefinition, rawArgs: unknown): unknown {
  if (!isRecord(rawArgs)) return rawArgs;
  let args = rawArgs;
  const set = (name: string, value: unknown) => {
    if (args === rawArgs) args = { ...rawArgs };
    args[name] = value;
  };
  // The call's few arguments, not the tool's many: most calls name none that have aliases.
  for (const name of Object.keys(rawArgs)) {
    const mapping = Object.hasOwn(tool.args, name) ? tool.args[name] : undefined;
    if (!mapping) continue;
    const value = rawArgs[name];
    if (mapping.in === "fields" && isRecord(value)) {
      const renamed = renameTypes(value, mapping.types);
      if (renamed !== value) set(name, renamed);
    } else if (mapping.in === "query" && mapping.name === "include" && Array.isArray(value)) {
      const valid = includeValuesOf(tool, name);
      if (!valid) continue;
      const hyphenated = hyphenateValues(value, valid);
      if (hyphenated.some((item, index) => item !== value[index])) set(name, hyphenated);
    }
  }
  return args;
}
