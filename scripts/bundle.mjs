// The CLI as one file (plus chunks for what only some runs load: the emulator, the HTTP stack,
// Redis, beta tools, each toolset's input and request schemas), dependencies included. Node then
// reads and compiles a few files instead of resolving hundreds, which was most of a stdio
// start-up. Run after tsc: the tools/list entries of every tool are computed with tsc's output
// and built into the bundle, so that a start-up offering every tool computes no listing.
// Not minified, so a stack trace names real functions; the source map (node
// --enable-source-maps) gives the TypeScript lines. The licences of the bundled packages go to
// dist/src/THIRD-PARTY-NOTICES.txt.
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = (path) => pathToFileURL(join(root, "dist", path)).href;
const { loadToolCatalog } = await import(dist("src/config/catalog.js"));
const { listTools } = await import(dist("src/engine/surface/listing.js"));
const { loadSchemas } = await import(dist("src/engine/definition.js"));

/**
 * Every tool's entry, as prepareToolSurface would list a selection of all of them. With beta,
 * only the beta tools' entries: a stable tool's entry is the same with or without --beta.
 */
async function listing(beta) {
  const { definitions } = await loadToolCatalog(beta);
  await loadSchemas(definitions);
  const entries = listTools(definitions, definitions);
  return beta ? entries.filter((_, index) => definitions[index].beta) : entries;
}

/**
 * JSON whose text is ASCII, as a JavaScript string literal. V8 keeps a string with any character
 * beyond Latin-1 at two bytes per character: the JSON text itself (which JSON.parse reads) stays
 * one-byte only if its characters are JSON escapes; esbuild's `charset: "ascii"` alone would
 * escape them in the source, but the string would hold the characters again.
 */
const asciiJsonLiteral = (value) => JSON.stringify(escapeNonAscii(JSON.stringify(value)));

/** Every character beyond ASCII as a \uXXXX escape (valid in JSON, strings and comments). */
function escapeNonAscii(text) {
  return text.replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

const prebuilt = {
  "prebuilt-listing.ts": `export const PREBUILT_LISTING = JSON.parse(${asciiJsonLiteral(await listing(false))});`,
  "prebuilt-beta-listing.ts": `export const PREBUILT_BETA_LISTING = JSON.parse(${asciiJsonLiteral(await listing(true))});`,
};

rmSync(join(root, "dist/src/chunks"), { recursive: true, force: true });
const { metafile } = await build({
  absWorkingDir: root,
  entryPoints: { cli: "src/cli.ts" },
  outdir: "dist/src",
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  sourcesContent: false,
  logLevel: "warning",
  // ASCII only (see asciiJsonLiteral). Licence comments, where a name like "Wärting" would
  // make V8 hold a whole chunk at two bytes per character, are left out: the notices file below
  // holds each bundled package's licence in full.
  charset: "ascii",
  legalComments: "none",
  metafile: true,
  // The CommonJS dependencies (pino, ioredis, bottleneck) call require.
  banner: {
    js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
  },
  plugins: [
    {
      name: "prebuilt-listing",
      setup(build) {
        build.onLoad({ filter: /src[\\/]config[\\/]prebuilt-(beta-)?listing\.ts$/ }, (args) => ({
          contents: prebuilt[args.path.split(/[\\/]/).pop()],
          loader: "js",
        }));
      },
    },
  ],
});

// esbuild escapes every string, but keeps a few comments as written (one of the SDK's has an
// em dash): those characters become escapes too.
for (const name of [
  "cli.js",
  ...readdirSync(join(root, "dist/src/chunks")).map((f) => `chunks/${f}`),
]) {
  if (!name.endsWith(".js")) continue;
  const file = join(root, "dist/src", name);
  const text = readFileSync(file, "utf8");
  const escaped = escapeNonAscii(text);
  if (escaped !== text) writeFileSync(file, escaped);
}

/** The packages whose code the bundle holds, each with its licence text. */
function thirdPartyNotices() {
  const packages = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) packages.add(match[1]);
  }
  const notices = [...packages].sort().map((name) => {
    const dir = join(root, "node_modules", name);
    const { version, license } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    const text = file ? readFileSync(join(dir, file), "utf8").trim() : `License: ${license}`;
    return `${name}@${version} (${license})\n\n${text}`;
  });
  return `klaviyo-mcp's bundle (dist/src/cli.js and dist/src/chunks/) includes these packages.\n\n${notices.join(`\n\n${"-".repeat(78)}\n\n`)}\n`;
}
writeFileSync(join(root, "dist/src/THIRD-PARTY-NOTICES.txt"), thirdPartyNotices());
