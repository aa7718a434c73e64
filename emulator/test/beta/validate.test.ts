/** A beta request's attributes against its table's rules: required paths and enums. */
import { describe, expect, it } from "vitest";
import { ApiError } from "../../api-error.js";
import { checkAttributes } from "../../beta/validate.js";
import { OPERATIONS as BETA_OPERATIONS } from "../../operations/beta/index.js";

const op = (id: string) => {
  const found = BETA_OPERATIONS.find((o) => o.id === id);
  if (!found) throw new Error(`no beta operation ${id}`);
  return found;
};

function failure(id: string, attributes: Record<string, unknown>) {
  try {
    checkAttributes(op(id), attributes);
  } catch (error) {
    if (error instanceof ApiError)
      return { status: error.status, source: error.source, detail: error.detail };
    throw error;
  }
  return undefined;
}

const BUTTON = {
  style: { background_color: "#000", border_radius: 4, box_shadow: "none" },
  border: { border_color: "#000", border_style: "solid", border_width: 1 },
  spacing: { padding_top: 1, padding_right: 1, padding_bottom: 1, padding_left: 1 },
  text: {
    color: "#fff",
    font_size: 16,
    font_style: "normal",
    font_family: "Arial",
    font_weight: 700,
    letter_spacing: 0,
    text_decoration: "none",
  },
};

describe("checkAttributes", () => {
  it("accepts a complete request", () => {
    expect(failure("create_brand_button_beta", BUTTON)).toBeUndefined();
  });

  it("points at a missing required attribute, nested ones too", () => {
    const { text: _text, ...noText } = BUTTON;
    expect(failure("create_brand_button_beta", noText)).toMatchObject({
      status: 400,
      source: { pointer: "/data/attributes/text" },
    });
    const { color: _color, ...textNoColor } = BUTTON.text;
    expect(failure("create_brand_button_beta", { ...BUTTON, text: textNoColor })).toMatchObject({
      source: { pointer: "/data/attributes/text/color" },
    });
  });

  it("requires a nested attribute only where its parent is present (an update)", () => {
    expect(failure("update_brand_button_beta", { name: "Renamed" })).toBeUndefined();
    expect(failure("update_brand_button_beta", { style: { border_radius: 2 } })).toMatchObject({
      source: { pointer: "/data/attributes/style/background_color" },
    });
  });

  it("checks each entry of a list", () => {
    const colors = [{ hex: "#fff", name: "White" }, { hex: "#000" }];
    expect(failure("create_brand_color_beta", { colors })).toMatchObject({
      source: { pointer: "/data/attributes/colors/1/name" },
    });
  });

  it("refuses a value outside an enum, numbers included, naming the valid ones", () => {
    const bad = failure("create_brand_button_beta", {
      ...BUTTON,
      text: { ...BUTTON.text, font_weight: 750 },
    });
    expect(bad).toMatchObject({ source: { pointer: "/data/attributes/text/font_weight" } });
    expect(bad?.detail).toContain("'700'");
    expect(
      failure("create_sending_domain_beta", { domain: "a.example.com", purpose: "spam" }),
    ).toMatchObject({ source: { pointer: "/data/attributes/purpose" } });
  });
});
