/**
 * Whole-file checks for the three formats Klaviyo accepts. A magic number proves nothing (any
 * file can be given one), so every byte must belong to the image's structure: a secret with an
 * image header in front, a truncated image or an image with a payload appended is refused.
 * Hand-written rather than a decoder from npm: these walk the structure in bounded memory and
 * well under 100 ms for 5 MB, where pure-JS decoders allocate the whole bitmap (hundreds of MB
 * for a large photo) and take seconds to decode a JPEG.
 */
import { checkGif } from "./gif.js";
import { InvalidImageError } from "./invalid-image.js";
import { checkJpeg } from "./jpeg.js";
import { checkPng } from "./png.js";

export { InvalidImageError };

export type ImageType = "image/jpeg" | "image/png" | "image/gif";

export const IMAGE_EXTENSIONS: Readonly<Record<ImageType, string>> = {
  "image/jpeg": ".jpg",
  "image/png": ".png",
  "image/gif": ".gif",
};

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The type the first bytes claim; checkImage says whether the rest agrees. */
export function claimedImageType(bytes: Uint8Array): ImageType | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (PNG_SIGNATURE.every((byte, i) => bytes[i] === byte)) return "image/png";
  if (bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46 && bytes[3] === 0x38) {
    return "image/gif";
  }
  return undefined;
}

/**
 * The image's type, once the whole file has been read as that type; otherwise an
 * InvalidImageError saying what is wrong and where.
 */
export async function checkImage(bytes: Buffer): Promise<ImageType> {
  const type = claimedImageType(bytes);
  if (type === "image/png") await checkPng(bytes);
  else if (type === "image/jpeg") checkJpeg(bytes);
  else if (type === "image/gif") checkGif(bytes);
  else throw new InvalidImageError("it does not start like a JPEG, PNG or GIF image");
  return type;
}
