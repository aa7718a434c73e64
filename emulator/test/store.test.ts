import { describe, expect, it } from "vitest";
import { Store } from "../store.js";

function store() {
  let now = 1_000;
  const s = new Store({ seed: 7, now: () => now });
  return { s, tick: () => (now += 1_000) };
}

describe("Store", () => {
  it("keeps both sides of a many-to-many link in step", () => {
    const { s } = store();
    const list = s.insert("list", { name: "L" });
    const a = s.insert("profile", { email: "a@example.com" });
    const b = s.insert("profile", { email: "b@example.com" });
    s.link("list", list.id, "profiles", [a.id, b.id, a.id]);
    expect(s.related("list", list.id, "profiles")).toEqual([a.id, b.id]);
    expect(s.related("profile", b.id, "lists")).toEqual([list.id]);
    s.unlink("profile", a.id, "lists", [list.id]);
    expect(s.related("list", list.id, "profiles")).toEqual([b.id]);
  });

  it("moves a to-one link instead of adding a second one", () => {
    const { s } = store();
    const [g1, g2] = [s.insert("tag-group", { name: "1" }), s.insert("tag-group", { name: "2" })];
    const tag = s.insert("tag", { name: "t" });
    s.link("tag", tag.id, "tag-group", [g1.id]);
    s.link("tag", tag.id, "tag-group", [g2.id]);
    expect(s.related("tag", tag.id, "tag-group")).toEqual([g2.id]);
    expect(s.related("tag-group", g1.id, "tags")).toEqual([]);
    expect(s.related("tag-group", g2.id, "tags")).toEqual([tag.id]);
  });

  it("drops links that point at a deleted resource, one-way ones included", () => {
    const { s } = store();
    const profile = s.insert("profile", { email: "a@example.com" });
    const metric = s.insert("metric", { name: "Placed Order" });
    const event = s.insert("event", { uuid: "u1" });
    s.link("event", event.id, "profile", [profile.id]);
    s.link("event", event.id, "metric", [metric.id]);
    s.delete("profile", profile.id);
    expect(s.related("event", event.id, "profile")).toEqual([]);
    expect(s.related("event", event.id, "metric")).toEqual([metric.id]);
  });

  it("remembers when a link was made, and generates Klaviyo-shaped ids deterministically", () => {
    const { s, tick } = store();
    const list = s.insert("list", { name: "L" });
    const profile = s.insert("profile", {});
    tick();
    s.link("list", list.id, "profiles", [profile.id]);
    expect(s.linkedAt("list", list.id, "profiles", profile.id)).toBe(2_000);
    expect(list.id).toMatch(/^[A-Za-z0-9]{6}$/);
    expect(profile.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(store().s.insert("list", {}).id).toBe(list.id);
  });

  it("refuses a duplicate id", () => {
    const { s } = store();
    s.insert("coupon", {}, "SAVE10");
    expect(() => s.insert("coupon", {}, "SAVE10")).toThrow(/already exists/);
  });
});
