/** Successful answers as the model sees them: trimmed (trim.ts), then shaped (result.ts). */
import { describe, expect, it } from "vitest";
import { errorResult } from "../../../src/engine/call/error-result.js";
import { successResult } from "../../../src/engine/call/result.js";
import { trimDocument } from "../../../src/engine/call/trim.js";
import { createApiError } from "../../../src/klaviyo/errors.js";
import { nested, nestedText } from "../../support/deep-json.js";

const P1 = "01GDDKASAP8TKDDA2GRZDSVP4H";
const P2 = "01GDDKASAP8TKDDA2GRZDSVP4I";
const API = "https://a.klaviyo.com/api"; // only inside link strings: never called
const relLinks = (rel: string) => ({
  self: `${API}/x/relationships/${rel}/`,
  related: `${API}/x/${rel}/`,
});

/** GET /api/profiles/?include=lists&page[size]=2, as Klaviyo returns it. */
const profilesPage = {
  data: [
    {
      type: "profile",
      id: P1,
      attributes: {
        email: "sarah.mason@klaviyo-demo.com",
        phone_number: null,
        external_id: null,
        first_name: "Sarah",
        organization: "",
        image: null,
        created: "2022-11-08T00:00:00+00:00",
        last_event_date: null,
        location: { address1: "89 E 42nd St", address2: null, city: "New York", latitude: null },
        properties: {},
        subscriptions: {
          email: {
            marketing: {
              can_receive_email_marketing: false,
              consent_timestamp: null,
              suppression: [],
            },
          },
        },
        predictive_analytics: { historic_clv: null, predicted_clv: null },
      },
      relationships: {
        lists: { data: [{ type: "list", id: "Y6nRLr" }], links: relLinks("lists") },
        segments: { links: relLinks("segments") },
      },
      links: { self: `${API}/profiles/${P1}/` },
    },
    {
      type: "profile",
      id: P2,
      attributes: {
        email: null,
        phone_number: "+15005550006",
        properties: { loyalty_points: 0, vip: false, tags: ["a", null, ""] },
      },
      relationships: { lists: { data: [], links: relLinks("lists") } },
      links: { self: `${API}/profiles/${P2}/` },
    },
  ],
  included: [
    {
      type: "list",
      id: "Y6nRLr",
      attributes: { name: "Newsletter", opt_in_process: "single_opt_in" },
      relationships: { profiles: { links: relLinks("profiles") } },
      links: { self: `${API}/lists/Y6nRLr/` },
    },
  ],
  links: {
    self: `${API}/profiles/?include=lists&page%5Bsize%5D=2`,
    next: `${API}/profiles/?include=lists&page%5Bcursor%5D=bmV4dDo6aWQ6OjQzOTI3NDgx&page%5Bsize%5D=2`,
    prev: null,
  },
};

const trimmedProfilesPage = {
  next_cursor: "bmV4dDo6aWQ6OjQzOTI3NDgx",
  // Items of one type do not repeat it; UTC timestamps end in Z; included is grouped by type.
  data: [
    {
      id: P1,
      email: "sarah.mason@klaviyo-demo.com",
      first_name: "Sarah",
      created: "2022-11-08T00:00:00Z",
      location: { address1: "89 E 42nd St", city: "New York" },
      subscriptions: { email: { marketing: { can_receive_email_marketing: false } } },
      list_ids: ["Y6nRLr"],
    },
    {
      id: P2,
      phone_number: "+15005550006",
      // Array elements keep their positions, falsy ones included.
      properties: { loyalty_points: 0, vip: false, tags: ["a", null, ""] },
    },
  ],
  included: { list: [{ id: "Y6nRLr", name: "Newsletter", opt_in_process: "single_opt_in" }] },
};

describe("trimDocument", () => {
  it("trims a page of profiles: attributes flattened, nulls, links and empties gone", () => {
    expect(trimDocument(profilesPage)).toStrictEqual(trimmedProfilesPage);
  });

  it("trims a single resource with to-one and to-many relationships and kept meta", () => {
    const tag = {
      data: {
        type: "tag",
        id: "t1",
        attributes: { name: "Spring" },
        relationships: {
          "tag-group": { data: { type: "tag-group", id: "zyxw9876" }, links: {} },
          "campaign-messages": {
            data: [
              { type: "message", id: "m1" },
              { type: "message", id: "m2" },
            ],
          },
          categories: { data: [{ type: "catalog-category", id: "c1" }] },
          flows: { links: { self: "x", related: "y" } },
          segment: { data: null },
        },
        meta: { note: null },
        links: { self: `${API}/tags/t1/` },
      },
      links: { self: `${API}/tags/t1/` },
    };
    expect(trimDocument(tag)).toStrictEqual({
      data: {
        id: "t1",
        type: "tag",
        name: "Spring",
        tag_group_id: "zyxw9876",
        campaign_message_ids: ["m1", "m2"],
        category_ids: ["c1"],
      },
    });
  });

  it("keeps colliding attributes and relationships without losing either", () => {
    const doc = {
      data: {
        type: "event",
        id: "e1",
        attributes: { type: "custom", metric_id: "attr-value", timestamp: 0 },
        relationships: { metric: { data: { type: "metric", id: "rel-value" } } },
        meta: { job: { status: "done" } },
      },
    };
    expect(trimDocument(doc)).toStrictEqual({
      data: {
        id: "e1",
        type: "event",
        metric_id: "attr-value",
        timestamp: 0,
        attributes: { type: "custom" },
        relationships: { metric_id: "rel-value" },
        meta: { job: { status: "done" } },
      },
    });
  });

  it("turns relationship-endpoint documents into a list of ids", () => {
    const doc = {
      data: [
        { type: "profile", id: P1 },
        { type: "profile", id: P2 },
      ],
      links: {
        next: `${API}/lists/Y6nRLr/relationships/profiles/?page[cursor]=abc%3D%3D`,
        prev: null,
      },
    };
    expect(trimDocument(doc)).toStrictEqual({ next_cursor: "abc==", data: [P1, P2] });
    // Mixed types keep theirs on every item.
    const mixed = {
      data: [
        { type: "list", id: "L" },
        { type: "segment", id: "S" },
      ],
    };
    expect(trimDocument(mixed)).toStrictEqual({
      data: [
        { id: "L", type: "list" },
        { id: "S", type: "segment" },
      ],
    });
  });

  it("keeps the link of a resource that is only a link (an export's download)", () => {
    const url = "https://klaviyo-exports.example/profiles/job1.csv.gz?signature=abc";
    const doc = { data: { type: "download", links: { self: url } }, links: { self: `${API}/x` } };
    expect(trimDocument(doc)).toStrictEqual({ data: { type: "download", url } });
    // A resource with an id keeps dropping its self link: the id says it all.
    const profile = {
      data: { type: "profile", id: P1, links: { self: `${API}/profiles/${P1}/` } },
    };
    expect(trimDocument(profile)).toStrictEqual({ data: { id: P1, type: "profile" } });
  });

  it("reads page_cursor, keeps empty data and non-empty top-level meta", () => {
    const doc = {
      data: [],
      meta: { count: 0, total: null },
      links: { next: `${API}/campaign-values-reports/?page_cursor=xyz` },
    };
    expect(trimDocument(doc)).toStrictEqual({ next_cursor: "xyz", data: [], meta: { count: 0 } });
    expect(trimDocument({ data: null, links: { self: "x" } })).toStrictEqual({ data: null });
  });

  it("keeps positional report arrays intact", () => {
    const doc = {
      data: {
        type: "metric-aggregate",
        id: "agg",
        attributes: {
          dates: ["2024-01-01", "2024-01-02"],
          data: [{ dimensions: [], measurements: { count: [0, null] } }],
        },
      },
    };
    expect(trimDocument(doc)).toStrictEqual({
      data: {
        id: "agg",
        type: "metric-aggregate",
        dates: ["2024-01-01", "2024-01-02"],
        data: [{ measurements: { count: [0, null] } }],
      },
    });
  });

  it("compacts non-JSON:API bodies", () => {
    expect(trimDocument({ a: null, b: { c: "" }, d: [], ok: 0, flag: false })).toStrictEqual({
      ok: 0,
      flag: false,
    });
    expect(trimDocument(null)).toBeUndefined();
    expect(trimDocument(JSON.parse('{"__proto__": {"x": 1}}'))).toStrictEqual(
      JSON.parse('{"__proto__": {"x": 1}}'),
    );
  });
});

describe("successResult", () => {
  const ctx = { toolName: "get_profiles", method: "GET" };

  it("returns compact JSON for 200", () => {
    const result = successResult(200, profilesPage, ctx);
    expect(result.isError).toBeUndefined();
    expect(result.content).toEqual([{ type: "text", text: JSON.stringify(trimmedProfilesPage) }]);
    expect(result.content[0]?.text).not.toContain("\n");
  });

  it("summarizes a 202 bulk job", () => {
    const body = {
      data: {
        type: "catalog-item-bulk-create-job",
        id: "01GSQPDM2H4Z5Y6X7W8V9U0T1S",
        attributes: {
          job_id: "01GSQPDM2H4Z5Y6X7W8V9U0T1S",
          status: "processing",
          created_at: "2024-01-01T00:00:00+00:00",
          total_count: 10,
          completed_count: 0,
          failed_count: 0,
          completed_at: null,
          errors: [],
        },
        relationships: { items: { links: { self: "x" } } },
        links: { self: `${API}/catalog-item-bulk-create-jobs/01GS/` },
      },
    };
    const result = successResult(202, body, {
      toolName: "spawn_create_items_job",
      method: "POST",
      confirm: { checkWith: "get_create_items_jobs", checkJobWith: "get_create_items_job" },
    });
    expect(JSON.parse(result.content[0]?.text ?? "")).toStrictEqual({
      status: "accepted",
      job_id: "01GSQPDM2H4Z5Y6X7W8V9U0T1S",
      type: "catalog-item-bulk-create-job",
      job_status: "processing",
      created_at: "2024-01-01T00:00:00Z",
      total_count: 10,
      completed_count: 0,
      failed_count: 0,
      // An accepted job says how to follow it: the job's own read tool, with its id.
      next: "Klaviyo runs the job in the background, usually within seconds to a few minutes: call get_create_items_job with job_id 01GSQPDM2H4Z5Y6X7W8V9U0T1S until job_status is complete.",
    });
  });

  it("says an accepted write is queued, how long it takes and which tool confirms it", () => {
    const post = { toolName: "subscribe_profiles", method: "POST" };
    const confirm = { checkWith: "get_profiles" };
    expect(
      JSON.parse(successResult(202, undefined, { ...post, confirm }).content[0]?.text ?? ""),
    ).toStrictEqual({
      status: "accepted",
      message:
        "Queued: Klaviyo applies this asynchronously, usually within a few seconds (at busy times minutes), so a read right away may not show it yet. Confirm with get_profiles after that.",
    });
    // Without a read tool to name, the answer still says it is queued.
    expect(successResult(202, undefined, post).content[0]?.text).toContain('"status":"accepted"');
  });

  it("confirms 204 and empty 200", () => {
    const post = { toolName: "create_event", method: "POST" };
    const text =
      '{"status":"success","message":"Done: delete_list succeeded (HTTP 204, no content)."}';
    const del = { toolName: "delete_list", method: "DELETE" };
    expect(successResult(204, "", del)).toStrictEqual({ content: [{ type: "text", text }] });
    expect(successResult(200, {}, post).content[0]?.text).toBe(
      '{"status":"success","message":"Done: create_event succeeded (HTTP 200, no content)."}',
    );
  });
});

describe("answers nested deeper than a result may be", () => {
  const LIMIT = 128; // MAX_RESULT_DEPTH
  /** A profile whose properties nest `levels` deep, as Klaviyo would return it. */
  const deepProfile = (levels: number) => ({
    data: {
      type: "profile",
      id: P1,
      attributes: { email: "deep@example.com", properties: { deep: nested(levels) } },
      links: { self: `${API}/profiles/${P1}/` },
    },
  });
  /** Follows `a` / `[0]` down a trimmed nested() value to where it became text. */
  const flattenedPart = (value: unknown): { depth: number; text: string } => {
    let node = value;
    let depth = 0;
    while (typeof node === "object" && node !== null) {
      node = Array.isArray(node) ? node[0] : (node as { a: unknown }).a;
      depth++;
    }
    return { depth, text: node as string };
  };

  it("keeps 100,000 levels as JSON text from the depth limit on, without a stack overflow", () => {
    const trimmed = trimDocument(deepProfile(100_000)) as {
      data: { properties: { deep: unknown } };
    };
    const { depth, text } = flattenedPart(trimmed.data.properties.deep);
    // data (1) > properties (2) > deep (3): the rest of the chain is text, nothing is lost.
    expect(depth).toBe(LIMIT - 3);
    expect(text).toBe(nestedText(100_000 - depth));
    expect(() => JSON.stringify(trimmed)).not.toThrow();
  });

  it("shapes such an answer within the budget, and says what happened and that a write applied", () => {
    for (const levels of [10_000, 100_000]) {
      const results = { budgetTokens: 2000, structuredContent: true, markUntrusted: true };
      const context = { toolName: "create_profile", method: "POST", results, write: true };
      const result = successResult(201, deepProfile(levels), context);
      expect(result.isError).toBeUndefined();
      const text = result.content[0]?.text ?? "";
      expect(text.length).toBeLessThanOrEqual(8000);
      const value = JSON.parse(text);
      expect(value).toMatchObject({
        outcome: "applied",
        nested: expect.stringContaining(`deeper than ${LIMIT} levels`),
        truncated: true,
        data: { id: P1, email: "deep@example.com" },
      });
      expect(JSON.stringify(result.structuredContent)).toBe(text);
    }
  });

  it("leaves answers within the limit whole, without notes", () => {
    const body = deepProfile(LIMIT - 4);
    const value = JSON.parse(
      successResult(200, body, { toolName: "get_profile", method: "GET" }).content[0]?.text ?? "",
    );
    expect(value.data.properties.deep).toStrictEqual(nested(LIMIT - 4));
    expect(value.nested).toBeUndefined();
  });

  it("bounds the meta of a Klaviyo error too", () => {
    const error = createApiError({
      status: 400,
      operationId: "create_profile",
      message: "Klaviyo returned HTTP 400 for create_profile",
      errors: [{ code: "invalid", detail: "Too deep.", meta: { echo: nested(100_000) } }],
    });
    const result = errorResult(error, { toolName: "create_profile", write: true });
    expect(result.isError).toBe(true);
    expect(JSON.parse(result.content[0]?.text ?? "").errors[0].detail).toBe("Too deep.");
  });
});
