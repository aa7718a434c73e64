/**
 * Failed bearer tokens over real HTTP on loopback: past the limit an address gets 429 with
 * Retry-After (its token not even looked at), refusals are logged aggregated, other addresses
 * (127.0.0.2 here) are not affected, and X-Forwarded-For counts only from trusted proxies.
 */
import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { FailedLogins } from "../../src/transports/auth-throttle.js";
import {
  type HttpSession,
  startHttpSession,
  TEST_TOKEN,
  toolCall,
} from "../support/http-session.js";

let session: HttpSession | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

/** A tools/call POST from `localAddress` (any 127.x address reaches a loopback server). */
function postFrom(
  localAddress: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  const url = new URL(session?.url as string);
  const body = JSON.stringify(toolCall("get_accounts"));
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        localAddress,
        headers: {
          accept: "application/json, text/event-stream",
          "content-type": "application/json",
          ...headers,
        },
      },
      (res) => {
        let text = "";
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const WRONG = { authorization: "Bearer wrong-token-0123456789abcdef" };
const RIGHT = { authorization: `Bearer ${TEST_TOKEN}` };

/** Log lines (parsed) whose message matches. */
function logLines(pattern: RegExp): Array<Record<string, unknown>> {
  return (session?.logs ?? [])
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => pattern.test(String(line.msg)));
}

describe("failed bearer tokens", () => {
  it("429 with Retry-After past the limit, one log line at once and one aggregated", async () => {
    session = await startHttpSession({ argv: ["--auth-failure-limit", "5"] });
    const statuses: number[] = [];
    let throttled: { headers: Record<string, unknown>; text: string } | undefined;
    for (let i = 0; i < 200; i++) {
      const response = await postFrom("127.0.0.1", WRONG);
      statuses.push(response.status);
      if (response.status === 429) throttled ??= response;
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(new Set(statuses.slice(5))).toEqual(new Set([429]));
    const retryAfter = Number(throttled?.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(JSON.parse(throttled?.text ?? "{}").error.message).toMatch(
      /Too many failed bearer-token attempts.*retry in \d+ s/,
    );
    // Past the limit even the right token is not looked at, from that address...
    expect((await postFrom("127.0.0.1", RIGHT)).status).toBe(429);
    // ...while another address is not affected, right token or wrong.
    const other = await postFrom("127.0.0.2", RIGHT);
    expect(other.status).toBe(200);
    expect(JSON.parse(other.text).result.isError).toBeFalsy();
    expect((await postFrom("127.0.0.2", WRONG)).status).toBe(401);

    // One line at once per address; the rest are counted, and logged once a minute (or at close).
    expect(logLines(/^refused bearer token$/)).toHaveLength(2);
    expect(logLines(/since the last line/)).toHaveLength(0);
    await session.close();
    const summaries = logLines(/since the last line/);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({ remote: "127.0.0.1", invalid: 4, throttled: 196 });
    expect(session.logs.join("")).not.toContain("wrong-token");
    session = undefined;
  });

  it("trusts X-Forwarded-For only from the configured proxies", async () => {
    session = await startHttpSession({
      argv: ["--auth-failure-limit", "3", "--trusted-proxies", "127.0.0.1,10.0.0.0/8"],
    });
    const via = (client: string, auth: Record<string, string>) =>
      postFrom("127.0.0.1", { ...auth, "x-forwarded-for": `${client}, 10.1.2.3` });
    for (let i = 0; i < 3; i++) expect((await via("203.0.113.7", WRONG)).status).toBe(401);
    expect((await via("203.0.113.7", WRONG)).status).toBe(429);
    // The proxy itself, and other clients behind it, are not locked out.
    expect((await via("203.0.113.8", RIGHT)).status).toBe(200);
    // A client that is not a trusted proxy cannot pick its address by forging the header.
    for (let i = 0; i < 3; i++) {
      await postFrom("127.0.0.2", { ...WRONG, "x-forwarded-for": `198.51.100.${i}` });
    }
    const forged = await postFrom("127.0.0.2", { ...RIGHT, "x-forwarded-for": "198.51.100.9" });
    expect(forged.status).toBe(429);
    expect(logLines(/^refused bearer token$/).map((line) => line.remote)).toEqual([
      "203.0.113.7",
      "127.0.0.2",
    ]);
  });
});

describe("FailedLogins", () => {
  it("forgets an address when its window is over, and forgives it a valid token", () => {
    let now = 0;
    const logins = new FailedLogins({
      limit: 2,
      windowMs: 60_000,
      maxAddresses: 10,
      now: () => now,
    });
    logins.failed("a");
    logins.failed("a");
    expect(logins.retryAfterSeconds("a")).toBe(60);
    now = 45_500;
    expect(logins.retryAfterSeconds("a")).toBe(15);
    now = 60_000;
    expect(logins.retryAfterSeconds("a")).toBe(0);
    logins.failed("b");
    logins.succeeded("b");
    logins.failed("b");
    expect(logins.retryAfterSeconds("b")).toBe(0);
  });

  it("keeps at most maxAddresses windows under an attack from many addresses", () => {
    const logins = new FailedLogins({ limit: 5, windowMs: 60_000, maxAddresses: 100 });
    for (let i = 0; i < 100_000; i++) logins.failed(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
    expect(logins.size).toBe(100);
  });
});
