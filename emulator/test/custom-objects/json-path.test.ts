import { describe, expect, it } from "vitest";
import { evaluatePath, parsePath } from "../../handlers/custom-objects/json-path.js";

describe("the JSONPath subset of source mappings", () => {
  const record = { id: 7, owner: { email: "a@example.com" }, "pet name": "Rex", tags: ["x", "y"] };

  it("reads dotted names, quoted names and indexes", () => {
    expect(evaluatePath(record, "$.id")).toBe(7);
    expect(evaluatePath(record, "$.owner.email")).toBe("a@example.com");
    expect(evaluatePath(record, "$['pet name']")).toBe("Rex");
    expect(evaluatePath(record, '$["owner"]["email"]')).toBe("a@example.com");
    expect(evaluatePath(record, "$.tags[1]")).toBe("y");
    expect(evaluatePath(record, "$")).toEqual(record);
  });

  it("reads a missing or unsupported path as missing", () => {
    expect(evaluatePath(record, "$.owner.phone")).toBeUndefined();
    expect(evaluatePath(record, "$.tags[5]")).toBeUndefined();
    expect(evaluatePath(record, "$.id.x")).toBeUndefined();
    expect(parsePath("id")).toBeUndefined();
    expect(parsePath("$..id")).toBeUndefined();
    expect(parsePath("$.tags[*]")).toBeUndefined();
  });
});
