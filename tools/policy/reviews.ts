/** Policy of the reviews tools (see tools/policy.ts). */
import type { ToolPolicy } from "../../src/engine/definition.js";

// biome-ignore format: one line per tool, so that adjusting a tool is a one-line diff.
export const reviewsPolicy = {
  get_review: { description: "Get the review with the given review_id: rating, title, content, author, product and status. Use include to add its events." },
  get_reviews: { description: "List product and store reviews in the account, filterable by status, rating, review_type, item id, content and created, sortable by created, rating or updated, and paged (at most 100 per page)." },
  update_review: { description: "Moderate the review with the given review_id by setting its status: published, unpublished, featured, pending, or rejected with a rejection_reason." },
} satisfies Record<string, ToolPolicy>;
