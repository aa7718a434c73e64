/** Policy of the flows tools (see tools/policy.ts). */
import type { ToolPolicy } from "../../src/engine/definition.js";

// biome-ignore format: one line per tool, so that adjusting a tool is a one-line diff.
export const flowsPolicy = {
  create_flow: { hints: {"definition": "E.g. {\"triggers\":[{\"type\":\"list\",\"id\":\"LIST_ID\"}],\"entry_action_id\":\"a1\",\"actions\":[{\"temporary_id\":\"a1\",\"type\":\"time-delay\",\"data\":{\"unit\":\"days\",\"value\":1},\"links\":{\"next\":\"a2\"}},{\"temporary_id\":\"a2\",\"type\":\"send-email\",\"data\":{\"message\":{\"template_id\":\"T_ID\",\"subject_line\":\"Hi\"},\"status\":\"draft\"}}]}. Triggers: list, segment, metric, date, price-drop, low-inventory. For other actions, read a flow with get_flow (additional_fields [\"definition\"])"}, description: "Create a flow from a name and a definition: one trigger, and actions linked by ids (temporary_id for new ones) starting at entry_action_id. With additional_fields [\"definition\"] the answer holds it with real ids." },
  delete_flow: { description: "Permanently delete the flow with the given flow_id. To stop a flow without deleting it, set its status with update_flow_status instead." },
  delete_flow_action: { description: "Permanently delete the flow action (a step of a flow) with the given flow_action_id." },
  get_flow: { core: true, description: "Get the flow with the given flow_id: name, status and trigger type. Use include to add its flow actions or tags, and additional_fields to add its definition." },
  get_flow_action: { description: "Get the flow action (a step of a flow) with the given flow_action_id. Use include to add its flow or flow messages." },
  get_flow_action_for_message: { description: "Get the flow action that the flow message with the given flow_message_id belongs to, as a full resource." },
  get_flow_action_messages: { description: "List the flow messages of the flow action with the given flow_action_id as full resources, with filtering, sorting and paging (at most 50 per page)." },
  get_flow_action_relationships_flow: { description: "Get only the id of the flow that the given flow action belongs to. For the full flow, use get_flow_for_flow_action." },
  get_flow_action_relationships_messages: { description: "Get only the ids of the flow messages of the given flow action (at most 50 per page). For full messages, use get_flow_action_messages." },
  get_flow_flow_actions: { description: "List the actions of the flow with the given flow_id as full resources, filterable by action_type and status, with sorting and paging (at most 50 per page)." },
  get_flow_for_flow_action: { description: "Get the flow that the flow action with the given flow_action_id belongs to, as a full resource." },
  get_flow_message: { description: "Get the flow message with the given flow_message_id, including its content. Use include to add its flow action or template." },
  get_flow_message_relationships_action: { description: "Get only the id of the flow action that the given flow message belongs to. For the full action, use get_flow_action_for_message." },
  get_flow_message_relationships_template: { description: "Get only the id of the template used by the given flow message. For the full template, use get_flow_message_template." },
  get_flow_message_template: { description: "Get the template used by the flow message with the given flow_message_id, as a full resource." },
  get_flow_relationships_flow_actions: { description: "Get only the ids of the actions of the given flow, filterable by action_type and status (at most 50 per page). For full actions, use get_flow_flow_actions." },
  get_flow_relationships_tags: { description: "Get only the ids of the tags attached to the given flow. For full tag resources, use get_flow_tags." },
  get_flow_tags: { description: "Get all tags attached to the flow with the given flow_id, as full tag resources." },
  get_flows: { core: true, description: "List flows in the account, filterable by name, status, archived and dates, with sorting and paging (at most 50 per page). Use include to add their actions or tags." },
  update_flow_action: { hints: {"definition": "The action's definition from get_flow_action, edited, e.g. {\"id\":\"ACTION_ID\",\"type\":\"time-delay\",\"data\":{\"unit\":\"days\",\"value\":2},\"links\":{\"next\":\"NEXT_ID\"}}"}, description: "Update the flow action with the given flow_action_id by sending its whole definition (type, data, links), as get_flow_action returns it." },
  update_flow_status: { description: "Set the status of the flow with the given flow_id to draft, manual or live; all actions in the flow are updated too." },
} satisfies Record<string, ToolPolicy>;
