/** How successful results are shaped; filled from configuration (see src/config.ts). */
export interface ResultOptions {
  /** Largest result, in tokens (estimated at about 4 characters each). Default 20000. */
  budgetTokens: number;
  /** Also return structuredContent (tools then declare an outputSchema). Default false. */
  structuredContent: boolean;
  /** Mark customer-controlled text as data, not instructions. Default true. */
  markUntrusted: boolean;
}

export const DEFAULT_RESULT_OPTIONS: ResultOptions = {
  budgetTokens: 20_000,
  structuredContent: false,
  markUntrusted: true,
};
