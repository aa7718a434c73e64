/**
 * search_tools against requests phrased as users phrase them (search-requests.ts, written from
 * the tool reference, not from the scorer): the tool that answers must come first in at least
 * 75% of them and within the first five in at least 95% (issue 17). Prints the figures and the
 * misses, so that a change to the vocabulary or the ranking shows what it moved.
 */
import { describe, expect, it } from "vitest";
import { allTools, toolGroups } from "../../../tools/index.js";
import {
  BETA_SEARCH_CATALOG,
  STABLE_SEARCH_CATALOG,
  searchedNames,
} from "../../support/search-catalog.js";
import { SEARCH_REQUESTS } from "./search-requests.js";

const found = (request: string, beta: boolean) =>
  searchedNames(request, beta ? BETA_SEARCH_CATALOG : STABLE_SEARCH_CATALOG);

describe("search_tools over users' own words", () => {
  it("names only real tools, and covers every stable toolset", () => {
    const names = new Set(BETA_SEARCH_CATALOG.tools.map((tool) => tool.name));
    const unknown = SEARCH_REQUESTS.flatMap((r) => r.tools.filter((name) => !names.has(name)));
    expect(unknown).toEqual([]);
    const groups = new Set(
      SEARCH_REQUESTS.filter((r) => !r.beta).flatMap((r) =>
        r.tools.map((name) => allTools.find((tool) => tool.name === name)?.group),
      ),
    );
    expect(toolGroups.filter((group) => !groups.has(group))).toEqual([]);
    expect(SEARCH_REQUESTS.length).toBeGreaterThanOrEqual(150);
  });

  it("finds the answering tool first in 75% of requests, and in the first five in 95%", () => {
    let first = 0;
    let topFive = 0;
    const misses: string[] = [];
    for (const request of SEARCH_REQUESTS) {
      const names = found(request.request, request.beta === true);
      const at = names.findIndex((name) => request.tools.includes(name));
      if (at === 0) first++;
      if (at >= 0) topFive++;
      if (at !== 0) {
        const where = at < 0 ? "not in the first 5" : `#${at + 1}`;
        misses.push(`${where}: "${request.request}" wants ${request.tools[0]}, got ${names[0]}`);
      }
    }
    const recall1 = first / SEARCH_REQUESTS.length;
    const recall5 = topFive / SEARCH_REQUESTS.length;
    console.log(
      `search_tools over ${SEARCH_REQUESTS.length} requests: recall@1 ${(recall1 * 100).toFixed(1)}%, recall@5 ${(recall5 * 100).toFixed(1)}%\n${misses.join("\n")}`,
    );
    expect(recall1).toBeGreaterThanOrEqual(0.75);
    expect(recall5).toBeGreaterThanOrEqual(0.95);
  });
});
