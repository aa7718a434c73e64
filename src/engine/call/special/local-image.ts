/**
 * Reading upload_image_from_file's `file_path` (stdio only). The path comes from the model, which
 * may follow instructions planted in any data it has read, and the file ends up on a public CDN:
 * so only images inside the directories the user listed in KLAVIYO_UPLOAD_DIRS are read, symlinks
 * resolved first, and every refusal gives the same message, so a caller learns nothing about
 * files it may not upload (whether one exists, how big it is, what it holds).
 */
import { constants } from "node:fs";
import { type FileHandle, open, readlink, realpath, stat } from "node:fs/promises";
import { isAbsolute, relative, sep } from "node:path";
import type { Logger } from "../../../logger.js";
import { ArgumentError } from "../request.js";
import { checkImage, type ImageType } from "./image/check.js";

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/** O_NOFOLLOW: the resolved path must not have become a symlink; O_NONBLOCK: a FIFO cannot hang. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export interface LocalImage {
  bytes: Buffer;
  type: ImageType;
}

/** The one answer to every refused file_path: what an honest caller needs, nothing about the file. */
export function filePathRefusal(uploadDirs: readonly string[]): string {
  return uploadDirs.length === 0
    ? "file_path is off: no KLAVIYO_UPLOAD_DIRS are configured. Send the image as file_base64 instead (or ask the user to set KLAVIYO_UPLOAD_DIRS to the directories to upload from)."
    : `file_path must be the absolute path of a JPEG, PNG or GIF image of at most 5 MB inside KLAVIYO_UPLOAD_DIRS (${uploadDirs.join(", ")}). Otherwise send the image as file_base64.`;
}

/** Whether `path` lies strictly inside `dir` (both real paths), by path segments, not prefix. */
export function isInside(dir: string, path: string): boolean {
  const rest = relative(dir, path);
  return rest !== "" && rest !== ".." && !rest.startsWith(`..${sep}`) && !isAbsolute(rest);
}

/**
 * The image at `filePath` when it is allowed and valid; otherwise an ArgumentError with the one
 * refusal message (the reason goes to the debug log, for the user who runs the server).
 */
export async function readLocalImage(
  filePath: string,
  uploadDirs: readonly string[],
  logger: Logger,
): Promise<LocalImage> {
  try {
    return await readAllowedImage(filePath, uploadDirs);
  } catch (error) {
    const reason =
      error instanceof Refusal
        ? error.message
        : ((error as NodeJS.ErrnoException).code ?? (error as Error).message);
    logger.debug({ file_path: filePath, reason }, "upload_image_from_file: file_path refused");
    throw new ArgumentError("file_path", filePathRefusal(uploadDirs));
  }
}

class Refusal extends Error {}

async function readAllowedImage(
  filePath: string,
  uploadDirs: readonly string[],
): Promise<LocalImage> {
  if (uploadDirs.length === 0) throw new Refusal("no KLAVIYO_UPLOAD_DIRS configured");
  if (!isAbsolute(filePath)) throw new Refusal("not an absolute path");
  const real = await realpath(filePath);
  if (!uploadDirs.some((dir) => isInside(dir, real))) {
    throw new Refusal("outside KLAVIYO_UPLOAD_DIRS once symlinks are resolved");
  }
  const handle = await open(real, OPEN_FLAGS);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new Refusal("not a regular file");
    if (!(await stillInside(handle, info, real, uploadDirs))) {
      throw new Refusal("the path changed between the check and the open");
    }
    if (info.size > MAX_IMAGE_BYTES) throw new Refusal("larger than 5 MB");
    // One byte more than fstat promised tells a file that grew while it was read.
    const bytes = await readAtMost(handle, info.size + 1);
    if (bytes.length > info.size) throw new Refusal("it grew while it was read");
    try {
      return { bytes, type: await checkImage(bytes) };
    } catch (error) {
      throw new Refusal(`not a valid image: ${(error as Error).message}`);
    }
  } finally {
    await handle.close();
  }
}

/**
 * A directory on the resolved path could have been swapped for a symlink between realpath and
 * open. Linux names the file a descriptor refers to; elsewhere, the path must still lead to the
 * very file that was opened.
 */
async function stillInside(
  handle: FileHandle,
  opened: { dev: number; ino: number },
  real: string,
  uploadDirs: readonly string[],
): Promise<boolean> {
  const byDescriptor = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => undefined);
  if (byDescriptor !== undefined && isAbsolute(byDescriptor)) {
    return uploadDirs.some((dir) => isInside(dir, byDescriptor));
  }
  const now = await stat(real);
  return now.dev === opened.dev && now.ino === opened.ino;
}

/** Reads through the handle until end of file or `limit` bytes, whichever comes first. */
async function readAtMost(handle: FileHandle, limit: number): Promise<Buffer> {
  const buffer = Buffer.alloc(limit);
  let filled = 0;
  while (filled < limit) {
    const { bytesRead } = await handle.read(buffer, filled, limit - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}
