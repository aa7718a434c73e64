/**
 * The shape of one option's declaration (src/config/options.ts declares them all), and the
 * helpers that keep each parser's type so that the Config type follows from the declarations.
 */
import type { z } from "zod";
import { booleanFlag } from "./values.js";

export interface OptionDeclaration<Parser extends z.ZodType = z.ZodType> {
  /** The flag without its dashes: `api-key`. */
  flag: string;
  /** Unset for flags that must be typed on purpose (--no-auth). */
  env?: string;
  /** Used when neither the flag nor the variable is given; parsed like a given value. */
  default?: string | number | boolean;
  /** A switch: the flag alone means true (`--read-only`). */
  switch?: true;
  /** Only meaningful with --http; giving the flag without --http is an error. */
  http?: true;
  /** The option's line in --help. */
  help: string;
  /** The option's README row: its meaning, and its Default cell when `default` does not say it. */
  readme: { meaning: string; default?: string };
  /** Turns the raw string (undefined when unset) into the config value. */
  parse: Parser;
}

/** Keeps each declaration's parser type, so that the Config type follows from it. */
export function option<Parser extends z.ZodType>(
  declaration: OptionDeclaration<Parser>,
): OptionDeclaration<Parser> {
  return declaration;
}

export function switchOption(
  declaration: Omit<OptionDeclaration, "parse" | "switch" | "default"> & { default: boolean },
): OptionDeclaration<typeof booleanFlag> {
  return { ...declaration, switch: true, parse: booleanFlag };
}
