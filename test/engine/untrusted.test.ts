import { describe, expect, it } from "vitest";
import { markUntrusted, stripHidden, UNTRUSTED_NOTE } from "../../src/engine/untrusted.js";

describe("markUntrusted", () => {
  it("names the customer-controlled attributes of list items, once each", () => {
    const value = {
      data: [
        { id: "p1", email: "a@example.com", first_name: "Ann", properties: { plan: "x" } },
        { id: "p2", email: "b@example.com", properties: { plan: "y" } },
      ],
    };
    expect(markUntrusted(value, "profile")).toStrictEqual({
      note: UNTRUSTED_NOTE,
      "data[]": ["first_name", "properties"],
    });
  });

  it("covers single resources, included resources grouped by type, and clashing attributes", () => {
    const value = {
      data: { id: "e1", type: "event", event_properties: { $value: 1 } },
      included: { profile: [{ id: "p1", attributes: { title: "CEO" } }], metric: [{ id: "m" }] },
    };
    expect(markUntrusted(value)).toStrictEqual({
      note: UNTRUSTED_NOTE,
      data: ["event_properties"],
      "included.profile[]": ["attributes.title"],
    });
  });

  it("returns nothing when no such value is there", () => {
    expect(markUntrusted({ data: [{ id: "L", name: "Newsletter" }] }, "list")).toBeUndefined();
    expect(markUntrusted({ data: { id: "t", type: "template", name: "x" } })).toBeUndefined();
    expect(markUntrusted({ status: "accepted" })).toBeUndefined();
  });

  it("removes invisible characters from those values and counts them", () => {
    const smuggled = `Hi${String.fromCodePoint(0xe0049, 0xe0067)}\u200b there\u202e`;
    const value = {
      data: { id: "t", type: "template", html: smuggled, name: `Keep\u200b` },
    };
    const note = markUntrusted(value);
    expect(note?.hidden_chars_removed).toBe(4);
    expect(value.data.html).toBe("Hi there");
    // Only the marked values are touched.
    expect(value.data.name).toBe("Keep\u200b");
  });
});

describe("stripHidden", () => {
  it("keeps the value itself when there is nothing to remove", () => {
    const value = { a: ["x", 1, null] };
    expect(stripHidden(value)[0]).toBe(value);
    expect(stripHidden({ "k\u2066": "v" })).toStrictEqual([{ k: "v" }, 1]);
  });
});
