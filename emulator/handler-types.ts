/** What an emulator handler gets and returns: the shared vocabulary of emulator/handlers/. */

import type { JobQueue } from "./jobs.js";
import type { EmulatedOperation } from "./operation-types.js";
import type { RevisionShapes } from "./render.js";
import type { Store } from "./store.js";

export interface EmulatorState {
  store: Store;
  jobs: JobQueue;
  /** The account's public key (`company_id` of the client endpoints). */
  publicKey: string;
  /** Origin the emulator is reached at, used in `links`. */
  baseUrl: string;
}

/** One request as a handler sees it: routed to its operation, authenticated, its body parsed. */
export interface EmulatorRequest {
  op: EmulatedOperation;
  /** Path parameters by name (`id`, `job_id`). */
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body, if the request had one. */
  body: unknown;
  rawBody: Buffer;
  contentType: string;
  /** Set for an operation of the beta table: how its revision shows resources. */
  shapes?: RevisionShapes;
}

export interface HandlerResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (
  request: EmulatorRequest,
  state: EmulatorState,
) => HandlerResult | Promise<HandlerResult>;
