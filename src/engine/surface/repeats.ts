/**
 * A listing that does not repeat itself: when several listed tools take the same large argument
 * (a report's `timeframe` and `statistics`, a profile upsert's `profile`, the same `filter` on
 * two views of one collection), one tool states it and the others say "As in <that tool>".
 * The reference names a tool of the same listing, so the model reads it there; describe_tool
 * and validation still have each tool's full schema. Within one tool, an argument shaped like an
 * earlier one says "As <that argument>".
 */
import { isRecord } from "../../json.js";
import type { CompactTool } from "./registry.js";

type JsonSchema = Record<string, unknown>;

/** Arguments this short are not worth a look elsewhere. */
const MIN_REPEATED_CHARS = 50;
/**
 * Structures and filters only: an id says where ids come from ("From get_lists"), and a
 * scalar's own few words (a format, a rule) are worth more in place than a look elsewhere.
 */
function worthReferring(name: string, type: string): boolean {
  if (/_ids?$/.test(name)) return false;
  return type === "object" || type === "array" || name === "filter";
}

/** Paging reads the same on every list tool: a reference would only send the model elsewhere. */
const OWN_EVERYWHERE = new Set([
  "page_size",
  "page_cursor",
  "max_items",
  "include",
  "additional_fields",
  "sort",
]);
/** A reference must save at least this much (about five tokens). */
const MIN_SAVED_CHARS = 1;

export function referRepeats(listed: readonly CompactTool[]): CompactTool[] {
  // The home of a repeated argument is the tool with the shortest name: the plainest one
  // (get_coupon_codes, not get_coupon_code_relationships_coupon), where a model looks first.
  const homes = new Map<string, string>();
  for (const tool of listed) {
    const properties = isRecord(tool.inputSchema.properties) ? tool.inputSchema.properties : {};
    for (const [name, schema] of Object.entries(properties)) {
      const key = `${name}=${JSON.stringify(schema)}`;
      const home = homes.get(key);
      if (home === undefined || tool.name.length < home.length) homes.set(key, tool.name);
    }
  }
  return listed.map((tool) => {
    const properties = isRecord(tool.inputSchema.properties) ? tool.inputSchema.properties : {};
    let changed = false;
    const out: JsonSchema = {};
    // Within one tool, the first argument of a shape states it (update_tracking_setting's five
    // utm_* arguments share one): the others say "As <that argument>".
    const firstOfShape = new Map<string, string>();
    for (const [name, schema] of Object.entries(properties)) {
      const text = JSON.stringify(schema);
      const key = `${name}=${text}`;
      const home = homes.get(key);
      const sibling = firstOfShape.get(text);
      if (sibling === undefined) firstOfShape.set(text, name);
      const type = isRecord(schema) ? typeOf(schema) : undefined;
      if (
        !isRecord(schema) ||
        type === undefined ||
        text.length < MIN_REPEATED_CHARS ||
        OWN_EVERYWHERE.has(name) ||
        !worthReferring(name, type)
      ) {
        out[name] = schema;
      } else if (sibling !== undefined) {
        out[name] = { type, description: `As ${sibling}` };
        changed = true;
      } else if (home === undefined || home === tool.name) {
        out[name] = schema;
      } else {
        const reference = { type, description: `As in ${home}` };
        // Only where the reference is clearly shorter than what it replaces.
        const shorter = JSON.stringify(reference).length + MIN_SAVED_CHARS <= text.length;
        out[name] = shorter ? reference : schema;
        changed ||= shorter;
      }
    }
    if (!changed) return tool;
    return { ...tool, inputSchema: { ...tool.inputSchema, properties: out } };
  });
}

/** The schema's type, or its branches' common one (a union of object shapes is an object). */
function typeOf(schema: JsonSchema): string | undefined {
  if (typeof schema.type === "string") return schema.type;
  const branches = Array.isArray(schema.anyOf) ? schema.anyOf.filter(isRecord) : [];
  const types = new Set(branches.map((b) => b.type));
  const [only] = types;
  return types.size === 1 && typeof only === "string" ? only : undefined;
}
