/** Policy of the data_privacy tools (see tools/policy.ts). */
import type { ToolPolicy } from "../../src/engine/definition.js";

// biome-ignore format: one line per tool, so that adjusting a tool is a one-line diff.
export const dataPrivacyPolicy = {
  request_profile_deletion: { annotations: { destructiveHint: true }, checkWith: "get_profiles", description: "Request permanent deletion of the profiles matching one identifier: email, phone_number or profile id (more than one is an error). Deletion runs asynchronously; use it for GDPR or CCPA requests." },
} satisfies Record<string, ToolPolicy>;
