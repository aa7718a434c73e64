/**
 * Named selections of tools beyond the resource groups. `core` covers the everyday jobs of a
 * marketer's assistant (find people, lists and segments, consent, campaigns and flows, events
 * and their numbers) in about 25 tools, for clients that pay for every tool in the context.
 * Membership is marked `core: true` in each tool's policy (tools/policy.ts).
 */
import { policyByName } from "../../../tools/policy.js";

export const CORE_TOOLSET = "core";

export const CORE_TOOLS: readonly string[] = [...policyByName]
  .filter(([, policy]) => policy.core)
  .map(([name]) => name);
