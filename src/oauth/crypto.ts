/**
 * The OAuth server's cryptography: random tokens, hashes (tokens and codes are stored by their
 * SHA-256), PKCE S256 (RFC 7636) and the AES-256-GCM sealer for Klaviyo tokens at rest.
 * Nothing here puts a secret into an error message.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";
import type { Sealer } from "./types.js";

/** A random secret, base64url without padding (32 bytes: 43 characters). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * Compares two secrets in constant time. Both sides are hashed first, so neither their
 * contents nor their lengths show in the timing.
 */
export function safeEqual(a: string, b: string): boolean {
  const left = createHash("sha256").update(a, "utf8").digest();
  const right = createHash("sha256").update(b, "utf8").digest();
  return timingSafeEqual(left, right);
}

/** RFC 7636 section 4.1: 43 to 128 unreserved characters. */
const PKCE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export function isPkceVerifier(verifier: string): boolean {
  return PKCE_VERIFIER.test(verifier);
}

/** BASE64URL(SHA256(ASCII(verifier))); throws on a verifier RFC 7636 does not allow. */
export function pkceS256Challenge(verifier: string): string {
  if (!isPkceVerifier(verifier)) {
    throw new Error("PKCE code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~]");
  }
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}

/** Whether the verifier is well formed and hashes to the challenge (constant-time compare). */
export function pkceMatches(verifier: string, challenge: string): boolean {
  if (!isPkceVerifier(verifier)) return false;
  return safeEqual(pkceS256Challenge(verifier), challenge);
}

const SEALED_VERSION = "v1";
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** One message for every failure, so a caller learns nothing about which part was wrong. */
const CANNOT_OPEN =
  "sealed value cannot be opened: it was altered, or sealed with another KLAVIYO_OAUTH_ENCRYPTION_KEY";

function decodePart(part: string | undefined): Buffer {
  if (part === undefined || !BASE64URL.test(part)) throw new Error(CANNOT_OPEN);
  return Buffer.from(part, "base64url");
}

/** AES-256-GCM with a fresh 12-byte IV per seal: `v1.<iv>.<tag>.<ciphertext>`, base64url. */
export function createSealer(key: Buffer): Sealer {
  if (key.length !== KEY_BYTES) {
    throw new Error(`sealing key must be ${KEY_BYTES} bytes, got ${key.length}`);
  }
  // Our own copy: the caller's buffer may be reused or zeroed.
  const secretKey = Buffer.from(key);
  return {
    seal(plain: string): string {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", secretKey, iv);
      const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [SEALED_VERSION, iv, tag, ciphertext]
        .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
        .join(".");
    },
    open(sealed: string): string {
      const parts = sealed.split(".");
      if (parts.length !== 4 || parts[0] !== SEALED_VERSION) throw new Error(CANNOT_OPEN);
      const iv = decodePart(parts[1]);
      const tag = decodePart(parts[2]);
      const ciphertext = decodePart(parts[3]);
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error(CANNOT_OPEN);
      try {
        const decipher = createDecipheriv("aes-256-gcm", secretKey, iv, {
          authTagLength: TAG_BYTES,
        });
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
      } catch {
        // Node's own message is generic too, but ours says what to check.
        throw new Error(CANNOT_OPEN);
      }
    },
  };
}

/** Either base64 alphabet, with or without padding. */
const BASE64_ANY = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * The sealing key from KLAVIYO_OAUTH_ENCRYPTION_KEY: exactly 32 bytes, base64 or base64url.
 * The error never repeats the value (it is a secret).
 */
export function parseSealingKey(text: string): Buffer {
  const trimmed = text.trim();
  const howToMake = "Make one with: openssl rand -base64 32";
  if (!BASE64_ANY.test(trimmed)) {
    throw new Error(
      `KLAVIYO_OAUTH_ENCRYPTION_KEY must be ${KEY_BYTES} bytes encoded as base64 or base64url, ` +
        `but it is not base64. ${howToMake}`,
    );
  }
  const key = Buffer.from(trimmed, "base64");
  if (key.length !== KEY_BYTES) {
    throw new Error(
      `KLAVIYO_OAUTH_ENCRYPTION_KEY must decode to exactly ${KEY_BYTES} bytes, ` +
        `but it decodes to ${key.length}. ${howToMake}`,
    );
  }
  return key;
}

/** A sealer with a random key, for memory mode: sealed values die with the process. */
export function ephemeralSealer(): Sealer {
  return createSealer(randomBytes(KEY_BYTES));
}
