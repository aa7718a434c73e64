/**
 * One meaningful call of every tool against the sandbox's demo data, in an order that works:
 * reads first, then creates (whose ids later steps use), updates, jobs, and deletes last.
 * Shared by the every-tool test and scripts/check-emulator.ts. A new tool adds its step here,
 * where its place in that order is clear (the every-tool test names a tool without one); what is
 * decided about the tool itself is in tools/policy.ts.
 */

import { customDataSteps } from "./sandbox-plan/custom-data.js";
import { deleteSteps, jobSteps } from "./sandbox-plan/jobs-and-deletes.js";
import { marketingAdditionSteps } from "./sandbox-plan/marketing-additions.js";
import { readSteps, reportSteps } from "./sandbox-plan/reads.js";
import type { PlanStep } from "./sandbox-plan/steps.js";
import { writeSteps } from "./sandbox-plan/writes.js";

export type { PlanContext, PlanStep } from "./sandbox-plan/steps.js";

export const SANDBOX_PLAN: readonly PlanStep[] = [
  ...readSteps,
  ...reportSteps,
  ...writeSteps,
  ...jobSteps,
  ...marketingAdditionSteps,
  ...customDataSteps,
  ...deleteSteps,
];

export { BETA_SANDBOX_PLAN } from "./sandbox-plan/beta.js";
