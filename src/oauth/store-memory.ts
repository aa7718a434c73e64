/**
 * The OAuth state of one process, in Maps. Expired records count as absent and are removed
 * when met; every map is bounded (the oldest record goes first), because /register and
 * /authorize are open to anyone and must not grow memory without end. A restart forgets
 * everything: clients register again, users sign in again.
 */
import {
  type AuthorizationCode,
  type IssuedToken,
  type KlaviyoGrant,
  type OAuthStore,
  type PendingAuthorization,
  type RefreshUse,
  type RegisteredClient,
  USED_CODE_MEMORY_MS,
} from "./types.js";

export interface MemoryOAuthStoreOptions {
  /** Epoch milliseconds; injectable for tests. Default Date.now. */
  now?: () => number;
  /** Default 10000. */
  maxClients?: number;
  /** Authorizations under way. Default 10000. */
  maxPending?: number;
  /** Default 10000. */
  maxGrants?: number;
  /** Default 10000. */
  maxCodes?: number;
  /** Access and refresh tokens together; as many refresh-use markers again. Default 100000. */
  maxTokens?: number;
}

/** A rotated refresh token: kept until the token would have expired, to tell a replay. */
interface UsedRefreshMarker {
  grant_id: string;
  expires_at: number;
}

/** A Map in insertion order (a re-put moves a key to the end), dropping the oldest past `max`. */
class BoundedMap<V> {
  readonly #entries = new Map<string, V>();

  constructor(
    readonly max: number,
    /** When a value is past its time; such values are swept before anything live is dropped. */
    readonly isExpired: (value: V) => boolean = () => false,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new Error(`store bound must be >= 1, got ${max}`);
  }

  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    if (this.isExpired(value)) {
      this.#entries.delete(key);
      return undefined;
    }
    return value;
  }

  set(key: string, value: V): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.max) this.#makeRoom();
    this.#entries.set(key, value);
  }

  take(key: string): V | undefined {
    const value = this.get(key);
    if (value !== undefined) this.#entries.delete(key);
    return value;
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  /**
   * Sweeps every expired record, because lifetimes differ (a 1 h access token beside a 30-day
   * refresh token): an old live record outlives newer expired ones. If that frees too little,
   * the oldest go, down to nine tenths of the bound, so the next sweep (which reads every record)
   * is at least a tenth of the bound away.
   */
  #makeRoom(): void {
    for (const [key, value] of this.#entries) {
      if (this.isExpired(value)) this.#entries.delete(key);
    }
    const target = this.max - Math.max(1, Math.floor(this.max / 10));
    for (const key of this.#entries.keys()) {
      if (this.#entries.size <= target) break;
      this.#entries.delete(key);
    }
  }
}

/** Copies on the way in and out, so a caller's later edits never change what is stored. */
const copy = <T>(value: T): T => structuredClone(value);

export class MemoryOAuthStore implements OAuthStore {
  readonly #now: () => number;
  readonly #clients: BoundedMap<RegisteredClient>;
  readonly #pending: BoundedMap<PendingAuthorization>;
  readonly #grants: BoundedMap<KlaviyoGrant>;
  readonly #codes: BoundedMap<AuthorizationCode>;
  readonly #tokens: BoundedMap<IssuedToken>;
  readonly #usedRefresh: BoundedMap<UsedRefreshMarker>;
  readonly #usedCodes: BoundedMap<UsedRefreshMarker>;

  constructor(options: MemoryOAuthStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    const expired = (record: { expires_at: number }) => record.expires_at <= this.#now();
    this.#clients = new BoundedMap(options.maxClients ?? 10_000);
    this.#pending = new BoundedMap<PendingAuthorization>(options.maxPending ?? 10_000, expired);
    this.#grants = new BoundedMap(options.maxGrants ?? 10_000);
    this.#codes = new BoundedMap<AuthorizationCode>(options.maxCodes ?? 10_000, expired);
    this.#tokens = new BoundedMap<IssuedToken>(options.maxTokens ?? 100_000, expired);
    this.#usedRefresh = new BoundedMap<UsedRefreshMarker>(options.maxTokens ?? 100_000, expired);
    this.#usedCodes = new BoundedMap<UsedRefreshMarker>(options.maxCodes ?? 10_000, expired);
  }

  async putClient(client: RegisteredClient): Promise<void> {
    this.#clients.set(client.client_id, copy(client));
  }

  async getClient(clientId: string): Promise<RegisteredClient | undefined> {
    return copy(this.#clients.get(clientId));
  }

  async putPending(pending: PendingAuthorization): Promise<void> {
    this.#pending.set(pending.id, copy(pending));
  }

  async getPending(id: string): Promise<PendingAuthorization | undefined> {
    return copy(this.#pending.get(id));
  }

  async takePending(id: string): Promise<PendingAuthorization | undefined> {
    return this.#pending.take(id);
  }

  async putGrant(grant: KlaviyoGrant): Promise<void> {
    this.#grants.set(grant.id, copy(grant));
  }

  async getGrant(id: string): Promise<KlaviyoGrant | undefined> {
    return copy(this.#grants.get(id));
  }

  async deleteGrant(id: string): Promise<void> {
    this.#grants.delete(id);
  }

  async putCode(code: AuthorizationCode): Promise<void> {
    this.#codes.set(code.code_hash, copy(code));
  }

  async takeCode(codeHash: string): Promise<AuthorizationCode | undefined> {
    const code = this.#codes.take(codeHash);
    if (code) {
      const expires_at = this.#now() + USED_CODE_MEMORY_MS;
      this.#usedCodes.set(codeHash, { grant_id: code.grant_id, expires_at });
    }
    return code;
  }

  async usedCodeGrant(codeHash: string): Promise<string | undefined> {
    return this.#usedCodes.get(codeHash)?.grant_id;
  }

  async putToken(token: IssuedToken): Promise<void> {
    this.#usedRefresh.delete(token.token_hash);
    this.#tokens.set(token.token_hash, copy(token));
  }

  async getToken(tokenHash: string): Promise<IssuedToken | undefined> {
    return copy(this.#tokens.get(tokenHash));
  }

  /** Removes the token, or the marker a rotated refresh token left (as Redis does: one key). */
  async deleteToken(tokenHash: string): Promise<void> {
    this.#tokens.delete(tokenHash);
    this.#usedRefresh.delete(tokenHash);
  }

  async useRefreshToken(tokenHash: string): Promise<RefreshUse> {
    const token = this.#tokens.get(tokenHash);
    if (token?.kind === "refresh") {
      this.#tokens.delete(tokenHash);
      this.#usedRefresh.set(tokenHash, { grant_id: token.grant_id, expires_at: token.expires_at });
      return { kind: "fresh", token };
    }
    // An access token presented as a refresh token is unknown as one, and stays usable.
    if (token) return { kind: "unknown" };
    const marker = this.#usedRefresh.get(tokenHash);
    return marker ? { kind: "reused", grant_id: marker.grant_id } : { kind: "unknown" };
  }

  async close(): Promise<void> {}
}
