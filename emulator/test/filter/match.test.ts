/** matchesFilter on parsed filters, and parseDateTime. */
import { describe, expect, it } from "vitest";
import { type AllowedFilters, matchesFilter, parseDateTime, parseFilter } from "../../filter.js";
import { CAMPAIGNS, EVENTS, IMAGES, PROFILES } from "./allowed.js";

/** Parses `text` and evaluates it on a plain object, dotted fields walking into it. */
function test(text: string, allowed: AllowedFilters, resource: Record<string, unknown>): boolean {
  const read = (field: string) =>
    field
      .split(".")
      .reduce<unknown>((value, key) => (value as Record<string, unknown>)?.[key], resource);
  return matchesFilter(parseFilter(text, allowed), read);
}

describe("matchesFilter", () => {
  it("equals is exact and case-sensitive", () => {
    expect(test('equals(email,"a@b.com")', PROFILES, { email: "a@b.com" })).toBe(true);
    expect(test('equals(email,"a@b.com")', PROFILES, { email: "A@b.com" })).toBe(false);
    expect(test('equals(email,"a@b.com")', PROFILES, {})).toBe(false);
  });

  it("equals on an array-valued field matches any element", () => {
    const campaign = { messages: { channel: ["email", "sms"] } };
    expect(test("equals(messages.channel,'sms')", CAMPAIGNS, campaign)).toBe(true);
    expect(test("equals(messages.channel,'mobile_push')", CAMPAIGNS, campaign)).toBe(false);
  });

  it("equals with a list and any mean any-of, also against arrays", () => {
    expect(test('equals(status,["Draft","Sent"])', CAMPAIGNS, { status: "Sent" })).toBe(true);
    expect(test('equals(status,["Draft","Sent"])', CAMPAIGNS, { status: "Scheduled" })).toBe(false);
    expect(test('any(id,["a","b"])', PROFILES, { id: "b" })).toBe(true);
    expect(test('any(id,["a","b"])', PROFILES, { id: "c" })).toBe(false);
    expect(test('any(id,["a","b"])', PROFILES, { id: ["z", "a"] })).toBe(true);
    expect(test("any(rating,[4,5])", IMAGES, { rating: 5 })).toBe(true);
    expect(test("any(rating,[4,5])", IMAGES, { rating: "5" })).toBe(false); // no coercion
  });

  it("equals null matches a missing value", () => {
    expect(test("equals(email,null)", PROFILES, { email: null })).toBe(true);
    expect(test("equals(email,null)", PROFILES, {})).toBe(true);
    expect(test("equals(email,null)", PROFILES, { email: "" })).toBe(false);
  });

  it("equals booleans strictly", () => {
    expect(test("equals(archived,true)", CAMPAIGNS, { archived: true })).toBe(true);
    expect(test("equals(archived,false)", CAMPAIGNS, { archived: true })).toBe(false);
    expect(test("equals(archived,false)", CAMPAIGNS, {})).toBe(false);
  });

  it("string operators are case-sensitive and need a string", () => {
    const campaign = { name: "Winter Sale 2024" };
    expect(test('contains(name,"Sale")', CAMPAIGNS, campaign)).toBe(true);
    expect(test('contains(name,"sale")', CAMPAIGNS, campaign)).toBe(false);
    expect(test('starts-with(name,"Win")', CAMPAIGNS, campaign)).toBe(true);
    expect(test('starts-with(name,"win")', CAMPAIGNS, campaign)).toBe(false);
    expect(test('ends-with(name,"2024")', CAMPAIGNS, campaign)).toBe(true);
    expect(test('ends-with(name,"Sale")', CAMPAIGNS, campaign)).toBe(false);
    expect(test('contains(name,"x")', CAMPAIGNS, { name: null })).toBe(false);
    expect(test('starts-with(name,"1")', CAMPAIGNS, { name: 12 })).toBe(false);
  });

  it("contains on an array means the array includes the item", () => {
    expect(test('contains(tags,"red")', IMAGES, { tags: ["red", "blue"] })).toBe(true);
    expect(test('contains(tags,"re")', IMAGES, { tags: ["red", "blue"] })).toBe(false);
    expect(test('contains-any(tags,["x","blue"])', IMAGES, { tags: ["red", "blue"] })).toBe(true);
    expect(test('contains-all(tags,["red","x"])', IMAGES, { tags: ["red", "blue"] })).toBe(false);
    expect(test('contains-all(tags,["red","blue"])', IMAGES, { tags: ["blue", "red"] })).toBe(true);
  });

  it("compares datetimes by time, whatever the offset or precision", () => {
    const event = { datetime: "2024-03-01T01:00:00+00:00" };
    expect(test("greater-than(datetime,2024-03-01T00:59:59Z)", EVENTS, event)).toBe(true);
    expect(test("greater-than(datetime,2024-03-01T01:00:00Z)", EVENTS, event)).toBe(false);
    expect(test("greater-or-equal(datetime,2024-03-01T01:00:00Z)", EVENTS, event)).toBe(true);
    expect(test("less-or-equal(datetime,2024-02-29T20:00:00-05:00)", EVENTS, event)).toBe(true);
    expect(test("less-than(datetime,2024-02-29T20:00:00-05:00)", EVENTS, event)).toBe(false);
    expect(test("less-than(datetime,2024-03-01T01:00:00.001Z)", EVENTS, event)).toBe(true);
    expect(test("greater-than(datetime,2024-03-01)", EVENTS, event)).toBe(true);
    // Resource values with fractions or as Date objects compare as times too.
    expect(
      test("greater-than(datetime,2024-03-01T01:00:00Z)", EVENTS, {
        datetime: "2024-03-01T01:00:00.5Z",
      }),
    ).toBe(true);
    expect(
      test("less-than(datetime,2024-03-02)", EVENTS, { datetime: new Date("2024-03-01") }),
    ).toBe(true);
  });

  it("does not compare datetimes as strings", () => {
    // "2024-03-01T02:00:00+05:00" sorts after "2024-03-01T00:00:00Z" as text but is earlier.
    const event = { datetime: "2024-03-01T02:00:00+05:00" };
    expect(test("less-than(datetime,2024-03-01T00:00:00Z)", EVENTS, event)).toBe(true);
  });

  it("compares numbers numerically", () => {
    const event = { timestamp: 1700000000 };
    expect(test("less-or-equal(timestamp,1700000000)", EVENTS, event)).toBe(true);
    expect(test("less-than(timestamp,1700000000)", EVENTS, event)).toBe(false);
    expect(test("greater-than(timestamp,999999999)", EVENTS, event)).toBe(true); // not "1" < "9"
    expect(test("greater-or-equal(rating,4)", IMAGES, { rating: 4 })).toBe(true);
  });

  it("never matches a missing or unusable value in a comparison", () => {
    for (const datetime of [undefined, null, "", "soon", 1700000000, [], ["soon"]]) {
      expect(test("greater-than(datetime,2000-01-01)", EVENTS, { datetime })).toBe(false);
      expect(test("less-than(datetime,2100-01-01)", EVENTS, { datetime })).toBe(false);
    }
    for (const timestamp of [undefined, null, "5", Number.NaN]) {
      expect(test("less-than(timestamp,10)", EVENTS, { timestamp })).toBe(false);
    }
  });

  it("compares a field with several values (every suppression's timestamp) by any of them", () => {
    const datetime = ["2019-06-01", "2024-01-01T00:00:00+00:00"];
    expect(test("greater-than(datetime,2020-01-01)", EVENTS, { datetime })).toBe(true);
    expect(test("greater-than(datetime,2025-01-01)", EVENTS, { datetime })).toBe(false);
    expect(test("less-than(datetime,2020-01-01)", EVENTS, { datetime })).toBe(true);
    expect(test("starts-with(name,'Sum')", CAMPAIGNS, { name: ["Fall", "Summer"] })).toBe(true);
    expect(test("ends-with(name,'x')", CAMPAIGNS, { name: ["Fall", "Summer"] })).toBe(false);
  });

  it("has means present and, for arrays, non-empty", () => {
    for (const profile of ["P1", 0, false, "", { id: "P1" }, ["P1"]]) {
      expect(test("has(profile)", EVENTS, { profile })).toBe(true);
    }
    for (const profile of [undefined, null, []]) {
      expect(test("has(profile)", EVENTS, { profile })).toBe(false);
    }
  });

  it("requires every condition (and)", () => {
    const text = 'and(equals(metric_id,"M1"),greater-or-equal(datetime,2024-01-01)),has(profile)';
    const base = { metric_id: "M1", datetime: "2024-06-01T00:00:00Z", profile: "P" };
    expect(test(text, EVENTS, base)).toBe(true);
    expect(test(text, EVENTS, { ...base, metric_id: "M2" })).toBe(false);
    expect(test(text, EVENTS, { ...base, datetime: "2023-12-31T23:59:59Z" })).toBe(false);
    expect(test(text, EVENTS, { ...base, profile: null })).toBe(false);
  });

  it("matches everything with no conditions", () => {
    expect(matchesFilter([], () => undefined)).toBe(true);
  });

  it("reads each condition's own field, dots and all", () => {
    const fields: string[] = [];
    const conditions = parseFilter(
      'equals(subscriptions.email.marketing.suppression.reason,"HARD_BOUNCE"),equals(id,"x")',
      PROFILES,
    );
    matchesFilter(conditions, (field) => {
      fields.push(field);
      return field === "id" ? "x" : "HARD_BOUNCE";
    });
    expect(fields).toEqual(["subscriptions.email.marketing.suppression.reason", "id"]);
  });

  it("filters a list of resources end to end", () => {
    const events = [
      { id: 1, metric_id: "M1", datetime: "2024-01-01T00:00:00Z" },
      { id: 2, metric_id: "M1", datetime: "2024-02-01T00:00:00Z" },
      { id: 3, metric_id: "M2", datetime: "2024-03-01T00:00:00Z" },
    ];
    const conditions = parseFilter(
      "equals(metric_id,'M1'),greater-than(datetime,2024-01-15T00:00:00Z)",
      EVENTS,
    );
    const hits = events.filter((e) => matchesFilter(conditions, (f) => e[f as keyof typeof e]));
    expect(hits.map((e) => e.id)).toEqual([2]);
  });
});

describe("parseDateTime", () => {
  it("rejects impossible dates and times", () => {
    for (const text of [
      "2024-13-01",
      "2024-00-10",
      "2023-02-29",
      "2024-04-31",
      "2024-01-01T24:00:00Z",
      "2024-01-01T10:60:00Z",
      "2024-01-01T10:00:60Z",
      "2024-01-01T10:00:00+24:00",
      "2024-1-1",
      "20240101",
      "2024-01-01T10:00:00ZZ",
    ]) {
      expect(parseDateTime(text), text).toBeUndefined();
    }
  });

  it("accepts leap days, lowercase separators and compact offsets", () => {
    expect(parseDateTime("2024-02-29")?.toISOString()).toBe("2024-02-29T00:00:00.000Z");
    expect(parseDateTime("2024-01-01t10:00:00z")?.toISOString()).toBe("2024-01-01T10:00:00.000Z");
    expect(parseDateTime("2024-01-01T10:00:00+0100")?.toISOString()).toBe(
      "2024-01-01T09:00:00.000Z",
    );
    expect(parseDateTime("2024-01-01T10:00Z")?.toISOString()).toBe("2024-01-01T10:00:00.000Z");
    expect(parseDateTime("0099-01-01")?.getUTCFullYear()).toBe(99);
  });
});
