/** Shared by the bulk-job tests: an emulator on an injected clock, and request helpers. */
import { afterAll, beforeAll, expect } from "vitest";
import { type Emulator, startEmulator } from "../../emulator.js";

export const START = Date.UTC(2026, 6, 20, 9);
export const DURATION = 1000;

interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON:API documents
  body: any;
}

export let emulator: Emulator;
let t = START;

/** Moves the injected clock on; jobs progress on the next request. */
export const advance = (ms: number) => {
  t += ms;
};

export async function call(method: string, path: string, body?: unknown): Promise<Reply> {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: {
      Authorization: `Klaviyo-API-Key ${emulator.apiKey}`,
      revision: "2026-07-15",
      Accept: "application/vnd.api+json",
      ...(body === undefined ? {} : { "Content-Type": "application/vnd.api+json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

export const get = (path: string) => call("GET", path);
export const post = (path: string, body: unknown) => call("POST", path, body);

/** Runs a job to completion through its queued and processing states, checking each. */
export async function lifecycle(path: string, id: string) {
  expect((await get(`${path}/${id}`)).body.data.attributes.status).toBe("queued");
  advance(DURATION / 2);
  expect((await get(`${path}/${id}`)).body.data.attributes.status).toBe("processing");
  advance(DURATION / 2);
  const done = await get(`${path}/${id}`);
  expect(done.body.data.attributes.status).toBe("complete");
  return done.body.data;
}

/**
 * The same for job types whose GET is not an emulated operation (suppression jobs): any request
 * moves the queue, then the store shows the job.
 */
export async function storedLifecycle(type: string, id: string) {
  const status = async () => {
    await get("/api/accounts");
    return emulator.store.get(type, id)?.attributes;
  };
  expect((await status())?.status).toBe("queued");
  advance(DURATION / 2);
  expect((await status())?.status).toBe("processing");
  advance(DURATION / 2);
  const done = await status();
  expect(done?.status).toBe("complete");
  return done as Record<string, unknown>;
}

export const item = (externalId: string, extra: Record<string, unknown> = {}) => ({
  type: "catalog-item",
  attributes: {
    external_id: externalId,
    title: `Item ${externalId}`,
    description: "A thing",
    url: `https://shop.example.com/${externalId}`,
    price: 12.5,
    ...extra,
  },
});

export const variant = (externalId: string, itemId: string) => ({
  type: "catalog-variant",
  attributes: {
    external_id: externalId,
    title: `Variant ${externalId}`,
    description: "A size",
    sku: `SKU-${externalId}`,
    inventory_quantity: 5,
    price: 13,
    url: `https://shop.example.com/v/${externalId}`,
  },
  relationships: { item: { data: { type: "catalog-item", id: itemId } } },
});

export const job = (
  type: string,
  attributes: Record<string, unknown>,
  relationships?: unknown,
) => ({
  data: { type, attributes, ...(relationships ? { relationships } : {}) },
});

export const itemId = (externalId: string) => `$custom:::$default:::${externalId}`;

/** Starts a fresh emulator for the calling test file. */
export function useJobEmulator(): void {
  beforeAll(async () => {
    t = START;
    emulator = await startEmulator({
      demoData: false,
      rateLimits: false,
      jobDurationMs: DURATION,
      now: () => t,
    });
  });
  afterAll(() => emulator.close());
}
