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
  let out = "";
  for (const sentence of sentencesOf(clean)) {
    const next = out ? `${out} ${sentence}` : sentence;
    if (next.length > max) break;
    out = next;
  }
  if (out) return out;
  const cut = clean.slice(0, max - 1);
  return `${cut.slice(0, cut.lastIndexOf(" "))}…`;
}

/**
 * Sentences from the start, in order, none skipped: "e.g." and "i.e." end none. (A global
 * match would silently skip text between matches and start a description mid-sentence.)
 */
export function sentencesOf(text: string): string[] {
  const sentences: string[] = [];
  let rest = text.trim();
  const sentence = /^.+?(?<!\be\.g|\bi\.e|\betc)[.!?]+(?=\s|$)/;
  while (rest) {
    const match = sentence.exec(rest);
    if (!match) {
      sentences.push(rest);
      break;
    }
    sentences.push(match[0]);
    rest = rest.slice(match[0].length).trimStart();
  }
  return sentences;
}

export function groupSlug(tag: string): string {
  return snakeCase(tag);
}
