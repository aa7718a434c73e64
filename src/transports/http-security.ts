/**
 * The HTTP transport's gatekeeping, as pure functions: which hosts count as loopback, which
 * Host and Origin headers are accepted (DNS-rebinding protection), and bearer-token checks.
 */
import { createHash, timingSafeEqual } from "node:crypto";

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
