import { describe, expect, it } from "vitest";
import {
  decodeCursor,
  encodeCursor,
  paginate,
  parseFieldList,
  parsePageSize,
  parseSort,
  pickFields,
  QueryError,
  queryFingerprint,
  sortResources,
} from "../query.js";

/** The QueryError thrown by `run`, failing the test if nothing is thrown. */
function queryError(run: () => unknown): QueryError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(QueryError);
    return error as QueryError;
  }
  throw new Error("expected a QueryError");
}

describe("parseSort", () => {
  const allowed = ["created", "-created", "updated", "-updated"];

  it("reads ascending and descending fields", () => {
    expect(parseSort("created", allowed)).toEqual({ field: "created", descending: false });
    expect(parseSort("-updated", allowed)).toEqual({ field: "updated", descending: true });
    expect(parseSort(" -created ", allowed)).toEqual({ field: "created", descending: true });
  });

  it("returns undefined when absent", () => {
    expect(parseSort(undefined, allowed)).toBeUndefined();
  });

  it("rejects other fields and directions, listing the allowed ones", () => {
    const error = queryError(() => parseSort("email", allowed));
    expect(error.parameter).toBe("sort");
    expect(error.message).toBe(
      "'email' is not a valid sort option. Allowed: created, -created, updated, -updated",
    );
    expect(queryError(() => parseSort("-name", ["name"])).message).toContain("'-name'");
    expect(queryError(() => parseSort("", allowed)).parameter).toBe("sort");
    expect(queryError(() => parseSort("created,updated", allowed)).parameter).toBe("sort");
  });

  it("says when the endpoint cannot sort", () => {
    expect(queryError(() => parseSort("created", [])).message).toContain(
      "Sorting is not supported",
    );
  });
});

describe("sortResources", () => {
  type Row = { id: number; key?: unknown };
  const read = (row: Row, field: string) => (field === "key" ? row.key : row.id);
  const ids = (rows: Row[]) => rows.map((row) => row.id);

  it("returns a copy in input order without a sort", () => {
    const rows: Row[] = [{ id: 2 }, { id: 1 }];
    const sorted = sortResources(rows, undefined, read);
    expect(ids(sorted)).toEqual([2, 1]);
    expect(sorted).not.toBe(rows);
  });

  it("sorts numbers numerically, not as text", () => {
    const rows: Row[] = [10, 9, 100, -1].map((key, id) => ({ id, key }));
    expect(
      sortResources(rows, { field: "key", descending: false }, read).map((r) => r.key),
    ).toEqual([-1, 9, 10, 100]);
    expect(sortResources(rows, { field: "key", descending: true }, read).map((r) => r.key)).toEqual(
      [100, 10, 9, -1],
    );
  });

  it("sorts strings by code unit (uppercase before lowercase), not by locale", () => {
    const rows: Row[] = ["b", "a", "B", "é"].map((key, id) => ({ id, key }));
    expect(
      sortResources(rows, { field: "key", descending: false }, read).map((r) => r.key),
    ).toEqual(["B", "a", "b", "é"]);
  });

  it("sorts uniform ISO datetimes chronologically", () => {
    const rows: Row[] = [
      { id: 1, key: "2024-03-01T00:00:00+00:00" },
      { id: 2, key: "2023-12-31T23:59:59+00:00" },
      { id: 3, key: "2024-01-15T12:00:00+00:00" },
    ];
    expect(ids(sortResources(rows, { field: "key", descending: false }, read))).toEqual([2, 3, 1]);
    expect(ids(sortResources(rows, { field: "key", descending: true }, read))).toEqual([1, 3, 2]);
  });

  it("sorts Date objects and booleans", () => {
    const dates: Row[] = [
      { id: 1, key: new Date("2024-02-01") },
      { id: 2, key: new Date("2024-01-01") },
    ];
    expect(ids(sortResources(dates, { field: "key", descending: false }, read))).toEqual([2, 1]);
    const flags: Row[] = [
      { id: 1, key: true },
      { id: 2, key: false },
    ];
    expect(ids(sortResources(flags, { field: "key", descending: false }, read))).toEqual([2, 1]);
  });

  it("is stable in both directions", () => {
    const rows: Row[] = [
      { id: 1, key: "b" },
      { id: 2, key: "a" },
      { id: 3, key: "b" },
      { id: 4, key: "a" },
      { id: 5, key: "b" },
    ];
    expect(ids(sortResources(rows, { field: "key", descending: false }, read))).toEqual([
      2, 4, 1, 3, 5,
    ]);
    expect(ids(sortResources(rows, { field: "key", descending: true }, read))).toEqual([
      1, 3, 5, 2, 4,
    ]);
  });

  it("puts missing values last ascending and first descending", () => {
    const rows: Row[] = [{ id: 1, key: null }, { id: 2, key: 5 }, { id: 3 }, { id: 4, key: 1 }];
    expect(ids(sortResources(rows, { field: "key", descending: false }, read))).toEqual([
      4, 2, 1, 3,
    ]);
    expect(ids(sortResources(rows, { field: "key", descending: true }, read))).toEqual([
      1, 3, 2, 4,
    ]);
  });

  it("does not modify the input", () => {
    const rows: Row[] = [{ id: 2 }, { id: 1 }];
    sortResources(rows, { field: "id", descending: false }, read);
    expect(ids(rows)).toEqual([2, 1]);
  });
});

describe("cursors", () => {
  const fingerprint = queryFingerprint('equals(email,"a@b.com")', "-created");

  it("round-trips an offset", () => {
    for (const offset of [0, 1, 20, 12345]) {
      expect(decodeCursor(encodeCursor(offset, fingerprint), fingerprint)).toBe(offset);
    }
  });

  it("is an opaque base64url token", () => {
    const cursor = encodeCursor(40, fingerprint);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain("40");
    expect(encodeCursor(40, fingerprint)).toBe(cursor); // deterministic
    expect(encodeCursor(60, fingerprint)).not.toBe(cursor);
  });

  it("rejects a cursor reused with a different query", () => {
    const cursor = encodeCursor(20, fingerprint);
    const error = queryError(() =>
      decodeCursor(cursor, queryFingerprint('equals(email,"x")', "-created")),
    );
    expect(error.parameter).toBe("page[cursor]");
    expect(error.message).toBe(
      "Invalid page cursor: it belongs to a request with a different filter or sort. Use the links from a previous page.",
    );
    expect(() =>
      decodeCursor(cursor, queryFingerprint('equals(email,"a@b.com")', "created")),
    ).toThrow(/different filter or sort/);
  });

  it("rejects a tampered cursor", () => {
    const cursor = encodeCursor(20, fingerprint);
    const decoded = Buffer.from(cursor, "base64url").toString();
    const forged = Buffer.from(decoded.replace(".20.", ".999.")).toString("base64url");
    expect(forged).not.toBe(cursor);
    expect(queryError(() => decodeCursor(forged, fingerprint)).message).toContain(
      "it has been altered",
    );
  });

  it.each([
    ["empty", ""],
    ["not base64url", "abc+/="],
    ["random text", "hello"],
    ["a bare number", Buffer.from("20").toString("base64url")],
    ["another version", Buffer.from("c0.20.abc.def").toString("base64url")],
    ["a negative offset", Buffer.from("c1.-5.abc.def").toString("base64url")],
    ["a fractional offset", Buffer.from("c1.1.5.abc.def").toString("base64url")],
  ])("rejects %s", (_, cursor) => {
    const error = queryError(() => decodeCursor(cursor, fingerprint));
    expect(error.parameter).toBe("page[cursor]");
    expect(error.message).toMatch(/^Invalid page cursor/);
  });

  it("rejects a truncated or extended cursor", () => {
    const cursor = encodeCursor(20, fingerprint);
    expect(() => decodeCursor(cursor.slice(0, -2), fingerprint)).toThrow(QueryError);
    expect(() => decodeCursor(`${cursor}AA`, fingerprint)).toThrow(QueryError);
  });

  it("fingerprints distinguish part boundaries and absence", () => {
    expect(queryFingerprint("ab", "c")).not.toBe(queryFingerprint("a", "bc"));
    expect(queryFingerprint(undefined)).not.toBe(queryFingerprint(""));
    expect(queryFingerprint("a", "b")).toBe(queryFingerprint("a", "b"));
  });
});

describe("parsePageSize", () => {
  const bounds = { default: 20, max: 100 };

  it("uses the default when absent", () => {
    expect(parsePageSize(undefined, bounds)).toBe(20);
  });

  it("accepts integers within bounds, edges included", () => {
    expect(parsePageSize("1", bounds)).toBe(1);
    expect(parsePageSize("100", bounds)).toBe(100);
    expect(parsePageSize(" 50 ", bounds)).toBe(50);
    expect(parsePageSize("5", { default: 10, max: 10, min: 5 })).toBe(5);
  });

  it.each(["0", "101", "-1", "1.5", "abc", "", "1e2", "0x10", "10abc"])("rejects %j", (value) => {
    const error = queryError(() => parsePageSize(value, bounds));
    expect(error.parameter).toBe("page[size]");
    expect(error.message).toBe(`page[size] must be an integer between 1 and 100, got '${value}'`);
  });

  it("honours a custom minimum", () => {
    expect(
      queryError(() => parsePageSize("4", { default: 10, max: 10, min: 5 })).message,
    ).toContain("between 5 and 10");
  });
});

describe("paginate", () => {
  const items = Array.from({ length: 7 }, (_, i) => i);

  it("returns the first page with a next offset only", () => {
    expect(paginate(items, 0, 3)).toEqual({ page: [0, 1, 2], nextOffset: 3 });
  });

  it("returns middle pages with both offsets", () => {
    expect(paginate(items, 3, 3)).toEqual({ page: [3, 4, 5], nextOffset: 6, prevOffset: 0 });
  });

  it("returns the last page with a previous offset only", () => {
    expect(paginate(items, 6, 3)).toEqual({ page: [6], prevOffset: 3 });
  });

  it("has no next offset when the page ends exactly at the end", () => {
    expect(paginate(items.slice(0, 6), 3, 3)).toEqual({ page: [3, 4, 5], prevOffset: 0 });
  });

  it("clamps the previous offset at zero for unaligned offsets", () => {
    expect(paginate(items, 2, 3)).toEqual({ page: [2, 3, 4], nextOffset: 5, prevOffset: 0 });
  });

  it("handles empty lists and offsets past the end", () => {
    expect(paginate([], 0, 10)).toEqual({ page: [] });
    expect(paginate(items, 50, 3)).toEqual({ page: [], prevOffset: 4 });
  });

  it("walks every item exactly once by following nextOffset", () => {
    const seen: number[] = [];
    let offset: number | undefined = 0;
    while (offset !== undefined) {
      const result: ReturnType<typeof paginate<number>> = paginate(items, offset, 2);
      seen.push(...result.page);
      offset = result.nextOffset;
    }
    expect(seen).toEqual(items);
  });
});

describe("parseFieldList", () => {
  const allowed = ["email", "first_name", "subscriptions", "subscriptions.email.marketing"];

  it("returns undefined when absent", () => {
    expect(parseFieldList(undefined, "fields[profile]", allowed)).toBeUndefined();
  });

  it("splits, trims and de-duplicates, keeping order", () => {
    expect(
      parseFieldList(" email ,subscriptions.email.marketing,email", "fields[profile]", allowed),
    ).toEqual(["email", "subscriptions.email.marketing"]);
  });

  it("accepts anything when no list is given", () => {
    expect(parseFieldList("a,b.c", "fields[x]", undefined)).toEqual(["a", "b.c"]);
  });

  it("rejects unknown names with the parameter name", () => {
    const error = queryError(() => parseFieldList("email,phone", "fields[profile]", allowed));
    expect(error.parameter).toBe("fields[profile]");
    expect(error.message).toBe(
      "'phone' is not valid for fields[profile]. Allowed: email, first_name, subscriptions, subscriptions.email.marketing",
    );
    expect(queryError(() => parseFieldList("x,y", "fields[profile]", allowed)).message).toMatch(
      /^'x', 'y' are not valid/,
    );
    // Dotted names must be listed themselves.
    expect(() => parseFieldList("subscriptions.sms", "fields[profile]", allowed)).toThrow(
      QueryError,
    );
  });

  it("rejects an empty list", () => {
    for (const value of ["", " , "]) {
      expect(queryError(() => parseFieldList(value, "fields[list]", undefined)).message).toBe(
        "fields[list] must name at least one field",
      );
    }
  });
});

describe("pickFields", () => {
  const attributes = {
    email: "a@b.com",
    first_name: "Ada",
    location: { city: "Boston", region: "MA", geo: null },
    subscriptions: {
      email: { marketing: { consent: "SUBSCRIBED", suppression: [] } },
      sms: { marketing: { consent: "NEVER_SUBSCRIBED" } },
    },
    properties: null,
    tags: ["a", "b"],
  };

  it("keeps listed top-level attributes, in the attributes' order", () => {
    expect(pickFields(attributes, ["first_name", "email"])).toEqual({
      email: "a@b.com",
      first_name: "Ada",
    });
    expect(Object.keys(pickFields(attributes, ["tags", "email"]))).toEqual(["email", "tags"]);
  });

  it("keeps whole nested objects and arrays for a top-level name", () => {
    expect(pickFields(attributes, ["location", "tags"])).toEqual({
      location: attributes.location,
      tags: ["a", "b"],
    });
  });

  it("keeps only the nested path for a dotted name", () => {
    expect(pickFields(attributes, ["subscriptions.email.marketing.consent"])).toEqual({
      subscriptions: { email: { marketing: { consent: "SUBSCRIBED" } } },
    });
    expect(pickFields(attributes, ["location.city", "subscriptions.sms"])).toEqual({
      location: { city: "Boston" },
      subscriptions: { sms: { marketing: { consent: "NEVER_SUBSCRIBED" } } },
    });
  });

  it("merges sibling paths", () => {
    expect(pickFields(attributes, ["location.city", "location.region"])).toEqual({
      location: { city: "Boston", region: "MA" },
    });
  });

  it("lets a shorter path win, whichever order they come in", () => {
    const expected = { subscriptions: attributes.subscriptions };
    expect(pickFields(attributes, ["subscriptions", "subscriptions.email.marketing"])).toEqual(
      expected,
    );
    expect(pickFields(attributes, ["subscriptions.email.marketing", "subscriptions"])).toEqual(
      expected,
    );
  });

  it("leaves out missing paths and keeps explicit nulls", () => {
    expect(pickFields(attributes, ["nope", "location.nope", "email.length", "tags.0"])).toEqual({});
    expect(pickFields(attributes, ["properties", "properties.x", "location.geo"])).toEqual({
      properties: null,
      location: { geo: null },
    });
  });

  it("does not modify or share the nested containers it rebuilds", () => {
    const picked = pickFields(attributes, ["location.city"]);
    expect(picked.location).not.toBe(attributes.location);
    expect(attributes.location).toEqual({ city: "Boston", region: "MA", geo: null });
  });

  it("is not fooled by Object.prototype names", () => {
    expect(pickFields({ a: 1 }, ["constructor", "__proto__", "toString.x"])).toEqual({});
  });
});
