/**
 * API calls made with `Authorization: Bearer <access token>`: accepted like a key, limited to
 * the grant's scopes.
 */
import { ApiError } from "../api-error.js";
import type { EmulatedOperation } from "../operation-types.js";
import type { Store } from "../store.js";
import { missingGrantScopes } from "./protocol.js";
import type { OAuthProvider } from "./provider.js";

/** Any valid token may read the account: an app needs its id before anything else. */
const OPEN_TO_EVERY_TOKEN = new Set(["get_accounts"]);

/** The caller's rate-limit identity (per grant), or an ApiError (401 or 403). */
export function authenticateBearer(
  provider: OAuthProvider,
  accessToken: string,
  op: EmulatedOperation,
): string {
  const caller = provider.authenticateBearer(accessToken);
  if (!caller) {
    throw new ApiError(
      401,
      "The access token is invalid, expired or revoked. Refresh it or authorize the app again.",
    );
  }
  if (!OPEN_TO_EVERY_TOKEN.has(op.id)) {
    const missing = missingGrantScopes(caller.scopes, op.scopes);
    if (missing.length > 0) {
      throw new ApiError(
        403,
        `This access token is missing required scopes: ${missing.join(", ")}.`,
      );
    }
  }
  return `oauth:${caller.grantId}`;
}

/** The name the consent page shows: the account's organization name when it has one. */
export function accountNameOf(store: Store, accountId: string): string {
  const info = store.get("account", accountId)?.attributes.contact_information as
    | { organization_name?: unknown }
    | undefined;
  const name = info?.organization_name;
  return typeof name === "string" && name ? name : "Klaviyo account";
}
