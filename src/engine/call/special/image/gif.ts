/**
 * GIF, checked whole: header, logical screen descriptor and colour tables, then every block
 * (extensions and images, each a chain of sub-blocks) through the trailer, with nothing after it:
 * without the trailer, an animation cut between two frames would pass for whole.
 * Each image's LZW data is decoded far enough to prove every code is defined and that it holds
 * all of the frame's pixels; only code lengths are tracked, so this costs no bitmap.
 */
import { InvalidImageError, need } from "./invalid-image.js";

const EXTENSION = 0x21;
const IMAGE = 0x2c;
const TRAILER = 0x3b;
const GRAPHIC_CONTROL = 0xf9;

export function checkGif(bytes: Buffer): void {
  need(bytes, 13, "its header");
  const version = bytes.toString("latin1", 0, 6);
  if (version !== "GIF87a" && version !== "GIF89a") {
    throw new InvalidImageError(`its header says ${JSON.stringify(version)}, not GIF87a or GIF89a`);
  }
  let pos = 13 + colorTableSize(bytes[10] as number);
  need(bytes, pos, "its global colour table");
  let frames = 0;
  for (;;) {
    need(bytes, pos + 1, "its blocks (no trailer)");
    const at = pos;
    const block = bytes[pos++];
    if (block === TRAILER) {
      if (frames === 0) throw new InvalidImageError("it holds no image");
      if (pos !== bytes.length) {
        throw new InvalidImageError(`${bytes.length - pos} bytes follow its trailer`);
      }
      return;
    }
    if (block === EXTENSION) {
      need(bytes, pos + 1, `the extension at byte ${at}`);
      const label = bytes[pos++];
      if (label === GRAPHIC_CONTROL && bytes[pos] !== 4) {
        throw new InvalidImageError(`the graphic control extension at byte ${at} is malformed`);
      }
      pos = subBlocks(bytes, pos, `the extension at byte ${at}`).end;
    } else if (block === IMAGE) {
      need(bytes, pos + 10, `the image descriptor at byte ${at}`);
      const width = bytes.readUInt16LE(pos + 4);
      const height = bytes.readUInt16LE(pos + 6);
      pos += 9 + colorTableSize(bytes[pos + 8] as number);
      need(bytes, pos + 1, `the image at byte ${at}`);
      const minCodeSize = bytes[pos++] as number;
      if (minCodeSize < 1 || minCodeSize > 11) {
        throw new InvalidImageError(`the image at byte ${at} has LZW code size ${minCodeSize}`);
      }
      const data = subBlocks(bytes, pos, `the image at byte ${at}`);
      pos = data.end;
      const pixels = decodedPixels(Buffer.concat(data.parts), minCodeSize, at);
      if (pixels < width * height) {
        throw new InvalidImageError(
          `the image at byte ${at} holds ${pixels} of its ${width * height} pixels (cut short)`,
        );
      }
      frames++;
    } else {
      throw new InvalidImageError(`byte ${at} (0x${block?.toString(16)}) does not start a block`);
    }
  }
}

/** A colour table's size in bytes from a packed field (flag in bit 7, size in bits 0-2). */
function colorTableSize(packed: number): number {
  return packed & 0x80 ? 3 << ((packed & 7) + 1) : 0;
}

/** Walks a chain of sub-blocks up to its zero-length terminator. */
function subBlocks(bytes: Buffer, start: number, what: string): { parts: Buffer[]; end: number } {
  const parts: Buffer[] = [];
  let pos = start;
  for (;;) {
    need(bytes, pos + 1, what);
    const size = bytes[pos++] as number;
    if (size === 0) return { parts, end: pos };
    need(bytes, pos + size, what);
    parts.push(bytes.subarray(pos, pos + size));
    pos += size;
  }
}

/**
 * Runs the LZW decoder over the codes, tracking each dictionary entry's length instead of its
 * pixels: the count of pixels the data holds, or an InvalidImageError at an undefined code.
 */
function decodedPixels(data: Buffer, minCodeSize: number, at: number): number {
  const clear = 1 << minCodeSize;
  const endOfData = clear + 1;
  const lengths = new Uint16Array(4096).fill(1, 0, clear);
  let codeSize = minCodeSize + 1;
  let nextCode = clear + 2;
  let previous = -1;
  let pixels = 0;
  let bits = 0;
  let bitCount = 0;
  let pos = 0;
  for (;;) {
    while (bitCount < codeSize) {
      if (pos >= data.length) return pixels; // the data ends without an end code: allowed
      bits |= (data[pos++] as number) << bitCount;
      bitCount += 8;
    }
    const code = bits & ((1 << codeSize) - 1);
    bits >>>= codeSize;
    bitCount -= codeSize;
    if (code === clear) {
      codeSize = minCodeSize + 1;
      nextCode = clear + 2;
      previous = -1;
      continue;
    }
    if (code === endOfData) return pixels;
    if (previous === -1) {
      if (code > clear) throw undefinedCode(code, at);
      pixels += 1;
      previous = code;
      continue;
    }
    if (code < nextCode) pixels += lengths[code] as number;
    else if (code === nextCode) pixels += (lengths[previous] as number) + 1;
    else throw undefinedCode(code, at);
    if (nextCode < 4096) {
      lengths[nextCode] = (lengths[previous] as number) + 1;
      nextCode++;
      if (nextCode === 1 << codeSize && codeSize < 12) codeSize++;
    }
    previous = code;
  }
}

function undefinedCode(code: number, at: number): InvalidImageError {
  return new InvalidImageError(`the image at byte ${at} uses LZW code ${code} before defining it`);
}
