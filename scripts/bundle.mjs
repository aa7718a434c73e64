// The CLI as one file (plus chunks for what only some runs load: the emulator, the HTTP stack,
// Redis, beta tools, each toolset's request schemas), dependencies included. Node then reads and
// compiles one file instead of resolving hundreds, which was most of a stdio start-up. Run after
// tsc: the tools/list entries of every tool are computed with tsc's output and built into the
// bundle, so that a start-up offering every tool computes no listing.
// Not minified, so a stack trace names real functions; the source map (node
// --enable-source-maps) gives the TypeScript lines.
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const { loadToolCatalog } = await import(`${root}dist/src/config/catalog.js`);
const { listTools } = await import(`${root}dist/src/engine/surface/listing.js`);
const { loadSchemas } = await import(`${root}dist/src/engine/definition.js`);

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
 * JSON as an ASCII-only JavaScript string literal: V8 keeps a string with any character beyond
 * Latin-1 at two bytes per character, the literal as well as the whole source file.
 */
const asciiJsonLiteral = (value) =>
  JSON.stringify(
    JSON.stringify(value).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    ),
  );

const prebuilt = {
  "prebuilt-listing.ts": `export const PREBUILT_LISTING = JSON.parse(${asciiJsonLiteral(await listing(false))});`,
  "prebuilt-beta-listing.ts": `export const PREBUILT_BETA_LISTING = JSON.parse(${asciiJsonLiteral(await listing(true))});`,
};

rmSync(`${root}dist/src/chunks`, { recursive: true, force: true });
await build({
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
  // ASCII only (see asciiJsonLiteral): the licence comments of dependencies, where names like
  // "Wärting" would make V8 hold the whole chunk at two bytes per character, go to
  // <file>.LEGAL.txt beside each output.
  charset: "ascii",
  legalComments: "external",
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
for (const name of ["cli.js", ...readdirSync(`${root}dist/src/chunks`).map((f) => `chunks/${f}`)]) {
  if (!name.endsWith(".js")) continue;
  const file = `${root}dist/src/${name}`;
  const text = readFileSync(file, "utf8");
  const escaped = text.replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  if (escaped !== text) writeFileSync(file, escaped);
}
