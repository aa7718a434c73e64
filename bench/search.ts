/**
 * npm run bench: catalog mode's search_tools over the evaluation requests
 * (test/engine/surface/search-requests.ts): recall@1 and recall@5, and the time per query over
 * every tool (345 stable, 493 with beta), index built beforehand (it is built once, on the first
 * search: its cost is printed apart). Prints figures; asserts nothing.
 */

import { SEARCH_REQUESTS } from "../test/engine/surface/search-requests.js";
import {
  BETA_SEARCH_CATALOG,
  STABLE_SEARCH_CATALOG,
  searchedNames,
} from "../test/support/search-catalog.js";

const ROUNDS = Number(process.env.BENCH_SEARCH_ROUNDS ?? 20);

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ??
  0;

for (const [label, catalog] of [
  ["stable", STABLE_SEARCH_CATALOG],
  ["with beta", BETA_SEARCH_CATALOG],
] as const) {
  const built = performance.now();
  searchedNames("warm up", catalog);
  const buildMs = performance.now() - built;
  const times: number[] = [];
  let first = 0;
  let topFive = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const request of SEARCH_REQUESTS) {
      const started = performance.now();
      const found = searchedNames(request.request, catalog);
      times.push(performance.now() - started);
      if (round > 0 || (request.beta && catalog === STABLE_SEARCH_CATALOG)) continue;
      const at = found.findIndex((name) => request.tools.includes(name));
      if (at === 0) first++;
      if (at >= 0) topFive++;
    }
  }
  const counted =
    catalog === STABLE_SEARCH_CATALOG
      ? SEARCH_REQUESTS.filter((r) => !r.beta).length
      : SEARCH_REQUESTS.length;
  console.log(
    `search_tools, ${label} (${catalog.tools.length} tools, ${counted} requests): recall@1 ${((first / counted) * 100).toFixed(1)}%, recall@5 ${((topFive / counted) * 100).toFixed(1)}%; per query p50 ${percentile(times, 0.5).toFixed(3)} ms, p99 ${percentile(times, 0.99).toFixed(3)} ms (whole answer: ranking, notes, JSON); index built in ${buildMs.toFixed(1)} ms on the first search`,
  );
}
