/**
 * The JSON Schema each generated definition carries (schemas/<group>.ts `jsonSchema`, what
 * tools/list shows without building zod schemas) is exactly what the zod input converts to, for
 * every stable and beta tool; and a definition's zod input is built only when first read.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineTool, lazySchemas } from "../../src/engine/definition.js";
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
  it("builds the zod input and parses the JSON Schema on first read, once", () => {
    let built = 0;
    let parsed = 0;
    const tool = defineTool({
      ...(allTools[0] as NonNullable<(typeof allTools)[0]>),
      input: () => {
        built++;
        return z.strictObject({ a: z.string() });
      },
      inputJsonSchema: () => {
        parsed++;
        return { type: "object" };
      },
    });
    expect([built, parsed]).toEqual([0, 0]);
    expect(tool.input.safeParse({ a: "x" }).success).toBe(true);
    expect(tool.input).toBe(tool.input);
    expect(tool.inputJsonSchema).toBe(tool.inputJsonSchema);
    expect([built, parsed]).toEqual([1, 1]);
  });
});

describe("lazySchemas", () => {
  it("says which toolset to load when read before its schemas are, and loads them once", async () => {
    let imports = 0;
    const schemas = lazySchemas("demo", async () => {
      imports++;
      return { one: () => z.strictObject({}), jsonSchema: () => () => ({ type: "object" }) };
    });
    expect(() => schemas.zod("one")()).toThrow(
      "The input schemas of toolset demo are not loaded: await the tool's loadSchemas() first.",
    );
    await Promise.all([schemas.load(), schemas.load()]);
    expect(schemas.json("one")()).toEqual({ type: "object" });
    expect(schemas.zod("one")().safeParse({}).success).toBe(true);
    expect(imports).toBe(1);
  });

  it("tries again after a failed import", async () => {
    let attempts = 0;
    const schemas = lazySchemas("demo", async () => {
      attempts++;
      if (attempts === 1) throw new Error("chunk missing");
      return { jsonSchema: () => () => ({}) };
    });
    await expect(schemas.load()).rejects.toThrow("chunk missing");
    await schemas.load();
    expect(attempts).toBe(2);
  });
});
