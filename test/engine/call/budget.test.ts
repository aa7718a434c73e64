import { describe, expect, it } from "vitest";
import { estimateTokens, fitBudget } from "../../../src/engine/call/budget.js";
import { nested } from "../../support/deep-json.js";

const chars = (value: unknown) => JSON.stringify(value).length;
const profile = (i: number) => ({
  id: `P${String(i).padStart(3, "0")}`,
  email: `person${i}@example.com`,
  properties: { note: "x".repeat(100) },
});

describe("estimateTokens", () => {
  it("is ceil(chars / 4)", () => {
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("abcd")).toBe(1);
    expect(estimateTokens("abcde")).toBe(2);
  });
});

describe("fitBudget", () => {
  it("leaves a result within the budget untouched", () => {
    const value = { data: [profile(1)] };
    expect(fitBudget(value, { budgetTokens: 1000 })).toBe(value);
  });

  it("keeps the first items of a list that fit and says what was dropped", () => {
    const value = { next_cursor: "NEXT", data: Array.from({ length: 50 }, (_, i) => profile(i)) };
    const fitted = fitBudget(value, {
      budgetTokens: 1000,
      fieldTypes: { profile: "profile" },
      filter: true,
      list: { pageSize: true },
    });
    expect(chars(fitted)).toBeLessThanOrEqual(4000);
    const kept = (fitted.data as unknown[]).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(50);
    expect(fitted.data).toStrictEqual(value.data.slice(0, kept));
    expect(fitted).toMatchObject({ truncated: true, dropped: 50 - kept, next_cursor: "NEXT" });
    expect(fitted.hint).toContain(`page_size=${kept}`);
    expect(fitted.hint).toContain("fields");
    expect(fitted.hint).toContain("filter");
    // The notes come first, so a host that cuts long output keeps them.
    expect(Object.keys(fitted).slice(0, 4)).toEqual([
      "truncated",
      "dropped",
      "hint",
      "next_cursor",
    ]);
  });

  it("with max_items, tells to repeat with the number of items kept", () => {
    const value = { data: Array.from({ length: 50 }, (_, i) => profile(i)) };
    const fitted = fitBudget(value, { budgetTokens: 1000, list: { pageSize: true, maxItems: 50 } });
    const kept = (fitted.data as unknown[]).length;
    expect(fitted.hint).toContain(`max_items=${kept}`);
  });

  it("keeps only the included resources the kept items refer to", () => {
    const data = Array.from({ length: 40 }, (_, i) => ({ ...profile(i), list_id: `L${i}` }));
    const included = { list: data.map((item) => ({ id: item.list_id, name: "n".repeat(60) })) };
    const fitted = fitBudget({ data, included }, { budgetTokens: 1000 });
    const kept = fitted.data as Array<{ list_id: string }>;
    const lists = (fitted.included as { list: Array<{ id: string }> }).list;
    expect(lists.map((list) => list.id)).toEqual(kept.map((item) => item.list_id));
    expect(chars(fitted)).toBeLessThanOrEqual(4000);
  });

  it("shortens the longest strings of a single resource, with a marker and the count cut", () => {
    const html = `<html>${"<p>Hello</p>".repeat(2000)}</html>`;
    const value = { data: { id: "T1", type: "template", name: "Spring", html, text: "short" } };
    const fitted = fitBudget(value, { budgetTokens: 1000, fieldTypes: { template: "template" } });
    expect(chars(fitted)).toBeLessThanOrEqual(4000);
    const data = fitted.data as { html: string; name: string; text: string };
    expect(data.name).toBe("Spring");
    expect(data.text).toBe("short");
    const cut = (fitted.cut as Record<string, number>)["data.html"] as number;
    expect(cut).toBeGreaterThan(20_000);
    expect(data.html).toMatch(new RegExp(`^<html><p>Hello.*…\\[${cut} chars cut, see hint\\]$`));
    expect(data.html.length).toBeLessThan(html.length - cut + 40);
    expect(fitted.truncated).toBe(true);
    expect(fitted.hint).toContain('fields={"template":["html"]}');
  });

  it("shortens the strings of the first item when not even one item fits", () => {
    const data = [{ id: "T1", html: "h".repeat(10_000) }, { id: "T2" }];
    const fitted = fitBudget({ data }, { budgetTokens: 1000, itemType: "template" });
    expect(chars(fitted)).toBeLessThanOrEqual(4000);
    expect(fitted).toMatchObject({ truncated: true, dropped: 1 });
    expect((fitted.cut as Record<string, number>)["data[0].html"]).toBeGreaterThan(6000);
  });

  it("never splits a surrogate pair", () => {
    const value = { data: { id: "x", text: "😀".repeat(5000) } };
    const fitted = fitBudget(value, { budgetTokens: 1000 });
    const text = (fitted.data as { text: string }).text;
    expect(text.split("…")[0]).toMatch(/^(😀)+$/u);
  });

  it("halves long arrays when strings are not the problem, then gives up with a note", () => {
    const report = { data: { id: "r", values: Array.from({ length: 5000 }, (_, i) => i) } };
    const fitted = fitBudget(report, { budgetTokens: 1000 });
    expect(chars(fitted)).toBeLessThanOrEqual(4000);
    expect((fitted.cut as Record<string, string>)["data.values"]).toMatch(
      /^kept \d+ of 5000 items$/,
    );

    const keys = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`k${i}`, i]));
    const wide = fitBudget({ untrusted: { note: "n" }, data: keys }, { budgetTokens: 1000 });
    expect(wide).toStrictEqual({
      untrusted: { note: "n" },
      truncated: true,
      hint: expect.any(String),
    });
  });

  it("is deterministic", () => {
    const make = () => ({ data: Array.from({ length: 60 }, (_, i) => profile(i)) });
    const ctx = { budgetTokens: 1200 };
    expect(JSON.stringify(fitBudget(make(), ctx))).toBe(JSON.stringify(fitBudget(make(), ctx)));
  });
});

describe("fitBudget on values of any depth", () => {
  it("measures, cuts and gives up on a value 100,000 levels deep without a stack overflow", () => {
    const value = { data: { id: "x", deep: nested(100_000, "y".repeat(50_000)) } };
    const fitted = fitBudget(value, { budgetTokens: 1000 });
    expect(fitted).toMatchObject({
      truncated: true,
      hint: expect.stringContaining("even trimmed"),
    });
    expect(chars(fitted)).toBeLessThanOrEqual(4000);
  });

  it("cuts a string found 2,000 levels down; walks to an array 100,000 levels down", () => {
    // A short chain keeps the result small enough to fit once the deep string is cut.
    const deepString = { data: { id: "x", deep: nested(2_000, "y".repeat(50_000)) } };
    const cut = fitBudget(deepString, { budgetTokens: 10_000 });
    expect(JSON.stringify(cut)).toContain("chars cut, see hint");
    expect(Object.keys(cut.cut as object)[0]).toMatch(/^data\.deep\[0\]\.a\[0\]/);

    const deepArray = {
      data: {
        id: "x",
        deep: nested(
          100_000,
          Array.from({ length: 9 }, (_, i) => i),
        ),
      },
    };
    expect(fitBudget(deepArray, { budgetTokens: 1000 })).toMatchObject({ truncated: true });
  });
});
