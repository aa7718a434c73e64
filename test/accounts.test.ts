import { describe, expect, it } from "vitest";
import { AccountError, Accounts } from "../src/accounts.js";
import type { KlaviyoClient } from "../src/klaviyo/client.js";

function fakeClients() {
  const made: Array<{ key: string; closed: boolean }> = [];
  const makeClient = (key: string) => {
    const entry = { key, closed: false };
    made.push(entry);
    const close = async () => {
      entry.closed = true;
    };
    return { close } as unknown as KlaviyoClient;
  };
  return { made, makeClient };
}

const own = {
  client: { close: async () => {} } as unknown as KlaviyoClient,
  publicKey: "OwnPub",
  sandbox: true,
};

/** Accounts with the own account, the given policy and throwaway clients. */
function accountsWith(policy: "off" | "optional"): Accounts {
  return new Accounts({ own, policy, broughtKeysSandbox: false, ...fakeClients() });
}

describe("Accounts", () => {
  it("serves the own account when no key is brought", () => {
    const accounts = accountsWith("optional");
    expect(accounts.forRequest(undefined, undefined)).toBe(own);
    expect(accounts.forRequest("", undefined)).toBe(own);
  });

  it("keeps one client per brought key, least recently used out first", () => {
    const { made, makeClient } = fakeClients();
    const accounts = new Accounts({
      own,
      policy: "optional",
      broughtKeysSandbox: false,
      makeClient,
      maxClients: 2,
    });
    const a = accounts.forRequest("pk_aaaa1111", undefined);
    expect(accounts.forRequest("pk_aaaa1111", undefined).client).toBe(a.client);
    accounts.forRequest("pk_bbbb2222", undefined);
    accounts.forRequest("pk_aaaa1111", undefined); // a is now the most recent
    accounts.forRequest("pk_cccc3333", undefined); // evicts b
    expect(made.map((m) => [m.key, m.closed])).toEqual([
      ["pk_aaaa1111", false],
      ["pk_bbbb2222", true],
      ["pk_cccc3333", false],
    ]);
    expect(accounts.broughtClients).toBe(2);
  });

  it("gives a brought key only its own public key, never the server's", () => {
    const accounts = accountsWith("optional");
    expect(accounts.forRequest("pk_aaaa1111", undefined)).toMatchObject({
      publicKey: undefined,
      sandbox: false,
    });
    expect(accounts.forRequest("pk_aaaa1111", "AbC123").publicKey).toBe("AbC123");
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
