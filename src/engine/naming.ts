/**
 * Naming shared by the generator (argument names) and the result trimmer (keys of related ids),
 * so that an id the model reads (`category_ids`) is the argument name it passes back.
 */
export function snakeCase(name: string): string {
  return name
    .replace(/[-\s.]+/g, "_")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase();
}

export function singular(word: string): string {
  if (word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.endsWith("ses")) return word.slice(0, -2);
  if (word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}
