/**
 * Sign-in with Klaviyo as a person does it: a real Chromium (playwright-core, Debian's
 * /usr/bin/chromium) opens the authorize URL of the built CLI (`--sandbox --oauth`), reads and
 * clicks this server's consent page, then the emulator's Klaviyo consent page, and lands on a
 * local callback server; the code then buys a token that lists the tools over /mcp. Deny on
 * either page must reach the client as access_denied. Screenshots of every page go to
 * test/artifacts/oauth/ (gitignored; CI keeps them as an artefact).
 */
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectHttp,
  killCliProcesses,
  type StartedCli,
  startCli,
} from "../support/cli-process.js";

const ARTIFACTS = resolve(import.meta.dirname, "../artifacts/oauth");
const LONG = 120_000;

/** Debian's chromium, at its usual place or on PATH. */
function findChromium(): string | undefined {
  if (existsSync("/usr/bin/chromium")) return "/usr/bin/chromium";
  const found = spawnSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() || undefined : undefined;
}

const executablePath = findChromium();
if (!executablePath && process.env.KLAVIYO_TEST_REQUIRE_BROWSER === "1") {
  throw new Error(
    "chromium is not installed (/usr/bin/chromium or on PATH), and KLAVIYO_TEST_REQUIRE_BROWSER=1 is set (.ci/run).",
  );
}
const title = executablePath
  ? "OAuth sign-in in a real browser"
  : "OAuth sign-in in a real browser (skipped: chromium is not installed; apt-get install chromium)";

/** Where the browser ends: the MCP client's redirect_uri, recording what arrives. */
interface CallbackServer {
  url: string;
  hits: URL[];
  close(): Promise<void>;
}

async function startCallbackServer(): Promise<CallbackServer> {
  const hits: URL[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname === "/callback") hits.push(url);
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end("<!doctype html><title>Callback</title><h1>Back at the MCP client</h1>");
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/callback`,
    hits,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

/** One authorization attempt's client side: PKCE verifier, state, and its authorize URL. */
function authorizeRequest(base: string, clientId: string, redirectUri: string) {
  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(12).toString("base64url");
  const url = new URL(`${base}/authorize`);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: redirectUri,
    state,
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    resource: `${base}/mcp`,
  }).toString();
  return { verifier, state, url: url.toString() };
}

describe.skipIf(!executablePath)(title, () => {
  let server: StartedCli;
  let base: string;
  let callback: CallbackServer;
  let browser: Browser;
  let clientId: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    [server, callback, browser] = await Promise.all([
      startCli(["--sandbox", "--oauth"]),
      startCallbackServer(),
      chromium.launch({ executablePath, args: ["--no-sandbox"], timeout: LONG }),
    ]);
    base = server.url.replace(/\/mcp$/, "");
    const registered = await fetch(`${base}/register`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        client_name: "Browser test",
        redirect_uris: [callback.url],
        token_endpoint_auth_method: "none",
      }),
    });
    expect(registered.status).toBe(201);
    clientId = ((await registered.json()) as { client_id: string }).client_id;
  }, LONG);

  afterAll(async () => {
    await browser?.close();
    await callback?.close();
    killCliProcesses();
  });

  /** A fresh browser context per run; on failure, a screenshot of wherever it stopped. */
  async function inBrowser<T>(run: string, steps: (page: Page) => Promise<T>): Promise<T> {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    try {
      return await steps(page);
    } catch (error) {
      await page.screenshot({ path: `${ARTIFACTS}/${run}-failed.png` }).catch(() => undefined);
      throw error;
    } finally {
      await context.close();
    }
  }

  const snap = (page: Page, run: string, name: string) =>
    page.screenshot({ path: `${ARTIFACTS}/${run}-${name}.png`, fullPage: true });

  /** Page 1, this server's consent: it names the client, where it goes back to, and scopes. */
  async function onServerConsent(page: Page, run: string): Promise<void> {
    expect(new URL(page.url()).origin).toBe(base);
    await expect(page.title()).resolves.toBe("Allow access to Klaviyo?");
    const text = (await page.locator("body").textContent()) ?? "";
    expect(text).toContain("Browser test");
    expect(text).toContain(callback.url);
    expect(text).toContain("accounts:read");
    await snap(page, run, "1-klaviyo-mcp-consent");
  }

  /** Page 2, the emulator playing Klaviyo's consent page (another origin). */
  async function onKlaviyoConsent(page: Page, run: string): Promise<void> {
    const url = new URL(page.url());
    expect(url.origin !== base && url.pathname, await landed(page)).toBe("/oauth/authorize");
    await expect(page.title()).resolves.toBe("Klaviyo: authorize app");
    await expect(page.locator(".scopes li").count()).resolves.toBeGreaterThan(0);
    await snap(page, run, "2-klaviyo-consent");
  }

  /** The browser is back at the client: what the redirect carried. */
  async function atCallback(page: Page, run: string): Promise<URLSearchParams> {
    expect(page.url().startsWith(`${callback.url}?`), await landed(page)).toBe(true);
    await snap(page, run, "3-callback");
    const hit = callback.hits.at(-1);
    expect(hit, "the callback server got no request").toBeDefined();
    return (hit as URL).searchParams;
  }

  /** Clicks a consent button and waits for wherever the redirects end (loaded). */
  async function click(page: Page, name: "Allow" | "Deny"): Promise<void> {
    const before = page.url();
    await Promise.all([
      page.waitForURL((url) => url.href !== before),
      page.getByRole("button", { name, exact: true }).click(),
    ]);
  }

  /** Where the browser is and what it shows: the message of a failed expectation. */
  const landed = async (page: Page) =>
    `landed on ${new URL(page.url()).pathname}: ${((await page.locator("body").textContent()) ?? "").slice(0, 300)}`;

  it(
    "Allow on both pages: the code buys a token that lists the tools",
    async () => {
      const request = authorizeRequest(base, clientId, callback.url);
      const params = await inBrowser("allow", async (page) => {
        await page.goto(request.url);
        await onServerConsent(page, "allow");
        await click(page, "Allow");
        await onKlaviyoConsent(page, "allow");
        await click(page, "Allow");
        return atCallback(page, "allow");
      });
      expect(params.get("error")).toBeNull();
      expect(params.get("state")).toBe(request.state);
      expect(params.get("iss")).toBe(base);
      const code = params.get("code");
      expect(code, "no code in the redirect").toBeTruthy();

      const exchanged = await fetch(`${base}/token`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code: code as string,
          redirect_uri: callback.url,
          client_id: clientId,
          code_verifier: request.verifier,
        }),
      });
      expect(exchanged.status).toBe(200);
      const tokens = (await exchanged.json()) as { access_token: string; token_type: string };
      expect(tokens.token_type.toLowerCase()).toBe("bearer");

      const client = await connectHttp(server.url, {
        Authorization: `Bearer ${tokens.access_token}`,
      });
      try {
        const { tools } = await client.listTools();
        expect(tools.length).toBeGreaterThan(0);
        expect(tools.map((tool) => tool.name)).toContain("get_profiles");
      } finally {
        await client.close();
      }
    },
    LONG,
  );

  it(
    "Deny on this server's page: the client gets access_denied, and Klaviyo is never shown",
    async () => {
      const request = authorizeRequest(base, clientId, callback.url);
      const params = await inBrowser("deny-here", async (page) => {
        await page.goto(request.url);
        await onServerConsent(page, "deny-here");
        await click(page, "Deny");
        return atCallback(page, "deny-here");
      });
      expect(params.get("error")).toBe("access_denied");
      expect(params.has("code")).toBe(false);
      expect(params.get("state")).toBe(request.state);
      expect(params.get("iss")).toBe(base);
    },
    LONG,
  );

  it(
    "Allow here, then Deny at Klaviyo: the client gets access_denied",
    async () => {
      const request = authorizeRequest(base, clientId, callback.url);
      const params = await inBrowser("deny-at-klaviyo", async (page) => {
        await page.goto(request.url);
        await onServerConsent(page, "deny-at-klaviyo");
        await click(page, "Allow");
        await onKlaviyoConsent(page, "deny-at-klaviyo");
        await click(page, "Deny");
        return atCallback(page, "deny-at-klaviyo");
      });
      expect(params.get("error")).toBe("access_denied");
      expect(params.has("code")).toBe(false);
      expect(params.get("state")).toBe(request.state);
      expect(params.get("iss")).toBe(base);
    },
    LONG,
  );
});
