/** What a handler gets and returns: the shared vocabulary of emulator/handlers/. */
import type { EmulatedOperation } from "./catalog-types.js";
import type { JobQueue } from "./jobs.js";
import type { Store } from "./store.js";

export interface EmulatorState {
  store: Store;
  jobs: JobQueue;
  /** The account's public key (`company_id` of the client endpoints). */
  publicKey: string;
  /** Origin the emulator is reached at, used in `links`. */
  baseUrl: string;
}

export interface RequestContext {
  op: EmulatedOperation;
  /** Path parameters by name (`id`, `job_id`). */
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body, if the request had one. */
  body: unknown;
  rawBody: Buffer;
  contentType: string;
}

export interface HandlerResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (
  ctx: RequestContext,
  state: EmulatorState,
) => HandlerResult | Promise<HandlerResult>;
