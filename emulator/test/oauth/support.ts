/** Driving the emulator's OAuth as an app and a user would: plain HTTP, forms parsed from HTML. */
import { createHash, randomBytes } from "node:crypto";
import type { Emulator } from "../../emulator.js";

export const CLIENT = { id: "app-1", secret: "s3cret-app-1", redirect: "https://app.test/cb" };

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function pkce(): Pkce {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
}

export function authorizeUrl(emulator: Emulator, params: Record<string, string | undefined>) {
  const url = new URL(oauthUrls(emulator).authorize);
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.set(name, value);
  return url;
}

export function oauthUrls(emulator: Emulator) {
  if (!emulator.oauthUrls) throw new Error("the emulator was started without oauth");
  return emulator.oauthUrls;
}

/** The consent form as a browser sees it: where it posts and its hidden fields. */
export function parseConsentForm(html: string): { action: string; fields: Record<string, string> } {
  const form = /<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/.exec(html);
  if (!form?.[1] || form[2] === undefined) throw new Error(`no consent form in ${html}`);
  const fields: Record<string, string> = {};
  for (const input of form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    fields[input[1] as string] = input[2] as string;
  return { action: form[1], fields };
}

/** GET /oauth/authorize, then a click on Allow or Deny; returns the redirect's URL. */
export async function consent(
  emulator: Emulator,
  decision: "allow" | "deny",
  options: { scope?: string; state?: string; challenge: string; redirect?: string },
): Promise<URL> {
  const page = await fetch(
    authorizeUrl(emulator, {
      response_type: "code",
      client_id: CLIENT.id,
      redirect_uri: options.redirect ?? CLIENT.redirect,
      scope: options.scope ?? "profiles:read lists:write",
      state: options.state ?? "st-1",
      code_challenge: options.challenge,
      code_challenge_method: "S256",
    }),
  );
  if (page.status !== 200) throw new Error(`authorize answered ${page.status}`);
  const form = parseConsentForm(await page.text());
  const answer = await fetch(new URL(form.action, emulator.url), {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...form.fields, decision }),
  });
  if (answer.status !== 302) throw new Error(`consent answered ${answer.status}`);
  return new URL(answer.headers.get("location") ?? "");
}

export interface TokenAnswer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read the token endpoint's JSON
  body: any;
}

/** POST a form to the token or revoke endpoint, with the app's Basic credentials by default. */
export async function postForm(
  url: string,
  form: Record<string, string>,
  authorization: string | undefined = basic(CLIENT.id, CLIENT.secret),
): Promise<TokenAnswer> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      ...(authorization ? { Authorization: authorization } : {}),
    },
    body: new URLSearchParams(form),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

/** Allow, then exchange the code: the app's first token pair. */
export async function signIn(emulator: Emulator, scope?: string): Promise<TokenAnswer> {
  const { verifier, challenge } = pkce();
  const back = await consent(emulator, "allow", { scope, challenge });
  return postForm(oauthUrls(emulator).token, {
    grant_type: "authorization_code",
    code: back.searchParams.get("code") ?? "",
    code_verifier: verifier,
    redirect_uri: CLIENT.redirect,
  });
}

/** An API call with a bearer token. */
export async function bearerCall(emulator: Emulator, token: string, path: string) {
  const response = await fetch(`${emulator.url}${path}`, {
    headers: { Authorization: `Bearer ${token}`, revision: "2026-07-15" },
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON:API documents
  return { status: response.status, body: (await response.json()) as any };
}
