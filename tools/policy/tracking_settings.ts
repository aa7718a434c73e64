/** Policy of the tracking_settings tools (see tools/policy.ts). */
import type { ToolPolicy } from "../../src/engine/definition.js";

// biome-ignore format: one line per tool, so that adjusting a tool is a one-line diff.
export const trackingSettingsPolicy = {
  get_tracking_setting: { description: "Get the account's UTM tracking setting; its tracking_setting_id is the account id (from get_tracking_settings)." },
  get_tracking_settings: { description: "Get the account's UTM tracking setting (a list of one): whether UTM parameters are added to links automatically, and their values for campaigns and flows." },
  update_tracking_setting: { description: "Update the account's UTM tracking setting: auto_add_parameters, the utm_* values for campaigns and flows (static or dynamic), and custom_parameters. Only the fields you provide change." },
} satisfies Record<string, ToolPolicy>;
