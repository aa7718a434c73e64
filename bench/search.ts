/**
 * npm run bench: catalog mode's search_tools over the evaluation requests
 * (test/engine/surface/search-requests.ts): recall@1 and recall@5, and the time per query over
 * every tool (345 stable, 493 with beta), index built beforehand (it is built once, on the first
 * search: its cost is printed apart). Prints figures; asserts nothing.
 */
import { searchTools } from "../src/engine/surface/catalog-mode.js";
import { SEARCH_REQUESTS } from "../test/engine/surface/search-requests.js";
import { betaTools } from "../tools/beta/index.js";
import { allTools } from "../tools/index.js";

const ROUNDS = Number(process.env.BENCH_SEARCH_ROUNDS ?? 20);
const catalogOf = (tools: typeof allTools) => ({
  tools,
  all: tools,
  byName: new Map(tools.map((tool) => [tool.name, tool])),
});
const stable = catalogOf(allTools);
const beta = catalogOf([...allTools, ...betaTools].sort((a, b) => (a.name < b.name ? -1 : 1)));
const names = (request: string, catalog: typeof stable) =>
  (
    JSON.parse(
      (searchTools({ query: request, limit: 5 }, catalog).content[0] as { text: string }).text,
    ) as { tools: Array<{ name: string }> }
  ).tools.map((tool) => tool.name);

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ??
  0;

for (const [label, catalog] of [
  ["stable", stable],
  ["with beta", beta],
] as const) {
  const built = performance.now();
  names("warm up", catalog);
  const buildMs = performance.now() - built;
  const times: number[] = [];
  let first = 0;
  let topFive = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const request of SEARCH_REQUESTS) {
      const started = performance.now();
      const found = names(request.request, catalog);
      times.push(performance.now() - started);
      if (round > 0 || (request.beta && catalog === stable)) continue;
      const at = found.findIndex((name) => request.tools.includes(name));
      if (at === 0) first++;
      if (at >= 0) topFive++;
    }
  }
  const counted =
    catalog === stable ? SEARCH_REQUESTS.filter((r) => !r.beta).length : SEARCH_REQUESTS.length;
  console.log(
    `search_tools, ${label} (${catalog.tools.length} tools, ${counted} requests): recall@1 ${((first / counted) * 100).toFixed(1)}%, recall@5 ${((topFive / counted) * 100).toFixed(1)}%; per query p50 ${percentile(times, 0.5).toFixed(3)} ms, p99 ${percentile(times, 0.99).toFixed(3)} ms (whole answer: ranking, notes, JSON); index built in ${buildMs.toFixed(1)} ms on the first search`,
  );
}
