/** Small Markdown helpers for the generated docs. */

/** A table cell: pipes escaped, line breaks folded, so that a value cannot break the row. */
export function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((row) => `|${row.map((text) => (text ? ` ${cell(text)} ` : " ")).join("|")}|`),
  ].join("\n");
}

export function code(text: string): string {
  return `\`${text}\``;
}

/**
 * Replaces what lies between `<!-- BEGIN GENERATED <name> ... -->` and
 * `<!-- END GENERATED <name> -->` (the marker lines stay), so that hand-written text around a
 * generated region is never touched. Each region must appear exactly once.
 */
export function replaceRegion(document: string, name: string, content: string): string {
  const begin = new RegExp(`^<!-- BEGIN GENERATED ${escapeRegExp(name)}\\b.*-->\\n`, "gm");
  const end = new RegExp(`^<!-- END GENERATED ${escapeRegExp(name)} -->$`, "gm");
  const begins = [...document.matchAll(begin)];
  const ends = [...document.matchAll(end)];
  if (begins.length !== 1 || ends.length !== 1) {
    throw new Error(
      `expected one <!-- BEGIN GENERATED ${name} ... --> and one <!-- END GENERATED ${name} --> marker, found ${begins.length} and ${ends.length}`,
    );
  }
  const from = (begins[0]?.index ?? 0) + (begins[0]?.[0].length ?? 0);
  const to = ends[0]?.index ?? 0;
  if (to < from) throw new Error(`the END GENERATED ${name} marker comes before its BEGIN`);
  return `${document.slice(0, from)}${content.trimEnd()}\n${document.slice(to)}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
