import { existsSync } from "node:fs";
import { createRequire } from "node:module";

// package.json is one level up from src/ (tests, tsx) and two from dist/src/ (the build).
const require = createRequire(import.meta.url);
const path = existsSync(new URL("../package.json", import.meta.url))
  ? "../package.json"
  : "../../package.json";
const pkg = require(path) as { version: string };

export const VERSION: string = pkg.version;
export const USER_AGENT = `klaviyo-mcp/${VERSION}`;
