/**
 * Multipart uploads of a document (create_agent_knowledge_file_beta): the file comes as base64
 * with its name, never as a local path (only images may be read from KLAVIYO_UPLOAD_DIRS, see
 * upload-image.ts). The other form fields are the tool's `form` arguments, sent as text.
 */
import type { SpecialHandler } from "../context.js";
import { send } from "../send.js";
import { appendFormArgs, decodeFileBase64, multipartRequest } from "./multipart.js";

/** What Klaviyo's knowledge files are: documents and text. Anything else goes as bytes. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  pdf: "application/pdf",
  doc: "application/msword",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  txt: "text/plain",
  md: "text/markdown",
  csv: "text/csv",
  html: "text/html",
  json: "application/json",
};

export const uploadFile: SpecialHandler = async (tool, args, ctx) => {
  const filename = String(args.filename);
  const bytes = decodeFileBase64(String(args.file_base64));
  const extension = filename.split(".").pop()?.toLowerCase() ?? "";
  const type = CONTENT_TYPES[extension] ?? "application/octet-stream";
  const form = new FormData();
  appendFormArgs(form, tool, args);
  form.append("file", new Blob([new Uint8Array(bytes)], { type }), filename);
  return send(tool, multipartRequest(tool, form), ctx);
};
