/** JSON of any depth: measured and written without recursion. */
import { describe, expect, it } from "vitest";
import { jsonText, pathBeyondDepth, safeStringify } from "../../../src/engine/call/deep-json.js";
import { nested, nestedText } from "../../support/deep-json.js";

describe("jsonText", () => {
  it("writes what JSON.stringify writes", () => {
    const samples: unknown[] = [
      1,
      -0.5,
      'quote " and \u2028 and \ud800',
      null,
      true,
      [1, undefined, () => 1, Symbol("s"), Number.NaN, [], {}],
      { a: undefined, b: 1, c: () => 1, d: null },
      { a: undefined },
      { "": 0, 'k"ey': "v", nested: { deeper: [{ x: [] }] } },
      JSON.parse('{"__proto__": {"x": 1}}'),
      { when: new Date(0) },
      [undefined],
      "",
      // biome-ignore lint/suspicious/noSparseArray: holes are written as null
      [, 1, ,],
    ];
    for (const sample of samples) {
      expect(jsonText(sample)).toEqual({ text: JSON.stringify(sample), complete: true });
    }
    expect(jsonText(undefined)).toEqual({ text: "", complete: true });
  });

  it("writes 100,000 levels, where JSON.stringify fails", () => {
    const deep = nested(100_000);
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    expect(jsonText(deep)).toEqual({ text: nestedText(100_000), complete: true });
    expect(JSON.parse(jsonText(deep).text)).toBeTruthy();
    expect(safeStringify(deep)).toBe(nestedText(100_000));
  });

  it("stops at maxChars, and says so", () => {
    const deep = nested(100_000);
    expect(jsonText(deep, 50)).toEqual({ text: nestedText(100_000).slice(0, 50), complete: false });
    expect(jsonText({ a: 1 }, 7)).toEqual({ text: '{"a":1}', complete: true });
    expect(jsonText({ a: 1 }, 6)).toEqual({ text: '{"a":1', complete: false });
  });

  it("writes a cycle as a marker instead of looping or throwing", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    cyclic.list = [cyclic];
    expect(jsonText(cyclic).text).toBe('{"a":1,"self":"[circular]","list":["[circular]"]}');
    // The same object twice, side by side, is not a cycle.
    const shared = { x: 1 };
    expect(jsonText([shared, shared]).text).toBe('[{"x":1},{"x":1}]');
  });
});

describe("pathBeyondDepth", () => {
  it("finds the first container past the limit, at 100,000 levels", () => {
    const deep = { properties: nested(100_000) };
    const path = pathBeyondDepth(deep, 64);
    expect(path).toHaveLength(64);
    expect(path?.slice(0, 4)).toEqual(["properties", 0, "a", 0]);
  });

  it("counts the value itself as level 1, and leaves scalars alone", () => {
    expect(pathBeyondDepth(nested(64), 64)).toBeUndefined();
    expect(pathBeyondDepth(nested(65), 64)).toHaveLength(64);
    expect(pathBeyondDepth({ a: {} }, 1)).toEqual(["a"]);
    expect(pathBeyondDepth("text", 0)).toBeUndefined();
    expect(pathBeyondDepth([], 0)).toEqual([]);
  });
});
