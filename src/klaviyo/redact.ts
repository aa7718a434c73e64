/**
 * Last line of defence against leaking the API key. The client never puts request headers into
 * errors or logs in the first place; this scrubs text that comes from elsewhere (response bodies,
 * socket error messages) in case a server or proxy echoes the key back.
 */

const REDACTED = "[REDACTED]";

/** Secrets shorter than this are not scrubbed: replacing tiny strings would mangle text. */
const MIN_SECRET_LENGTH = 6;

export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** Scrubs every string inside plain JSON data (objects, arrays, primitives). */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
  if (typeof value === "string") return redactText(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets)) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[redactText(k, secrets)] = redactDeep(v, secrets);
    }
    return out as T;
  }
  return value;
}
