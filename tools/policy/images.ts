/** Policy of the images tools (see tools/policy.ts). */
import { uploadImageFromFile } from "../../src/engine/call/special/upload-image.js";
import type { ToolPolicy } from "../../src/engine/definition.js";

// biome-ignore format: one line per tool, so that adjusting a tool is a one-line diff.
export const imagesPolicy = {
  get_image: { description: "Get the image with the given image_id from the account's image library." },
  get_images: { description: "List images in the account's image library, filterable by id, name, format, size and updated_at, with sorting and paging." },
  update_image: { description: "Update the name or hidden flag of the image with the given image_id." },
  upload_image_from_file: { checkWith: "get_images", handler: uploadImageFromFile, description: "Upload an image to the account's image library from a local file path or base64 content. To import from a URL or data URI, use upload_image_from_url." },
  upload_image_from_url: { description: "Import an image into the account's image library from a URL or data URI. To upload a local file, use upload_image_from_file." },
} satisfies Record<string, ToolPolicy>;
