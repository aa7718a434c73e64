/** Firing calls through throttles and measuring how many started inside any one window. */
import type { RateLimit, Throttle } from "../../src/klaviyo/throttle.js";

/** Start times of `n` calls spread over `pool`, each lasting `ms`. Failures are thrown. */
export async function fire(
  pool: Throttle[],
  n: number,
  limit: RateLimit,
  ms = 2,
  operationId = "get_profiles",
): Promise<number[]> {
  const starts: number[] = [];
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      pool[i % pool.length]?.schedule(operationId, limit, async () => {
        starts.push(Date.now());
        await new Promise((done) => setTimeout(done, ms));
      }),
    ),
  );
  return starts.sort((a, b) => a - b);
}

/** The most starts inside any span of `windowMs`. */
export function busiest(starts: number[], windowMs: number): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (j < sorted.length && (sorted[j] as number) - (sorted[i] as number) < windowMs) j++;
    most = Math.max(most, j - i);
  }
  return most;
}
