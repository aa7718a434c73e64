/** parseFilter: the grammar, its syntax errors, and validation against an endpoint's filters. */
import { describe, expect, it } from "vitest";
import { type AllowedFilters, FilterError, parseFilter } from "../../filter.js";
import { CAMPAIGNS, EVENTS, IMAGES, PROFILES } from "./allowed.js";

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

  it("rejects an operator the spec allows but the emulator cannot evaluate", () => {
    const allowed: AllowedFilters = { name: { operators: { single: ["fuzzy-match"] } } };
    expect(rejection('fuzzy-match(name,"x")', allowed)).toBe(
      "'fuzzy-match' is not supported by the emulator yet",
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

  it("takes equals with one value where equals is listed for lists only, as a list of one", () => {
    const lists: AllowedFilters = {
      name: { operators: { list: ["any", "equals"] }, value: { type: "string" } },
    };
    expect(parseFilter('equals(name,"Newsletter")', lists)).toEqual([
      { operator: "equals", field: "name", value: ["Newsletter"] },
    ]);
    expect(rejection('any(name,"Newsletter")', lists)).toBe(
      `'any' on 'name' must be written any(name,["a","b"])`,
    );
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
