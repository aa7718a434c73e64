/** What the multipart uploads share: the file as the model sends it, and the request it goes in. */
import type { KlaviyoRequest } from "../../../klaviyo/client.js";
import type { ToolDefinition } from "../../definition.js";
import { ArgumentError, requestBase } from "../request.js";

/** `file_base64` as bytes (a data: prefix and whitespace allowed); refused when not base64 or empty. */
export function decodeFileBase64(text: string): Buffer {
  const clean = text.replace(/^data:[^;]+;base64,/, "").replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(clean)) {
    throw new ArgumentError("file_base64", "file_base64 is not valid base64.");
  }
  const bytes = Buffer.from(clean, "base64");
  if (bytes.length === 0) {
    throw new ArgumentError("file_base64", "file_base64 decodes to an empty file.");
  }
  return bytes;
}

/** The tool's form arguments given (an image's name and hidden flag), as text fields. */
export function appendFormArgs(
  form: FormData,
  tool: ToolDefinition,
  args: Record<string, unknown>,
): void {
  for (const [name, mapping] of Object.entries(tool.args)) {
    if (mapping.in === "form" && args[name] !== undefined)
      form.append(mapping.name, String(args[name]));
  }
}

/** The tool's request with a multipart body. */
export function multipartRequest(
  tool: ToolDefinition,
  form: FormData,
  query: Array<[string, string]> = [],
): KlaviyoRequest {
  return { ...requestBase(tool), query, body: { kind: "multipart", form } };
}
