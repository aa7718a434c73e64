import { describe, expect, it } from "vitest";
import {
  checkConditions,
  operationRateLimit,
  parseRateLimitConditions,
} from "../../../scripts/generate/rate-limit.js";
import type { Operation, Spec } from "../../../scripts/generate/spec.js";

const MAIN = "Get a profile.<br><br>*Rate limits*:<br>Burst: `75/s`<br>Steady: `750/m`";
const INCLUDE_LIST =
  "Rate limits when using the `include=list` parameter in your API request:<br>Burst: `1/s`<br>Steady: `15/m`";
const PREDICTIVE =
  "Rate limits when using the `additional-fields[profile]=predictive_analytics` parameter in your API request:<br>Burst: `10/s`<br>Steady: `150/m`";
const OUTRO =
  "To learn more about how the `include` parameter impacts rate limits, check out our [Rate limits, status codes, and errors](https://developers.klaviyo.com/en/docs/rate_limits_and_error_handling) guide.\n\n**Scopes:**\n`profiles:read`";
const text = (...parts: string[]) => [MAIN, ...parts, OUTRO].join("<br><br>");

describe("parseRateLimitConditions", () => {
  it("finds nothing in a description without conditional limits", () => {
    expect(parseRateLimitConditions("get_lists", text())).toEqual([]);
  });

  it("reads every stated condition, in order", () => {
    const segment = INCLUDE_LIST.replace("include=list", "include=segment");
    expect(parseRateLimitConditions("get_profile", text(INCLUDE_LIST, segment))).toEqual([
      { parameter: "include", value: "list", burst: "1/s", steady: "15/m" },
      { parameter: "include", value: "segment", burst: "1/s", steady: "15/m" },
    ]);
    expect(parseRateLimitConditions("get_profiles", text(PREDICTIVE))).toEqual([
      {
        parameter: "additional-fields[profile]",
        value: "predictive_analytics",
        burst: "10/s",
        steady: "150/m",
      },
    ]);
  });

  it("accepts a condition with only one of the two limits, and newlines for <br>", () => {
    const steadyOnly = INCLUDE_LIST.replace("<br>Burst: `1/s`", "");
    expect(parseRateLimitConditions("op", text(steadyOnly))).toEqual([
      { parameter: "include", value: "list", steady: "15/m" },
    ]);
    expect(parseRateLimitConditions("op", INCLUDE_LIST.replaceAll("<br>", "\n"))).toHaveLength(1);
  });

  it("fails loudly on a mention it cannot read", () => {
    const bad: Array<[string, RegExp]> = [
      [INCLUDE_LIST.replace("`include=list`", "`include`"), /cannot parse.*expected/],
      [INCLUDE_LIST.replace("`include=list`", "`include=list,segment`"), /cannot parse/],
      [INCLUDE_LIST.replace("Rate limits", "rate limits"), /cannot parse/],
      [INCLUDE_LIST.replace("`1/s`", "`1/m`"), /cannot parse/],
      [INCLUDE_LIST.replace("`15/m`", "`15/h`"), /unexpected tier line/],
      [INCLUDE_LIST.replace("<br>Burst: `1/s`<br>Steady: `15/m`", ""), /neither a Burst/],
      [`${INCLUDE_LIST}<br>Daily: \`100/d\``, /unexpected tier line/],
      [INCLUDE_LIST.replace("`1/s`", "`0/s`"), /not positive/],
      [`${INCLUDE_LIST}<br><br>${INCLUDE_LIST}`, /stated twice/],
      ["Rate limit when using include=list: 1/s", /cannot parse/],
    ];
    for (const [condition, message] of bad) {
      expect(() => parseRateLimitConditions("get_profile", text(condition)), condition).toThrow(
        message,
      );
      expect(() => parseRateLimitConditions("get_profile", text(condition))).toThrow(
        /^get_profile: /,
      );
    }
  });

  it("fails on a tier line worded some other way, which would otherwise be lost", () => {
    const other =
      "When the `include=list` parameter is used, limits are:<br>Burst: `1/s`<br>Steady: `15/m`";
    expect(() => parseRateLimitConditions("get_profile", text(other))).toThrow(
      /rate-limit line outside/,
    );
  });
});

describe("checkConditions", () => {
  const params = new Map<string, readonly string[] | undefined>([
    ["include", ["lists", "segments"]],
    ["filter", undefined],
  ]);
  const stated = [
    { parameter: "include", value: "list", burst: "1/s", steady: "15/m" },
    { parameter: "include", value: "segments", burst: "1/s", steady: "15/m" },
  ];

  it("checks parameter and value against the operation", () => {
    expect(() => checkConditions("op", stated, params)).toThrow(
      /include=list: list is not one of lists, segments/,
    );
    expect(() =>
      checkConditions("op", [{ parameter: "sort", value: "x", burst: "1/s" }], params),
    ).toThrow(/does not take/);
    expect(
      checkConditions("op", [{ parameter: "filter", value: "any", burst: "1/s" }], params),
    ).toHaveLength(1);
  });

  it("applies errata, and fails on an erratum that matches nothing", () => {
    expect(
      checkConditions("op", stated, params, { "include=list": "lists" }).map((c) => c.value),
    ).toEqual(["lists", "segments"]);
    expect(checkConditions("op", stated, params, { "include=list": null })).toEqual([stated[1]]);
    expect(() => checkConditions("op", stated, params, { "include=list": "segments" })).toThrow(
      /stated twice/,
    );
    expect(() => checkConditions("op", stated, params, { "include=tags": null })).toThrow(
      /matches nothing/,
    );
  });
});

describe("operationRateLimit", () => {
  const spec: Spec = { paths: {}, components: { schemas: {} } };
  const op = (description: string): Operation => ({
    operationId: "get_segment",
    summary: "Get Segment",
    description,
    responses: {},
    parameters: [
      {
        name: "additional-fields[segment]",
        in: "query",
        schema: { type: "array", items: { type: "string", enum: ["profile_count"] } },
      },
    ],
    "x-klaviyo-ratelimit": { burst: "75/s", steady: "750/m" },
  });

  it("adds conditions to the tier only when there are some", () => {
    expect(operationRateLimit(spec, op(text()), {})).toEqual({ burst: "75/s", steady: "750/m" });
    const condition = INCLUDE_LIST.replace(
      "include=list",
      "additional-fields[segment]=profile_count",
    );
    expect(operationRateLimit(spec, op(text(condition)), {})).toEqual({
      burst: "75/s",
      steady: "750/m",
      conditions: [
        {
          parameter: "additional-fields[segment]",
          value: "profile_count",
          burst: "1/s",
          steady: "15/m",
        },
      ],
    });
  });
});
