/**
 * The options of sign-in with Klaviyo (OAuth for remote MCP clients; docs/oauth.md), declared
 * like every other option and listed in OPTION_DECLARATIONS (src/config/options.ts).
 */
import { z } from "zod";
import { option, switchOption } from "./declaration.js";
import { integer } from "./values.js";

export const OAUTH_OPTIONS = {
  oauth: switchOption({
    flag: "oauth",
    env: "KLAVIYO_MCP_OAUTH",
    default: false,
    http: true,
    help: "Let MCP clients sign in with Klaviyo (OAuth 2.1, MCP authorization spec). On by itself when KLAVIYO_OAUTH_CLIENT_ID and KLAVIYO_OAUTH_CLIENT_SECRET are set; with --sandbox, the emulator plays Klaviyo's sign-in. See docs/oauth.md.",
    readme: {
      meaning:
        "Sign-in with Klaviyo for remote MCP clients (custom connectors); on when the OAuth app's id and secret are set.",
    },
  }),
  oauthClientId: option({
    flag: "oauth-client-id",
    env: "KLAVIYO_OAUTH_CLIENT_ID",
    http: true,
    help: "Client id of your Klaviyo OAuth app (Klaviyo: Settings > Integrations > Manage apps). Its redirect URL must be <public URL>/oauth/callback.",
    readme: {
      meaning: "Client id of the Klaviyo OAuth app (redirect URL: `<public URL>/oauth/callback`).",
    },
    parse: z.string().min(1).optional(),
  }),
  oauthClientSecret: option({
    flag: "oauth-client-secret",
    env: "KLAVIYO_OAUTH_CLIENT_SECRET",
    http: true,
    help: "Client secret of the Klaviyo OAuth app (prefer the environment variable).",
    readme: { meaning: "Client secret of the Klaviyo OAuth app." },
    parse: z.string().min(1).optional(),
  }),
  publicUrl: option({
    flag: "public-url",
    env: "KLAVIYO_MCP_PUBLIC_URL",
    http: true,
    help: "The public base URL clients reach this server at (https://mcp.example.com): the OAuth issuer and resource. Required with OAuth beyond loopback.",
    readme: {
      default: "(http://<host>:<port> on loopback)",
      meaning: "Public base URL of the deployment, for OAuth.",
    },
    parse: z
      .url({ protocol: /^https?$/, message: "must be an http(s) URL" })
      .transform((url) => url.replace(/\/+$/, ""))
      .optional(),
  }),
  oauthEncryptionKey: option({
    flag: "oauth-encryption-key",
    env: "KLAVIYO_OAUTH_ENCRYPTION_KEY",
    http: true,
    help: "32 random bytes in base64 (openssl rand -base64 32) that seal Klaviyo tokens at rest; required with OAuth and Redis, the same on every replica.",
    readme: {
      meaning: "Key (32 bytes, base64) sealing Klaviyo tokens at rest; required with Redis.",
    },
    parse: z.string().min(1).optional(),
  }),
  oauthTokenTtlSeconds: option({
    flag: "oauth-token-ttl-seconds",
    env: "KLAVIYO_OAUTH_TOKEN_TTL_SECONDS",
    default: 3600,
    http: true,
    help: "Lifetime of the access tokens this server issues to MCP clients.",
    readme: { meaning: "Lifetime of this server's OAuth access tokens, in seconds." },
    parse: integer(60, 86_400),
  }),
  oauthKlaviyoAuthorizeUrl: option({
    flag: "oauth-klaviyo-authorize-url",
    env: "KLAVIYO_OAUTH_KLAVIYO_AUTHORIZE_URL",
    default: "https://www.klaviyo.com/oauth/authorize",
    http: true,
    help: "Klaviyo's authorization page (tests and proxies only).",
    readme: { meaning: "Klaviyo's OAuth authorization URL." },
    parse: z.url({ protocol: /^https?$/ }),
  }),
  oauthKlaviyoTokenUrl: option({
    flag: "oauth-klaviyo-token-url",
    env: "KLAVIYO_OAUTH_KLAVIYO_TOKEN_URL",
    default: "https://a.klaviyo.com/oauth/token",
    http: true,
    help: "Klaviyo's token endpoint (tests and proxies only).",
    readme: { meaning: "Klaviyo's OAuth token URL." },
    parse: z.url({ protocol: /^https?$/ }),
  }),
  oauthKlaviyoRevokeUrl: option({
    flag: "oauth-klaviyo-revoke-url",
    env: "KLAVIYO_OAUTH_KLAVIYO_REVOKE_URL",
    default: "https://a.klaviyo.com/oauth/revoke",
    http: true,
    help: "Klaviyo's revocation endpoint (tests and proxies only).",
    readme: { meaning: "Klaviyo's OAuth revocation URL." },
    parse: z.url({ protocol: /^https?$/ }),
  }),
};
