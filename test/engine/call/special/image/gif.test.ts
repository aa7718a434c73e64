/** GIF checked whole: every block and LZW sub-block through the trailer. */
import { describe, expect, it } from "vitest";
import { checkImage } from "../../../../../src/engine/call/special/image/check.js";
import { GIF, gif } from "../../../../support/images.js";

const TRAILER = Buffer.from([0x3b]);

describe("GIF", () => {
  it("accepts a real GIF and a generated one of many frames' worth of codes", async () => {
    await expect(checkImage(GIF)).resolves.toBe("image/gif");
    await expect(checkImage(gif(300, 200))).resolves.toBe("image/gif");
  });

  it("accepts an animation (two images)", async () => {
    const frame = GIF.subarray(GIF.indexOf(0x21, 13), GIF.length - 1);
    await expect(checkImage(Buffer.concat([GIF.subarray(0, -1), frame, TRAILER]))).resolves.toBe(
      "image/gif",
    );
  });

  const lzwAt = GIF.indexOf(0x2c, 13) + 10;
  const withLzw = (data: number[]) =>
    Buffer.concat([GIF.subarray(0, lzwAt), Buffer.from([2, data.length, ...data, 0]), TRAILER]);
  const cases: Array<[string, Buffer, RegExp]> = [
    [
      "a GIF header followed by other content",
      Buffer.concat([GIF.subarray(0, 6), Buffer.from("password=hunter2 ".repeat(10))]),
      /global colour table|does not start a block|cut short/,
    ],
    ["a truncated GIF", GIF.subarray(0, GIF.length - 4), /cut short/],
    ["a GIF without its trailer", GIF.subarray(0, GIF.length - 1), /no trailer/],
    [
      "bytes after the trailer",
      Buffer.concat([GIF, Buffer.from("appended")]),
      /8 bytes follow its trailer/,
    ],
    [
      "an unknown version",
      Buffer.concat([Buffer.from("GIF88a"), GIF.subarray(6)]),
      /not GIF87a or GIF89a/,
    ],
    [
      "no image",
      Buffer.concat([GIF.subarray(0, GIF.indexOf(0x21, 13)), TRAILER]),
      /holds no image/,
    ],
    // Codes of 3 bits: clear (4), then 7, which is not defined yet.
    ["an undefined LZW code", withLzw([0b111100]), /LZW code 7 before defining it/],
    // Clear (4), one pixel (0), end (5), 3 bits each from the lowest: 0b01_000_100, 0b1.
    // A 4 x 4 frame holds 16 pixels.
    ["too few pixels", withLzw([0x44, 0x01]), /holds 1 of its 16 pixels/],
    [
      "an unknown block",
      Buffer.concat([GIF.subarray(0, -1), Buffer.from([0x99]), TRAILER]),
      /does not start a block/,
    ],
  ];
  it.each(cases)("refuses %s", async (_, file, reason) => {
    await expect(checkImage(file)).rejects.toThrow(reason);
  });
});
