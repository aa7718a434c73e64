/** Policy of the accounts tools (see tools/policy.ts). */
import type { ToolPolicy } from "../../src/engine/definition.js";

// biome-ignore format: one line per tool, so that adjusting a tool is a one-line diff.
export const accountsPolicy = {
  get_account: { description: "Get the account with the given account_id. Only the account that the private API key belongs to can be retrieved." },
  get_accounts: { core: true, description: "Get the account that the private API key belongs to: contact information, timezone, currency, public API key and more. Use it to check which account a key belongs to." },
} satisfies Record<string, ToolPolicy>;
