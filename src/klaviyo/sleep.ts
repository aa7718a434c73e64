import { KlaviyoAbortError } from "./errors.js";

/** Resolves after `ms`, or rejects with KlaviyoAbortError as soon as `signal` aborts. */
export function sleep(
  ms: number,
  signal: AbortSignal | undefined,
  operationId: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new KlaviyoAbortError(operationId));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new KlaviyoAbortError(operationId));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
