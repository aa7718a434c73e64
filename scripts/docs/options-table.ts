/**
 * The README's configuration tables, rendered from the option declarations
 * (src/config/options.ts): the full table under "Configuration", and the tool-selection options
 * under "Choosing tools".
 */
import type { ConfigOption } from "../../src/config.js";
import { code, table } from "./markdown.js";

/** Variable, flag, default and meaning of every option given. */
export function optionsTable(options: readonly ConfigOption[]): string {
  return table(
    ["Variable", "Flag", "Default", "Meaning"],
    options.map((o) => [variable(o), code(`--${o.flag}`), defaultCell(o), o.readme.meaning]),
  );
}

/** Variable and meaning only: a section's subset, whose flags and defaults the full table gives. */
export function meaningTable(options: readonly ConfigOption[]): string {
  return table(
    ["Variable", "Meaning"],
    options.map((o) => [variable(o), o.readme.meaning]),
  );
}

function variable(option: ConfigOption): string {
  return option.env ? code(option.env) : "(none)";
}

function defaultCell(option: ConfigOption): string {
  if (option.readme.default !== undefined) return option.readme.default;
  return option.default === undefined ? "" : code(String(option.default));
}
