/** The emulator the handler tests share: the demo store on a pinned clock, jobs done at once. */
import { afterAll, beforeAll } from "vitest";
import { type Emulator, startEmulator } from "../../emulator.js";
import { type ApiResponse, api } from "../support.js";

export const NOW = Date.UTC(2026, 9, 1, 12);

export interface Demo {
  emulator: Emulator;
  call(method: string, path: string, body?: unknown): Promise<ApiResponse>;
  /** A request body `{data: {type, attributes, ...}}`. */
  body(type: string, attributes: Record<string, unknown>, extra?: Record<string, unknown>): unknown;
}

/** Starts a demo emulator for the calling test file; deferred work lands on the next request. */
export function useDemo(): Demo {
  const demo = {
    body: (type: string, attributes: Record<string, unknown>, extra = {}) => ({
      data: { type, attributes, ...extra },
    }),
  } as Demo;
  beforeAll(async () => {
    demo.emulator = await startEmulator({ now: () => NOW, rateLimits: false, jobDurationMs: 0 });
    demo.call = api(demo.emulator);
  });
  afterAll(() => demo.emulator.close());
  return demo;
}

/** The ids of a type's stored resources whose attributes match `test`. */
export function idsWhere(
  emulator: Emulator,
  type: string,
  test: (attributes: Record<string, unknown>) => boolean,
): string[] {
  return emulator.store
    .all(type)
    .filter((r) => test(r.attributes))
    .map((r) => r.id);
}
