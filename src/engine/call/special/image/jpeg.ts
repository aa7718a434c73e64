/**
 * JPEG, checked whole: SOI, then marker segments that fit (tables whose sizes add up, one frame
 * header, scan headers that name the frame's components), entropy-coded data in which every 0xFF
 * is stuffed or a restart marker, and EOI. After EOI only another complete JPEG may follow (the
 * second images phones store after the first, MPF) or zero padding.
 */
import { InvalidImageError, need } from "./invalid-image.js";

const EOI = 0xd9;
const SOS = 0xda;
const DHT = 0xc4;
const DQT = 0xdb;
const DRI = 0xdd;
const DNL = 0xdc;
const COM = 0xfe;
/** Baseline, extended and progressive Huffman DCT: the processes browsers and mail apps show. */
const DISPLAYED_FRAMES = new Set([0xc0, 0xc1, 0xc2]);
/** Lossless, hierarchical or arithmetic-coded frames: valid JPEG, but shown almost nowhere. */
const OTHER_FRAMES = new Set([0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

interface Frame {
  components: Set<number>;
}

export function checkJpeg(bytes: Buffer): void {
  let end = checkOneJpeg(bytes, 0);
  while (end < bytes.length) {
    let next = end;
    while (bytes[next] === 0x00) next++;
    if (next === bytes.length) return;
    if (bytes[next] === 0xff && bytes[next + 1] === 0xd8) {
      end = checkOneJpeg(bytes, next);
      continue;
    }
    throw new InvalidImageError(`${bytes.length - end} bytes follow its end (EOI at ${end - 2})`);
  }
}

/** Checks the JPEG that starts at `start` (with SOI); returns the offset just after its EOI. */
function checkOneJpeg(bytes: Buffer, start: number): number {
  let pos = start + 2;
  let frame: Frame | undefined;
  let scans = 0;
  for (;;) {
    need(bytes, pos + 2, "a marker");
    if (bytes[pos] !== 0xff) throw new InvalidImageError(`byte ${pos} is not a marker`);
    while (bytes[pos] === 0xff) pos++; // fill bytes may precede a marker
    need(bytes, pos + 1, "a marker");
    const marker = bytes[pos] as number;
    const at = pos - 1;
    pos++;
    if (marker === EOI) {
      if (!frame || scans === 0) throw new InvalidImageError("it ends before any image data");
      return pos;
    }
    if (marker === 0x00 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      throw new InvalidImageError(`marker ${hex(marker)} at byte ${at} is out of place`);
    }
    need(bytes, pos + 2, `the ${hex(marker)} segment at byte ${at}`);
    const length = bytes.readUInt16BE(pos);
    if (length < 2) throw new InvalidImageError(`segment ${hex(marker)} at byte ${at} is empty`);
    need(bytes, pos + length, `the ${hex(marker)} segment at byte ${at}`);
    const body = bytes.subarray(pos + 2, pos + length);
    pos += length;
    if (DISPLAYED_FRAMES.has(marker)) {
      if (frame) throw new InvalidImageError(`it has a second frame header at byte ${at}`);
      frame = readFrame(body);
    } else if (OTHER_FRAMES.has(marker)) {
      throw new InvalidImageError(
        "it is a lossless, hierarchical or arithmetic-coded JPEG, which browsers and mail apps do not show; save it as a baseline or progressive JPEG",
      );
    } else if (marker === SOS) {
      if (!frame) throw new InvalidImageError(`its first scan (byte ${at}) has no frame header`);
      checkScanHeader(body, frame, at);
      pos = skipEntropyCodedData(bytes, pos);
      scans++;
    } else if (marker === DHT) {
      checkHuffmanTables(body, at);
    } else if (marker === DQT) {
      checkQuantizationTables(body, at);
    } else if (marker === DRI || marker === DNL) {
      if (length !== 4) {
        throw new InvalidImageError(`segment ${hex(marker)} at byte ${at} has the wrong length`);
      }
    } else if (!(marker >= 0xe0 && marker <= 0xef) && marker !== COM) {
      // APPn (Exif, JFIF, ICC, XMP) and comments are skipped; anything else is unknown.
      throw new InvalidImageError(`it has an unknown marker ${hex(marker)} at byte ${at}`);
    }
  }
}

function readFrame(body: Buffer): Frame {
  const count = body[5] ?? 0;
  if (body.length < 6 || body.length !== 6 + 3 * count || count < 1 || count > 4) {
    throw new InvalidImageError("its frame header is malformed");
  }
  const precision = body[0];
  const height = body.readUInt16BE(1);
  const width = body.readUInt16BE(3);
  if ((precision !== 8 && precision !== 12) || width === 0 || height === 0) {
    throw new InvalidImageError(
      `its frame header gives ${width} x ${height} at ${precision} bits, not a displayable image`,
    );
  }
  const components = new Set<number>();
  for (let i = 6; i < body.length; i += 3) {
    const sampling = body[i + 1] as number;
    const [h, v] = [sampling >> 4, sampling & 15];
    if (components.has(body[i] as number) || h < 1 || h > 4 || v < 1 || v > 4) {
      throw new InvalidImageError("its frame header has a malformed component");
    }
    if ((body[i + 2] as number) > 3) throw new InvalidImageError("bad quantization table id");
    components.add(body[i] as number);
  }
  return { components };
}

function checkScanHeader(body: Buffer, frame: Frame, at: number): void {
  const count = body[0] ?? 0;
  if (count < 1 || count > 4 || body.length !== 4 + 2 * count) {
    throw new InvalidImageError(`the scan header at byte ${at} is malformed`);
  }
  for (let i = 1; i < 1 + 2 * count; i += 2) {
    const tables = body[i + 1] as number;
    if (!frame.components.has(body[i] as number) || tables >> 4 > 3 || (tables & 15) > 3) {
      throw new InvalidImageError(`the scan at byte ${at} names a component or table not defined`);
    }
  }
  const spectralStart = body[1 + 2 * count] as number;
  const spectralEnd = body[2 + 2 * count] as number;
  if (spectralStart > spectralEnd || spectralEnd > 63) {
    throw new InvalidImageError(`the scan at byte ${at} has a spectral range out of 0-63`);
  }
}

/** Returns the offset of the marker that ends the scan (its 0xFF). */
function skipEntropyCodedData(bytes: Buffer, start: number): number {
  let pos = start;
  for (;;) {
    const ff = bytes.indexOf(0xff, pos);
    if (ff === -1 || ff + 1 >= bytes.length) {
      throw new InvalidImageError("its image data runs to the end of the file without EOI");
    }
    const next = bytes[ff + 1] as number;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) pos = ff + 2;
    else if (next === 0xff) pos = ff + 1;
    else return ff;
  }
}

function checkHuffmanTables(body: Buffer, at: number): void {
  let pos = 0;
  while (pos < body.length) {
    need(body, pos + 17, `the Huffman table at byte ${at}`);
    const id = body[pos] as number;
    if (id >> 4 > 1 || (id & 15) > 3) throw new InvalidImageError(`bad Huffman table id at ${at}`);
    let codes = 0;
    for (let i = 1; i <= 16; i++) codes += body[pos + i] as number;
    if (codes > 256) throw new InvalidImageError(`a Huffman table at byte ${at} is malformed`);
    pos += 17 + codes;
  }
  if (pos !== body.length) {
    throw new InvalidImageError(`the Huffman tables at byte ${at} do not fill their segment`);
  }
}

function checkQuantizationTables(body: Buffer, at: number): void {
  let pos = 0;
  while (pos < body.length) {
    const id = body[pos] as number;
    if (id >> 4 > 1 || (id & 15) > 3)
      throw new InvalidImageError(`bad quantization table at ${at}`);
    pos += 1 + (id >> 4 === 1 ? 128 : 64);
  }
  if (pos !== body.length) {
    throw new InvalidImageError(`the quantization tables at byte ${at} do not fill their segment`);
  }
}

function hex(marker: number): string {
  return `0xFF${marker.toString(16).toUpperCase().padStart(2, "0")}`;
}
