import { createHash } from "node:crypto";
import type dns from "node:dns";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { isIP } from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  CIMD_CACHE_MS,
  ClientMetadataError,
  createMetadataFetcher,
  isPrivateAddress,
  type MetadataFetcher,
  registerClient,
  resolveClient,
} from "../../src/oauth/client-registration.js";
import { MemoryOAuthStore } from "../../src/oauth/store-memory.js";
import { RedisOAuthStore } from "../../src/oauth/store-redis.js";
import type { OAuthStore } from "../../src/oauth/types.js";
import { hasRedis, type RedisServer, startRedis } from "../support/redis.js";

const NOW = 1_760_000_000_000;
const now = () => NOW;
const CLAUDE = {
  client_name: "Claude",
  redirect_uris: ["https://claude.ai/api/mcp/auth_callback"],
  grant_types: ["authorization_code", "refresh_token"],
  response_types: ["code"],
  token_endpoint_auth_method: "none",
};
/** What of CLAUDE a RegisteredClient keeps. */
const { grant_types: _grants, response_types: _responses, ...CLAUDE_STORED } = CLAUDE;

// --- a metadata host on 127.0.0.1 -------------------------------------------------------------
type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const routes = new Map<string, Handler>();
const hits: string[] = [];
let base = "";
const server = createServer((req, res) => {
  hits.push(req.url ?? "");
  const handler = routes.get(req.url ?? "");
  if (handler) handler(req, res);
  else res.writeHead(404).end();
});
const json =
  (body: unknown, contentType = "application/json"): Handler =>
  (_req, res) =>
    void res.writeHead(200, { "content-type": contentType }).end(JSON.stringify(body));

beforeAll(async () => {
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

/** The guards that a loopback test host can pass (address, scheme) off; the others stay on. */
function hostFetcher(opts: { timeoutMs?: number; maxBytes?: number } = {}) {
  return createMetadataFetcher({ allowHttp: true, allowPrivateAddresses: true, ...opts });
}
const openFetcher = hostFetcher();

/** CIMD client_ids are https URLs; this serves "https://client.test/..." from the test host. */
const viaTestHost = () =>
  vi.fn<MetadataFetcher>((url) => openFetcher(url.replace("https://client.test", base)));

function stubLookup(...addresses: string[]) {
  const calls: string[] = [];
  type Callback = (error: null, addresses: dns.LookupAddress[]) => void;
  const lookup = ((hostname: string, _options: unknown, callback: Callback) => {
    calls.push(hostname);
    const answers = addresses.map((address) => ({ address, family: isIP(address) }));
    callback(null, answers);
  }) as unknown as typeof dns.lookup;
  return { lookup, calls };
}

async function refusal(promise: Promise<unknown>): Promise<ClientMetadataError> {
  const error = await promise.catch((thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(ClientMetadataError);
  return error as ClientMetadataError;
}

// --- stores: in memory, and in Redis when redis-server is there ---------------------------------
let redis: RedisServer | undefined;
const redisStores: RedisOAuthStore[] = [];
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
  for (const store of redisStores) await store.close();
  await redis?.stop();
});

async function redisStore(): Promise<OAuthStore> {
  redis ??= await startRedis();
  const prefix = `t${redisStores.length}:`;
  redisStores.push(new RedisOAuthStore(new Redis(redis.url), { prefix }));
  return redisStores.at(-1) as RedisOAuthStore;
}
const storeKinds: Array<[string, () => Promise<OAuthStore>]> = [
  ["memory", async () => new MemoryOAuthStore()],
];
if (hasRedis) storeKinds.push(["redis", redisStore]);

describe.each(storeKinds)("registerClient (RFC 7591), %s store", (_kind, makeStore) => {
  it("registers a public client: no secret, metadata echoed, stored as dcr", async () => {
    const store = await makeStore();
    const answer = await registerClient(CLAUDE, store, { now });
    expect(answer.status).toBe(201);
    const body = answer.body as Record<string, unknown>;
    expect(body).toMatchObject({ ...CLAUDE, client_id_issued_at: NOW / 1000 });
    expect(body).not.toHaveProperty("client_secret");
    expect(body.client_id).toMatch(/^[\w-]{20,}$/);
    const id = body.client_id as string;
    const expected = { ...CLAUDE_STORED, client_id: id, source: "dcr", created_at: NOW };
    expect(await store.getClient(id)).toEqual(expected);
  });

  it.each([undefined, "client_secret_basic", "client_secret_post"])(
    "issues a secret for %s and stores only its SHA-256",
    async (method) => {
      const store = await makeStore();
      const request = { ...CLAUDE, token_endpoint_auth_method: method };
      const { status, body } = await registerClient(request, store, { now });
      const { client_id, client_secret, client_secret_expires_at } = body as Record<string, string>;
      expect(status).toBe(201);
      expect(client_secret).toMatch(/^[\w-]{40,}$/);
      expect(client_secret_expires_at).toBe(0);
      const stored = await store.getClient(client_id as string);
      expect(stored?.token_endpoint_auth_method).toBe(method ?? "client_secret_basic");
      const hash = createHash("sha256").update(`${client_secret}`).digest("hex");
      expect(stored?.client_secret_hash).toBe(hash);
      expect(JSON.stringify(stored)).not.toContain(client_secret);
    },
  );

  it("gives every registration its own client_id", async () => {
    const store = await makeStore();
    const answers = await Promise.all([1, 2, 3].map(() => registerClient(CLAUDE, store, { now })));
    const ids = answers.map(({ body }) => (body as { client_id: string }).client_id);
    expect(new Set(ids).size).toBe(3);
  });
});

describe("registerClient checks", () => {
  const store = new MemoryOAuthStore();
  const register = (fields: Record<string, unknown>) =>
    registerClient({ ...CLAUDE, ...fields }, store, { now });

  it("accepts http redirect URIs on loopback hosts, and a 100-character name", async () => {
    const answer = await register({
      client_name: "x".repeat(100),
      redirect_uris: ["http://127.0.0.1:33418/cb", "http://localhost/cb", "http://[::1]:8080/"],
    });
    expect(answer.status).toBe(201);
  });

  it.each([
    ["missing", undefined],
    ["empty", []],
    ["eleven", Array.from({ length: 11 }, (_, i) => `https://app.example/${i}`)],
    ["not a string", [42]],
    ["relative", ["/callback"]],
    ["http off loopback", ["http://app.example/cb"]],
    ["http on a private address", ["http://10.0.0.1/cb"]],
    ["with a fragment", ["https://app.example/cb#x"]],
    ["with an empty fragment", ["https://app.example/cb#"]],
    ["with credentials", ["https://user:pw@app.example/cb"]],
    ["a custom scheme", ["javascript:alert(1)"]],
  ])("refuses redirect_uris %s with invalid_redirect_uri", async (_case, redirectUris) => {
    const answer = await register({ redirect_uris: redirectUris });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      error: "invalid_redirect_uri",
      error_description: expect.stringContaining("redirect_uris"),
    });
  });

  it.each([
    ["a body that is not an object", null],
    ["a body that is an array", [CLAUDE]],
    ["a 101-character name", { client_name: "x".repeat(101) }],
    ["an empty name", { client_name: " " }],
    ["a name with a newline", { client_name: "Claude\nAllow" }],
    ["a name with a bidi override", { client_name: "Claude\u202eevil" }],
    ["a name that is not a string", { client_name: 7 }],
    ["an unknown auth method", { token_endpoint_auth_method: "private_key_jwt" }],
    ["an unknown grant type", { grant_types: ["authorization_code", "client_credentials"] }],
    ["no authorization_code grant", { grant_types: ["refresh_token"] }],
    ["an implicit response type", { response_types: ["token"] }],
    ["no response type", { response_types: [] }],
    ["a client_uri over http", { client_uri: "http://app.example" }],
  ])("refuses %s with invalid_client_metadata", async (_case, fields) => {
    const body = fields !== null && !Array.isArray(fields) ? { ...CLAUDE, ...fields } : fields;
    const answer = await registerClient(body, store, { now });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      error: "invalid_client_metadata",
      error_description: expect.any(String),
    });
  });
});

describe.each(storeKinds)("resolveClient, %s store", (_kind, makeStore) => {
  const url = "https://client.test/oauth/client.json";
  const document = { ...CLAUDE, client_id: url, client_name: "Doc client" };

  it("returns a registered client without fetching anything", async () => {
    const store = await makeStore();
    const fetcher = viaTestHost();
    const { body } = await registerClient(CLAUDE, store, { now });
    const id = (body as { client_id: string }).client_id;
    expect((await resolveClient(id, store, fetcher))?.source).toBe("dcr");
    expect(await resolveClient("unknown-id", store, fetcher)).toBeUndefined();
    expect(fetcher).not.toHaveBeenCalled();
  });

  it("fetches a metadata document, keeps it an hour, then fetches it again", async () => {
    const store = await makeStore();
    const fetcher = viaTestHost();
    routes.set("/oauth/client.json", json(document));
    const client = await resolveClient(url, store, fetcher, { now });
    const stored = { ...CLAUDE_STORED, client_name: "Doc client", client_id: url, source: "cimd" };
    expect(client).toEqual({ ...stored, created_at: NOW });
    expect(await store.getClient(url)).toEqual(client);
    const later = () => NOW + CIMD_CACHE_MS - 1;
    expect(await resolveClient(url, store, fetcher, { now: later })).toEqual(client);
    expect(fetcher).toHaveBeenCalledTimes(1);
    routes.set("/oauth/client.json", json({ ...document, client_name: "Renamed" }));
    const expired = () => NOW + CIMD_CACHE_MS + 1;
    const renewed = await resolveClient(url, store, fetcher, { now: expired });
    expect(fetcher).toHaveBeenCalledTimes(2);
    expect(renewed?.client_name).toBe("Renamed");
  });
});

describe("resolveClient refuses a metadata document that", () => {
  const store = new MemoryOAuthStore();
  const url = "https://client.test/bad/client.json";
  const document = { ...CLAUDE, client_id: url };

  it("omits token_endpoint_auth_method: accepted as a public client", async () => {
    const { token_endpoint_auth_method: _method, ...rest } = document;
    routes.set("/bad/client.json", json(rest));
    const client = await resolveClient(url, store, viaTestHost());
    expect(client?.token_endpoint_auth_method).toBe("none");
  });

  it.each([
    ["names another client_id", { client_id: `${url}?other` }, /client_id does not equal/],
    ["has no client_id", { client_id: undefined }, /client_id does not equal/],
    ["asks for a secret method", { token_endpoint_auth_method: "client_secret_basic" }, /"none"/],
    ["carries a client_secret", { client_secret: "s3cret" }, /must not contain a client_secret/],
    ["has an http redirect URI", { redirect_uris: ["http://app.example/cb"] }, /redirect_uris/],
    ["has a control character in its name", { client_name: "a\u0007" }, /control/],
  ])("%s", async (_case, fields, message) => {
    routes.set("/bad/client.json", json({ ...document, ...fields }));
    const error = await refusal(resolveClient(url, new MemoryOAuthStore(), viaTestHost()));
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain("s3cret");
  });

  it.each([
    ["https://client.test", /no path/],
    ["https://client.test/", /no path/],
    ["https://client.test/a#b", /fragment/],
    ["https://u:p@client.test/a", /credentials/],
    ["https://client.test/a/../b", /dot segments/],
    ["https://client.test/a/%2E%2e/b", /dot segments/],
  ])("is at a bad URL: %s", async (clientId, message) => {
    const fetcher = viaTestHost();
    const error = await refusal(resolveClient(clientId, store, fetcher));
    expect(error.message).toMatch(message);
    expect(fetcher).not.toHaveBeenCalled();
  });
});

describe("createMetadataFetcher guards", () => {
  const doc = { client_id: "x", redirect_uris: ["https://app.example/cb"] };

  it("connects to the address it checked, with no second DNS lookup", async () => {
    routes.set("/pinned.json", json(doc));
    const { lookup, calls } = stubLookup("127.0.0.1");
    const fetcher = createMetadataFetcher({ allowHttp: true, allowPrivateAddresses: true, lookup });
    // metadata.invalid exists nowhere: only the vetted address can reach the test host.
    const port = new URL(base).port;
    expect(await fetcher(`http://metadata.invalid:${port}/pinned.json`)).toEqual(doc);
    expect(calls).toEqual(["metadata.invalid"]);
  });

  it("accepts application/*+json", async () => {
    routes.set("/plus.json", json(doc, "application/vnd.client+json; charset=utf-8"));
    expect(await openFetcher(`${base}/plus.json`)).toEqual(doc);
  });

  it("refuses http", async () => {
    routes.set("/plain.json", json(doc));
    const before = hits.length;
    const fetcher = createMetadataFetcher({ allowPrivateAddresses: true });
    const error = await refusal(fetcher(`${base}/plain.json`));
    expect(error.message).toBe("client metadata document URL must use https");
    expect(hits.length).toBe(before);
  });

  it.each([
    ["10.0.0.1"],
    ["169.254.169.254"],
    ["::ffff:127.0.0.1"],
    ["fd00::1"],
    ["8.8.8.8", "::1"],
  ])("refuses a host that resolves to %s", async (...addresses) => {
    const { lookup, calls } = stubLookup(...addresses);
    const fetcher = createMetadataFetcher({ lookup });
    const error = await refusal(fetcher("https://metadata.test/doc.json"));
    expect(error.message).toMatch(/private or reserved address/);
    expect(calls).toEqual(["metadata.test"]);
  });

  it.each(["https://127.0.0.1/doc.json", "https://[::1]/doc.json", "https://0x7f.1/doc.json"])(
    "refuses a private address literal: %s",
    async (url) => {
      const { lookup, calls } = stubLookup("93.184.216.34");
      const error = await refusal(createMetadataFetcher({ lookup })(url));
      expect(error.message).toMatch(/private or reserved address/);
      expect(calls).toEqual([]);
    },
  );

  it("stops reading past maxBytes (a 1 MB document)", async () => {
    routes.set("/huge.json", (_req, res) => {
      // Chunked, no Content-Length: only counting the bytes read can stop it.
      res.writeHead(200, { "content-type": "application/json" });
      res.write(Buffer.alloc(1024 * 1024, 0x20), () => res.end());
    });
    const error = await refusal(hostFetcher()(`${base}/huge.json`));
    expect(error.message).toBe("client metadata document too large (over 10000 bytes)");
  });

  it("refuses a declared Content-Length over maxBytes", async () => {
    routes.set("/long.json", (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": 20_000 });
      res.end(" ".repeat(20_000));
    });
    const error = await refusal(hostFetcher({ maxBytes: 500 })(`${base}/long.json`));
    expect(error.message).toBe("client metadata document too large (over 500 bytes)");
  });

  const neverAnswers: Handler = () => {};
  const neverFinishes: Handler = (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" }).write("{");
  };
  it.each([
    ["never answers", neverAnswers],
    ["never finishes its body", neverFinishes],
  ])("gives up on a server that %s", async (_case, handler) => {
    routes.set("/slow.json", handler);
    const started = Date.now();
    const error = await refusal(hostFetcher({ timeoutMs: 300 })(`${base}/slow.json`));
    expect(error.message).toBe("client metadata document took over 300 ms");
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("does not follow redirects", async () => {
    routes.set("/moved.json", (_req, res) => {
      res.writeHead(302, { location: "/target.json" }).end();
    });
    routes.set("/target.json", json(doc));
    const error = await refusal(hostFetcher()(`${base}/moved.json`));
    expect(error.message).toBe("client metadata document URL redirects: refused");
    expect(hits).not.toContain("/target.json");
  });

  const untyped: Handler = (_req, res) => void res.end("{}");
  const broken: Handler = (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" }).end("{not json");
  };
  it.each([
    ["an HTML page", json(doc, "text/html"), /must be served as application\/json/],
    ["no content type", untyped, /must be served as application\/json/],
    ["broken JSON", broken, /not valid JSON/],
    ["a 404", undefined, /answered HTTP 404/],
  ])("refuses %s", async (_case, handler, message) => {
    if (handler) routes.set("/odd.json", handler);
    else routes.delete("/odd.json");
    const error = await refusal(hostFetcher()(`${base}/odd.json`));
    expect(error.message).toMatch(message);
  });
});

describe("isPrivateAddress", () => {
  const refused = `0.0.0.0 10.1.2.3 100.64.0.1 127.0.0.1 169.254.169.254 172.16.0.1 172.31.255.255
    192.168.1.1 224.0.0.1 255.255.255.255 :: ::1 ::ffff:127.0.0.1 ::ffff:7f00:1 ::ffff:10.0.0.1
    ::127.0.0.1 64:ff9b::a00:1 2002:a00:1::1 fc00::1 fd12:3456::1 fe80::1 fe80::1%eth0 ff02::1
    2001:db8::1 not-an-ip`.split(/\s+/);
  const allowed = `8.8.8.8 93.184.216.34 172.32.0.1 100.128.0.1 2606:4700::1111 ::ffff:8.8.8.8
    64:ff9b::808:808 2002:808:808::1`.split(/\s+/);

  it.each(refused)("%s is refused", (ip) => expect(isPrivateAddress(ip)).toBe(true));
  it.each(allowed)("%s is public", (ip) => expect(isPrivateAddress(ip)).toBe(false));
});
