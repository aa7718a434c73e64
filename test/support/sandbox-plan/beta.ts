/**
 * Sandbox plan of the beta tools (listed with --beta): one meaningful call of each, in an
 * order that works: reads of the demo data, then creates (saving ids), jobs, updates, deletes.
 */
import { betaReadSteps } from "./beta-reads.js";
import { betaWriteSteps } from "./beta-writes.js";
import type { PlanStep } from "./steps.js";

export const BETA_SANDBOX_PLAN: readonly PlanStep[] = [...betaReadSteps, ...betaWriteSteps];
