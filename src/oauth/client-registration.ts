/**
 * How MCP clients become known to this authorization server: RFC 7591 dynamic registration
 * (POST /register), or a Client ID Metadata Document (MCP authorization spec 2025-11-25: the
 * client_id is an https URL serving the client's metadata). Fetching that URL is a request to a
 * host an anonymous caller chose, so the fetcher guards against SSRF: public addresses only,
 * pinned to the address it checked, no redirects, bounded in time and size.
 */
import { createHash, randomBytes } from "node:crypto";
import dns from "node:dns";
import { isIP } from "node:net";
import { Agent, request } from "undici";
import type { OAuthStore, RegisteredClient } from "./types.js";

/** Fetches a metadata document URL and returns its parsed JSON; refusals throw ClientMetadataError. */
export type MetadataFetcher = (url: string) => Promise<unknown>;

export interface MetadataFetcherOptions {
  /** Tests only: let the document live on 127.0.0.1. */
  allowPrivateAddresses?: boolean;
  /** Tests only: plain http. */
  allowHttp?: boolean;
  timeoutMs?: number;
  maxBytes?: number;
  lookup?: typeof dns.lookup;
}

type AuthMethod = RegisteredClient["token_endpoint_auth_method"];

type RegistrationError = "invalid_redirect_uri" | "invalid_client_metadata";

/** Client metadata that cannot be accepted; `oauthError` is the RFC 7591 error code. */
export class ClientMetadataError extends Error {
  override readonly name = "ClientMetadataError";
  constructor(
    message: string,
    readonly oauthError: RegistrationError = "invalid_client_metadata",
  ) {
    super(message);
  }
}

/** A metadata document is trusted this long before it is fetched again. */
export const CIMD_CACHE_MS = 60 * 60 * 1000;
const MAX_REDIRECT_URIS = 10;
const MAX_URL_LENGTH = 2000;
const MAX_CLIENT_NAME = 100;
const AUTH_METHODS: readonly AuthMethod[] = ["none", "client_secret_basic", "client_secret_post"];
const GRANT_TYPES = ["authorization_code", "refresh_token"];
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);
// C0/C1 controls and bidi overrides: a name on the consent page must read as what it is.
const UNSAFE_NAME_CHARS = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

function invalid(message: string): never {
  throw new ClientMetadataError(message);
}

function validateRedirectUris(value: unknown): string[] {
  const refuseAll = (why: string): never => {
    throw new ClientMetadataError(`redirect_uris ${why}`, "invalid_redirect_uri");
  };
  if (!Array.isArray(value) || value.length === 0) return refuseAll("must be a non-empty array");
  if (value.length > MAX_REDIRECT_URIS) return refuseAll(`may list ${MAX_REDIRECT_URIS} at most`);
  return value.map((uri, index) => {
    const refuse = (why: string) => refuseAll(`[${index}] ${why}`);
    if (typeof uri !== "string" || uri.length > MAX_URL_LENGTH) {
      return refuse(`must be a URL of at most ${MAX_URL_LENGTH} characters`);
    }
    if (!URL.canParse(uri)) return refuse("is not an absolute URL");
    const url = new URL(uri);
    if (uri.includes("#")) return refuse("must not contain a fragment");
    if (url.username || url.password) return refuse("must not contain credentials");
    if (url.protocol === "https:") return uri;
    if (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname)) return uri;
    return refuse("must use https (http only on 127.0.0.1, localhost or [::1])");
  });
}

function validateClientName(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.trim() === "" || [...value].length > MAX_CLIENT_NAME) {
    invalid(`client_name must be a string of 1 to ${MAX_CLIENT_NAME} characters`);
  }
  if (UNSAFE_NAME_CHARS.test(value)) invalid("client_name must not contain control characters");
  return value;
}

function validateHttpsUri(field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string" && value.length <= MAX_URL_LENGTH && /^https:\/\//i.test(value)) {
    if (URL.canParse(value)) return value;
  }
  return invalid(`${field} must be an https URL`);
}

function validateSubset(field: string, value: unknown, allowed: string[], fallback: string[]) {
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || value.some((item) => !allowed.includes(item))) {
    invalid(`${field} must be an array of: ${allowed.join(", ")}`);
  }
  return [...new Set(value as string[])];
}

type ClientIdentity = Pick<RegisteredClient, "client_id" | "source" | "created_at">;
type ValidatedMetadata = {
  client: RegisteredClient;
  grant_types: string[];
  response_types: string[];
};

/** The checks both ways of becoming a client share; throws ClientMetadataError. */
function validateMetadata(
  body: unknown,
  defaultAuthMethod: AuthMethod,
  identity: ClientIdentity,
): ValidatedMetadata {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    invalid("client metadata must be a JSON object");
  }
  const input = body as Record<string, unknown>;
  const method = input.token_endpoint_auth_method ?? defaultAuthMethod;
  if (!AUTH_METHODS.includes(method as AuthMethod)) {
    invalid(`token_endpoint_auth_method must be one of: ${AUTH_METHODS.join(", ")}`);
  }
  const grantTypes = validateSubset("grant_types", input.grant_types, GRANT_TYPES, [
    "authorization_code",
  ]);
  // RFC 7591 §2.1: response type "code" needs the authorization_code grant.
  if (!grantTypes.includes("authorization_code")) {
    invalid("grant_types must include authorization_code");
  }
  const responseTypes = validateSubset("response_types", input.response_types, ["code"], ["code"]);
  if (responseTypes.length === 0) invalid("response_types must include code");
  const client: RegisteredClient = {
    ...identity,
    redirect_uris: validateRedirectUris(input.redirect_uris),
    token_endpoint_auth_method: method as AuthMethod,
  };
  const optional = {
    client_name: validateClientName(input.client_name),
    client_uri: validateHttpsUri("client_uri", input.client_uri),
    logo_uri: validateHttpsUri("logo_uri", input.logo_uri),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) client[key as keyof typeof optional] = value;
  }
  return { client, grant_types: grantTypes, response_types: responseTypes };
}

/** POST /register (RFC 7591). The answer is the HTTP status and JSON body to send. */
export async function registerClient(
  body: unknown,
  store: OAuthStore,
  opts: { now: () => number },
): Promise<{ status: number; body: object }> {
  const now = opts.now();
  const clientId = randomBytes(18).toString("base64url");
  const identity: ClientIdentity = { client_id: clientId, source: "dcr", created_at: now };
  let metadata: ValidatedMetadata;
  try {
    metadata = validateMetadata(body, "client_secret_basic", identity);
  } catch (error) {
    if (!(error instanceof ClientMetadataError)) throw error;
    return { status: 400, body: { error: error.oauthError, error_description: error.message } };
  }
  const { client, grant_types, response_types } = metadata;
  let secret: string | undefined;
  if (client.token_endpoint_auth_method !== "none") {
    secret = randomBytes(32).toString("base64url");
    // Only the hash is kept: a leaked store does not leak working client credentials.
    client.client_secret_hash = createHash("sha256").update(secret).digest("hex");
  }
  await store.putClient(client);
  const { client_secret_hash: _hash, source: _source, created_at: _created, ...shown } = client;
  const issued = { client_id_issued_at: Math.floor(now / 1000), grant_types, response_types };
  const secretFields = secret && { client_secret: secret, client_secret_expires_at: 0 };
  return { status: 201, body: { ...shown, ...issued, ...secretFields } };
}

/** Whether a client_id is meant as a metadata document URL; throws when it is a bad one. */
function metadataDocumentUrl(clientId: string, allowHttp = false): URL | undefined {
  const lower = clientId.toLowerCase();
  if (!lower.startsWith("https://") && !(allowHttp && lower.startsWith("http://"))) {
    return undefined;
  }
  const refuse = (why: string): never => {
    throw new ClientMetadataError(`client_id is not a valid metadata document URL: ${why}`);
  };
  if (clientId.length > MAX_URL_LENGTH || !URL.canParse(clientId)) return refuse("unparseable");
  const url = new URL(clientId);
  // draft-ietf-oauth-client-id-metadata-document §3: a path, no fragment, no credentials,
  // no dot segments.
  if (clientId.includes("#")) return refuse("it has a fragment");
  if (url.username || url.password) return refuse("it has credentials");
  if (url.pathname === "/") return refuse("it has no path");
  const rawPath = clientId.replace(/^https?:\/\/[^/?#]*/i, "");
  if (/\/(\.|%2e){1,2}(\/|[?]|$)/i.test(rawPath)) return refuse("it has dot segments");
  return url;
}

/**
 * The client a client_id names: a stored one, else (an https URL) its metadata document,
 * fetched, checked and kept for an hour. Undefined when unknown; ClientMetadataError when the
 * document cannot be used.
 */
export async function resolveClient(
  clientId: string,
  store: OAuthStore,
  fetcher: MetadataFetcher,
  /** allowHttp: tests only, with a fetcher that allows http too. */
  opts: { now?: () => number; allowHttp?: boolean } = {},
): Promise<RegisteredClient | undefined> {
  const now = (opts.now ?? Date.now)();
  const stored = await store.getClient(clientId);
  if (stored && (stored.source === "dcr" || now - stored.created_at < CIMD_CACHE_MS)) {
    return stored;
  }
  if (!metadataDocumentUrl(clientId, opts.allowHttp)) return stored;
  const document = await fetcher(clientId);
  const identity: ClientIdentity = { client_id: clientId, source: "cimd", created_at: now };
  const { client } = validateMetadata(document, "none", identity);
  const documentFields = document as Record<string, unknown>;
  if (documentFields.client_id !== clientId) {
    invalid("client metadata document's client_id does not equal its URL");
  }
  // No shared secrets with a document anyone can read.
  if ("client_secret" in documentFields || "client_secret_expires_at" in documentFields) {
    invalid("client metadata document must not contain a client_secret");
  }
  if (client.token_endpoint_auth_method !== "none") {
    invalid('client metadata document\'s token_endpoint_auth_method must be "none"');
  }
  await store.putClient(client);
  return client;
}

// Addresses a metadata fetch must never reach. IPv4: "this network", private, CGNAT, loopback,
// link-local, IETF, documentation, benchmarking, multicast, reserved. IPv6: unspecified,
// loopback and IPv4-compatible (::/96), IPv4-translated, local NAT64, discard, IETF (Teredo),
// documentation, unique-local, link-local, site-local, multicast.
const BLOCKED_V4 = `0.0.0.0/8 10.0.0.0/8 100.64.0.0/10 127.0.0.0/8 169.254.0.0/16 172.16.0.0/12
  192.0.0.0/24 192.0.2.0/24 192.168.0.0/16 198.18.0.0/15 198.51.100.0/24 203.0.113.0/24
  224.0.0.0/4 240.0.0.0/4`.split(/\s+/);
const BLOCKED_V6 = `::/96 ::ffff:0:0:0/96 64:ff9b:1::/48 100::/64 2001::/23 2001:db8::/32 fc00::/7
  fe80::/10 fec0::/10 ff00::/8`.split(/\s+/);
// IPv6 ranges that carry an IPv4 address, checked as that address: IPv4-mapped, NAT64 (both in
// the low 32 bits), 6to4 (bits 80 to 111). [range, bits to shift]
const EMBEDDING_V4: Array<[string, bigint]> = [
  ["::ffff:0:0/96", 0n],
  ["64:ff9b::/96", 0n],
  ["2002::/16", 80n],
];

function ipv4Value(ip: string): bigint {
  return ip.split(".").reduce((value, part) => (value << 8n) | BigInt(Number(part)), 0n);
}

function ipv6Value(ip: string): bigint {
  let text = ip.split("%")[0] ?? ""; // drop a zone id
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (dotted) {
    const v4 = ipv4Value(dotted);
    text = `${text.slice(0, -dotted.length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const zeros =
    tail === undefined ? [] : Array(8 - headGroups.length - tailGroups.length).fill("0");
  return [...headGroups, ...zeros, ...tailGroups].reduce(
    (value, group) => (value << 16n) | BigInt(Number.parseInt(group, 16)),
    0n,
  );
}

function inRange(value: bigint, cidr: string, bits: bigint): boolean {
  const [base = "", length = ""] = cidr.split("/");
  const shift = bits - BigInt(length);
  const baseValue = bits === 32n ? ipv4Value(base) : ipv6Value(base);
  return value >> shift === baseValue >> shift;
}

/** True for any address a metadata fetch must not reach (and for anything not an IP). */
export function isPrivateAddress(ip: string): boolean {
  const version = isIP(ip.split("%")[0] ?? "");
  if (version === 4) return BLOCKED_V4.some((cidr) => inRange(ipv4Value(ip), cidr, 32n));
  if (version !== 6) return true;
  const value = ipv6Value(ip);
  for (const [cidr, shift] of EMBEDDING_V4) {
    if (inRange(value, cidr, 128n)) {
      const v4 = (value >> shift) & 0xffffffffn;
      return BLOCKED_V4.some((blocked) => inRange(v4, blocked, 32n));
    }
  }
  return BLOCKED_V6.some((cidr) => inRange(value, cidr, 128n));
}

type Address = { address: string; family: number };

async function resolveHost(hostname: string, lookup: typeof dns.lookup): Promise<Address[]> {
  const bare = hostname.replace(/^\[(.*)\]$/, "$1");
  const family = isIP(bare);
  if (family) return [{ address: bare, family }];
  return new Promise((resolve, reject) => {
    lookup(hostname, { all: true }, (error, addresses) => {
      if (error || addresses.length === 0) {
        reject(new ClientMetadataError(`could not resolve the metadata document's host`));
      } else resolve(addresses);
    });
  });
}

/**
 * A lookup that answers only the vetted addresses (none until the check has passed): DNS cannot
 * swap them between the check and the connection.
 */
function pinnedLookup(vetted: Address[]) {
  return (
    _hostname: string,
    options: { all?: boolean },
    callback: (error: Error | null, address: string | Address[], family?: number) => void,
  ) => {
    const [first] = vetted;
    if (!first) callback(new Error("address not vetted"), "");
    else if (options?.all) callback(null, vetted);
    else callback(null, first.address, first.family);
  };
}

function isJsonContentType(header: string | string[] | undefined): boolean {
  return /^application\/([\w.-]+\+)?json\s*(;|$)/i.test(String(header ?? ""));
}

/** The fetcher for metadata documents, with the SSRF guards described at the top. */
export function createMetadataFetcher(opts: MetadataFetcherOptions = {}): MetadataFetcher {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const maxBytes = opts.maxBytes ?? 10_000;
  const lookup = opts.lookup ?? dns.lookup;
  const tooLarge = () =>
    new ClientMetadataError(`client metadata document too large (over ${maxBytes} bytes)`);

  async function fetchWithin(url: URL, signal: AbortSignal, vetted: Address[], agent: Agent) {
    const addresses = await resolveHost(url.hostname, lookup);
    if (!opts.allowPrivateAddresses && addresses.some(({ address }) => isPrivateAddress(address))) {
      invalid("client metadata document's host resolves to a private or reserved address");
    }
    signal.throwIfAborted();
    vetted.push(...addresses);
    const headers = { accept: "application/json" };
    const response = await request(url, { dispatcher: agent, signal, headers });
    const status = response.statusCode;
    if (status >= 300 && status < 400) invalid("client metadata document URL redirects: refused");
    if (status !== 200) invalid(`client metadata document URL answered HTTP ${status}`);
    if (!isJsonContentType(response.headers["content-type"])) {
      invalid("client metadata document must be served as application/json");
    }
    if (Number(response.headers["content-length"]) > maxBytes) throw tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) throw tooLarge();
      chunks.push(chunk as Buffer);
    }
    try {
      return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
    } catch {
      return invalid("client metadata document is not valid JSON");
    }
  }

  return async (rawUrl) => {
    if (!URL.canParse(rawUrl)) invalid("client metadata document URL is not a URL");
    const url = new URL(rawUrl);
    if (url.protocol !== "https:" && !(opts.allowHttp && url.protocol === "http:")) {
      invalid("client metadata document URL must use https");
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    // The race also bounds the DNS lookup, which cannot be aborted.
    const timedOut = new Promise<never>((_, reject) => {
      controller.signal.addEventListener("abort", reject);
    });
    const vetted: Address[] = [];
    const agent = new Agent({ connect: { lookup: pinnedLookup(vetted) } });
    try {
      return await Promise.race([fetchWithin(url, controller.signal, vetted, agent), timedOut]);
    } catch (error) {
      if (controller.signal.aborted) {
        throw new ClientMetadataError(`client metadata document took over ${timeoutMs} ms`);
      }
      if (error instanceof ClientMetadataError) throw error;
      const code = String((error as { code?: unknown }).code ?? "network error");
      throw new ClientMetadataError(`could not fetch the client metadata document (${code})`);
    } finally {
      clearTimeout(timer);
      // Also closes the connection when a refusal left the body unread.
      agent.destroy().catch(() => {});
    }
  };
}
