import { describe, expect, it } from "vitest";
import {
  type AllowedFilters,
  FilterError,
  matchesFilter,
  parseDateTime,
  parseFilter,
} from "../filter.js";

// Shapes copied from the OpenAPI spec's x-klaviyo-filters for a few endpoints.
const EVENTS: AllowedFilters = {
  metric_id: { operators: { single: ["equals"] }, value: { type: "string" } },
  profile_id: { operators: { single: ["equals"] }, value: { type: "string" } },
  profile: { operators: { none: ["has"] } },
  datetime: {
    operators: { single: ["greater-or-equal", "greater-than", "less-or-equal", "less-than"] },
    value: { type: "string", format: "date-time" },
  },
  timestamp: {
    operators: { single: ["greater-or-equal", "greater-than", "less-or-equal", "less-than"] },
    value: { type: "number" },
  },
};

const PROFILES: AllowedFilters = {
  id: { operators: { single: ["equals"], list: ["any"] }, value: { type: "string" } },
  email: { operators: { single: ["equals"], list: ["any"] }, value: { type: "string" } },
  created: {
    operators: { single: ["greater-than", "less-than"] },
    value: { type: "string", format: "date-time" },
  },
  "subscriptions.email.marketing.suppression.reason": {
    operators: { single: ["equals"] },
    value: { type: "string" },
  },
};

const CAMPAIGNS: AllowedFilters = {
  "messages.channel": {
    operators: { single: ["equals"] },
    value: { type: "string", enum: ["email", "sms", "mobile_push"] },
  },
  name: {
    operators: { single: ["contains", "starts-with", "ends-with"] },
    value: { type: "string" },
  },
  status: {
    operators: { list: ["any", "equals"], single: ["equals"] },
    value: { type: "string", enum: ["Draft", "Sent", "Scheduled"] },
  },
  archived: { operators: { single: ["equals"] }, value: { type: "boolean" } },
  created_at: {
    operators: { single: ["greater-or-equal", "less-than"] },
    value: { type: "string", format: "date-time" },
  },
};

const IMAGES: AllowedFilters = {
  size: {
    operators: { single: ["greater-or-equal", "greater-than", "less-or-equal", "less-than"] },
    value: { type: "integer" },
  },
  rating: {
    operators: { list: ["any", "equals"], single: ["equals", "greater-or-equal"] },
    value: { type: "integer" },
  },
  tags: { operators: { single: ["contains"], list: ["contains-any", "contains-all"] } },
};

/** The FilterError detail for `text`, failing the test if it parses. */
function rejection(text: string, allowed: AllowedFilters): string {
  try {
    parseFilter(text, allowed);
  } catch (error) {
    expect(error).toBeInstanceOf(FilterError);
    return (error as FilterError).detail;
  }
  throw new Error(`expected ${text} to be rejected`);
}

/** Parses `text` and evaluates it on a plain object, dotted fields walking into it. */
function test(text: string, allowed: AllowedFilters, resource: Record<string, unknown>): boolean {
  const read = (field: string) =>
    field
      .split(".")
      .reduce<unknown>((value, key) => (value as Record<string, unknown>)?.[key], resource);
  return matchesFilter(parseFilter(text, allowed), read);
}

const utc = (iso: string) => new Date(iso);

describe("parseFilter: syntax", () => {
  it("parses a single condition with a double-quoted string", () => {
    expect(parseFilter('equals(email,"a@b.com")', PROFILES)).toEqual([
      { operator: "equals", field: "email", value: "a@b.com" },
    ]);
  });

  it("accepts single quotes", () => {
    expect(parseFilter("equals(messages.channel,'email')", CAMPAIGNS)).toEqual([
      { operator: "equals", field: "messages.channel", value: "email" },
    ]);
  });

  it("decodes backslash escapes", () => {
    const value = (text: string) => parseFilter(`equals(email,${text})`, PROFILES)[0]?.value;
    expect(value(String.raw`"say \"hi\""`)).toBe('say "hi"');
    expect(value(String.raw`'it\'s'`)).toBe("it's");
    expect(value(String.raw`"back\\slash"`)).toBe("back\\slash");
    expect(value(String.raw`"line\nbreak\ttab"`)).toBe("line\nbreak\ttab");
    expect(value(String.raw`"caf\u00e9"`)).toBe("café");
    expect(value(String.raw`"\x"`)).toBe("x");
    expect(value(`"it's"`)).toBe("it's"); // the other quote needs no escape
    expect(value(`''`)).toBe("");
  });

  it("keeps commas, parentheses and brackets inside strings", () => {
    expect(parseFilter('equals(email,"a,b)(c[d]"),equals(id,"x")', PROFILES)).toEqual([
      { operator: "equals", field: "email", value: "a,b)(c[d]" },
      { operator: "equals", field: "id", value: "x" },
    ]);
  });

  it("treats top-level commas as and", () => {
    expect(
      parseFilter('equals(metric_id,"M1"),greater-than(datetime,2024-01-01T00:00:00Z)', EVENTS),
    ).toEqual([
      { operator: "equals", field: "metric_id", value: "M1" },
      { operator: "greater-than", field: "datetime", value: utc("2024-01-01T00:00:00Z") },
    ]);
  });

  it("flattens and(), nested or not", () => {
    const flat = parseFilter(
      'and(equals(metric_id,"M1"),and(has(profile),less-than(timestamp,5)),equals(profile_id,"P"))',
      EVENTS,
    );
    expect(flat.map((c) => c.field)).toEqual(["metric_id", "profile", "timestamp", "profile_id"]);
    expect(parseFilter('and(equals(metric_id,"M1")),has(profile)', EVENTS)).toHaveLength(2);
  });

  it("allows whitespace around every token", () => {
    const text =
      ' and( equals( metric_id , "M 1" ) ,\n has( profile ) ,less-than( timestamp ,  -3 ) ) ';
    expect(parseFilter(text, EVENTS)).toEqual([
      { operator: "equals", field: "metric_id", value: "M 1" },
      { operator: "has", field: "profile" },
      { operator: "less-than", field: "timestamp", value: -3 },
    ]);
  });

  it("parses lists for any and for equals", () => {
    expect(parseFilter('any(id,["a", "b" ])', PROFILES)).toEqual([
      { operator: "any", field: "id", value: ["a", "b"] },
    ]);
    expect(parseFilter("equals(status,['Draft','Sent'])", CAMPAIGNS)[0]?.value).toEqual([
      "Draft",
      "Sent",
    ]);
    expect(parseFilter("any(rating,[1,2, 5])", IMAGES)[0]?.value).toEqual([1, 2, 5]);
  });

  it("parses has() without a value", () => {
    expect(parseFilter("has(profile)", EVENTS)).toEqual([{ operator: "has", field: "profile" }]);
  });

  it("parses unquoted datetimes in every RFC 3339 shape, and plain dates", () => {
    const at = (text: string) =>
      (
        parseFilter(`greater-than(datetime,${text})`, EVENTS)[0]?.value as Date | undefined
      )?.toISOString();
    expect(at("2024-01-01T00:00:00Z")).toBe("2024-01-01T00:00:00.000Z");
    expect(at("2024-01-01T00:00:00+00:00")).toBe("2024-01-01T00:00:00.000Z");
    expect(at("2024-01-01T00:00:00.123Z")).toBe("2024-01-01T00:00:00.123Z");
    expect(at("2024-08-01T00:00:00-07:00")).toBe("2024-08-01T07:00:00.000Z");
    expect(at("2024-01-01T05:30:00+05:30")).toBe("2024-01-01T00:00:00.000Z");
    expect(at("2024-01-01T00:00:00.123456Z")).toBe("2024-01-01T00:00:00.123Z");
    expect(at("2024-01-01")).toBe("2024-01-01T00:00:00.000Z");
    expect(at("2024-01-01T10:20:30")).toBe("2024-01-01T10:20:30.000Z"); // no offset: UTC
  });

  it("parses numbers, booleans and null", () => {
    expect(parseFilter("less-or-equal(timestamp,1700000000)", EVENTS)[0]?.value).toBe(1700000000);
    expect(parseFilter("greater-than(timestamp,-1.5)", EVENTS)[0]?.value).toBe(-1.5);
    expect(parseFilter("greater-than(timestamp,1e3)", EVENTS)[0]?.value).toBe(1000);
    expect(parseFilter("equals(archived,true)", CAMPAIGNS)[0]?.value).toBe(true);
    expect(parseFilter("equals(archived,false)", CAMPAIGNS)[0]?.value).toBe(false);
    expect(parseFilter("equals(email,null)", PROFILES)[0]?.value).toBeNull();
  });
});

describe("parseFilter: syntax errors", () => {
  it.each([
    ["", "Invalid filter: the filter is empty"],
    ["   ", "Invalid filter: the filter is empty"],
    ['equals(email,"x"))', "Invalid filter: unexpected ')' at position 17"],
    ['equals(email,"x"', "Invalid filter: unexpected end of filter, expected ')'"],
    ['equals(email "x")', "Invalid filter: unexpected '\"' at position 13, expected ')'"],
    ['equals(,"x")', "Invalid filter: unexpected ',' at position 7, expected a field name"],
    ["equals(email,)", "Invalid filter: unexpected ')' at position 13, expected a value"],
    ['equals(email,"x") has(profile)', "Invalid filter: unexpected 'h' at position 18"],
    ['equals(email,"x"),', "Invalid filter: unexpected end of filter, expected an operator"],
    ["and()", "Invalid filter: unexpected ')' at position 4, expected an operator"],
    ['equals email "x"', "Invalid filter: unexpected 'e' at position 7, expected '('"],
    ['equals(email,"abc)', "Invalid filter: unterminated string starting at position 13"],
    ["equals(email,'abc\\')", "Invalid filter: unterminated string starting at position 13"],
    ["equals(email,abc)", "Invalid filter: unquoted value 'abc' at position 13"],
    ["equals(email,a@b.com)", 'strings must be quoted, e.g. "a@b.com"'],
    ["any(id,[[1]])", "Invalid filter: nested lists are not allowed"],
    ['any(id,["a","b")', "Invalid filter: unexpected ')' at position 15, expected ']'"],
    ["greater-than(datetime,2024-02-30T00:00:00Z)", "invalid datetime '2024-02-30T00:00:00Z'"],
    ["greater-than(datetime,2024-01-01T24:00:00Z)", "invalid datetime"],
    ["greater-than(datetime,2024-01-01 00:00:00)", "unexpected '0' at position 33"],
  ])("rejects %j", (text, message) => {
    expect(rejection(text, { ...PROFILES, ...EVENTS })).toContain(message);
  });

  it("rejects or() and not() with a pointer to and()", () => {
    expect(rejection('or(equals(email,"a"),equals(email,"b"))', PROFILES)).toBe(
      "'or' is not supported by this endpoint; combine conditions with and(...) or commas",
    );
    expect(rejection('and(not(equals(email,"a")))', PROFILES)).toContain("'not' is not supported");
  });

  it("is a FilterError with the detail as its message", () => {
    const error = (() => {
      try {
        parseFilter("equals(", PROFILES);
      } catch (e) {
        return e as FilterError;
      }
    })();
    expect(error).toBeInstanceOf(Error);
    expect(error?.name).toBe("FilterError");
    expect(error?.message).toBe(error?.detail);
  });
});

describe("parseFilter: validation against the endpoint", () => {
  it("rejects unknown fields, listing the allowed ones", () => {
    expect(rejection('equals(foo,"x")', PROFILES)).toBe(
      "'foo' is not a valid field for the resource. Allowed fields: id, email, created, subscriptions.email.marketing.suppression.reason",
    );
    // Object.prototype names are not fields.
    expect(rejection('equals(constructor,"x")', PROFILES)).toContain(
      "'constructor' is not a valid field",
    );
  });

  it("says when the endpoint has no filters", () => {
    expect(rejection('equals(id,"x")', {})).toBe("This endpoint does not support filtering");
  });

  it("rejects operators the field does not allow", () => {
    expect(rejection('greater-than(email,"x")', PROFILES)).toBe(
      "'greater-than' is not a valid operator for 'email'. Allowed: equals, any",
    );
    expect(rejection('bogus(email,"x")', PROFILES)).toContain("'bogus' is not a valid operator");
    expect(rejection('contains(email,"x")', PROFILES)).toContain("Allowed: equals, any");
  });

  it("rejects an operator the spec allows but the sandbox cannot evaluate", () => {
    const allowed: AllowedFilters = { name: { operators: { single: ["fuzzy-match"] } } };
    expect(rejection('fuzzy-match(name,"x")', allowed)).toBe(
      "'fuzzy-match' is not supported by the sandbox yet",
    );
  });

  it("rejects an operator used with the wrong kind of value", () => {
    expect(rejection('any(id,"a")', PROFILES)).toBe(
      `'any' on 'id' must be written any(id,["a","b"])`,
    );
    expect(rejection('equals(id,["a"])', PROFILES)).toBe(
      "'equals' on 'id' must be written equals(id,value)",
    );
    expect(rejection("has(profile,true)", EVENTS)).toBe(
      "'has' on 'profile' must be written has(profile)",
    );
    expect(rejection("equals(email)", PROFILES)).toContain("must be written equals(email,value)");
  });

  it("rejects empty lists", () => {
    expect(rejection("any(id,[])", PROFILES)).toBe("'any' on 'id' needs a non-empty list");
  });

  it("rejects quoted datetimes, as Klaviyo does, with a hint", () => {
    expect(rejection('greater-than(datetime,"2024-01-01T00:00:00Z")', EVENTS)).toBe(
      "Invalid value \"2024-01-01T00:00:00Z\" for 'datetime': expected an unquoted datetime, e.g. greater-than(datetime,2024-01-01T00:00:00Z)",
    );
  });

  it("rejects values of the wrong type", () => {
    expect(rejection('greater-than(datetime,"yesterday")', EVENTS)).toBe(
      "Invalid value \"yesterday\" for 'datetime': expected a datetime such as 2024-01-01T00:00:00Z",
    );
    expect(rejection("greater-than(datetime,1700000000)", EVENTS)).toContain("expected a datetime");
    expect(rejection('greater-than(timestamp,"5")', EVENTS)).toContain("expected a number");
    expect(rejection("greater-than(timestamp,2024-01-01)", EVENTS)).toContain("expected a number");
    expect(rejection("greater-than(size,1.5)", IMAGES)).toContain("expected an integer");
    expect(rejection('equals(archived,"true")', CAMPAIGNS)).toContain("expected true or false");
    expect(rejection("equals(email,42)", PROFILES)).toBe(
      "Invalid value 42 for 'email': expected a quoted string, e.g. \"42\"",
    );
    expect(rejection("equals(email,2024-01-01)", PROFILES)).toContain("expected a quoted string");
    expect(rejection('any(rating,[1,"2"])', IMAGES)).toContain("Invalid value \"2\" for 'rating'");
  });

  it("rejects values outside the enum, in scalars and lists", () => {
    expect(rejection("equals(messages.channel,'fax')", CAMPAIGNS)).toBe(
      "'fax' is not a valid value for 'messages.channel'. Allowed: email, sms, mobile_push",
    );
    expect(rejection('any(status,["Draft","Gone"])', CAMPAIGNS)).toContain(
      "\"Gone\" is not a valid value for 'status'",
    );
  });

  it("allows null only with equals", () => {
    expect(rejection("greater-than(timestamp,null)", EVENTS)).toBe(
      "null can only be used with equals, not 'greater-than'",
    );
  });

  it("accepts any literal when the rule has no value type", () => {
    expect(parseFilter('contains(tags,"a")', IMAGES)[0]?.value).toBe("a");
    expect(parseFilter("contains-all(tags,[1,true])", IMAGES)[0]?.value).toEqual([1, true]);
  });
});

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
    for (const datetime of [undefined, null, "", "soon", 1700000000, ["2024-01-01"]]) {
      expect(test("greater-than(datetime,2000-01-01)", EVENTS, { datetime })).toBe(false);
      expect(test("less-than(datetime,2100-01-01)", EVENTS, { datetime })).toBe(false);
    }
    for (const timestamp of [undefined, null, "5", Number.NaN]) {
      expect(test("less-than(timestamp,10)", EVENTS, { timestamp })).toBe(false);
    }
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
