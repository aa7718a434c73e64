/**
 * Bearer tokens that are easy to guess are refused at start-up, with a message that says what
 * to do and never echoes the token; random ones, as openssl makes them, are accepted.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { estimateTokenBits, MIN_TOKEN_BITS } from "../../src/transports/token-strength.js";

const WEAK = [
  "aaaaaaaaaaaaaaaa",
  "abcdabcdabcdabcd",
  "password12345678",
  "0123456789abcdef0123",
  "letmeinletmeinletmein",
  "Summer2024Summer",
];

function start(tokens: string): () => unknown {
  return () => loadConfig(["--http", "--host", "0.0.0.0"], { KLAVIYO_MCP_TOKENS: tokens });
}

describe("bearer token strength", () => {
  it.each(WEAK)("refuses %s, without echoing it", (token) => {
    expect(start(token)).toThrow(
      /KLAVIYO_MCP_TOKENS \(--tokens\): the token is too easy to guess \(about \d+ bits.*openssl rand -base64 32/,
    );
    try {
      start(token)();
    } catch (error) {
      expect(String(error)).not.toContain(token);
    }
  });

  it("names which of several tokens is weak", () => {
    const strong = randomBytes(32).toString("base64");
    expect(start(`${strong},abcdabcdabcdabcd`)).toThrow(/token 2 of 2 is too easy to guess/);
  });

  it("accepts what openssl rand -base64 32 and -hex 16 print", () => {
    for (let i = 0; i < 200; i++) {
      const base64 = randomBytes(32).toString("base64");
      const hex = randomBytes(16).toString("hex");
      expect(estimateTokenBits(base64)).toBeGreaterThan(MIN_TOKEN_BITS);
      expect(estimateTokenBits(hex)).toBeGreaterThan(MIN_TOKEN_BITS);
    }
    expect(start(randomBytes(32).toString("base64"))).not.toThrow();
    expect(start(randomBytes(16).toString("hex"))).not.toThrow();
  });

  it("accepts random tokens of the shortest length allowed (16 base64url characters)", () => {
    for (let i = 0; i < 2_000; i++) {
      expect(estimateTokenBits(randomBytes(12).toString("base64url"))).toBeGreaterThanOrEqual(
        MIN_TOKEN_BITS,
      );
    }
  });
});
