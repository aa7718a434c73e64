/** The reports accept exactly the values the spec lists (from the generated operation table). */
import { describe, expect, it } from "vitest";
import { OPERATIONS } from "../../operations/index.js";
import { CAMPAIGN_FAMILY, FLOW_FAMILY } from "../../reports/families.js";
import { DIMENSIONS } from "../../reports/metric-aggregates.js";
import { STATISTICS, TIMEFRAME_KEYS } from "../../reports.js";

describe("the reports implement exactly the spec's choices", () => {
  const enums = (id: string) => OPERATIONS.find((op) => op.id === id)?.requestEnums ?? {};
  const sorted = (values: readonly string[]) => [...values].sort();

  it("statistics, timeframe keys and group_by match the generated operation table", () => {
    for (const id of ["query_campaign_values", "query_flow_values", "query_flow_series"]) {
      expect(sorted(STATISTICS)).toEqual(enums(id).statistics);
      expect(sorted(TIMEFRAME_KEYS)).toEqual(enums(id)["timeframe.key"]);
    }
    expect(sorted(CAMPAIGN_FAMILY.groupBy)).toEqual(enums("query_campaign_values").group_by);
    expect(sorted(FLOW_FAMILY.groupBy)).toEqual(enums("query_flow_values").group_by);
    expect(sorted(FLOW_FAMILY.groupBy)).toEqual(enums("query_flow_series").group_by);
  });

  it("metric aggregate dimensions come from the operation table", () => {
    expect(DIMENSIONS).toEqual(enums("query_metric_aggregates").by);
    expect(DIMENSIONS).toContain("$message");
  });
});
