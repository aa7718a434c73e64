/** Policy of the forms tools (see tools/policy.ts). */
import type { ToolPolicy } from "../../src/engine/definition.js";

// biome-ignore format: one line per tool, so that adjusting a tool is a one-line diff.
export const formsPolicy = {
  create_form: { hints: {"definition": "Too deep to list: copy one from get_form (fields {\"form\":[\"definition\"]}), edit, send back. Shape {\"versions\":[{\"type\":\"popup\",\"status\":\"draft\",\"steps\":[]}]}"}, description: "Create a draft signup form from a name, ab_test flag and a definition of versions and their steps. Start from an existing form's definition (get_form)." },
  delete_form: { description: "Permanently delete the signup form with the given form_id." },
  get_form: { description: "Get the signup form with the given form_id." },
  get_form_for_form_version: { description: "Get the form that the form version with the given form_version_id belongs to, as a full resource." },
  get_form_id_for_form_version: { description: "Get only the id of the form that the given form version belongs to. For the full form, use get_form_for_form_version." },
  get_form_version: { description: "Get the form version with the given form_version_id. Use include to add its form." },
  get_forms: { description: "List signup forms in the account, filterable by id, name, ab_test and dates, sortable by created_at or updated_at, and paged." },
  get_version_ids_for_form: { description: "Get only the ids of the versions of the given form, filterable by form_type and status, and paged. For full versions, use get_versions_for_form." },
  get_versions_for_form: { description: "List the versions of the form with the given form_id as full resources, filterable by form_type, status and dates, with sorting and paging." },
} satisfies Record<string, ToolPolicy>;
