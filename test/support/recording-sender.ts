/**
 * A stand-in for the Klaviyo client at the engine's boundary (KlaviyoSender): it records every
 * request the engine builds and answers from the test's function, with no HTTP at all. For
 * tests of what the engine sends; tests of the HTTP client use fake-klaviyo.ts.
 */
import pino from "pino";
import { executeTool, type KlaviyoSender } from "../../src/engine/call/execute.js";
import type { KlaviyoRequest, KlaviyoResponse } from "../../src/klaviyo/client.js";
import { allTools } from "../../tools/index.js";

export function recordingSender(answer: (request: KlaviyoRequest) => KlaviyoResponse): {
  client: KlaviyoSender;
  sent: KlaviyoRequest[];
} {
  const sent: KlaviyoRequest[] = [];
  const client: KlaviyoSender = {
    request: async (request) => {
      sent.push(request);
      return answer(request);
    },
  };
  return { client, sent };
}

/** Runs the named tool through executeTool, silently logged; its first text content as `text`. */
export async function runTool(
  name: string,
  args: unknown,
  client: KlaviyoSender,
  allowFilePaths = true,
): Promise<{ isError: boolean; text: string }> {
  const tool = allTools.find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`no tool ${name}`);
  const result = await executeTool(tool, args, {
    client,
    logger: pino({ level: "silent" }),
    allowFilePaths,
  });
  return { isError: result.isError === true, text: result.content[0]?.text ?? "" };
}
