/**
 * One suite for both OAuth stores: memory (its clock injected) and Redis (a real redis-server,
 * real TTLs). Records come back as they went in, expire, and a code, a pending authorization or
 * a refresh token is taken once, even by 20 takers racing (for Redis: over several connections,
 * as replicas would). Then what only one store does: memory's bounds, Redis' TTLs and errors.
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryOAuthStore } from "../../src/oauth/store-memory.js";
import { RedisOAuthStore } from "../../src/oauth/store-redis.js";
import type {
  AuthorizationCode,
  IssuedToken,
  KlaviyoGrant,
  OAuthStore,
  PendingAuthorization,
  RegisteredClient,
} from "../../src/oauth/types.js";
import { hasRedis, type RedisServer, startRedis } from "../support/redis.js";

const LIFETIME_MS = 1_000;

interface Harness {
  /** Stores that share state: replicas (Redis: one connection each) or one store. */
  replicas(count: number): Promise<OAuthStore[]>;
  /** Lets LIFETIME_MS and a little more pass. */
  elapse(): Promise<void>;
  now(): number;
}

const client = (id: string = randomUUID()): RegisteredClient => ({
  client_id: id,
  client_name: "Test client",
  redirect_uris: ["https://client.example/callback"],
  token_endpoint_auth_method: "none",
  source: "dcr",
  created_at: 1,
});

const pending = (now: number): PendingAuthorization => ({
  id: randomUUID(),
  client_id: "client-1",
  redirect_uri: "https://client.example/callback",
  state: "client-state",
  code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
  scopes: ["profiles:read"],
  resource: "https://mcp.example/mcp",
  csrf: randomUUID(),
  consented: false,
  upstream_verifier_sealed: "v1.a.b.c",
  expires_at: now + LIFETIME_MS,
});

const grant = (): KlaviyoGrant => ({
  id: randomUUID(),
  account_id: "ACCOUNT",
  scopes: ["profiles:read"],
  access_token_sealed: "v1.a.b.c",
  access_expires_at: 5,
  refresh_token_sealed: "v1.d.e.f",
  created_at: 1,
});

const code = (now: number): AuthorizationCode => ({
  code_hash: randomUUID(),
  client_id: "client-1",
  redirect_uri: "https://client.example/callback",
  code_challenge: "challenge",
  scopes: ["profiles:read"],
  resource: "https://mcp.example/mcp",
  grant_id: "grant-1",
  expires_at: now + LIFETIME_MS,
});

const token = (now: number, kind: IssuedToken["kind"]): IssuedToken => ({
  token_hash: randomUUID(),
  kind,
  client_id: "client-1",
  grant_id: randomUUID(),
  scopes: ["profiles:read"],
  resource: "https://mcp.example/mcp",
  expires_at: now + LIFETIME_MS,
});

/** How many of 20 racing takes, spread over the replicas, got the record. */
async function race<T>(stores: OAuthStore[], take: (store: OAuthStore) => Promise<T>) {
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, index) => take(stores[index % stores.length] as OAuthStore)),
  );
  return results;
}

function storeSuite(name: string, setUp: () => Promise<Harness>) {
  describe(`${name}: the shared contract`, () => {
    let harness: Harness;
    let store: OAuthStore;
    beforeAll(async () => {
      harness = await setUp();
      [store] = (await harness.replicas(1)) as [OAuthStore];
    });

    it("gives back what was put, and nothing for an unknown id", async () => {
      const now = harness.now();
      const records = {
        client: client("https://client.example/metadata.json"),
        pending: pending(now),
        grant: grant(),
        token: token(now, "access"),
      };
      await store.putClient(records.client);
      await store.putPending(records.pending);
      await store.putGrant(records.grant);
      await store.putToken(records.token);
      expect(await store.getClient(records.client.client_id)).toEqual(records.client);
      expect(await store.getPending(records.pending.id)).toEqual(records.pending);
      expect(await store.getGrant(records.grant.id)).toEqual(records.grant);
      expect(await store.getToken(records.token.token_hash)).toEqual(records.token);
      expect(await store.getClient("nobody")).toBeUndefined();
      expect(await store.getPending("nobody")).toBeUndefined();
      expect(await store.getGrant("nobody")).toBeUndefined();
      expect(await store.getToken("nobody")).toBeUndefined();
      expect(await store.takeCode("nobody")).toBeUndefined();

      const updated = { ...records.pending, consented: true };
      await store.putPending(updated);
      expect(await store.getPending(updated.id)).toEqual(updated);
    });

    it("a later edit of a put record does not change what is stored", async () => {
      const record = pending(harness.now());
      await store.putPending(record);
      record.scopes.push("lists:write");
      expect((await store.getPending(record.id))?.scopes).toEqual(["profiles:read"]);
    });

    it("records with an expiry are gone once it passes; clients and grants stay", async () => {
      const now = harness.now();
      const [a, b, c, d] = [pending(now), code(now), token(now, "access"), token(now, "refresh")];
      const [kept, keptGrant] = [client(), grant()];
      await Promise.all([
        store.putPending(a),
        store.putCode(b),
        store.putToken(c),
        store.putToken(d),
        store.putClient(kept),
        store.putGrant(keptGrant),
      ]);
      expect(await store.getToken(c.token_hash)).toEqual(c);
      await harness.elapse();
      expect(await store.getPending(a.id)).toBeUndefined();
      expect(await store.takePending(a.id)).toBeUndefined();
      expect(await store.takeCode(b.code_hash)).toBeUndefined();
      expect(await store.getToken(c.token_hash)).toBeUndefined();
      expect(await store.useRefreshToken(d.token_hash)).toEqual({ kind: "unknown" });
      expect(await store.getClient(kept.client_id)).toEqual(kept);
      expect(await store.getGrant(keptGrant.id)).toEqual(keptGrant);
    });

    it("a record already past its expiry is not stored", async () => {
      const record = { ...code(harness.now()), expires_at: harness.now() - 1 };
      await store.putCode(record);
      expect(await store.takeCode(record.code_hash)).toBeUndefined();
    });

    it("a code is taken once, even by 20 racing takers", async () => {
      const replicas = await harness.replicas(4);
      const record = code(harness.now());
      await store.putCode(record);
      const results = await race(replicas, (s) => s.takeCode(record.code_hash));
      expect(results.filter((result) => result !== undefined)).toEqual([record]);
      expect(await store.takeCode(record.code_hash)).toBeUndefined();
      // The redeemed code is remembered with its grant, so that a replay can end the grant.
      expect(await store.usedCodeGrant(record.code_hash)).toBe(record.grant_id);
      expect(await store.usedCodeGrant("never-issued")).toBeUndefined();
    });

    it("a pending authorization is taken once, even by 20 racing takers", async () => {
      const replicas = await harness.replicas(4);
      const record = pending(harness.now());
      await store.putPending(record);
      const results = await race(replicas, (s) => s.takePending(record.id));
      expect(results.filter((result) => result !== undefined)).toEqual([record]);
      expect(await store.getPending(record.id)).toBeUndefined();
    });

    it("a refresh token is used once; a replay names its grant, even among 20 racing uses", async () => {
      const replicas = await harness.replicas(4);
      const record = token(harness.now(), "refresh");
      await store.putToken(record);
      const results = await race(replicas, (s) => s.useRefreshToken(record.token_hash));
      expect(results.filter((result) => result.kind === "fresh")).toEqual([
        { kind: "fresh", token: record },
      ]);
      expect(results.filter((result) => result.kind === "reused")).toHaveLength(19);
      for (const result of results.filter((r) => r.kind === "reused")) {
        expect(result).toEqual({ kind: "reused", grant_id: record.grant_id });
      }
      // The marker is not a token.
      expect(await store.getToken(record.token_hash)).toBeUndefined();
      expect(await store.useRefreshToken("never-issued")).toEqual({ kind: "unknown" });
    });

    it("the replay marker lasts until the refresh token would have expired", async () => {
      const record = token(harness.now(), "refresh");
      await store.putToken(record);
      expect((await store.useRefreshToken(record.token_hash)).kind).toBe("fresh");
      expect((await store.useRefreshToken(record.token_hash)).kind).toBe("reused");
      await harness.elapse();
      expect(await store.useRefreshToken(record.token_hash)).toEqual({ kind: "unknown" });
    });

    it("an access token is not a refresh token, and stays usable", async () => {
      const record = token(harness.now(), "access");
      await store.putToken(record);
      expect(await store.useRefreshToken(record.token_hash)).toEqual({ kind: "unknown" });
      expect(await store.getToken(record.token_hash)).toEqual(record);
    });

    it("deleteToken removes a token, and a used refresh token's marker", async () => {
      const access = token(harness.now(), "access");
      const refresh = token(harness.now(), "refresh");
      await store.putToken(access);
      await store.putToken(refresh);
      await store.deleteToken(access.token_hash);
      expect(await store.getToken(access.token_hash)).toBeUndefined();
      expect((await store.useRefreshToken(refresh.token_hash)).kind).toBe("fresh");
      await store.deleteToken(refresh.token_hash);
      expect(await store.useRefreshToken(refresh.token_hash)).toEqual({ kind: "unknown" });
    });

    it("deleteGrant removes that grant only", async () => {
      const [gone, kept] = [grant(), grant()];
      await store.putGrant(gone);
      await store.putGrant(kept);
      await store.deleteGrant(gone.id);
      await store.deleteGrant("never-granted");
      expect(await store.getGrant(gone.id)).toBeUndefined();
      expect(await store.getGrant(kept.id)).toEqual(kept);
    });
  });
}

// Memory: one store (one process), its clock moved by hand.
storeSuite("MemoryOAuthStore", async () => {
  let now = 1_700_000_000_000;
  const store = new MemoryOAuthStore({ now: () => now });
  return {
    replicas: async (count) => Array.from({ length: count }, () => store),
    elapse: async () => {
      now += LIFETIME_MS + 1;
    },
    now: () => now,
  };
});

describe("MemoryOAuthStore bounds", () => {
  it("drops the oldest record past its bound", async () => {
    const now = 1_000;
    const store = new MemoryOAuthStore({ now: () => now, maxCodes: 3, maxPending: 2 });
    const codes = [code(now), code(now), code(now), code(now)];
    for (const record of codes) await store.putCode(record);
    expect(await store.takeCode(codes[0]?.code_hash as string)).toBeUndefined();
    for (const record of codes.slice(1)) {
      expect(await store.takeCode(record.code_hash)).toEqual(record);
    }
    // A re-put record counts as new: the other one is the oldest.
    const [first, second, third] = [pending(now), pending(now), pending(now)];
    await store.putPending(first);
    await store.putPending(second);
    await store.putPending(first);
    await store.putPending(third);
    expect(await store.getPending(second.id)).toBeUndefined();
    expect(await store.getPending(first.id)).toEqual(first);
  });

  it("sweeps expired records before dropping a live one, even an older one", async () => {
    let now = 1_000;
    const store = new MemoryOAuthStore({ now: () => now, maxTokens: 3 });
    const long = { ...token(now, "refresh"), expires_at: now + 10_000 };
    const short = [1, 2].map(() => ({ ...token(now, "access"), expires_at: now + 10 }));
    for (const record of [long, ...short]) await store.putToken(record);
    now += 20;
    const next = token(now, "access");
    await store.putToken(next);
    expect(await store.getToken(long.token_hash)).toEqual(long);
    expect(await store.getToken(next.token_hash)).toEqual(next);
  });

  it("when full of live records, frees a tenth of the bound at once", async () => {
    const now = 1_000;
    const store = new MemoryOAuthStore({ now: () => now, maxCodes: 20 });
    const codes = Array.from({ length: 21 }, () => code(now));
    for (const record of codes) await store.putCode(record);
    const taken = await Promise.all(codes.map((record) => store.takeCode(record.code_hash)));
    expect(taken.map((record) => record !== undefined)).toEqual([
      false,
      false,
      ...Array(19).fill(true),
    ]);
  });

  it("bounds clients too (registration is open to anyone)", async () => {
    const store = new MemoryOAuthStore({ maxClients: 1 });
    const [first, second] = [client(), client()];
    await store.putClient(first);
    await store.putClient(second);
    expect(await store.getClient(first.client_id)).toBeUndefined();
    expect(await store.getClient(second.client_id)).toEqual(second);
    expect(() => new MemoryOAuthStore({ maxCodes: 0 })).toThrow(/bound must be >= 1/);
  });
});

describe.skipIf(!hasRedis)("RedisOAuthStore against a real redis-server", () => {
  let redis: RedisServer;
  const connections: Redis[] = [];
  const connect = () => {
    const connection = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    connections.push(connection);
    return connection;
  };

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const connection of connections) connection.disconnect();
    await redis?.stop();
  });

  // Each suite run gets its own prefix; real time, real TTLs.
  storeSuite("RedisOAuthStore", async () => {
    const prefix = `test-${randomUUID()}:`;
    return {
      replicas: async (count) =>
        Array.from({ length: count }, () => new RedisOAuthStore(connect(), { prefix })),
      elapse: () => new Promise((done) => setTimeout(done, LIFETIME_MS + 200)),
      now: () => Date.now(),
    };
  });

  it("keys live as long as their records; grants forever; clients 90 days from last use", async () => {
    const admin = connect();
    const store = new RedisOAuthStore(connect(), { prefix: "ttl:" });
    const now = Date.now();
    const record = { ...code(now), expires_at: now + 60_000 };
    const issued = { ...token(now, "refresh"), expires_at: now + 120_000 };
    const [known, kept] = [client(), grant()];
    await store.putCode(record);
    await store.putToken(issued);
    await store.putClient(known);
    await store.putGrant(kept);
    const pttl = (key: string) => admin.pttl(`ttl:${key}`);
    expect(await pttl(`code:${record.code_hash}`)).toBeGreaterThan(58_000);
    expect(await pttl(`code:${record.code_hash}`)).toBeLessThanOrEqual(60_000);
    expect(await pttl(`grant:${kept.id}`)).toBe(-1);
    const ninetyDays = 90 * 24 * 3600 * 1000;
    expect(await pttl(`client:${known.client_id}`)).toBeGreaterThan(ninetyDays - 5_000);
    // A use starts the 90 days again.
    await admin.pexpire(`ttl:client:${known.client_id}`, 10_000);
    await store.getClient(known.client_id);
    expect(await pttl(`client:${known.client_id}`)).toBeGreaterThan(ninetyDays - 5_000);
    // The replay marker keeps the refresh token's own expiry.
    await store.useRefreshToken(issued.token_hash);
    expect(await admin.get(`ttl:token:${issued.token_hash}`)).toBe(`used:${issued.grant_id}`);
    expect(await pttl(`token:${issued.token_hash}`)).toBeGreaterThan(118_000);
    // JSON values under the prefix, nothing else written.
    expect(JSON.parse((await admin.get(`ttl:grant:${kept.id}`)) as string)).toEqual(kept);
    expect((await admin.keys("ttl:*")).sort()).toEqual(
      [
        `ttl:client:${known.client_id}`,
        `ttl:code:${record.code_hash}`,
        `ttl:grant:${kept.id}`,
        `ttl:token:${issued.token_hash}`,
      ].sort(),
    );
    await store.close();
    await store.close();
  });

  it("Redis errors reach the caller", async () => {
    const down = new Redis(redis.port + 1, {
      host: "127.0.0.1",
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    connections.push(down);
    const store = new RedisOAuthStore(down);
    await expect(store.getToken("x")).rejects.toThrow();
    await expect(store.takeCode("x")).rejects.toThrow();
    await expect(store.useRefreshToken("x")).rejects.toThrow();
    await expect(store.putGrant(grant())).rejects.toThrow();
    await store.close();
  });
});
