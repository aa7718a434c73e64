/**
 * A beta request's attributes checked against the rules its table carries from the spec
 * (`requestRequired`, `requestEnums`): a missing required attribute or a value outside an enum
 * is Klaviyo's 400 pointing at it, and nothing is stored.
 */
import { invalidPointer } from "../api-error.js";
import { isObject } from "../body.js";
import type { EmulatedOperation } from "../operation-types.js";

/** A value found at a dotted path, with the JSON pointer that reaches it. */
interface Found {
  value: unknown;
  pointer: string;
}

/** Every value at `path` (`a.b[].c`), through lists; absent parents yield nothing. */
function valuesAt(root: unknown, path: string, base: string): Found[] {
  let found: Found[] = [{ value: root, pointer: base }];
  for (const segment of path.split(".")) {
    const list = segment.endsWith("[]");
    const key = list ? segment.slice(0, -2) : segment;
    found = found.flatMap(({ value, pointer }) => {
      if (!isObject(value) || value[key] === undefined || value[key] === null) return [];
      const child = value[key];
      const at = `${pointer}/${key}`;
      if (!list) return [{ value: child, pointer: at }];
      return Array.isArray(child)
        ? child.map((item, i) => ({ value: item, pointer: `${at}/${i}` }))
        : [];
    });
  }
  return found;
}

/** Throws Klaviyo's 400 for the first rule the attributes break. */
export function checkAttributes(op: EmulatedOperation, attributes: Record<string, unknown>): void {
  const base = "/data/attributes";
  for (const path of op.requestRequired ?? []) {
    const dot = path.lastIndexOf(".");
    const name = path.slice(dot + 1);
    const parents =
      dot < 0
        ? [{ value: attributes, pointer: base }]
        : valuesAt(attributes, path.slice(0, dot), base);
    for (const { value, pointer } of parents) {
      if (isObject(value) && (value[name] === undefined || value[name] === null)) {
        throw invalidPointer(`${pointer}/${name}`, `'${name}' is required.`);
      }
    }
  }
  for (const [path, allowed] of Object.entries(op.requestEnums ?? {})) {
    for (const { value, pointer } of valuesAt(attributes, path, base)) {
      const values = Array.isArray(value) ? value : [value];
      values.forEach((item, index) => {
        if (allowed.includes(String(item))) return;
        const at = Array.isArray(value) ? `${pointer}/${index}` : pointer;
        throw invalidPointer(
          at,
          `'${String(item)}' is not a valid value for '${path}'. Valid values: ${allowed.map((v) => `'${v}'`).join(", ")}.`,
        );
      });
    }
  }
}
