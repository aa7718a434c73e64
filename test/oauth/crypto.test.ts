/**
 * The OAuth server's cryptography: PKCE against RFC 7636's own example, the sealer refusing
 * anything altered or sealed with another key, and key parsing that says how to make a key
 * without ever repeating the value it was given.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  createSealer,
  ephemeralSealer,
  isPkceVerifier,
  parseSealingKey,
  pkceMatches,
  pkceS256Challenge,
  randomToken,
  safeEqual,
  sha256Hex,
} from "../../src/oauth/crypto.js";

// RFC 7636, appendix B.
const RFC_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const RFC_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

describe("random tokens and hashes", () => {
  it("randomToken is base64url of the asked bytes, and never repeats", () => {
    const tokens = Array.from({ length: 100 }, () => randomToken());
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(tokens).size).toBe(100);
    expect(Buffer.from(randomToken(16), "base64url")).toHaveLength(16);
  });

  it("sha256Hex hashes UTF-8 text", () => {
    expect(sha256Hex("abc")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    expect(sha256Hex("é")).toBe(sha256Hex("\u00e9"));
  });

  it("safeEqual tells equal from different, whatever the lengths", () => {
    expect(safeEqual("secret", "secret")).toBe(true);
    expect(safeEqual("secret", "secreT")).toBe(false);
    expect(safeEqual("secret", "secret-longer")).toBe(false);
    expect(safeEqual("", "")).toBe(true);
    expect(safeEqual("", "x")).toBe(false);
  });
});

describe("PKCE S256 (RFC 7636)", () => {
  it("matches the RFC's appendix B example", () => {
    expect(pkceS256Challenge(RFC_VERIFIER)).toBe(RFC_CHALLENGE);
    expect(pkceMatches(RFC_VERIFIER, RFC_CHALLENGE)).toBe(true);
  });

  it("refuses another verifier, an altered challenge, a plain challenge", () => {
    expect(pkceMatches(`${RFC_VERIFIER.slice(0, -1)}l`, RFC_CHALLENGE)).toBe(false);
    expect(pkceMatches(RFC_VERIFIER, `${RFC_CHALLENGE.slice(0, -1)}N`)).toBe(false);
    // The "plain" method (challenge = verifier) is not S256.
    expect(pkceMatches(RFC_VERIFIER, RFC_VERIFIER)).toBe(false);
  });

  it("accepts verifiers of 43 to 128 unreserved characters only", () => {
    expect(isPkceVerifier("a".repeat(43))).toBe(true);
    expect(isPkceVerifier(`${"a".repeat(124)}-._~`)).toBe(true);
    expect(isPkceVerifier("a".repeat(42))).toBe(false);
    expect(isPkceVerifier("a".repeat(129))).toBe(false);
    expect(isPkceVerifier(`${"a".repeat(42)}+`)).toBe(false);
    expect(isPkceVerifier(`${"a".repeat(42)}=`)).toBe(false);
    expect(isPkceVerifier(`${"a".repeat(42)}é`)).toBe(false);

    const short = "a".repeat(42);
    const challenge = Buffer.from(sha256Hex(short), "hex").toString("base64url");
    // Even when it hashes to the challenge, a malformed verifier does not match.
    expect(pkceMatches(short, challenge)).toBe(false);
    expect(() => pkceS256Challenge(short)).toThrow(/43 to 128/);
  });

  it("a verifier made by randomToken is valid", () => {
    const verifier = randomToken();
    expect(pkceMatches(verifier, pkceS256Challenge(verifier))).toBe(true);
  });
});

describe("the AES-256-GCM sealer", () => {
  const key = randomBytes(32);
  const plain = "klaviyo-access-token-ünïcode";

  it("opens what it sealed; the same text seals differently each time", () => {
    const sealer = createSealer(key);
    const first = sealer.seal(plain);
    const second = sealer.seal(plain);
    expect(first).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain(plain);
    expect(sealer.open(first)).toBe(plain);
    expect(createSealer(Buffer.from(key)).open(second)).toBe(plain);
    expect(sealer.open(sealer.seal(""))).toBe("");
  });

  it("refuses any altered part, without naming the secret", () => {
    const sealer = createSealer(key);
    const sealed = sealer.seal(plain);
    const parts = sealed.split(".");
    for (let index = 1; index < parts.length; index++) {
      const altered = [...parts];
      const part = altered[index] as string;
      // Flip the first character: it carries 6 whole bits, so the bytes change.
      altered[index] = (part[0] === "A" ? "B" : "A") + part.slice(1);
      expect(() => sealer.open(altered.join("."))).toThrow(/altered, or sealed with another/);
    }
    const malformed = [
      `v2${sealed.slice(2)}`,
      parts.slice(0, 3).join("."),
      `${sealed}.extra`,
      `${parts[0]}.${parts[1]}.${parts[2]}.${parts[3]}+/`,
      `${parts[0]}.${parts[1]?.slice(0, 8)}.${parts[2]}.${parts[3]}`,
      `${parts[0]}.${parts[1]}.${parts[2]?.slice(0, 8)}.${parts[3]}`,
      "",
    ];
    for (const text of malformed) {
      let message = "";
      try {
        sealer.open(text);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/altered, or sealed with another KLAVIYO_OAUTH_ENCRYPTION_KEY/);
      expect(message).not.toContain(plain);
    }
  });

  it("refuses a value sealed with another key", () => {
    const sealed = createSealer(key).seal(plain);
    expect(() => createSealer(randomBytes(32)).open(sealed)).toThrow(/sealed with another/);
    expect(() => ephemeralSealer().open(sealed)).toThrow(/sealed with another/);
  });

  it("each ephemeral sealer has its own key", () => {
    const sealer = ephemeralSealer();
    expect(sealer.open(sealer.seal(plain))).toBe(plain);
    expect(() => ephemeralSealer().open(sealer.seal(plain))).toThrow();
  });

  it("takes only a 32-byte key", () => {
    expect(() => createSealer(randomBytes(16))).toThrow(/32 bytes, got 16/);
  });
});

describe("parseSealingKey", () => {
  const key = randomBytes(32);

  it("reads base64 (as openssl prints it) and base64url, padded or not", () => {
    expect(parseSealingKey(key.toString("base64")).equals(key)).toBe(true);
    expect(parseSealingKey(`${key.toString("base64")}\n`).equals(key)).toBe(true);
    expect(parseSealingKey(key.toString("base64url")).equals(key)).toBe(true);
    expect(parseSealingKey(key.toString("base64").replace(/=+$/, "")).equals(key)).toBe(true);
    // Bytes that encode to '+' and '/' in base64 and to '-' and '_' in base64url.
    const awkward = Buffer.alloc(32, 0xfb);
    expect(parseSealingKey(awkward.toString("base64")).equals(awkward)).toBe(true);
    expect(parseSealingKey(awkward.toString("base64url")).equals(awkward)).toBe(true);
  });

  it("refuses other lengths and non-base64, saying how to make a key and never echoing it", () => {
    const wrong = [
      randomBytes(16).toString("base64"),
      randomBytes(33).toString("base64"),
      randomBytes(64).toString("hex"),
      "not a key!",
      "",
      "   ",
    ];
    for (const text of wrong) {
      let message = "";
      try {
        parseSealingKey(text);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toContain("KLAVIYO_OAUTH_ENCRYPTION_KEY");
      expect(message).toContain("openssl rand -base64 32");
      if (text.trim()) expect(message).not.toContain(text.trim());
    }
  });

  it("says what the key decoded to", () => {
    expect(() => parseSealingKey(randomBytes(16).toString("base64"))).toThrow(/decodes to 16/);
    expect(() => parseSealingKey("abc$def")).toThrow(/not base64/);
  });
});
