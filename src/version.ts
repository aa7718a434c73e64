import { existsSync, readFileSync } from "node:fs";

/**
 * The project's package.json, the nearest one up: one level above src/ (tests, tsx), two above
 * dist/src/ (tsc's output), three above dist/src/chunks/ (the bundle's chunks).
 */
function packageJson(): { version: string } {
  let dir = new URL(".", import.meta.url);
  for (let depth = 0; depth < 4; depth++) {
    const candidate = new URL("package.json", dir);
    if (existsSync(candidate)) return JSON.parse(readFileSync(candidate, "utf8"));
    dir = new URL("..", dir);
  }
  throw new Error(`no package.json above ${import.meta.url}`);
}

export const VERSION: string = packageJson().version;
export const USER_AGENT = `klaviyo-mcp/${VERSION}`;
