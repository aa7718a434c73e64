/** Hand-written handlers for the few tools the generic path cannot express. */
import type { ToolDefinition } from "../../definition.js";
import type { SpecialHandler } from "../context.js";
import { removeProfilesFromList } from "./remove-profiles.js";
import { uploadImageFromFile } from "./upload-image.js";

export type { SpecialHandler };

export const specialHandlers: Record<NonNullable<ToolDefinition["special"]>, SpecialHandler> = {
  remove_profiles_from_list: removeProfilesFromList,
  upload_image_from_file: uploadImageFromFile,
};
