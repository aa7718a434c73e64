/** Aggregated log lines: bounded in lines and memory whatever an attacker repeats. */
import { describe, expect, it } from "vitest";
import { type Counts, LogAggregator } from "../../src/transports/log-aggregator.js";

function aggregator() {
  const lines: Array<[string, string | undefined, Counts<"a" | "b"> | string]> = [];
  const log = new LogAggregator<"a" | "b">({
    intervalMs: 60_000,
    maxKeys: 3,
    first: (key, kind) => lines.push(["first", key, kind]),
    summary: (key, counts) => lines.push(["summary", key, counts]),
  });
  return { log, lines };
}

describe("LogAggregator", () => {
  it("logs a key's first event at once, then one summary per interval while it goes on", () => {
    const { log, lines } = aggregator();
    for (let i = 0; i < 1000; i++) log.record("x", i % 2 === 0 ? "a" : "b");
    expect(lines).toEqual([["first", "x", "a"]]);
    log.flush();
    expect(lines[1]).toEqual(["summary", "x", { a: 499, b: 500 }]);
    log.record("x", "a");
    log.flush();
    expect(lines[2]).toEqual(["summary", "x", { a: 1 }]);
    // Quiet for a whole interval: forgotten, so its next event is logged at once again.
    log.flush();
    log.record("x", "b");
    log.stop();
    expect(lines.slice(3)).toEqual([["first", "x", "b"]]);
  });

  it("shares one line among the keys past maxKeys", () => {
    const { log, lines } = aggregator();
    for (let i = 0; i < 100_000; i++) log.record(`key${i}`, "a");
    log.stop();
    expect(lines).toHaveLength(4);
    expect(lines.at(-1)).toEqual(["summary", undefined, { a: 99_997 }]);
  });
});
