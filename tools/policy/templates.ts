/** Policy of the templates tools (see tools/policy.ts). */
import type { ToolPolicy } from "../../src/engine/definition.js";

// biome-ignore format: one line per tool, so that adjusting a tool is a one-line diff.
export const templatesPolicy = {
  create_template: { hints: {"definition": "Drag-and-drop only (else html): read one with get_template (additional_fields [\"definition\"]), edit, send back"}, description: "Create a new HTML or drag-and-drop email template. Creation fails once the account has 1,000 or more templates." },
  create_template_clone: { checkWith: "get_templates", description: "Clone the template with the given id, optionally naming the copy. Cloning fails once the account has 1,000 or more templates." },
  create_template_render: { annotations: { readOnlyHint: true }, description: "Render the template with the given id using a context object of template variables, returning its AMP, HTML and plain text versions. Variables missing from the context render as nothing." }, // needs only templates:read and stores nothing
  create_universal_content: { hints: {"definition": "One block, e.g. {\"content_type\":\"block\",\"type\":\"text\",\"data\":{\"content\":\"Hello\",\"styles\":{},\"display_options\":{}}}; type button|drop_shadow|horizontal_rule|html|image|spacer|text"}, description: "Create a universal content block (content reused across templates) from a name and a block definition." },
  delete_template: { description: "Permanently delete the template with the given template_id." },
  delete_universal_content: { description: "Permanently delete the universal content block with the given template_universal_content_id." },
  get_all_universal_content: { description: "List universal content blocks in the account, filterable by name, block type, created and updated, with sorting and paging (at most 100 per page)." },
  get_template: { description: "Get the template with the given template_id, including its HTML. Use additional_fields to add the definition of a drag-and-drop template." },
  get_templates: { core: true, description: "List email templates in the account, filterable by id, name, created and updated, with sorting and paging (at most 10 per page)." },
  get_universal_content: { description: "Get the universal content block with the given template_universal_content_id, including its definition." },
  update_template: { hints: {"definition": "Drag-and-drop only (else html): read one with get_template (additional_fields [\"definition\"]), edit, send back"}, description: "Update the name, HTML or drag-and-drop definition of the template with the given template_id." },
  update_universal_content: { hints: {"definition": "One block, e.g. {\"content_type\":\"block\",\"type\":\"text\",\"data\":{\"content\":\"Hello\",\"styles\":{},\"display_options\":{}}}; type button|drop_shadow|horizontal_rule|html|image|spacer|text"}, description: "Update the name or definition of the universal content block with the given template_universal_content_id; only button, drop_shadow, horizontal_rule, html, image, spacer and text blocks take a new definition." },
} satisfies Record<string, ToolPolicy>;
