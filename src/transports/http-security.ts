/**
 * The HTTP transport's gatekeeping, as pure functions: which hosts count as loopback, which
 * Host and Origin headers are accepted (DNS-rebinding protection), bearer-token checks, and
 * which address a request comes from (behind trusted proxies too).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { BlockList, isIP } from "node:net";

/** 127.0.0.0/8, ::1 and localhost: reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  return (
    bare === "localhost" ||
    bare === "::1" ||
    bare === "::ffff:127.0.0.1" ||
    /^127(\.\d{1,3}){3}$/.test(bare)
  );
}

/** The names a loopback server answers to, as they appear in Host headers and origins. */
const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];

export interface OriginPolicy {
  /** Host names (without port) accepted in the Host header; empty means any. */
  hosts: ReadonlySet<string>;
  /** Exact origins (scheme://host:port) allowed to call from a browser. */
  origins: ReadonlySet<string>;
}

/**
 * On loopback the policy is closed by default: only loopback Host names, and only the server's
 * own loopback origins, so a web page on another origin cannot drive the server through the
 * user's browser. Elsewhere the Host check applies once hosts are configured (a public name
 * behind a load balancer is not known in advance), while Origin is always checked.
 */
export function originPolicy(options: {
  host: string;
  port: number;
  allowedHosts: readonly string[];
  allowedOrigins: readonly string[];
}): OriginPolicy {
  const hosts = new Set(options.allowedHosts.map(hostnameOf));
  const origins = new Set(options.allowedOrigins);
  if (isLoopbackHost(options.host)) {
    for (const name of LOOPBACK_NAMES) {
      hosts.add(name);
      origins.add(`http://${name}:${options.port}`);
    }
  }
  return { hosts, origins };
}

/** "example.com:8080" -> "example.com"; "[::1]:3000" -> "[::1]". */
function hostnameOf(hostHeader: string): string {
  const lower = hostHeader.trim().toLowerCase();
  const bracketed = /^(\[[^\]]*\])(:\d+)?$/.exec(lower);
  if (bracketed) return bracketed[1] as string;
  return lower.replace(/:\d+$/, "");
}

/** Why a request's Host or Origin is refused, or undefined when both are acceptable. */
export function refusedOrigin(
  policy: OriginPolicy,
  hostHeader: string | undefined,
  originHeader: string | undefined,
): string | undefined {
  if (policy.hosts.size > 0) {
    if (!hostHeader || !policy.hosts.has(hostnameOf(hostHeader))) {
      return `Host '${hostHeader ?? ""}' is not allowed (DNS-rebinding protection); add it to KLAVIYO_MCP_ALLOWED_HOSTS.`;
    }
  }
  if (originHeader !== undefined && !policy.origins.has(originHeader.toLowerCase())) {
    return `Origin '${originHeader}' is not allowed; add it to KLAVIYO_MCP_ALLOWED_ORIGINS to let that web page call this server.`;
  }
  return undefined;
}

/**
 * Bearer tokens, kept as SHA-256 digests: every comparison is over 32 bytes with
 * timingSafeEqual, and every configured token is compared, so timing reveals neither a token's
 * length nor which token nearly matched.
 */
export class TokenChecker {
  private readonly digests: Buffer[];

  constructor(tokens: readonly string[]) {
    this.digests = tokens.map(digest);
  }

  get enabled(): boolean {
    return this.digests.length > 0;
  }

  /** "missing", "malformed", "invalid" or "ok" for an Authorization header value. */
  check(authorization: string | undefined): "missing" | "malformed" | "invalid" | "ok" {
    if (!authorization) return "missing";
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    if (!match) return "malformed";
    const presented = digest(match[1] as string);
    let matched = false;
    for (const known of this.digests) {
      if (timingSafeEqual(presented, known)) matched = true;
    }
    return matched ? "ok" : "invalid";
  }
}

function digest(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

/** "10.0.0.0/8", "fd00::/8" or a bare address (a /32 or /128), or undefined if it is neither. */
export function parseSubnet(
  entry: string,
): { address: string; prefix: number; family: "ipv4" | "ipv6" } | undefined {
  const [address = "", prefixText, ...rest] = entry.trim().split("/");
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return undefined;
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!/^\d+$/.test(prefixText ?? String(max)) || prefix > max) return undefined;
  return { address, prefix, family: version === 4 ? "ipv4" : "ipv6" };
}

/** The trusted proxies as a BlockList (empty: no proxy is trusted). */
export function proxyList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const subnet = parseSubnet(entry);
    if (subnet) list.addSubnet(subnet.address, subnet.prefix, subnet.family);
  }
  return list;
}

function isTrusted(proxies: BlockList, address: string): boolean {
  const version = isIP(address);
  if (version === 0) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped && proxies.check(mapped, "ipv4")) return true;
  return proxies.check(address, version === 4 ? "ipv4" : "ipv6");
}

/**
 * The client's address: the socket's peer, unless that peer is a trusted proxy; then
 * X-Forwarded-For is read from the right (each proxy appends the address it received from),
 * skipping trusted proxies, and the first address not trusted is the client. Entries a client
 * wrote itself sit further left and are never reached past an untrusted hop.
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  proxies: BlockList | undefined,
): string {
  let client = socketAddress ?? "unknown";
  if (!proxies || !isTrusted(proxies, client) || forwardedFor === undefined) return client;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor)
    .split(",")
    .map((hop) => hop.trim());
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string;
    if (isIP(hop) === 0) break; // Garbled: keep the last address known to be real.
    client = hop;
    if (!isTrusted(proxies, hop)) break;
  }
  return client;
}

/**
 * What failed logins are counted by: an IPv4 address, or an IPv6 address's /64 (one host
 * usually holds a whole /64, so counting single IPv6 addresses would be easy to sidestep).
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return mapped;
  if (isIP(address) !== 6) return address;
  const [head = "", tail = ""] = address.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::")
    ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
