/**
 * API keys the emulator accepts. Like Klaviyo's private keys, each has a set of scopes;
 * `x:write` grants `x:read` too (Klaviyo's "Full Access" includes read).
 */
import { randomBytes } from "node:crypto";

export type ScopeGrant = readonly string[] | "all";

export class KeyRing {
  private readonly keys = new Map<string, ScopeGrant>();

  /** Issues a new private key (`pk_…`) with the given scopes. */
  issue(
    scopes: ScopeGrant = "all",
    key = `pk_emulator_${randomBytes(16).toString("hex")}`,
  ): string {
    this.keys.set(key, scopes);
    return key;
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  /** The required scopes the key lacks (empty when it may call the operation). */
  missingScopes(key: string, required: readonly string[]): string[] {
    const grant = this.keys.get(key);
    if (grant === undefined) return [...required];
    if (grant === "all") return [];
    return required.filter((scope) => {
      if (grant.includes(scope)) return false;
      const [resource, access] = scope.split(":");
      return !(access === "read" && grant.includes(`${resource}:write`));
    });
  }
}
