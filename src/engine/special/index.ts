/** Hand-written handlers for the few tools the generic path cannot express. */
import type { ToolDefinition } from "../definition.js";
import type { ExecutionContext } from "../execute.js";
import type { ToolResult } from "../result.js";
import { removeProfilesFromList } from "./remove-profiles.js";
import { uploadImageFromFile } from "./upload-image.js";

export type SpecialHandler = (
  tool: ToolDefinition,
  args: Record<string, unknown>,
  ctx: ExecutionContext,
) => Promise<ToolResult>;

export const specialHandlers: Record<NonNullable<ToolDefinition["special"]>, SpecialHandler> = {
  remove_profiles_from_list: removeProfilesFromList,
  upload_image_from_file: uploadImageFromFile,
};
