/**
 * Multipart uploads of a document (create_agent_knowledge_file_beta): the file comes as base64
 * with its name, never as a local path (only images may be read from KLAVIYO_UPLOAD_DIRS, see
 * upload-image.ts). The other form fields are the tool's `form` arguments, sent as text.
 */
import type { SpecialHandler } from "../context.js";
import { ArgumentError } from "../request.js";
import { send } from "../send.js";

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
  const clean = String(args.file_base64)
    .replace(/^data:[^;]+;base64,/, "")
    .replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(clean)) {
    throw new ArgumentError("file_base64", "file_base64 is not valid base64.");
  }
  const bytes = Buffer.from(clean, "base64");
  if (bytes.length === 0)
    throw new ArgumentError("file_base64", "file_base64 decodes to an empty file.");
  const extension = filename.split(".").pop()?.toLowerCase() ?? "";
  const form = new FormData();
  const type = CONTENT_TYPES[extension] ?? "application/octet-stream";
  for (const [name, mapping] of Object.entries(tool.args)) {
    if (mapping.in === "form" && args[name] !== undefined)
      form.append(mapping.name, String(args[name]));
  }
  form.append("file", new Blob([new Uint8Array(bytes)], { type }), filename);
  return send(
    tool,
    {
      operationId: tool.operation.id,
      method: tool.operation.method,
      path: tool.operation.path,
      query: [],
      body: { kind: "multipart", form },
      auth: tool.auth,
      rateLimit: tool.rateLimit,
      ...(tool.beta ? { revision: tool.beta.revision } : {}),
    },
    ctx,
  );
};
