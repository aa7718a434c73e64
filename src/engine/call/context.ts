/**
 * What a tool call runs with (the client, logger, account keys, the caller's signal, result
 * options), and the shape of a hand-written handler. Types only: special handlers and the
 * generic path share them without importing each other.
 */
import type { KlaviyoRequest, KlaviyoResponse } from "../../klaviyo/client.js";
import type { Logger } from "../../logger.js";
import type { ToolDefinition } from "../definition.js";
import type { ToolResult } from "./result.js";
import type { ResultOptions } from "./result-options.js";

/** The part of KlaviyoClient the engine needs; tests may pass a fake. */
export interface KlaviyoSender {
  request(
    request: KlaviyoRequest,
    options?: {
      signal?: AbortSignal;
      onWait?: (waitedMs: number) => void;
      /** An OAuth grant's Authorization value, used instead of the API key (client.ts). */
      authorization?: () => Promise<string>;
    },
  ): Promise<KlaviyoResponse>;
}

export interface ExecutionContext {
  client: KlaviyoSender;
  logger: Logger;
  publicKey?: string;
  /** Whether tools may read local files (stdio: yes; remote transports: no). */
  allowFilePaths: boolean;
  /** Real directories file_path may read from (KLAVIYO_UPLOAD_DIRS); none: base64 only. */
  uploadDirs?: readonly string[];
  signal?: AbortSignal;
  /** Called about every second while the call waits for a rate-limit slot (MCP progress). */
  onWait?: (waitedMs: number) => void;
  /** The read tool that shows whether a write of unknown outcome took effect. */
  checkWith?: string;
  /** For a write that starts a job: the read tool that polls one job (get_create_items_job). */
  checkJobWith?: string;
  /** How results are shaped (budget, structured content, untrusted text). Defaults apply. */
  results?: ResultOptions;
}

/** A hand-written tool: validated arguments in, a tool result out. */
export type SpecialHandler = (
  tool: ToolDefinition,
  args: Record<string, unknown>,
  ctx: ExecutionContext,
) => Promise<ToolResult>;
