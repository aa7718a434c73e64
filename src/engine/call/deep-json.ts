/**
 * JSON of any depth, walked without recursion. JSON.parse accepts a million levels, but
 * JSON.stringify and recursive walks overflow the stack a few thousand levels down, and the MCP
 * SDK serializes every result with JSON.stringify: so depth is measured before arguments are
 * used, and anything that must be written out whatever its depth goes through jsonText.
 */

type Key = string | number;

/** Frames of an explicit stack: a container, how deep it sits, and how it was reached. */
interface Frame {
  node: object;
  depth: number;
  key?: Key;
  parent?: Frame;
}

function isContainer(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}

/**
 * The path to the first object or array nested deeper than `limit` levels (the value itself,
 * if a container, is level 1), or undefined when none is. Iterative, so any depth is measured.
 */
export function pathBeyondDepth(value: unknown, limit: number): Key[] | undefined {
  if (!isContainer(value)) return undefined;
  const stack: Frame[] = [{ node: value, depth: 1 }];
  for (let frame = stack.pop(); frame; frame = stack.pop()) {
    if (frame.depth > limit) return pathOf(frame);
    const children: Array<[Key, unknown]> = Array.isArray(frame.node)
      ? Array.from(frame.node, (item, index): [Key, unknown] => [index, item])
      : Object.entries(frame.node);
    for (const [key, child] of children) {
      if (isContainer(child))
        stack.push({ node: child, depth: frame.depth + 1, key, parent: frame });
    }
  }
  return undefined;
}

function pathOf(frame: Frame): Key[] {
  const path: Key[] = [];
  for (let at: Frame | undefined = frame; at?.key !== undefined; at = at.parent) path.push(at.key);
  return path.reverse();
}

/** What JSON.stringify writes for a leaf, or undefined for values it leaves out. */
function leafText(value: unknown): string | undefined {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "boolean":
      return String(value);
    case "bigint":
      return JSON.stringify(String(value));
    case "object":
      return value === null ? "null" : undefined;
    default:
      return undefined; // undefined, functions, symbols
  }
}

interface WriteFrame {
  node: object;
  /** An object's keys; undefined for an array, read by index. */
  keys?: string[];
  index: number;
  /** Members written so far: a left-out member writes nothing, not even a comma. */
  written: number;
}

/** A value JSON leaves out (undefined, a function, a symbol): skipped in objects, null in arrays. */
const LEFT_OUT = Symbol("left out");

/** The value as JSON sees it (after toJSON), or LEFT_OUT. */
function resolve(value: unknown, key: Key): unknown {
  const toJSON = isContainer(value) ? (value as { toJSON?: unknown }).toJSON : undefined;
  const item = typeof toJSON === "function" ? toJSON.call(value, String(key)) : value;
  return isContainer(item) || leafText(item) !== undefined ? item : LEFT_OUT;
}

/**
 * The JSON text of `value`, as JSON.stringify would write it, at any depth; stops once
 * `maxChars` are written (`complete: false`). A cycle is written as "[circular]" rather than
 * thrown, so this never fails on data that came from JSON.parse or a model.
 */
export function jsonText(
  value: unknown,
  maxChars = Number.POSITIVE_INFINITY,
): { text: string; complete: boolean } {
  let out = "";
  const open = new Set<object>();
  const stack: WriteFrame[] = [];
  const begin = (item: unknown): void => {
    if (!isContainer(item)) {
      out += leafText(item) ?? "null";
    } else if (open.has(item)) {
      out += '"[circular]"';
    } else {
      open.add(item);
      const array = Array.isArray(item);
      out += array ? "[" : "{";
      stack.push({ node: item, keys: array ? undefined : Object.keys(item), index: 0, written: 0 });
    }
  };
  const root = resolve(value, "");
  if (root === LEFT_OUT) return { text: "", complete: true };
  begin(root);
  while (stack.length > 0 && out.length < maxChars) {
    const frame = stack[stack.length - 1] as WriteFrame;
    const { keys, node } = frame;
    if (frame.index >= (keys ? keys.length : (node as unknown[]).length)) {
      out += keys ? "}" : "]";
      open.delete(node);
      stack.pop();
      continue;
    }
    const key: Key = keys ? (keys[frame.index] as string) : frame.index;
    frame.index++;
    const item = resolve((node as Record<Key, unknown>)[key], key);
    if (keys && item === LEFT_OUT) continue;
    if (frame.written++ > 0) out += ",";
    if (keys) out += `${JSON.stringify(key)}:`;
    begin(item === LEFT_OUT ? null : item);
  }
  const complete = stack.length === 0 && out.length <= maxChars;
  return { text: complete ? out : out.slice(0, maxChars), complete };
}

/** JSON.stringify, falling back to the iterative writer when the value is too deep for it. */
export function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return jsonText(value).text;
  }
}
