/** What the generator builds for one tool before it writes it: a plan, filled argument by argument. */
import type {
  ArgMapping,
  BodyKind,
  FilterField,
  Paging,
  RateLimit,
  ToolAnnotations,
} from "../../src/engine/definition.js";

export interface ToolPlan {
  name: string;
  title: string;
  description: string;
  group: string;
  operation: { id: string; method: string; path: string };
  auth: "private" | "public";
  scopes: string[];
  rateLimit: RateLimit;
  annotations: ToolAnnotations;
  args: Record<string, ArgMapping>;
  body: BodyKind;
  /** From the beta spec: sent with its own revision (ToolDefinition.beta). */
  beta?: { revision: string; stableTwin?: string };
  /** The policy has a handler: the definition is wired to it. */
  handler?: true;
  paging?: Paging;
  /** The fields `filter` accepts (see FilterField). */
  filters?: Record<string, FilterField>;
  /** `name: zodCode` lines of the input object, in argument order. */
  fields: string[];
}

/** Adds one argument: its mapping to the request and its zod source line. */
export function addArg(plan: ToolPlan, name: string, mapping: ArgMapping, code: string): void {
  if (plan.args[name]) throw new Error(`${plan.name}: argument name collision on "${name}"`);
  plan.args[name] = mapping;
  plan.fields.push(`${name}: ${code}`);
}
