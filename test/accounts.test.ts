import { afterEach, describe, expect, it } from "vitest";
import { AccountError, Accounts } from "../src/accounts.js";
import type { KlaviyoClient } from "../src/klaviyo/client.js";
import {
  type HttpSession,
  startHttpSession,
  TEST_TOKEN,
  toolCall,
} from "./support/http-session.js";
import { resultText } from "./support/sandbox-client.js";

/** Clients that only record being closed; `active` and `keyRejected` are set by the tests. */
function fakeClients() {
  const made: Array<{ key: string; closed: boolean; active: number; keyRejected: boolean }> = [];
  const makeClient = (key: string) => {
    const entry = { key, closed: false, active: 0, keyRejected: false };
    made.push(entry);
    const close = async () => {
      entry.closed = true;
    };
    return Object.assign(entry, { close }) as unknown as KlaviyoClient;
  };
  return { made, makeClient };
}

const own = {
  client: { close: async () => {} } as unknown as KlaviyoClient,
  publicKey: "OwnPub",
  sandbox: true,
};

/** Accounts that keep at most two brought clients, and the clients they made. */
function keepingTwo() {
  const { made, makeClient } = fakeClients();
  const accounts = new Accounts({
    own,
    policy: "optional",
    broughtKeysSandbox: false,
    makeClient,
    maxClients: 2,
  });
  return { made, accounts };
}

/** Accounts with the own account, the given policy and throwaway clients. */
function accountsWith(policy: "off" | "optional"): Accounts {
  return new Accounts({ own, policy, broughtKeysSandbox: false, ...fakeClients() });
}

describe("Accounts", () => {
  it("serves the own account when no key is brought", () => {
    const accounts = accountsWith("optional");
    expect(accounts.forRequest(undefined, undefined).account).toBe(own);
    expect(accounts.forRequest("", undefined).account).toBe(own);
  });

  /** Takes the account for `key` for one request that ends at once. */
  const visit = (accounts: Accounts, key: string) => {
    const lease = accounts.forRequest(key, undefined);
    lease.release();
    return lease.account;
  };

  it("keeps one client per brought key, least recently used idle one out first", () => {
    const { made, accounts } = keepingTwo();
    const a = visit(accounts, "pk_aaaa1111");
    expect(visit(accounts, "pk_aaaa1111").client).toBe(a.client);
    visit(accounts, "pk_bbbb2222");
    visit(accounts, "pk_aaaa1111"); // a is now the most recent
    visit(accounts, "pk_cccc3333"); // evicts b
    expect(made.map((m) => [m.key, m.closed])).toEqual([
      ["pk_aaaa1111", false],
      ["pk_bbbb2222", true],
      ["pk_cccc3333", false],
    ]);
    expect(accounts.broughtClients).toBe(2);
  });

  it("never lets go of an account in use: held by a request, or with calls in progress", () => {
    const { made, accounts } = keepingTwo();
    const held = accounts.forRequest("pk_held1111", undefined); // its request is not over
    visit(accounts, "pk_busy2222");
    const busy = made[1];
    if (!busy) throw new Error("no client");
    busy.active = 1; // a call queued or in flight
    expect(() => accounts.forRequest("pk_newcomer", undefined)).toThrow(
      expect.objectContaining({ reason: "busy", message: expect.stringMatching(/retry/) }),
    );
    expect(made.filter((m) => m.closed)).toEqual([]);
    busy.active = 0;
    visit(accounts, "pk_newcomer"); // now the idle one makes room
    expect(made.map((m) => [m.key, m.closed])).toEqual([
      ["pk_held1111", false],
      ["pk_busy2222", true],
      ["pk_newcomer", false],
    ]);
    held.release();
    held.release(); // twice is harmless
  });

  it("lets go of a key Klaviyo refused before any other", () => {
    const { made, accounts } = keepingTwo();
    visit(accounts, "pk_real1111");
    visit(accounts, "pk_madeup22");
    const madeUp = made[1];
    if (madeUp) madeUp.keyRejected = true;
    visit(accounts, "pk_madeup33");
    expect(made.map((m) => [m.key, m.closed])).toEqual([
      ["pk_real1111", false],
      ["pk_madeup22", true],
      ["pk_madeup33", false],
    ]);
  });

  it("gives a brought key only its own public key, never the server's", () => {
    const accounts = accountsWith("optional");
    expect(accounts.forRequest("pk_aaaa1111", undefined).account).toMatchObject({
      publicKey: undefined,
      sandbox: false,
    });
    expect(accounts.forRequest("pk_aaaa1111", "AbC123").account.publicKey).toBe("AbC123");
  });

  it("refuses bad keys, keys when off, and no key when required", () => {
    const optional = accountsWith("optional");
    for (const bad of ["AbC123", "pk_", "pk_has space", "pk_a,pk_b"]) {
      expect(() => optional.forRequest(bad, undefined)).toThrow(AccountError);
    }
    expect(() => optional.forRequest("pk_aaaa1111", "not a key!")).toThrow(/X-Klaviyo-Public-Key/);
    const off = accountsWith("off");
    expect(() => off.forRequest("pk_aaaa1111", undefined)).toThrow(/CLIENT_KEYS=off/);
    const required = new Accounts({
      policy: "required",
      broughtKeysSandbox: false,
      ...fakeClients(),
    });
    expect(() => required.forRequest(undefined, undefined)).toThrow(
      expect.objectContaining({ reason: "missing_key" }),
    );
    expect(
      () => new Accounts({ policy: "optional", broughtKeysSandbox: false, ...fakeClients() }),
    ).toThrow();
  });

  it("closes every client", async () => {
    const { made, makeClient } = fakeClients();
    const accounts = new Accounts({
      own,
      policy: "optional",
      broughtKeysSandbox: false,
      makeClient,
    });
    accounts.forRequest("pk_aaaa1111", undefined);
    await accounts.close();
    expect(made[0]?.closed).toBe(true);
  });
});

describe("accounts brought over HTTP, against the sandbox", () => {
  let session: HttpSession | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  /** An MCP client acting on the account of `apiKey`. */
  const tenant = (apiKey: string) =>
    (session as HttpSession).connect({
      Authorization: `Bearer ${TEST_TOKEN}`,
      "X-Klaviyo-API-Key": apiKey,
    });

  it("many made-up keys cannot cancel another tenant's queued writes", async () => {
    session = await startHttpSession({ argv: ["--sandbox"] });
    const key = session.runtime.emulator?.issueKey("all") as string;
    const client = await tenant(key);
    // create_list allows 10 calls a second: most of these wait in the tenant's queue...
    const writes = Array.from({ length: 25 }, (_, i) =>
      client.callTool({ name: "create_list", arguments: { name: `Tenant list ${i}` } }),
    );
    // ...while someone sends more made-up keys than the server keeps accounts for (64).
    await Promise.race(writes);
    const noise = await Promise.all(
      Array.from({ length: 70 }, (_, i) =>
        (session as HttpSession).post(toolCall("get_lists", {}), {
          Authorization: `Bearer ${TEST_TOKEN}`,
          "X-Klaviyo-API-Key": `pk_madeup${String(i).padStart(4, "0")}`,
        }),
      ),
    );
    expect(noise.every((response) => response.status === 200)).toBe(true);
    const results = await Promise.all(writes);
    for (const result of results) expect(result.isError, resultText(result)).toBeFalsy();
    expect(session.runtime.accounts.broughtClients).toBeLessThanOrEqual(64);
  });

  it("when every kept account is busy, a newcomer is refused with 503 and nothing is sent", async () => {
    session = await startHttpSession({ argv: ["--sandbox", "--max-accounts", "1"] });
    const emulator = session.runtime.emulator;
    if (!emulator) throw new Error("no emulator");
    const busy = await tenant(emulator.issueKey("all"));
    // get_accounts allows one call a second: the account stays busy for about two seconds.
    const slow = Array.from({ length: 3 }, () =>
      busy.callTool({ name: "get_accounts", arguments: {} }),
    );
    await new Promise((done) => setTimeout(done, 200));
    const refused = await session.post(toolCall("get_accounts", {}), {
      Authorization: `Bearer ${TEST_TOKEN}`,
      "X-Klaviyo-API-Key": emulator.issueKey("all"),
    });
    expect(refused.status).toBe(503);
    expect(refused.text).toMatch(/KLAVIYO_MCP_MAX_ACCOUNTS.*retry in a few seconds/);
    for (const result of await Promise.all(slow)) expect(result.isError).toBeFalsy();
  });

  it("an account is free again however its request ended, even refused after it was chosen", async () => {
    session = await startHttpSession({ argv: ["--sandbox", "--max-accounts", "1"] });
    const emulator = session.runtime.emulator;
    if (!emulator) throw new Error("no emulator");
    const headers = (key: string) => ({
      Authorization: `Bearer ${TEST_TOKEN}`,
      "X-Klaviyo-API-Key": key,
    });
    const broken = await session.post("{not json", headers(emulator.issueKey("all")));
    expect(broken.status).toBe(400);
    const next = await session.post(toolCall("get_lists", {}), headers(emulator.issueKey("all")));
    expect(next.status).toBe(200);
  });
});
