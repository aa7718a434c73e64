/**
 * The JSONPath subset source mappings use to pick a value out of a data source record:
 * `$.a.b`, `$['a b']`, `$["a"]`, `$.items[0]`. Anything else reads as missing.
 */

const STEP = /^(?:\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\])/;

/** The steps of a path, or undefined when it is not of the supported form. */
export function parsePath(path: string): Array<string | number> | undefined {
  if (!path.startsWith("$")) return undefined;
  const steps: Array<string | number> = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const match = STEP.exec(rest);
    if (!match) return undefined;
    const [whole, name, index, single, double] = match;
    steps.push(index !== undefined ? Number(index) : (name ?? single ?? double ?? ""));
    rest = rest.slice(whole.length);
  }
  return steps;
}

/** The value at `path` in `value`, or undefined. */
export function evaluatePath(value: unknown, path: string): unknown {
  const steps = parsePath(path);
  if (!steps) return undefined;
  let at: unknown = value;
  for (const step of steps) {
    if (typeof step === "number") {
      at = Array.isArray(at) ? at[step] : undefined;
    } else {
      at =
        at !== null && typeof at === "object" && !Array.isArray(at)
          ? (at as Record<string, unknown>)[step]
          : undefined;
    }
    if (at === undefined) return undefined;
  }
  return at;
}
