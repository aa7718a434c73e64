/** Why bytes are not the image they claim to be, in words the sender can act on. */
export class InvalidImageError extends Error {
  override name = "InvalidImageError";
}

/** Bounds-checked big- and little-endian reads that fail as an invalid image, not a RangeError. */
export function need(bytes: Uint8Array, end: number, what: string): void {
  if (end > bytes.length) {
    throw new InvalidImageError(`the file ends inside ${what} (it is cut short)`);
  }
}
