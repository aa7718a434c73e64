/**
 * Named selections of tools beyond the resource groups. `core` covers the everyday jobs of a
 * marketer's assistant (find people, lists and segments, consent, campaigns and flows, events
 * and their numbers) in about 25 tools, for clients that pay for every tool in the context.
 * Membership is marked `core: true` in each tool's policy (tools/policy.ts).
 */
import { betaOnlyToolGroups } from "../../../tools/index.js";
import { policyByName } from "../../../tools/policy.js";

export const CORE_TOOLSET = "core";

export const CORE_TOOLS: readonly string[] = [...policyByName]
  .filter(([, policy]) => policy.core)
  .map(([name]) => name);

/** Toolsets only beta tools belong to, known without loading the beta tools (generated). */
export const BETA_ONLY_TOOLSETS: readonly string[] = betaOnlyToolGroups;

/** Whether `name` is a beta tool's: they all end in `_beta`, and no stable one does (tested). */
export function isBetaToolName(name: string): boolean {
  return name.endsWith("_beta");
}

/** What errors say about a beta toolset or tool asked for without --beta. */
export const BETA_HOW_TO = "add --beta (KLAVIYO_BETA=true) to serve Klaviyo's beta operations";
