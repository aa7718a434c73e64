/**
 * Last line of defence against leaking a key. The client never puts request headers into errors
 * or logs in the first place; this scrubs text that comes from elsewhere (response bodies, socket
 * error messages) in case a server or proxy echoes a key back: the known secrets by value
 * (redactText), and anything shaped like a key or an Authorization value (redactSecrets).
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

const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/Klaviyo-API-Key\s+\S+/gi, `Klaviyo-API-Key ${REDACTED}`],
  [/Bearer\s+\S+/gi, `Bearer ${REDACTED}`],
  [/pk_[A-Za-z0-9]+/g, REDACTED],
];

/** Scrubs anything that looks like a Klaviyo private key or an Authorization header value. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
