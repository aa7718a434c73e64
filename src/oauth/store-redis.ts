/**
 * The OAuth state in Redis, shared by replicas. One JSON value per record, under
 * `<prefix><kind>:<id>`, living as long as the record (PX from its expires_at). Grants never
 * expire; clients expire after 90 days unused (a client that is used is kept). Takes are single
 * commands or one script, so replicas racing for one code or refresh token find it once.
 * Redis errors are not caught here: callers answer 503.
 */
import type { Redis } from "ioredis";
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

export interface RedisOAuthStoreOptions {
  /** Default "klaviyo-mcp:oauth:". */
  prefix?: string;
  /** Epoch milliseconds; injectable for tests. Default Date.now. */
  now?: () => number;
  /** An unused client is forgotten after this long; each use starts it again. Default 90 days. */
  clientTtlMs?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** What a rotated refresh token's key holds instead of the token, until the token's own expiry. */
const USED_MARKER = "used:";

/**
 * Rotation in one step. KEYS[1]: the token's key. Returns {"fresh", json} (the record, now
 * replaced by the marker with the same TTL), {"reused", grant_id} or {"unknown"}. An access
 * token presented here is left as it is.
 */
const USE_REFRESH_TOKEN = `
local value = redis.call('GET', KEYS[1])
if not value then return {'unknown'} end
if string.sub(value, 1, ${USED_MARKER.length}) == '${USED_MARKER}' then
  return {'reused', string.sub(value, ${USED_MARKER.length + 1})}
end
local ok, record = pcall(cjson.decode, value)
if not ok or type(record) ~= 'table' or record.kind ~= 'refresh' or type(record.grant_id) ~= 'string' then
  return {'unknown'}
end
redis.call('SET', KEYS[1], '${USED_MARKER}' .. record.grant_id, 'KEEPTTL')
return {'fresh', value}`;

/** Takes a code and, in the same step, remembers the grant it was redeemed for. */
const TAKE_CODE = `
local value = redis.call('GETDEL', KEYS[1])
if not value then return {false} end
local ok, record = pcall(cjson.decode, value)
if ok and type(record) == 'table' and type(record.grant_id) == 'string' then
  redis.call('SET', KEYS[2], record.grant_id, 'PX', ARGV[1])
end
return {value}`;

export class RedisOAuthStore implements OAuthStore {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #now: () => number;
  readonly #clientTtlMs: number;

  /** The store owns the connection: close() ends it. */
  constructor(redis: Redis, options: RedisOAuthStoreOptions = {}) {
    this.#redis = redis;
    this.#prefix = options.prefix ?? "klaviyo-mcp:oauth:";
    this.#now = options.now ?? Date.now;
    this.#clientTtlMs = options.clientTtlMs ?? 90 * DAY_MS;
  }

  async putClient(client: RegisteredClient): Promise<void> {
    await this.#redis.set(
      this.#key("client", client.client_id),
      JSON.stringify(client),
      "PX",
      this.#clientTtlMs,
    );
  }

  async getClient(clientId: string): Promise<RegisteredClient | undefined> {
    // A client in use is kept: each read starts its 90 days again.
    const value = await this.#redis.getex(this.#key("client", clientId), "PX", this.#clientTtlMs);
    return value === null ? undefined : (JSON.parse(value) as RegisteredClient);
  }

  async putPending(pending: PendingAuthorization): Promise<void> {
    await this.#putExpiring(this.#key("pending", pending.id), pending);
  }

  async getPending(id: string): Promise<PendingAuthorization | undefined> {
    return this.#live<PendingAuthorization>(await this.#redis.get(this.#key("pending", id)));
  }

  async takePending(id: string): Promise<PendingAuthorization | undefined> {
    return this.#live<PendingAuthorization>(await this.#redis.getdel(this.#key("pending", id)));
  }

  async putGrant(grant: KlaviyoGrant): Promise<void> {
    await this.#redis.set(this.#key("grant", grant.id), JSON.stringify(grant));
  }

  async getGrant(id: string): Promise<KlaviyoGrant | undefined> {
    const value = await this.#redis.get(this.#key("grant", id));
    return value === null ? undefined : (JSON.parse(value) as KlaviyoGrant);
  }

  async deleteGrant(id: string): Promise<void> {
    await this.#redis.del(this.#key("grant", id));
  }

  async putCode(code: AuthorizationCode): Promise<void> {
    await this.#putExpiring(this.#key("code", code.code_hash), code);
  }

  async takeCode(codeHash: string): Promise<AuthorizationCode | undefined> {
    const [value] = (await this.#redis.eval(
      TAKE_CODE,
      2,
      this.#key("code", codeHash),
      this.#key("used-code", codeHash),
      USED_CODE_MEMORY_MS,
    )) as [string | null];
    return this.#live<AuthorizationCode>(value ?? null);
  }

  async usedCodeGrant(codeHash: string): Promise<string | undefined> {
    return (await this.#redis.get(this.#key("used-code", codeHash))) ?? undefined;
  }

  async putToken(token: IssuedToken): Promise<void> {
    await this.#putExpiring(this.#key("token", token.token_hash), token);
  }

  async getToken(tokenHash: string): Promise<IssuedToken | undefined> {
    const value = await this.#redis.get(this.#key("token", tokenHash));
    if (value?.startsWith(USED_MARKER)) return undefined;
    return this.#live<IssuedToken>(value);
  }

  /** Removes the token, or the marker a rotated refresh token left. */
  async deleteToken(tokenHash: string): Promise<void> {
    await this.#redis.del(this.#key("token", tokenHash));
  }

  async useRefreshToken(tokenHash: string): Promise<RefreshUse> {
    const [kind, detail] = (await this.#redis.eval(
      USE_REFRESH_TOKEN,
      1,
      this.#key("token", tokenHash),
    )) as [string, string?];
    if (kind === "reused" && detail !== undefined) return { kind, grant_id: detail };
    if (kind !== "fresh" || detail === undefined) return { kind: "unknown" };
    const token = this.#live<IssuedToken>(detail);
    return token ? { kind: "fresh", token } : { kind: "unknown" };
  }

  async close(): Promise<void> {
    if (this.#redis.status === "end") return;
    try {
      await this.#redis.quit();
    } catch {
      // Already closing or unreachable: drop the connection without waiting.
      this.#redis.disconnect();
    }
  }

  #key(kind: "client" | "pending" | "grant" | "code" | "used-code" | "token", id: string): string {
    return `${this.#prefix}${kind}:${id}`;
  }

  /** Stored for as long as it lives; one already past is not stored (and any older copy goes). */
  async #putExpiring(key: string, record: { expires_at: number }): Promise<void> {
    const ttlMs = Math.ceil(record.expires_at - this.#now());
    if (!(ttlMs > 0)) {
      await this.#redis.del(key);
      return;
    }
    await this.#redis.set(key, JSON.stringify(record), "PX", ttlMs);
  }

  /** Parses a record with expires_at; past its time it is absent (replica clocks differ a little). */
  #live<T extends { expires_at: number }>(value: string | null): T | undefined {
    if (value === null) return undefined;
    const record = JSON.parse(value) as T;
    return record.expires_at > this.#now() ? record : undefined;
  }
}
