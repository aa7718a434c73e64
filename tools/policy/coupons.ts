/** Policy of the coupons tools (see tools/policy.ts). */
import type { ToolPolicy } from "../../src/engine/definition.js";

// biome-ignore format: one line per tool, so that adjusting a tool is a one-line diff.
export const couponsPolicy = {
  create_coupon: { description: "Create a coupon (the discount that codes belong to) with an external_id and optional description. Add codes to it with create_coupon_code or spawn_coupon_code_bulk_create_job." },
  create_coupon_code: { description: "Create a single unique coupon code for the given coupon, synchronously, with an optional expiry date. For many codes at once, use spawn_coupon_code_bulk_create_job." },
  delete_coupon: { description: "Permanently delete the coupon with the given coupon_id." },
  delete_coupon_code: { description: "Permanently delete the coupon code with the given coupon_code_id, synchronously. Fails if the code has already been assigned to a profile." },
  get_coupon: { description: "Get the coupon with the given coupon_id." },
  get_coupon_code: { description: "Get the coupon code with the given coupon_code_id, including its status and expiry. Use include to add its coupon." },
  get_coupon_code_bulk_create_job: { description: "Get a coupon code bulk create job by id to check its status and progress. Use include to add the coupon codes it created." },
  get_coupon_code_bulk_create_jobs: { description: "List coupon code bulk create jobs, filterable by status (at most 100 per page)." },
  get_coupon_code_relationships_coupon: { description: "Get only the ids of the coupon codes that belong to the coupon with the given coupon_id, paged. For full codes, use get_coupon_codes_for_coupon." },
  get_coupon_codes: { description: "List coupon codes. A filter on coupon id(s) or profile id(s) is required; status and expires_at can also be filtered. Use include to add their coupon." },
  get_coupon_codes_for_coupon: { description: "List the coupon codes that belong to the coupon with the given coupon_id, as full resources, filterable by status and expires_at, and paged." },
  get_coupon_for_coupon_code: { description: "Get the coupon that the coupon code with the given coupon_code_id belongs to, as a full resource." },
  get_coupon_relationships_coupon_codes: { description: "Get only the id of the coupon that the coupon code with the given coupon_code_id belongs to. For the full coupon, use get_coupon_for_coupon_code." },
  get_coupons: { description: "List all coupons in the account, paged." },
  spawn_coupon_code_bulk_create_job: { description: "Start an asynchronous job that creates up to 1,000 coupon codes; at most 100 jobs can be queued at once. Poll get_coupon_code_bulk_create_job for progress." },
  update_coupon: { description: "Update the description or monitor configuration of the coupon with the given coupon_id." },
  update_coupon_code: { description: "Update the status or expires_at of the coupon code with the given coupon_code_id, synchronously." },
} satisfies Record<string, ToolPolicy>;
