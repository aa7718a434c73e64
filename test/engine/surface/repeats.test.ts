/** referRepeats: a listing that states a large argument once, across tools and within one. */
import { describe, expect, it } from "vitest";
import type { CompactTool } from "../../../src/engine/surface/registry.js";
import { referRepeats } from "../../../src/engine/surface/repeats.js";

const utm = {
  type: "object",
  properties: { flow: { type: "object", description: "{type:static,value:string}" } },
};
const tool = (name: string, properties: Record<string, unknown>): CompactTool => ({
  name,
  description: name,
  inputSchema: { type: "object", properties },
  annotations: {},
});

describe("referRepeats", () => {
  it("refers an argument shaped like an earlier one of the same tool to it", () => {
    const [listed] = referRepeats([
      tool("update_tracking_setting", {
        utm_source: utm,
        utm_medium: utm,
        enabled: { type: "boolean" },
      }),
    ]);
    expect(listed?.inputSchema.properties).toEqual({
      utm_source: utm,
      utm_medium: { type: "object", description: "As utm_source" },
      enabled: { type: "boolean" },
    });
  });

  it("refers the same argument of another tool to the tool with the shortest name", () => {
    const listed = referRepeats([
      tool("update_tracking_setting", { utm_source: utm }),
      tool("set_utm", { utm_source: utm }),
    ]);
    expect(listed[0]?.inputSchema.properties).toEqual({
      utm_source: { type: "object", description: "As in set_utm" },
    });
    expect(listed[1]?.inputSchema.properties).toEqual({ utm_source: utm });
  });

  it("keeps small arguments, ids and paging in place", () => {
    const small = { type: "object", properties: { a: {} } };
    const [listed] = referRepeats([tool("t", { one: small, two: small })]);
    expect(listed?.inputSchema.properties).toEqual({ one: small, two: small });
  });
});
