/**
 * Signing in as a user would, without a browser: follows the authorization URL through this
 * server's consent page and the emulator's Klaviyo page (parsing each form and posting it back),
 * to the client's redirect. And an in-memory OAuthClientProvider for the SDK's own client flow.
 */
import { createHash, randomBytes } from "node:crypto";
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from "@modelcontextprotocol/sdk/shared/auth.js";

const decode = (text: string) =>
  text
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");

/** A page's form: where it posts, and its hidden fields. */
export function parseForm(
  html: string,
  pageUrl: string,
): { action: string; fields: URLSearchParams } {
  const action = /<form[^>]*action="([^"]*)"/.exec(html)?.[1];
  if (action === undefined) throw new Error(`No form on ${pageUrl}: ${html.slice(0, 300)}`);
  const fields = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields.set(decode(match[1] as string), decode(match[2] as string));
  }
  return { action: new URL(decode(action), pageUrl).toString(), fields };
}

async function getPage(url: string): Promise<string> {
  const response = await fetch(url, { redirect: "manual" });
  const html = await response.text();
  if (response.status !== 200)
    throw new Error(`GET ${url}: ${response.status} ${html.slice(0, 300)}`);
  return html;
}

async function post(action: string, fields: URLSearchParams, decision: "allow" | "deny") {
  fields.set("decision", decision);
  const response = await fetch(action, {
    method: "POST",
    redirect: "manual",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      // A browser posting the page's own form sends its origin.
      Origin: new URL(action).origin,
    },
    body: fields.toString(),
  });
  const location = response.headers.get("location");
  if (response.status !== 302 || !location) {
    throw new Error(`POST ${action}: ${response.status} ${await response.text()}`);
  }
  return new URL(location, action).toString();
}

/**
 * Clicks through both consent pages. Returns the URL the browser lands on at the client
 * (its redirect_uri with code, state and iss, or an error). `deny`: where to click Deny.
 */
export async function signIn(
  authorizationUrl: string | URL,
  deny?: "server" | "klaviyo",
): Promise<URL> {
  const first = authorizationUrl.toString();
  const page1 = parseForm(await getPage(first), first);
  const toKlaviyo = await post(page1.action, page1.fields, deny === "server" ? "deny" : "allow");
  if (deny === "server") return new URL(toKlaviyo);
  const page2 = parseForm(await getPage(toKlaviyo), toKlaviyo);
  const callback = await post(page2.action, page2.fields, deny === "klaviyo" ? "deny" : "allow");
  const back = await fetch(callback, { redirect: "manual" });
  const location = back.headers.get("location");
  if (back.status !== 302 || !location) {
    throw new Error(`GET ${callback}: ${back.status} ${await back.text()}`);
  }
  return new URL(location);
}

/** The SDK's client side of OAuth, kept in memory; `authorizationUrl` is where it sent the user. */
export class MemoryOAuthProvider implements OAuthClientProvider {
  authorizationUrl?: URL;
  information?: OAuthClientInformationMixed;
  saved?: OAuthTokens;
  private verifier = "";

  constructor(
    readonly metadata: OAuthClientMetadata,
    readonly clientMetadataUrl?: string,
  ) {}

  get redirectUrl(): string {
    return this.metadata.redirect_uris[0] as string;
  }
  get clientMetadata(): OAuthClientMetadata {
    return this.metadata;
  }
  clientInformation() {
    return this.information;
  }
  saveClientInformation(information: OAuthClientInformationMixed) {
    this.information = information;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}

/**
 * The code flow by hand (what the SDK does, with the parameters chosen here): authorize URL
 * with PKCE S256, both consent pages, then the code exchanged at /token.
 */
export async function authorizeByHand(
  base: string,
  clientId: string,
  options: { scope?: string; redirectUri: string },
): Promise<{ access_token: string; refresh_token: string; scope: string }> {
  const verifier = randomBytes(32).toString("base64url");
  const url = new URL(`${base}/authorize`);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: options.redirectUri,
    state: "hand-made",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    resource: `${base}/mcp`,
    ...(options.scope ? { scope: options.scope } : {}),
  }).toString();
  const landed = await signIn(url);
  const code = landed.searchParams.get("code");
  if (!code) throw new Error(`No code: ${landed}`);
  const response = await fetch(`${base}/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: options.redirectUri,
      client_id: clientId,
      code_verifier: verifier,
      resource: `${base}/mcp`,
    }),
  });
  const tokens = (await response.json()) as {
    access_token: string;
    refresh_token: string;
    scope: string;
  };
  if (response.status !== 200) throw new Error(`/token: ${JSON.stringify(tokens)}`);
  return tokens;
}
