/** JPEG checked whole: marker segments, a frame, scans through EOI, and nothing else after. */
import { describe, expect, it } from "vitest";
import { checkImage } from "../../../../../src/engine/call/special/image/check.js";
import { JPEG, largeJpeg, PROGRESSIVE_JPEG } from "../../../../support/images.js";

const EOI = Buffer.from([0xff, 0xd9]);
const scanAt = JPEG.indexOf(Buffer.from([0xff, 0xda]));
const frameAt = JPEG.indexOf(Buffer.from([0xff, 0xc0]));
/** The baseline JPEG with the segment at `at` given another marker. */
const remark = (at: number, marker: number) => Buffer.from(JPEG).fill(marker, at + 1, at + 2);

describe("JPEG", () => {
  it("accepts baseline and progressive JPEGs", async () => {
    await expect(checkImage(JPEG)).resolves.toBe("image/jpeg");
    await expect(checkImage(PROGRESSIVE_JPEG)).resolves.toBe("image/jpeg");
  });

  it("accepts a second complete image after the first (MPF, as phones write) and zero padding", async () => {
    await expect(checkImage(Buffer.concat([JPEG, PROGRESSIVE_JPEG]))).resolves.toBe("image/jpeg");
    await expect(checkImage(Buffer.concat([JPEG, Buffer.alloc(100)]))).resolves.toBe("image/jpeg");
  });

  it("accepts stuffed 0xFF bytes and restart markers in the scan data", async () => {
    const file = largeJpeg(10_000);
    expect(file.includes(Buffer.from([0xff, 0x00]))).toBe(true);
    await expect(checkImage(file)).resolves.toBe("image/jpeg");
  });

  const cases: Array<[string, Buffer, RegExp]> = [
    [
      "a JPEG header followed by other content",
      Buffer.concat([JPEG.subarray(0, 3), Buffer.from("\xe0 PRIVATE KEY ".repeat(30), "latin1")]),
      /segment|not a marker|cut short/,
    ],
    ["a truncated JPEG", JPEG.subarray(0, JPEG.length - 10), /without EOI/],
    ["a JPEG cut in its headers", JPEG.subarray(0, frameAt + 6), /cut short/],
    ["a JPEG without EOI", JPEG.subarray(0, JPEG.length - 2), /without EOI/],
    [
      "bytes after EOI",
      Buffer.concat([JPEG, Buffer.from("PK\x03\x04 a zip archive", "latin1")]),
      /bytes follow its end/,
    ],
    [
      "EOI before any scan",
      Buffer.concat([JPEG.subarray(0, scanAt), EOI]),
      /ends before any image data/,
    ],
    [
      "a scan before the frame header",
      Buffer.concat([JPEG.subarray(0, 2), JPEG.subarray(scanAt)]),
      /has no frame header/,
    ],
    ["an arithmetic-coded frame", remark(frameAt, 0xc9), /arithmetic-coded/],
    ["an unknown marker", remark(frameAt, 0xf3), /unknown marker 0xFFF3/],
    ["a misplaced SOI", remark(frameAt, 0xd8), /out of place/],
    [
      "a segment longer than the file",
      Buffer.concat([JPEG.subarray(0, 2), Buffer.from([0xff, 0xe1, 0xff, 0xff, 0x00])]),
      /cut short/,
    ],
  ];
  it.each(cases)("refuses %s", async (_, file, reason) => {
    await expect(checkImage(file)).rejects.toThrow(reason);
  });
});
