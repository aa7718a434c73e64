/**
 * The JSON Schema each generated definition carries (schemas/<group>.ts `jsonSchemas`, what
 * tools/list shows without building zod schemas) is exactly what the zod input converts to, for
 * every stable and beta tool; and a definition's zod input is built only when first read.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineTool } from "../../src/engine/definition.js";
import { toListedJsonSchema } from "../../src/engine/surface/json-schema.js";
import { betaTools } from "../../tools/beta/index.js";
import { allTools } from "../../tools/index.js";

describe("generated input JSON Schemas", () => {
  it.each([...allTools, ...betaTools].map((tool) => [tool.name, tool] as const))(
    "%s: the carried schema is the zod input's",
    (_name, tool) => {
      expect(tool.inputJsonSchema).toBeDefined();
      expect(tool.inputJsonSchema).toEqual(toListedJsonSchema(tool.input));
    },
  );
});

describe("defineTool", () => {
  it("builds the zod input on first read, once", () => {
    let built = 0;
    const tool = defineTool({
      ...(allTools[0] as NonNullable<(typeof allTools)[0]>),
      input: () => {
        built++;
        return z.strictObject({ a: z.string() });
      },
    });
    expect(built).toBe(0);
    expect(tool.input.safeParse({ a: "x" }).success).toBe(true);
    expect(tool.input).toBe(tool.input);
    expect(built).toBe(1);
  });
});
