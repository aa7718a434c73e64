/** Policy of the web_feeds tools (see tools/policy.ts). */
import type { ToolPolicy } from "../../src/engine/definition.js";

// biome-ignore format: one line per tool, so that adjusting a tool is a one-line diff.
export const webFeedsPolicy = {
  create_web_feed: { description: "Create a web feed (external JSON or XML data that templates can use) from a name, url, request_method and content_type." },
  delete_web_feed: { description: "Permanently delete the web feed with the given web_feed_id." },
  get_web_feed: { description: "Get the web feed with the given web_feed_id: name, url, request method, content type and status." },
  get_web_feeds: { description: "List web feeds in the account, filterable by name, created and updated, with sorting and paging (at most 20 per page)." },
  update_web_feed: { description: "Update the name, url, request_method or content_type of the web feed with the given web_feed_id." },
} satisfies Record<string, ToolPolicy>;
