/** Shapes of the emulator's generated operation table (emulator/operations/). */

export interface FilterRule {
  operators: { single?: string[]; list?: string[]; none?: string[] };
  value?: { type?: string; format?: string; enum?: string[] };
}

export interface EmulatedOperation {
  /** Klaviyo's operationId, e.g. `get_profiles`. */
  id: string;
  /** The MCP tool that calls it. */
  tool: string;
  method: string;
  /** Path template, e.g. `/api/lists/{id}/relationships/profiles`. */
  path: string;
  scopes: string[];
  rateLimit: {
    burst: number;
    steady: number;
    daily?: number;
    /**
     * Tighter tiers for requests whose query `parameter` (a comma list) holds `value`, e.g.
     * get_profile with include=list. Such a request also counts against the tier above.
     */
    conditions?: RateLimitCondition[];
  };
  /** The success status Klaviyo answers with. */
  status: number;
  /** Shape of the primary data; null when the success response has no body. */
  response: { type?: string; many: boolean; linkage: boolean } | null;
  /** `data.type` the request body must carry. */
  requestType?: string;
  /** Allowed values of each enum in the request attributes, by dotted path (reports, beta). */
  requestEnums?: Record<string, string[]>;
  /**
   * Beta only: dotted attribute paths the request must carry, each where its parent is present
   * (`style.background_color`); `[]` marks a list whose every entry is checked.
   */
  requestRequired?: string[];
  query: {
    filters?: Record<string, FilterRule>;
    sort?: string[];
    /** Cursor paging; `fixed` when Klaviyo takes no page[size] for the endpoint. */
    page?: { default: number; max: number; min: number; fixed?: boolean };
    include?: string[];
    fields?: string[];
    additionalFields?: Record<string, string[]>;
    required?: string[];
    /** Other documented query parameters, accepted without special meaning. */
    other?: string[];
  };
}

/** A conditional tier: requests per 1 s (burst) and 60 s (steady) window. */
export interface RateLimitCondition {
  /** Wire name of the query parameter: "include", "additional-fields[profile]". */
  parameter: string;
  value: string;
  burst: number;
  steady: number;
}

export interface ResourceTypeInfo {
  attributes: string[];
  relationships: Record<string, { type: string; many: boolean }>;
}
