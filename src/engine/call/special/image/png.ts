/**
 * PNG, checked whole: chunk layout and CRCs, IHDR first, a palette where one is needed, one run
 * of IDAT chunks whose zlib stream inflates completely (Adler-32 included) to exactly the size
 * IHDR implies with a valid filter type on every row, and IEND last with nothing after it.
 */
import { crc32, createInflate } from "node:zlib";
import { InvalidImageError, need } from "./invalid-image.js";

/**
 * Largest decoded image data checked (8192 x 8192 RGBA is 256 MiB): inflating more would let a
 * 5 MB file cost seconds of CPU; such images are far beyond any email's needs anyway.
 */
export const MAX_PNG_DATA_BYTES = 256 * 1024 * 1024 + 8192;

interface Header {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlaced: boolean;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const DEPTHS: Record<number, number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

export async function checkPng(bytes: Buffer): Promise<void> {
  let pos = 8;
  let header: Header | undefined;
  let palette = false;
  const data: Buffer[] = [];
  let dataEnded = false;
  for (;;) {
    if (pos >= bytes.length) throw new InvalidImageError("it ends without an IEND chunk");
    need(bytes, pos + 8, `the chunk header at byte ${pos}`);
    const length = bytes.readUInt32BE(pos);
    const type = bytes.toString("latin1", pos + 4, pos + 8);
    if (length > 0x7fffffff || !/^[A-Za-z]{4}$/.test(type)) {
      throw new InvalidImageError(`byte ${pos} does not start a PNG chunk`);
    }
    need(bytes, pos + 12 + length, `chunk ${type} at byte ${pos}`);
    const body = bytes.subarray(pos + 8, pos + 8 + length);
    if (crc32(bytes.subarray(pos + 4, pos + 8 + length)) !== bytes.readUInt32BE(pos + 8 + length)) {
      throw new InvalidImageError(`chunk ${type} at byte ${pos} fails its CRC check`);
    }
    const at = pos;
    pos += 12 + length;
    if (!header) {
      if (type !== "IHDR") throw new InvalidImageError(`its first chunk is ${type}, not IHDR`);
      header = readHeader(body);
      continue;
    }
    if (data.length > 0 && type !== "IDAT") dataEnded = true;
    switch (type) {
      case "IHDR":
        throw new InvalidImageError(`it has a second IHDR chunk at byte ${at}`);
      case "PLTE":
        checkPalette(body, header, palette || data.length > 0);
        palette = true;
        break;
      case "IDAT":
        if (dataEnded) throw new InvalidImageError(`its IDAT chunks are not consecutive (${at})`);
        if (header.colorType === 3 && !palette) {
          throw new InvalidImageError("it is a palette image without a PLTE chunk before IDAT");
        }
        data.push(body);
        break;
      case "IEND":
        if (length !== 0) throw new InvalidImageError("its IEND chunk is not empty");
        if (data.length === 0) throw new InvalidImageError("it has no IDAT chunk (no pixels)");
        if (pos !== bytes.length) {
          throw new InvalidImageError(`${bytes.length - pos} bytes follow its IEND chunk`);
        }
        return inflateImageData(data, header);
      default:
        // Bit 5 of the first letter clear: a critical chunk, which a decoder may not skip.
        if ((type.charCodeAt(0) & 0x20) === 0) {
          throw new InvalidImageError(`it has an unknown critical chunk ${type} at byte ${at}`);
        }
    }
  }
}

function readHeader(body: Buffer): Header {
  if (body.length !== 13) throw new InvalidImageError("its IHDR chunk is not 13 bytes long");
  const header = {
    width: body.readUInt32BE(0),
    height: body.readUInt32BE(4),
    bitDepth: body[8] as number,
    colorType: body[9] as number,
    interlaced: body[12] === 1,
  };
  const { width, height, bitDepth, colorType } = header;
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) {
    throw new InvalidImageError(`IHDR gives an impossible size ${width} x ${height}`);
  }
  if (!DEPTHS[colorType]?.includes(bitDepth)) {
    throw new InvalidImageError(`IHDR's colour type ${colorType} with bit depth ${bitDepth}`);
  }
  if (body[10] !== 0 || body[11] !== 0 || (body[12] as number) > 1) {
    throw new InvalidImageError("IHDR names an unknown compression, filter or interlace method");
  }
  return header;
}

function checkPalette(body: Buffer, header: Header, late: boolean): void {
  if (late) throw new InvalidImageError("its PLTE chunk is repeated or comes after IDAT");
  if (header.colorType === 0 || header.colorType === 4) {
    throw new InvalidImageError("it is a greyscale image with a PLTE chunk");
  }
  const entries = body.length / 3;
  const most = header.colorType === 3 ? 2 ** header.bitDepth : 256;
  if (!Number.isInteger(entries) || entries === 0 || entries > most) {
    throw new InvalidImageError(`its PLTE chunk has ${body.length} bytes, not 3 to ${3 * most}`);
  }
}

interface Pass {
  rows: number;
  /** Bytes per row, the filter-type byte included. */
  stride: number;
}

/** Rows of the image data: one pass, or Adam7's seven (empty ones have no rows at all). */
function passes({ width, height, bitDepth, colorType, interlaced }: Header): Pass[] {
  const bitsPerPixel = bitDepth * (CHANNELS[colorType] as number);
  const stride = (columns: number) => 1 + Math.ceil((columns * bitsPerPixel) / 8);
  if (!interlaced) return [{ rows: height, stride: stride(width) }];
  const adam7 = [
    [0, 0, 8, 8],
    [4, 0, 8, 8],
    [0, 4, 4, 8],
    [2, 0, 4, 4],
    [0, 2, 2, 4],
    [1, 0, 2, 2],
    [0, 1, 1, 2],
  ] as const;
  return adam7
    .map(([x0, y0, dx, dy]) => ({
      columns: Math.ceil(Math.max(0, width - x0) / dx),
      rows: Math.ceil(Math.max(0, height - y0) / dy),
    }))
    .filter(({ columns, rows }) => columns > 0 && rows > 0)
    .map(({ columns, rows }) => ({ rows, stride: stride(columns) }));
}

/** Inflates the IDAT stream without keeping it: counts the bytes and reads each row's filter. */
function inflateImageData(data: Buffer[], header: Header): Promise<void> {
  const layout = passes(header);
  const expected = layout.reduce((sum, pass) => sum + pass.rows * pass.stride, 0);
  if (expected > MAX_PNG_DATA_BYTES) {
    throw new InvalidImageError(
      `its ${header.width} x ${header.height} pixels decode to more than 256 MiB, too large to check`,
    );
  }
  const compressed = data.reduce((sum, part) => sum + part.length, 0);
  return new Promise((resolve, reject) => {
    const inflate = createInflate();
    let settled = false;
    const fail = (reason: string) => {
      if (settled) return;
      settled = true;
      inflate.destroy();
      reject(new InvalidImageError(reason));
    };
    let produced = 0;
    let pass = 0;
    let row = 0;
    let nextFilter = 0;
    inflate.on("data", (chunk: Buffer) => {
      if (settled) return;
      const end = produced + chunk.length;
      if (end > expected) return fail("its image data holds more than IHDR's size");
      while (nextFilter < end) {
        const filter = chunk[nextFilter - produced] as number;
        if (filter > 4) return fail(`a row of its image data has filter type ${filter}, not 0-4`);
        const current = layout[pass] as Pass;
        nextFilter += current.stride;
        if (++row === current.rows) {
          row = 0;
          pass++;
          if (pass === layout.length) nextFilter = Number.POSITIVE_INFINITY;
        }
      }
      produced = end;
    });
    inflate.on("error", (error) => fail(`its image data does not inflate (${error.message})`));
    inflate.on("end", () => {
      if (produced < expected) {
        fail(`its image data ends early (${produced} of ${expected} bytes)`);
      } else if (inflate.bytesWritten < compressed) {
        fail("bytes follow the end of its compressed image data");
      } else if (!settled) {
        settled = true;
        resolve();
      }
    });
    for (const part of data) inflate.write(part);
    inflate.end();
  });
}
