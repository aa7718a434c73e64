/** Policy of the webhooks tools (see tools/policy.ts). */
import type { ToolPolicy } from "../../src/engine/definition.js";

// biome-ignore format: one line per tool, so that adjusting a tool is a one-line diff.
export const webhooksPolicy = {
  create_webhook: { description: "Create a webhook that sends events for the chosen webhook topics to an endpoint_url, signed with a secret_key. Find topic ids with get_webhook_topics." },
  delete_webhook: { description: "Permanently delete the webhook with the given webhook_id." },
  get_webhook: { description: "Get the webhook with the given webhook_id. Use include to add its webhook topics." },
  get_webhook_topic: { description: "Get the webhook topic (an event type a webhook can subscribe to) with the given webhook_topic_id." },
  get_webhook_topics: { description: "List all webhook topics available in the account. Use it to find topic ids for create_webhook or update_webhook." },
  get_webhooks: { description: "List all webhooks in the account. Use include to add their webhook topics." },
  update_webhook: { description: "Update the webhook with the given webhook_id: name, description, endpoint_url, secret_key, enabled flag or webhook topics." },
} satisfies Record<string, ToolPolicy>;
