/** The result-ratio measurement behind `npm run bench:tokens`: its helpers, and its figures. */
import { describe, expect, it } from "vitest";
import {
  lostAttributes,
  measureResultRatios,
  median,
} from "../../../bench/support/result-ratio.js";

describe("median", () => {
  it("is the middle value, or the mean of the two middle ones", () => {
    expect(median([0.5, 0.1, 0.3])).toBe(0.3);
    expect(median([0.4, 0.1, 0.3, 0.2])).toBeCloseTo(0.25);
    expect(median([0.7])).toBe(0.7);
    expect(median([])).toBeNaN();
  });
});

describe("lostAttributes", () => {
  const raw = {
    data: [
      {
        type: "event",
        id: "e1",
        attributes: { timestamp: 1, datetime: "x", uuid: "u", note: null, tags: [] },
      },
      { type: "event", id: "e2", attributes: { uuid: "v" } },
    ],
  };

  it("accepts dropped empties, nested clashes and the event timestamp", () => {
    const trimmed = {
      data: [
        { id: "e1", datetime: "x", attributes: { uuid: "u" } },
        { id: "e2", uuid: "v" },
      ],
    };
    expect(lostAttributes(raw, trimmed)).toEqual([]);
  });

  it("names attributes and items that went missing", () => {
    expect(lostAttributes(raw, { data: [{ id: "e1", datetime: "x" }] })).toEqual([
      "uuid",
      "(item e2)",
    ]);
  });
});

describe("measureResultRatios", () => {
  it("measures the given list tools against the sandbox, losing nothing", async () => {
    // A pinned clock fixes the demo data (its dates are relative to now), so the figures are too.
    const { rows, median: middle } = await measureResultRatios({
      tools: ["get_lists", "get_tags", "get_metrics", "get_profiles"],
      now: () => Date.UTC(2026, 6, 15),
    });
    expect(rows.map((row) => row.tool).sort()).toEqual([
      "get_lists",
      "get_metrics",
      "get_profiles",
      "get_tags",
    ]);
    for (const row of rows) {
      expect(row.trimmedTokens).toBeLessThan(row.rawTokens);
      expect(row.lostFields).toEqual([]);
    }
    const byTool = (tool: string) => rows.find((row) => row.tool === tool);
    expect(byTool("get_profiles")).toEqual({
      tool: "get_profiles",
      rawTokens: 819,
      trimmedTokens: 381,
      ratio: 0.4652,
      lostFields: [],
    });
    expect(byTool("get_lists")).toMatchObject({
      rawTokens: 1986,
      trimmedTokens: 399,
      ratio: 0.2009,
    });
    expect(byTool("get_metrics")).toMatchObject({
      rawTokens: 2565,
      trimmedTokens: 1080,
      ratio: 0.4211,
    });
    // The default tag group comes first in the seed (tags without a group join it).
    expect(byTool("get_tags")).toMatchObject({
      rawTokens: 5883,
      trimmedTokens: 582,
      ratio: 0.0989,
    });
    // The middle two of 0.0989, 0.2009, 0.4211, 0.4652.
    expect(middle).toBe(0.311);
  });
});
