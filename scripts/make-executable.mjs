// The bundle (scripts/bundle.mjs) has no executable bit; the bin entry needs it for `npx klaviyo-mcp`.
import { chmodSync } from "node:fs";

chmodSync(new URL("../dist/src/cli.js", import.meta.url), 0o755);
