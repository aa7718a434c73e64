/**
 * Real images for the upload tests: PNGs built here from pixels (any size, colour type or
 * interlacing), and small JPEG and GIF files made by ImageMagick (checked with djpeg and
 * gifsicle), kept as base64.
 */
import { crc32, deflateSync } from "node:zlib";

/** 8 x 8 baseline JPEG (ImageMagick: -size 8x8 gradient:red-blue -strip -quality 80). */
export const JPEG = Buffer.from(
  "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAIAAgDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAf/xAAWEAEBAQAAAAAAAAAAAAAAAAAAFWL/xAAVAQEBAAAAAAAAAAAAAAAAAAAFB//EABkRAAEFAAAAAAAAAAAAAAAAAAAFFlOR8P/aAAwDAQACEQMRAD8AjdnQCtM1Jj1DLsU5NZ//2Q==",
  "base64",
);

/** The same picture as a progressive JPEG (several scans). */
export const PROGRESSIVE_JPEG = Buffer.from(
  "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/2wBDAQMDAwQDBAgEBAgQCwkLEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBD/wgARCAAIAAgDAREAAhEBAxEB/8QAFAABAAAAAAAAAAAAAAAAAAAAB//EABUBAQEAAAAAAAAAAAAAAAAAAAYH/9oADAMBAAIQAxAAAAEacUf/xAAVEAEBAAAAAAAAAAAAAAAAAAAAFP/aAAgBAQABBQK9/8QAFhEAAwAAAAAAAAAAAAAAAAAAABdi/9oACAEDAQE/AWBR/8QAFhEAAwAAAAAAAAAAAAAAAAAAABdi/9oACAECAQE/AVrB/8QAFRABAQAAAAAAAAAAAAAAAAAAADH/2gAIAQEABj8Cr//EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAT8hP//aAAwDAQACAAMAAAAQ3//EABYRAAMAAAAAAAAAAAAAAAAAAAAR8P/aAAgBAwEBPxC2f//EABYRAAMAAAAAAAAAAAAAAAAAAAAR8P/aAAgBAgEBPxCEf//EABYQAAMAAAAAAAAAAAAAAAAAAABxkf/aAAgBAQABPxBVP//Z",
  "base64",
);

/** 4 x 4 GIF89a with a four-colour global table. */
export const GIF = Buffer.from(
  "R0lGODlhBAAEAPEAAP8AAKoAVVUAqgAA/yH5BAAAAAAALAAAAAAEAAQAAAIHhBEZwjI/CgA7",
  "base64",
);

export function pngChunk(type: string, data: Uint8Array = new Uint8Array()): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngOptions {
  width?: number;
  height?: number;
  /** 0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGBA. */
  colorType?: number;
  bitDepth?: number;
  interlaced?: boolean;
  /** The filtered image data before compression; by default noise with filter type 0 rows. */
  raw?: Buffer;
  /** Chunks between IHDR and IDAT (a palette image gets a PLTE by default). */
  before?: Buffer[];
}

/** A valid PNG (unless `raw` or `before` say otherwise). */
export function png(options: PngOptions = {}): Buffer {
  const { width = 4, height = 3, colorType = 2, bitDepth = 8, interlaced = false } = options;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([bitDepth, colorType, 0, 0, interlaced ? 1 : 0], 8);
  const raw = options.raw ?? noiseRows(pngRowLengths(options), 0);
  const before =
    options.before ?? (colorType === 3 ? [pngChunk("PLTE", Buffer.alloc(3 * 2 ** bitDepth))] : []);
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk("IHDR", header),
    ...before,
    pngChunk("IDAT", deflateSync(raw)),
    pngChunk("IEND"),
  ]);
}

/** Bytes per row (filter byte included) for each row, through Adam7's passes if interlaced. */
export function pngRowLengths(options: PngOptions): number[] {
  const { width = 4, height = 3, colorType = 2, bitDepth = 8, interlaced = false } = options;
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colorType] ?? 1;
  const rowBytes = (columns: number) => 1 + Math.ceil((columns * channels * bitDepth) / 8);
  if (!interlaced) return Array.from({ length: height }, () => rowBytes(width));
  const passes = [
    [0, 0, 8, 8],
    [4, 0, 8, 8],
    [0, 4, 4, 8],
    [2, 0, 4, 4],
    [0, 2, 2, 4],
    [1, 0, 2, 2],
    [0, 1, 1, 2],
  ];
  const rows: number[] = [];
  for (const [x0, y0, dx, dy] of passes as Array<[number, number, number, number]>) {
    const columns = Math.ceil(Math.max(0, width - x0) / dx);
    const count = Math.ceil(Math.max(0, height - y0) / dy);
    if (columns > 0) for (let i = 0; i < count; i++) rows.push(rowBytes(columns));
  }
  return rows;
}

/** Rows of pseudo-random pixels, each led by `filter`. */
export function noiseRows(lengths: number[], filter: number): Buffer {
  const raw = noise(
    lengths.reduce((a, b) => a + b, 0),
    7,
  );
  let at = 0;
  for (const length of lengths) {
    raw[at] = filter;
    at += length;
  }
  return raw;
}

/**
 * A GIF of `width` x `height` pixels of noise, LZW-coded the simple way (literal 8-bit codes
 * only, one byte each): large files, quickly.
 */
export function gif(width: number, height: number): Buffer {
  const minCodeSize = 7;
  const clear = 1 << minCodeSize;
  const pixels = noise(width * height, 11);
  // 8-bit codes: a clear code, pixels, and a new clear code before the dictionary reaches 256.
  const packed = Buffer.alloc(pixels.length + Math.ceil(pixels.length / (clear - 2)) + 3);
  let length = 0;
  packed[length++] = clear;
  let sinceClear = 0;
  for (const pixel of pixels) {
    packed[length++] = pixel % clear;
    if (++sinceClear === clear - 2) {
      packed[length++] = clear;
      sinceClear = 0;
    }
  }
  packed[length++] = clear + 1;
  const blocks: Buffer[] = [];
  for (let i = 0; i < length; i += 255) {
    const part = packed.subarray(i, Math.min(length, i + 255));
    blocks.push(Buffer.from([part.length]), part);
  }
  const screen = Buffer.alloc(7 + 3 * 128);
  screen.writeUInt16LE(width, 0);
  screen.writeUInt16LE(height, 2);
  screen[4] = 0x80 | 6; // a global table of 128 colours
  const descriptor = Buffer.alloc(10);
  descriptor[0] = 0x2c;
  descriptor.writeUInt16LE(width, 5);
  descriptor.writeUInt16LE(height, 7);
  return Buffer.concat([
    Buffer.from("GIF89a", "latin1"),
    screen,
    descriptor,
    Buffer.from([minCodeSize]),
    ...blocks,
    Buffer.from([0x00, 0x3b]),
  ]);
}

/** The baseline JPEG with its scan data replaced by `size` bytes of (properly stuffed) noise. */
export function largeJpeg(size: number): Buffer {
  const scanStart = JPEG.indexOf(Buffer.from([0xff, 0xda]));
  const headerLength = JPEG.readUInt16BE(scanStart + 2);
  const head = JPEG.subarray(0, scanStart + 2 + headerLength);
  const data = noise(size, 3);
  for (let i = 0; i < size - 1; i++) if (data[i] === 0xff) data[++i] = 0x00;
  if (data[size - 1] === 0xff) data[size - 1] = 0x00;
  return Buffer.concat([head, data, Buffer.from([0xff, 0xd9])]);
}

/** Deterministic bytes that do not compress (a 32-bit LCG's high byte). */
export function noise(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) | 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}
