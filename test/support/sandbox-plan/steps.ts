/** The shapes and small helpers every part of the sandbox plan uses. */
import type { DemoSummary, Store } from "../../../emulator/index.js";

export interface PlanContext {
  demo: DemoSummary;
  store: Store;
  /** Ids captured from earlier steps' results. */
  saved: Record<string, string>;
}

export interface PlanStep {
  tool: string;
  args: (ctx: PlanContext) => Record<string, unknown>;
  /** Name under which to save the result's `id`. */
  save?: string;
}

export const DAY = 86_400_000;
export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
export const step = (
  tool: string,
  args: PlanStep["args"] = () => ({}),
  save?: string,
): PlanStep => ({
  tool,
  args,
  ...(save ? { save } : {}),
});

export function first(store: Store, type: string): string {
  const found = store.all(type)[0];
  if (!found) throw new Error(`The demo data has no ${type}`);
  return found.id;
}

export function profileInList(ctx: PlanContext, listId: string): string {
  const id = ctx.store.related("list", listId, "profiles")[0];
  if (!id) throw new Error(`List ${listId} has no members`);
  return id;
}

export function firstTag(ctx: PlanContext): string {
  const id = Object.values(ctx.demo.tags)[0];
  if (!id) throw new Error("The demo data has no tags");
  return id;
}

export function flowActionWithMessage(ctx: PlanContext): string {
  const id = ctx.demo.flowActionIds.find(
    (a) => ctx.store.related("flow-action", a, "flow-messages").length > 0,
  );
  if (!id) throw new Error("No flow action has messages");
  return id;
}

export const profile = (email: string) => ({ email, first_name: "Robin", last_name: "Sandbox" });

/** A valid 1x1 PNG. */
export const PNG_1X1 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
