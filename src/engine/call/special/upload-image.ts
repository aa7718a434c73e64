/**
 * upload_image_from_file: multipart upload from a local path (stdio only, inside
 * KLAVIYO_UPLOAD_DIRS) or base64 content. The whole file is checked as the image type it claims
 * before anything is sent, so a bad file costs no request and no other file can be published.
 */
import { basename } from "node:path";
import type { SpecialHandler } from "../context.js";
import { ArgumentError } from "../request.js";
import { send } from "../send.js";
import {
  checkImage,
  claimedImageType,
  IMAGE_EXTENSIONS,
  type ImageType,
  InvalidImageError,
} from "./image/check.js";
import { MAX_IMAGE_BYTES, readLocalImage } from "./local-image.js";
import { appendFormArgs, decodeFileBase64, multipartRequest } from "./multipart.js";

export const uploadImageFromFile: SpecialHandler = async (tool, args, ctx) => {
  const filePath = args.file_path as string | undefined;
  const base64 = args.file_base64 as string | undefined;
  if ((filePath === undefined) === (base64 === undefined)) {
    throw new ArgumentError("file_path", "Give exactly one of file_path or file_base64.");
  }
  let image: { bytes: Buffer; type: ImageType };
  let filename: string;
  if (filePath !== undefined) {
    if (!ctx.allowFilePaths) {
      throw new ArgumentError(
        "file_path",
        "This server does not read local files; send the image as file_base64 with a filename.",
      );
    }
    image = await readLocalImage(filePath, ctx.uploadDirs ?? [], ctx.logger);
    filename = (args.filename as string | undefined) ?? basename(filePath);
  } else {
    image = await checkedBase64(base64 as string);
    filename = (args.filename as string | undefined) ?? `upload${IMAGE_EXTENSIONS[image.type]}`;
  }
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(image.bytes)], { type: image.type }), filename);
  appendFormArgs(form, tool, args);
  const query: Array<[string, string]> = [];
  const fields = args.fields as { image?: string[] } | undefined;
  if (fields?.image) query.push(["fields[image]", fields.image.join(",")]);
  return send(tool, multipartRequest(tool, form, query), ctx);
};

const FORMAT_NAMES: Record<ImageType, string> = {
  "image/jpeg": "JPEG",
  "image/png": "PNG",
  "image/gif": "GIF",
};

/** The caller's own bytes: errors may say exactly what is wrong with them. */
async function checkedBase64(text: string): Promise<{ bytes: Buffer; type: ImageType }> {
  const bytes = decodeFileBase64(text);
  if (bytes.length > MAX_IMAGE_BYTES) {
    throw new ArgumentError(
      "file_base64",
      `The image is ${(bytes.length / 1048576).toFixed(1)} MB; Klaviyo accepts at most 5 MB.`,
    );
  }
  try {
    return { bytes, type: await checkImage(bytes) };
  } catch (error) {
    if (!(error instanceof InvalidImageError)) throw error;
    const claimed = claimedImageType(bytes);
    throw new ArgumentError(
      "file_base64",
      claimed
        ? `file_base64 starts as a ${FORMAT_NAMES[claimed]} image but is not a valid one: ${error.message}. Re-save or re-export the image and send it again.`
        : "file_base64 is not a JPEG, PNG or GIF image, the formats Klaviyo accepts.",
    );
  }
}
