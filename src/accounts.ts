/**
 * Which Klaviyo account serves a request: the server's own (its key, or the sandbox), or, over
 * HTTP, the one whose key the client brings in X-Klaviyo-API-Key. Each brought key gets its own
 * client (connection pool and throttle), kept so that the key's rate-limit state carries over
 * from one request to the next. At most `maxClients` are kept: to make room, only an idle one is
 * let go (no request holds it, no call queued or in flight), a key Klaviyo refused first, then
 * the least recently used; when none is idle, the newcomer is refused ("busy") rather than
 * anyone's calls cut. Knows nothing of HTTP: refusals are AccountErrors.
 */
import { createHash } from "node:crypto";
import type { KlaviyoClient } from "./klaviyo/client.js";

export interface Account {
  client: KlaviyoClient;
  /** For the client_* tools when no company_id is given. */
  publicKey?: string;
  /** True when the account is the built-in emulator. */
  sandbox: boolean;
}

export type ClientKeyPolicy = "off" | "optional" | "required";

/** How many brought accounts keep a client at once, unless KLAVIYO_MCP_MAX_ACCOUNTS says. */
export const DEFAULT_MAX_ACCOUNTS = 64;

export class AccountError extends Error {
  override name = "AccountError";
  constructor(
    readonly reason: "missing_key" | "bad_key" | "keys_off" | "busy",
    message: string,
  ) {
    super(message);
  }
}

export interface AccountsOptions {
  /** The server's own account; absent when every request must bring a key. */
  own?: Account;
  policy: ClientKeyPolicy;
  /** True when brought keys go to the emulator (an explicit --sandbox server). */
  broughtKeysSandbox: boolean;
  makeClient(apiKey: string): KlaviyoClient;
  /** A client for a Klaviyo account reached through OAuth grants (requests bring the token). */
  makeOAuthClient?(accountId: string): KlaviyoClient;
  /** How many brought keys keep a client at once. Default DEFAULT_MAX_ACCOUNTS. */
  maxClients?: number;
}

/** An account for one request; release it when the request is over. */
export interface AccountLease {
  account: Account;
  release(): void;
}

interface Brought {
  client: KlaviyoClient;
  /** Requests that hold the account (chosen, but maybe not calling yet). */
  holds: number;
}

// Klaviyo private keys are "pk_" plus letters and digits; the emulator's are pk_emulator_<hex>.
const PRIVATE_KEY = /^pk_[A-Za-z0-9_-]{4,250}$/;
const PUBLIC_KEY = /^[A-Za-z0-9]{4,64}$/;

export class Accounts {
  /** Least recently used first (Map order). */
  private readonly brought = new Map<string, Brought>();
  private readonly maxClients: number;

  constructor(private readonly options: AccountsOptions) {
    this.maxClients = options.maxClients ?? DEFAULT_MAX_ACCOUNTS;
    if (!options.own && options.policy !== "required") {
      throw new Error("Accounts: without an own account, every request must bring a key.");
    }
  }

  get own(): Account | undefined {
    return this.options.own;
  }

  /** The account for a request; `apiKey`/`publicKey` are the raw header values, if any. */
  forRequest(apiKey: string | undefined, publicKey: string | undefined): AccountLease {
    if (apiKey === undefined || apiKey === "") {
      if (this.options.own) return { account: this.options.own, release: () => {} };
      throw new AccountError(
        "missing_key",
        "This server serves several Klaviyo accounts: send your private API key in the X-Klaviyo-API-Key header.",
      );
    }
    if (this.options.policy === "off") {
      throw new AccountError(
        "keys_off",
        "This server acts on its own Klaviyo account and does not accept X-Klaviyo-API-Key (KLAVIYO_MCP_CLIENT_KEYS=off): remove the header.",
      );
    }
    if (!PRIVATE_KEY.test(apiKey)) {
      throw new AccountError(
        "bad_key",
        "X-Klaviyo-API-Key must be one Klaviyo private API key (pk_ followed by letters and digits). Public keys (site ids) go in X-Klaviyo-Public-Key.",
      );
    }
    if (publicKey !== undefined && publicKey !== "" && !PUBLIC_KEY.test(publicKey)) {
      throw new AccountError(
        "bad_key",
        "X-Klaviyo-Public-Key must be a Klaviyo public API key (site id): 4 to 64 letters and digits.",
      );
    }
    const entry = this.hold(apiKey);
    let released = false;
    return {
      account: {
        client: entry.client,
        // Never the server's own public key: it belongs to another account.
        publicKey: publicKey || undefined,
        sandbox: this.options.broughtKeysSandbox,
      },
      release: () => {
        if (released) return;
        released = true;
        entry.holds--;
      },
    };
  }

  /**
   * The account of an OAuth session: one client per Klaviyo account, so that every user signed
   * in to it shares its rate limits; each request brings its own grant's token.
   */
  forOAuthAccount(accountId: string): AccountLease {
    const make = this.options.makeOAuthClient;
    if (!make) throw new Error("Accounts: OAuth accounts need makeOAuthClient.");
    const entry = this.hold(`oauth:${accountId}`, () => make(accountId));
    let released = false;
    return {
      account: { client: entry.client, sandbox: this.options.broughtKeysSandbox },
      release: () => {
        if (released) return;
        released = true;
        entry.holds--;
      },
    };
  }

  private hold(apiKey: string, make = () => this.options.makeClient(apiKey)): Brought {
    const id = createHash("sha256").update(apiKey).digest("base64url");
    let entry = this.brought.get(id);
    if (entry) {
      this.brought.delete(id); // re-inserted below: Map order is least recently used first
    } else {
      if (this.brought.size >= this.maxClients) this.letGoOfOneIdle();
      entry = { client: make(), holds: 0 };
    }
    entry.holds++;
    this.brought.set(id, entry);
    return entry;
  }

  /** Closes one idle client to make room, or refuses the newcomer when every one is busy. */
  private letGoOfOneIdle(): void {
    let victim: string | undefined;
    for (const [id, entry] of this.brought) {
      if (entry.holds > 0 || entry.client.active > 0) continue;
      if (entry.client.keyRejected) {
        victim = id;
        break;
      }
      victim ??= id;
    }
    const entry = victim === undefined ? undefined : this.brought.get(victim);
    if (victim === undefined || !entry) {
      throw new AccountError(
        "busy",
        `This server already serves ${this.maxClients} other Klaviyo accounts, each with a request in progress (KLAVIYO_MCP_MAX_ACCOUNTS): retry in a few seconds. Nothing was sent to Klaviyo.`,
      );
    }
    this.brought.delete(victim);
    void entry.client.close();
  }

  /** How many brought keys currently have a client (for tests and diagnostics). */
  get broughtClients(): number {
    return this.brought.size;
  }

  async close(): Promise<void> {
    const clients = [...this.brought.values()].map((entry) => entry.client);
    this.brought.clear();
    await Promise.all([this.options.own?.client.close(), ...clients.map((c) => c.close())]);
  }
}
