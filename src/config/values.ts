/**
 * Parsers shared by several options (src/config/options.ts). Each takes the raw string of a flag
 * or variable (undefined when unset) and yields the typed value, or an issue that names the
 * problem; config.ts prefixes it with the option's variable and flag.
 */
import { realpathSync, statSync } from "node:fs";
import { delimiter, isAbsolute } from "node:path";
import { z } from "zod";
import { allTools, toolGroups } from "../../tools/index.js";
import { BETA_ONLY_TOOLSETS, CORE_TOOLSET, isBetaToolName } from "../engine/surface/toolsets.js";

/** A switch: true/false, yes/no, on/off, 1/0 (empty: false). */
export const booleanFlag = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ["1", "0", "true", "false", "yes", "no", "on", "off", ""].includes(v), {
    message: "must be true or false",
  })
  .transform((v) => ["1", "true", "yes", "on"].includes(v));

/** Comma-separated list: trimmed, empties dropped. */
export const commaList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  );

/**
 * Resource groups, `core` or `all` (any case, `-` or space for `_`). Unset stays undefined and
 * `all` stays ["all"]: config.ts settles them (all groups, with the beta ones under --beta, or
 * none when KLAVIYO_TOOLS is set), and refuses beta-only groups without --beta.
 */
export const toolsetNames = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return undefined;
    const names = value
      .split(",")
      .map((s) => s.trim().toLowerCase().replace(/[-\s]/g, "_"))
      .filter(Boolean);
    if (names.length === 0 || names.includes("all")) return ["all"];
    const known: readonly string[] = [...toolGroups, ...BETA_ONLY_TOOLSETS, CORE_TOOLSET];
    const unknown = names.filter((n) => !known.includes(n));
    if (unknown.length > 0) {
      ctx.addIssue({
        code: "custom",
        message: `unknown toolset ${unknown.join(", ")}; choose from all, core, ${toolGroups.join(", ")} (with --beta also ${BETA_ONLY_TOOLSETS.join(", ")})`,
      });
    }
    return names;
  });

/**
 * Names in KLAVIYO_TOOLS / KLAVIYO_EXCLUDE_TOOLS must be tools, with a suggestion if not. Beta
 * names (`_beta`) are checked once the catalog is loaded, or refused without --beta (config.ts).
 */
export const toolNames = commaList.transform((names, ctx) => {
  const all = new Set(allTools.map((t) => t.name));
  for (const name of names) {
    if (all.has(name) || isBetaToolName(name)) continue;
    ctx.addIssue({ code: "custom", message: noToolCalled(name, all) });
  }
  return names;
});

/** `no tool is called X (did you mean Y?)`, for a name `known` lacks. */
export function noToolCalled(name: string, known: ReadonlySet<string>): string {
  const near = [...known].filter((t) => t.includes(name) || name.includes(t)).slice(0, 3);
  return `no tool is called ${name}${near.length > 0 ? ` (did you mean ${near.join(", ")}?)` : ""}`;
}

/** A comma list whose every entry must pass `entry`. */
export function commaListOf(entry: z.ZodType<string, string>) {
  return commaList.pipe(z.array(entry));
}

/** KLAVIYO_UPLOAD_DIRS: absolute, existing directories, kept as real paths (symlinks resolved). */
export const realDirectories = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const dirs = new Set<string>();
    for (const entry of (value ?? "").split(delimiter).map((d) => d.trim())) {
      if (!entry) continue;
      let problem: string | undefined;
      if (!isAbsolute(entry)) problem = "is not an absolute path";
      else {
        try {
          const real = realpathSync(entry);
          if (statSync(real).isDirectory()) dirs.add(real);
          else problem = "is not a directory";
        } catch {
          problem = "does not exist or cannot be read";
        }
      }
      if (problem) {
        ctx.addIssue({
          code: "custom",
          message: `'${entry}' ${problem} (list absolute directories separated by '${delimiter}')`,
        });
      }
    }
    return [...dirs];
  });

/** A whole number within bounds; flags and variables arrive as strings. */
export function integer(min: number, max: number) {
  return z.coerce.number().int().min(min).max(max);
}
