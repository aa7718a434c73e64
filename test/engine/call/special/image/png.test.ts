/** PNG checked whole: what decodes passes, and each way a file can fail to decode is named. */
import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { checkImage } from "../../../../../src/engine/call/special/image/check.js";
import { MAX_PNG_DATA_BYTES } from "../../../../../src/engine/call/special/image/png.js";
import {
  noiseRows,
  PNG_SIGNATURE,
  type PngOptions,
  png,
  pngChunk,
  pngRowLengths,
} from "../../../../support/images.js";

const header = (width: number, height: number, depth = 8, colorType = 2, interlace = 0) => {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data.set([depth, colorType, 0, 0, interlace], 8);
  return pngChunk("IHDR", data);
};
const idat = (options: PngOptions) =>
  pngChunk("IDAT", deflateSync(noiseRows(pngRowLengths(options), 1)));

describe("PNG", () => {
  it.each<[string, PngOptions]>([
    ["RGB 8-bit", {}],
    ["one pixel", { width: 1, height: 1 }],
    ["RGBA 16-bit", { colorType: 6, bitDepth: 16, width: 9, height: 7 }],
    ["grey 1-bit, odd width", { colorType: 0, bitDepth: 1, width: 13, height: 5 }],
    ["palette 4-bit", { colorType: 3, bitDepth: 4, width: 5, height: 5 }],
    ["grey + alpha", { colorType: 4, width: 3, height: 2 }],
    ["Adam7 interlaced", { interlaced: true, width: 13, height: 11 }],
    ["Adam7, smaller than one block", { interlaced: true, width: 1, height: 1 }],
    ["Adam7, 2-bit grey", { interlaced: true, colorType: 0, bitDepth: 2, width: 10, height: 3 }],
  ])("accepts a valid %s image", async (_, options) => {
    await expect(checkImage(png(options))).resolves.toBe("image/png");
  });

  it("accepts IDAT split over several chunks, and ancillary chunks", async () => {
    const data = deflateSync(noiseRows(pngRowLengths({}), 0));
    const file = Buffer.concat([
      PNG_SIGNATURE,
      header(4, 3),
      pngChunk("tEXt", Buffer.from("Comment\0hello")),
      pngChunk("IDAT", data.subarray(0, 5)),
      pngChunk("IDAT", data.subarray(5)),
      pngChunk("IEND"),
    ]);
    await expect(checkImage(file)).resolves.toBe("image/png");
  });

  const valid = png();
  const iend = pngChunk("IEND");
  const cases: Array<[string, Buffer, RegExp]> = [
    [
      "a PNG signature followed by other content",
      Buffer.concat([PNG_SIGNATURE, Buffer.from("SECRET=hunter2\n".repeat(20))]),
      /does not start a PNG chunk|ends inside/,
    ],
    ["a truncated file", valid.subarray(0, valid.length - 20), /ends inside|cut short/],
    ["a file without IEND", valid.subarray(0, valid.length - iend.length), /without an IEND/],
    [
      "bytes after IEND",
      Buffer.concat([valid, Buffer.from("appended payload")]),
      /16 bytes follow its IEND/,
    ],
    ["a corrupted byte (CRC)", Buffer.from(valid).fill(0x55, 40, 41), /fails its CRC/],
    [
      "IDAT before IHDR",
      Buffer.concat([PNG_SIGNATURE, idat({}), header(4, 3), iend]),
      /first chunk is IDAT, not IHDR/,
    ],
    [
      "an impossible size",
      Buffer.concat([PNG_SIGNATURE, header(0, 3), idat({}), iend]),
      /impossible size/,
    ],
    [
      "a bad depth for the colour type",
      Buffer.concat([PNG_SIGNATURE, header(4, 3, 4, 2), idat({}), iend]),
      /colour type 2 with bit depth 4/,
    ],
    ["no IDAT", Buffer.concat([PNG_SIGNATURE, header(4, 3), iend]), /no IDAT/],
    [
      "a palette image without PLTE",
      png({ colorType: 3, bitDepth: 8, before: [] }),
      /without a PLTE/,
    ],
    [
      "an unknown critical chunk",
      png({ before: [pngChunk("ABCD", Buffer.from("x"))] }),
      /unknown critical chunk ABCD/,
    ],
    [
      "IDAT that is not zlib",
      Buffer.concat([
        PNG_SIGNATURE,
        header(4, 3),
        pngChunk("IDAT", Buffer.from("not zlib at all")),
        iend,
      ]),
      /does not inflate/,
    ],
    [
      "too little image data",
      png({ raw: noiseRows(pngRowLengths({}), 0).subarray(0, 20) }),
      /ends early \(20 of 39 bytes\)/,
    ],
    [
      "too much image data",
      png({ raw: Buffer.concat([noiseRows(pngRowLengths({}), 0), Buffer.alloc(1)]) }),
      /more than IHDR's size/,
    ],
    [
      "a row with an unknown filter type",
      png({ raw: noiseRows(pngRowLengths({}), 7) }),
      /filter type 7/,
    ],
    [
      "data after the zlib stream",
      Buffer.concat([
        PNG_SIGNATURE,
        header(4, 3),
        pngChunk(
          "IDAT",
          Buffer.concat([deflateSync(noiseRows(pngRowLengths({}), 0)), Buffer.from("tail")]),
        ),
        iend,
      ]),
      /follow the end of its compressed/,
    ],
  ];
  it.each(cases)("refuses %s", async (_, file, reason) => {
    await expect(checkImage(file)).rejects.toThrow(reason);
  });

  it("refuses an image too large to inflate without inflating it (decompression bomb)", async () => {
    // 65535 x 65535 RGBA: 16 GiB of pixels in a few kilobytes.
    const bomb = Buffer.concat([
      PNG_SIGNATURE,
      header(65535, 65535, 8, 6),
      pngChunk("IDAT", deflateSync(Buffer.alloc(1 << 20))),
      pngChunk("IEND"),
    ]);
    const started = performance.now();
    await expect(checkImage(bomb)).rejects.toThrow(/more than 256 MiB, too large to check/);
    expect(performance.now() - started).toBeLessThan(100);
    expect(MAX_PNG_DATA_BYTES).toBeGreaterThanOrEqual(8192 * (1 + 8192 * 4));
  });
});
