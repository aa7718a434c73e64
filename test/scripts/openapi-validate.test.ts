import { describe, expect, it } from "vitest";
import type { Spec } from "../../scripts/generate/spec.js";
import { validate } from "../../scripts/openapi-validate.js";

const spec: Spec = {
  paths: {},
  components: {
    schemas: {
      Kind: { type: "string", enum: ["list"] },
      Links: { type: "object", properties: { self: { type: "string" } }, required: ["self"] },
      List: {
        type: "object",
        properties: {
          type: { $ref: "#/components/schemas/Kind" },
          id: { type: "string" },
          attributes: {
            type: "object",
            properties: {
              name: { type: "string" },
              created: { type: "string", format: "date-time", nullable: true },
              count: { type: "integer" },
              tags: { type: "array", items: { type: "string" } },
            },
            required: ["name"],
          },
          links: { $ref: "#/components/schemas/Links" },
        },
        required: ["type", "id", "attributes", "links"],
      },
      Either: { oneOf: [{ type: "string" }, { type: "number" }] },
    },
  },
};
const list = { $ref: "#/components/schemas/List" };

describe("openapi-validate", () => {
  it("accepts a conforming document", () => {
    const value = {
      type: "list",
      id: "L1",
      attributes: { name: "x", created: null, count: 2, tags: ["a"] },
      links: { self: "u" },
    };
    expect(validate(spec, list, value)).toEqual([]);
  });

  it("reports each mismatch with its path", () => {
    const value = {
      type: "lists",
      id: 5,
      attributes: { created: "yesterday", count: 1.5, tags: [1] },
      links: {},
    };
    const paths = validate(spec, list, value).map((m) => m.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "$.type",
        "$.id",
        "$.attributes.name",
        "$.attributes.created",
        "$.attributes.count",
        "$.attributes.tags[0]",
        "$.links.self",
      ]),
    );
  });

  it("handles null, oneOf and allOf", () => {
    expect(validate(spec, { type: "string" }, null)).toHaveLength(1);
    expect(validate(spec, { $ref: "#/components/schemas/Either" }, 3)).toEqual([]);
    expect(validate(spec, { $ref: "#/components/schemas/Either" }, true)).toHaveLength(1);
    expect(
      validate(
        spec,
        {
          allOf: [
            { type: "object", required: ["a"] },
            { type: "object", required: ["b"] },
          ],
        },
        { a: 1 },
      ),
    ).toHaveLength(1);
  });
});
