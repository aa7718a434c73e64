/** Text clean-up for descriptions taken from the spec. */
import { snakeCase } from "../../src/engine/naming.js";

export { singular, snakeCase } from "../../src/engine/naming.js";

/** Strips HTML, markdown links and "for more information" boilerplate; collapses whitespace. */
export function cleanText(text: string | undefined): string {
  if (!text) return "";
  return text
    .replace(/For more information please visit \S+/gi, "")
    .replace(/See \[this article\]\([^)]*\) for more details\.?/gi, "")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/<br\s*\/?>/gi, " ")
    .replace(/<[^>]+>/g, "")
    .replace(/https?:\/\/\S+/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** The first sentence(s) of a cleaned text, within `max` characters, never cut mid-word. */
export function shortText(text: string | undefined, max = 160): string {
  const clean = cleanText(text);
  if (clean.length <= max) return clean;
  const sentences = clean.match(/[^.!?]+[.!?]+(\s|$)/g) ?? [];
  let out = "";
  for (const sentence of sentences) {
    if ((out + sentence).trim().length > max) break;
    out += sentence;
  }
  if (out.trim()) return out.trim();
  const cut = clean.slice(0, max - 1);
  return `${cut.slice(0, cut.lastIndexOf(" "))}…`;
}

export function groupSlug(tag: string): string {
  return snakeCase(tag);
}
