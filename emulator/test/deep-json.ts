/**
 * Deeply nested values for tests, built without recursion. A copy of test/support/deep-json.ts:
 * the emulator's tests import nothing from outside emulator/ (test/architecture.test.ts).
 */

/** `levels` containers, objects (`{a: ...}`) and arrays in turn from the inside, around `leaf`. */
export function nested(levels: number, leaf: unknown = "leaf"): unknown {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = i % 2 === 0 ? { a: value } : [value];
  return value;
}

/** The JSON text of nested(levels, leaf), built as a string (JSON.stringify cannot, past ~5,000). */
export function nestedText(levels: number, leaf: unknown = "leaf"): string {
  let open = "";
  let close = "";
  for (let i = levels - 1; i >= 0; i--) open += i % 2 === 0 ? '{"a":' : "[";
  for (let i = 0; i < levels; i++) close += i % 2 === 0 ? "}" : "]";
  return `${open}${JSON.stringify(leaf)}${close}`;
}
