/**
 * How successful results are shaped. The defaults below are also the defaults of the options
 * that set them (KLAVIYO_RESULT_BUDGET_TOKENS, ..., declared in src/config/options.ts).
 */
export interface ResultOptions {
  /** Largest result, in tokens (estimated at about 4 characters each). */
  budgetTokens: number;
  /** Also return structuredContent (tools then declare an outputSchema). */
  structuredContent: boolean;
  /** Mark customer-controlled text as data, not instructions. */
  markUntrusted: boolean;
}

export const DEFAULT_RESULT_OPTIONS: ResultOptions = {
  budgetTokens: 20_000,
  structuredContent: false,
  markUntrusted: true,
};
