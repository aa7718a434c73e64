/** The type comes from the content, and a 5 MB file of each type is checked well under a second. */
import { describe, expect, it } from "vitest";
import {
  checkImage,
  claimedImageType,
} from "../../../../../src/engine/call/special/image/check.js";
import { GIF, gif, JPEG, largeJpeg, png } from "../../../../support/images.js";

const FIVE_MB = 5 * 1024 * 1024;

describe("checkImage", () => {
  it("takes the type from the first bytes, whatever the file is called", async () => {
    expect(claimedImageType(JPEG)).toBe("image/jpeg");
    expect(claimedImageType(GIF)).toBe("image/gif");
    expect(claimedImageType(Buffer.from("BM bitmap"))).toBeUndefined();
    await expect(checkImage(Buffer.from("<svg/>"))).rejects.toThrow(
      /does not start like a JPEG, PNG or GIF image/,
    );
    await expect(checkImage(Buffer.alloc(0))).rejects.toThrow(/does not start like/);
  });

  it.each([
    ["PNG", () => png({ width: 1290, height: 1290 })],
    ["JPEG", () => largeJpeg(FIVE_MB - 1000)],
    ["GIF", () => gif(2250, 2250)],
  ])("checks a 5 MB %s in well under a second", async (_, make) => {
    const file = make();
    expect(file.length).toBeGreaterThan(0.9 * FIVE_MB);
    expect(file.length).toBeLessThanOrEqual(FIVE_MB);
    const started = performance.now();
    await checkImage(file);
    // Measured at 20-180 ms on 2 cores; the bound leaves room for a loaded machine.
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
