/** Containment by path segments (the reading itself: upload-image.test.ts, on real files). */
import { describe, expect, it } from "vitest";
import { isInside } from "../../../../src/engine/call/special/local-image.js";

describe("isInside", () => {
  it.each([
    ["/data/up", "/data/up/a.png", true],
    ["/data/up", "/data/up/deep/er/a.png", true],
    ["/data/up", "/data/up/..a.png", true], // a file whose name starts with two dots
    ["/", "/etc/a.png", true],
    ["/data/up", "/data/up", false], // the directory itself is not a file in it
    ["/data/up", "/data/upload-secrets/a.png", false],
    ["/data/up", "/data/up-secrets/a.png", false],
    ["/data/up", "/data/a.png", false],
    ["/data/up", "/data", false],
  ])("%s holds %s: %s", (dir, path, inside) => {
    expect(isInside(dir, path)).toBe(inside);
  });
});
