/**
 * Klaviyo's side of OAuth: the authorize URL, the code exchange, and each grant's access token,
 * refreshed ahead of its expiry (one refresh per grant at a time in this process), revoked on
 * request. Klaviyo authenticates this app with HTTP Basic (client id and secret). No token, code,
 * verifier or secret ever reaches an error message or a log line. See docs/oauth.md.
 */
import { randomBytes } from "node:crypto";
import { fetch as undiciFetch } from "undici";
import { KLAVIYO_REVISION } from "../../tools/index.js";
import { isRecord } from "../json.js";
import { KlaviyoError, KlaviyoGrantRevokedError } from "../klaviyo/errors.js";
import { redactSecrets, redactText } from "../klaviyo/redact.js";
import type { Logger } from "../logger.js";
import type { KlaviyoGrant, OAuthStore, Sealer } from "./types.js";

/** Klaviyo documents one hour; used when its answer leaves expires_in out. */
const DEFAULT_EXPIRES_IN_SECONDS = 3600;
const DEFAULT_REFRESH_AHEAD_MS = 5 * 60_000;
const DEFAULT_TIMEOUT_MS = 30_000;
const DESCRIPTION_CHARS = 200;

export interface KlaviyoOAuthOptions {
  clientId: string;
  clientSecret: string;
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  /** This server's /oauth/callback, as registered with the Klaviyo app. */
  redirectUri: string;
  sealer: Sealer;
  store: OAuthStore;
  /** Epoch milliseconds; tests pin it. */
  now?: () => number;
  fetch?: typeof undiciFetch;
  logger: Logger;
  /** Refresh a token that expires within this long. Default 5 minutes. */
  refreshAheadMs?: number;
  /** Per request to Klaviyo. Default 30 s. */
  timeoutMs?: number;
  /** The `revision` header of GET /api/accounts. Default: the catalog's revision. */
  apiRevision?: string;
}

/** What Klaviyo's token endpoint answered, as this server keeps it. */
export interface KlaviyoTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  scopes: string[];
}

/**
 * Klaviyo refused or failed an OAuth request. `oauthError` is Klaviyo's standard code when it
 * sent one (invalid_grant, invalid_client, ...), else server_error or temporarily_unavailable.
 */
export class KlaviyoOAuthError extends KlaviyoError {
  override name = "KlaviyoOAuthError";
  constructor(
    readonly oauthError: string,
    message: string,
    /** Klaviyo's HTTP status; undefined when it was not reached. */
    readonly status?: number,
  ) {
    super(message);
    this.outcome = "not_applied";
  }
}

type Step = "code exchange" | "token refresh" | "account lookup";

export class KlaviyoOAuth {
  readonly #opts: KlaviyoOAuthOptions;
  readonly #now: () => number;
  readonly #fetch: typeof undiciFetch;
  readonly #refreshAheadMs: number;
  readonly #timeoutMs: number;
  /** Refreshes under way, by grant id: concurrent callers share one. */
  readonly #refreshing = new Map<string, Promise<string>>();

  constructor(opts: KlaviyoOAuthOptions) {
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
    this.#fetch = opts.fetch ?? undiciFetch;
    this.#refreshAheadMs = opts.refreshAheadMs ?? DEFAULT_REFRESH_AHEAD_MS;
    this.#timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Where to send the user's browser: Klaviyo's consent page, with this server's PKCE. */
  authorizeUrl(params: { state: string; scopes: string[]; codeChallenge: string }): string {
    const url = new URL(this.#opts.authorizeUrl);
    const pairs: Array<[string, string]> = [
      ["response_type", "code"],
      ["client_id", this.#opts.clientId],
      ["redirect_uri", this.#opts.redirectUri],
      ["scope", params.scopes.join(" ")],
      ["state", params.state],
      ["code_challenge", params.codeChallenge],
      ["code_challenge_method", "S256"],
    ];
    // encodeURIComponent, not URLSearchParams: a space in scope goes as %20, never "+".
    const added = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
    url.search = url.search ? `${url.search.slice(1)}&${added}` : added;
    return url.toString();
  }

  async exchangeCode(code: string, verifier: string): Promise<KlaviyoTokens> {
    const form = {
      grant_type: "authorization_code",
      code,
      code_verifier: verifier,
      redirect_uri: this.#opts.redirectUri,
    };
    const tokens = await this.#tokenRequest("code exchange", form, [code, verifier]);
    if (!tokens.refreshToken) {
      throw new KlaviyoOAuthError("server_error", "Klaviyo's code exchange sent no refresh token");
    }
    return { ...tokens, refreshToken: tokens.refreshToken };
  }

  /** Seals the tokens and stores them as a new grant. */
  async createGrant(tokens: KlaviyoTokens, accountId: string): Promise<KlaviyoGrant> {
    const { sealer } = this.#opts;
    const grant: KlaviyoGrant = {
      id: randomBytes(24).toString("base64url"),
      account_id: accountId,
      scopes: tokens.scopes,
      access_token_sealed: sealer.seal(tokens.accessToken),
      access_expires_at: tokens.expiresAt,
      refresh_token_sealed: sealer.seal(tokens.refreshToken),
      created_at: this.#now(),
    };
    await this.#opts.store.putGrant(grant);
    return grant;
  }

  /**
   * The grant's Klaviyo access token, refreshed first when it expires within refreshAheadMs.
   * Throws KlaviyoGrantRevokedError when the grant is gone or Klaviyo refuses its refresh token.
   */
  async accessToken(grantId: string): Promise<string> {
    const joined = this.#refreshing.get(grantId);
    if (joined) return joined;
    const grant = await this.#grant(grantId);
    if (!this.#due(grant)) return this.#open(grant.access_token_sealed);
    return this.#refreshOnce(grantId);
  }

  /** Tells Klaviyo to revoke the grant (best effort), then forgets it. */
  async revokeGrant(grantId: string): Promise<void> {
    const grant = await this.#opts.store.getGrant(grantId);
    if (!grant) return;
    try {
      const token = this.#open(grant.refresh_token_sealed);
      const body = new URLSearchParams({ token, token_type_hint: "refresh_token" });
      const res = await this.#post(this.#opts.revokeUrl, body);
      await res.body?.cancel();
      if (!res.ok) {
        this.#opts.logger.warn({ grantId, status: res.status }, "Klaviyo refused a revocation");
      }
    } catch (error) {
      // Forgetting the grant matters more than telling Klaviyo: go on.
      this.#opts.logger.warn({ grantId, error: errorName(error) }, "Klaviyo revocation failed");
    }
    await this.#opts.store.deleteGrant(grantId);
  }

  /** The Klaviyo account a fresh access token belongs to: GET /api/accounts, data[0].id. */
  async accountIdFor(accessToken: string, apiBaseUrl: string): Promise<string> {
    const url = `${apiBaseUrl.replace(/\/+$/, "")}/api/accounts`;
    let res: Awaited<ReturnType<typeof undiciFetch>>;
    let text: string;
    try {
      res = await this.#fetch(url, {
        headers: {
          authorization: `Bearer ${accessToken}`,
          accept: "application/vnd.api+json",
          revision: this.#opts.apiRevision ?? KLAVIYO_REVISION,
        },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      text = await res.text();
    } catch (error) {
      throw unreachable("account lookup", error);
    }
    if (!res.ok) {
      const code =
        res.status === 401
          ? "invalid_grant"
          : res.status === 403
            ? "invalid_scope"
            : "server_error";
      const why = res.status === 403 ? ": the sign-in must grant the accounts:read scope" : "";
      throw new KlaviyoOAuthError(
        code,
        `Klaviyo refused the account lookup (HTTP ${res.status})${why}`,
        res.status,
      );
    }
    const body = parseJson(text);
    const first = isRecord(body) && Array.isArray(body.data) ? body.data[0] : undefined;
    const id = isRecord(first) ? first.id : undefined;
    if (typeof id !== "string" || id === "") {
      throw new KlaviyoOAuthError("server_error", "Klaviyo's account lookup named no account");
    }
    return id;
  }

  #due(grant: KlaviyoGrant): boolean {
    return grant.access_expires_at - this.#now() <= this.#refreshAheadMs;
  }

  async #grant(grantId: string): Promise<KlaviyoGrant> {
    const grant = await this.#opts.store.getGrant(grantId);
    if (!grant) throw new KlaviyoGrantRevokedError();
    return grant;
  }

  #open(sealed: string): string {
    try {
      return this.#opts.sealer.open(sealed);
    } catch {
      // A changed encryption key: the grant cannot be used, and only a new sign-in helps.
      this.#opts.logger.error(
        {},
        "A Klaviyo grant could not be unsealed (encryption key changed?)",
      );
      throw new KlaviyoGrantRevokedError();
    }
  }

  #refreshOnce(grantId: string): Promise<string> {
    const joined = this.#refreshing.get(grantId);
    if (joined) return joined;
    const flight = this.#refresh(grantId).finally(() => this.#refreshing.delete(grantId));
    this.#refreshing.set(grantId, flight);
    return flight;
  }

  async #refresh(grantId: string): Promise<string> {
    // Read again: a refresh that just ended here may have stored a fresh token already.
    const grant = await this.#grant(grantId);
    if (!this.#due(grant)) return this.#open(grant.access_token_sealed);
    const refreshToken = this.#open(grant.refresh_token_sealed);
    const form = { grant_type: "refresh_token", refresh_token: refreshToken };
    let tokens: Omit<KlaviyoTokens, "refreshToken"> & { refreshToken?: string };
    try {
      tokens = await this.#tokenRequest("token refresh", form, [refreshToken]);
    } catch (error) {
      if (error instanceof KlaviyoOAuthError && error.oauthError === "invalid_grant") {
        await this.#opts.store.deleteGrant(grantId);
        this.#opts.logger.info({ grantId }, "Klaviyo refused a grant's refresh: grant deleted");
        throw new KlaviyoGrantRevokedError();
      }
      // Refreshing ahead is a precaution: a token that still works is better than an error.
      if (grant.access_expires_at > this.#now()) {
        this.#opts.logger.warn(
          { grantId, error: errorName(error) },
          "Klaviyo token refresh failed; the current token is still valid",
        );
        return this.#open(grant.access_token_sealed);
      }
      throw error;
    }
    const { sealer } = this.#opts;
    await this.#opts.store.putGrant({
      ...grant,
      access_token_sealed: sealer.seal(tokens.accessToken),
      access_expires_at: tokens.expiresAt,
      // Klaviyo may keep the refresh token or rotate it.
      ...(tokens.refreshToken !== undefined && {
        refresh_token_sealed: sealer.seal(tokens.refreshToken),
      }),
      ...(tokens.scopes.length > 0 && { scopes: tokens.scopes }),
    });
    this.#opts.logger.debug({ grantId, expiresAt: tokens.expiresAt }, "Klaviyo token refreshed");
    return tokens.accessToken;
  }

  /** POST tokenUrl; `sent` are the secrets of this request, scrubbed from any error text. */
  async #tokenRequest(
    step: Step,
    form: Record<string, string>,
    sent: string[],
  ): Promise<Omit<KlaviyoTokens, "refreshToken"> & { refreshToken?: string }> {
    let res: Awaited<ReturnType<typeof undiciFetch>>;
    let text: string;
    try {
      res = await this.#post(this.#opts.tokenUrl, new URLSearchParams(form));
      text = await res.text();
    } catch (error) {
      throw unreachable(step, error);
    }
    const body = parseJson(text);
    if (!res.ok) throw this.#refusal(step, res.status, body, sent);
    const accessToken = isRecord(body) ? body.access_token : undefined;
    if (!isRecord(body) || typeof accessToken !== "string" || accessToken === "") {
      throw new KlaviyoOAuthError("server_error", `Klaviyo's ${step} answered without a token`);
    }
    const expiresIn =
      typeof body.expires_in === "number" && body.expires_in > 0
        ? body.expires_in
        : DEFAULT_EXPIRES_IN_SECONDS;
    const refreshToken = typeof body.refresh_token === "string" ? body.refresh_token : "";
    return {
      accessToken,
      ...(refreshToken !== "" && { refreshToken }),
      expiresAt: this.#now() + expiresIn * 1000,
      scopes: typeof body.scope === "string" ? body.scope.split(" ").filter(Boolean) : [],
    };
  }

  /** Klaviyo's OAuth error, with its description scrubbed of everything this request sent. */
  #refusal(step: Step, status: number, body: unknown, sent: string[]): KlaviyoOAuthError {
    const record = isRecord(body) ? body : {};
    const given = typeof record.error === "string" ? record.error : "";
    const code = /^[a-z_]{1,40}$/.test(given) ? given : "server_error";
    const secrets = [...sent, this.#opts.clientSecret];
    const raw = typeof record.error_description === "string" ? record.error_description : "";
    const description = redactSecrets(redactText(raw, secrets)).slice(0, DESCRIPTION_CHARS);
    return new KlaviyoOAuthError(
      code,
      `Klaviyo refused the ${step} (HTTP ${status}, ${code})${description && `: ${description}`}`,
      status,
    );
  }

  #post(url: string, body: URLSearchParams) {
    const basic = Buffer.from(`${this.#opts.clientId}:${this.#opts.clientSecret}`).toString(
      "base64",
    );
    return this.#fetch(url, {
      method: "POST",
      headers: {
        authorization: `Basic ${basic}`,
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      },
      body: body.toString(),
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
  }
}

/** A failure to reach Klaviyo: only the error's name and code, never its text (it may quote). */
function unreachable(step: Step, error: unknown): KlaviyoOAuthError {
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  const detail = typeof code === "string" ? code : errorName(error);
  return new KlaviyoOAuthError(
    "temporarily_unavailable",
    `Could not reach Klaviyo for the ${step} (${detail})`,
  );
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
