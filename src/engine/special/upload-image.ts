/**
 * upload_image_from_file: multipart upload from a local path (stdio only) or base64 content.
 * The file is checked (type, size) before anything is sent, so a bad file costs no request.
 */
import { readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import { send } from "../execute.js";
import { ArgumentError } from "../request.js";
import type { SpecialHandler } from "./index.js";

const MAX_BYTES = 5 * 1024 * 1024;

export const uploadImageFromFile: SpecialHandler = async (tool, args, ctx) => {
  const filePath = args.file_path as string | undefined;
  const base64 = args.file_base64 as string | undefined;
  if ((filePath === undefined) === (base64 === undefined)) {
    throw new ArgumentError("file_path", "Give exactly one of file_path or file_base64.");
  }
  let bytes: Buffer;
  let filename: string;
  if (filePath !== undefined) {
    if (!ctx.allowFilePaths) {
      throw new ArgumentError(
        "file_path",
        "This server does not read local files; send the image as file_base64 with a filename.",
      );
    }
    bytes = await readLocalFile(filePath);
    filename = (args.filename as string | undefined) ?? basename(filePath);
  } else {
    bytes = decodeBase64(base64 as string);
    filename =
      (args.filename as string | undefined) ?? `upload${extensionFromBytes(bytes) ?? ".png"}`;
  }
  // Trust the bytes, not the name: Klaviyo rejects anything but JPEG, PNG and GIF.
  const contentType = sniffType(bytes);
  if (!contentType) {
    throw new ArgumentError(
      filePath ? "file_path" : "file_base64",
      "The file is not a JPEG, PNG or GIF image, the formats Klaviyo accepts.",
    );
  }
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(bytes)], { type: contentType }), filename);
  if (args.name !== undefined) form.append("name", String(args.name));
  if (args.hidden !== undefined) form.append("hidden", String(args.hidden));
  const query: Array<[string, string]> = [];
  const fields = args.fields as { image?: string[] } | undefined;
  if (fields?.image) query.push(["fields[image]", fields.image.join(",")]);
  return send(
    tool,
    {
      operationId: tool.operation.id,
      method: tool.operation.method,
      path: tool.operation.path,
      query,
      body: { kind: "multipart", form },
      auth: tool.auth,
      rateLimit: tool.rateLimit,
    },
    ctx,
  );
};

async function readLocalFile(path: string): Promise<Buffer> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new ArgumentError("file_path", `${path} is not a regular file.`);
    size = info.size;
  } catch (error) {
    if (error instanceof ArgumentError) throw error;
    throw new ArgumentError(
      "file_path",
      `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
    );
  }
  if (size > MAX_BYTES)
    throw new ArgumentError(
      "file_path",
      `The file is ${(size / 1048576).toFixed(1)} MB; Klaviyo accepts at most 5 MB.`,
    );
  return readFile(path);
}

function decodeBase64(text: string): Buffer {
  const clean = text.replace(/^data:[^;]+;base64,/, "").replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(clean)) {
    throw new ArgumentError("file_base64", "file_base64 is not valid base64.");
  }
  const bytes = Buffer.from(clean, "base64");
  if (bytes.length === 0)
    throw new ArgumentError("file_base64", "file_base64 decodes to an empty file.");
  if (bytes.length > MAX_BYTES)
    throw new ArgumentError(
      "file_base64",
      `The image is ${(bytes.length / 1048576).toFixed(1)} MB; Klaviyo accepts at most 5 MB.`,
    );
  return bytes;
}

/** The content type from the file's magic bytes, so a mislabelled file is caught here. */
function sniffType(bytes: Buffer): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return "image/png";
  if (bytes.subarray(0, 4).toString("latin1") === "GIF8") return "image/gif";
  return undefined;
}

function extensionFromBytes(bytes: Buffer): string | undefined {
  const type = sniffType(bytes);
  return type
    ? { "image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif" }[type]
    : undefined;
}
