/**
 * Request building: every tool with its minimal arguments against the seed map (each argument
 * with a value of its own, so one sent in place of another shows), then exact requests for the
 * mappings that are easy to get wrong (sparse fieldsets, relationships, nested JSON:API
 * resources, bulk jobs, the public key of the /client/ endpoints).
 */
import { describe, expect, it } from "vitest";
import {
  ArgumentError,
  type BuiltRequest,
  buildRequest,
  type RequestContext,
} from "../../../src/engine/call/request.js";
import type { ToolDefinition } from "../../../src/engine/definition.js";
import { allTools } from "../../../tools/index.js";
import { endpointOf } from "../../support/endpoints.js";
import { minimalArgs } from "../../support/minimal-args.js";

const CONTEXT = { publicKey: "PUBLIC" };

/** Validate like the server does (so the examples are real inputs), then build. */
function build(
  name: string,
  args: Record<string, unknown>,
  context: RequestContext = CONTEXT,
): BuiltRequest {
  const tool = allTools.find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`no tool ${name}`);
  return buildRequest(tool, tool.input.parse(args), context);
}

function data(request: BuiltRequest): Record<string, unknown> {
  if (!request.body) throw new Error(`${request.operationId} has no body`);
  return (request.body.value as { data: Record<string, unknown> }).data;
}

const sorted = (query: Array<[string, string]>) =>
  [...query].sort(([a], [b]) => a.localeCompare(b));

/** The string values inside an argument (or a request), however deep. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (typeof value !== "object" || value === null) return [];
  return Object.values(value).flatMap(strings);
}

const named = (tools: readonly ToolDefinition[]) => tools.map((tool) => [tool.name, tool] as const);
/** All but the multipart upload, whose request its special handler builds. */
const generic = allTools.filter((tool) => tool.name !== "upload_image_from_file");

describe("minimalArgs", () => {
  it.each(named(allTools))("is valid input for %s", (_, tool) => {
    expect(tool.input.safeParse(minimalArgs(tool)).error?.issues ?? []).toEqual([]);
  });
});

describe.each(named(generic))("%s with minimal arguments", (name, tool) => {
  const endpoint = endpointOf(name);
  const args = minimalArgs(tool);
  const request = buildRequest(tool, args, CONTEXT);

  it("calls the endpoint's method and path, its id argument in the path", () => {
    expect(request.operationId).toBe(endpoint.operation_id);
    expect(request.method).toBe(endpoint.method);
    expect(request.path).not.toContain("{");
    // Every path of the seed map has at most one parameter, the id the tool names.
    const ids = Object.keys(tool.args).filter((arg) => tool.args[arg]?.in === "path");
    expect(ids).toHaveLength(endpoint.path.includes("{") ? 1 : 0);
    const id = ids[0] === undefined ? "" : String(args[ids[0]]);
    expect(request.path).toBe(endpoint.path.replace(/\{[^}]+\}/, id));
  });

  it("sends every argument it was given", () => {
    const sent = new Set(strings([request.path.split("/"), request.query, request.body]));
    for (const value of strings(args)) expect(sent, value).toContain(value);
  });

  it("authenticates with the public key exactly on /client/ paths", () => {
    const client = tool.operation.path.startsWith("/client/");
    expect(request.auth).toBe(client ? "public" : "private");
    expect(request.query.filter(([key]) => key === "company_id")).toEqual(
      client ? [["company_id", "PUBLIC"]] : [],
    );
    expect(request.rateLimit).toEqual(tool.rateLimit);
  });

  it("sends a JSON:API body exactly when the operation takes one", () => {
    expect(request.body !== undefined).toBe(tool.body.kind !== "none");
    if (tool.body.kind === "resource") {
      const document = data(request);
      expect(document.type).toBe(tool.body.type);
      expect(document.attributes).toBeTypeOf("object");
      const id = tool.body.idArg ? args[tool.body.idArg] : undefined;
      if (id !== undefined) expect(document.id).toBe(String(id));
      if (tool.operation.method === "PATCH") expect(document.id).toBeTypeOf("string");
    } else if (tool.body.kind === "identifiers") {
      const { type } = tool.body;
      const list = data(request) as unknown as Array<{ type: string; id: string }>;
      expect(Array.isArray(list)).toBe(true);
      expect(list.length).toBeGreaterThan(0);
      for (const item of list) expect(item).toEqual({ type, id: expect.any(String) });
    }
  });
});

describe("query parameters", () => {
  it("get_profiles: filter, fields, include, sort, paging and additional fields", () => {
    const request = build("get_profiles", {
      filter: "equals(email,'sarah.mason@klaviyo-demo.com')",
      fields: { profile: ["email", "first_name"] },
      include: ["conversations", "push-tokens"],
      sort: "-created",
      page_size: 5,
      page_cursor: "abc",
      additional_fields: ["subscriptions"],
    });
    expect(request.method).toBe("GET");
    expect(request.path).toBe("/api/profiles");
    expect(request.body).toBeUndefined();
    expect(sorted(request.query)).toEqual(
      sorted([
        ["filter", "equals(email,'sarah.mason@klaviyo-demo.com')"],
        ["fields[profile]", "email,first_name"],
        ["include", "conversations,push-tokens"],
        ["sort", "-created"],
        ["page[size]", "5"],
        ["page[cursor]", "abc"],
        ["additional-fields[profile]", "subscriptions"],
      ]),
    );
  });

  it("get_campaigns: a fieldset key names a hyphenated type", () => {
    const request = build("get_campaigns", {
      filter: "equals(messages.channel,'email')",
      include: ["campaign-messages"],
      fields: { campaign: ["name"], campaign_message: ["definition.label"] },
    });
    expect(sorted(request.query)).toEqual(
      sorted([
        ["filter", "equals(messages.channel,'email')"],
        ["include", "campaign-messages"],
        ["fields[campaign]", "name"],
        ["fields[campaign-message]", "definition.label"],
        ["page[size]", "100"],
      ]),
    );
  });

  it("omits arguments that are not given, but sends the default page size", () => {
    expect(build("get_profiles", {}).query).toEqual([["page[size]", "20"]]);
    expect(build("get_account", { account_id: "a" }).query).toEqual([]);
  });

  it("caps the default page of event and profile collections at 20", () => {
    expect(build("get_events", {}).query).toEqual([["page[size]", "20"]]);
    expect(build("get_events", { page_size: 200 }).query).toEqual([["page[size]", "200"]]);
    expect(build("get_list_profiles", { list_id: "L" }).query).toEqual([["page[size]", "20"]]);
    expect(build("get_tags", {}).query).toEqual([["page[size]", "50"]]);
    // A fixed page size takes no page[size]; max_items is the engine's, never sent.
    expect(build("get_metrics", { max_items: 5 }).query).toEqual([]);
  });
});

describe("path parameters", () => {
  it("percent-encodes ids with slashes and spaces", () => {
    expect(build("get_profile", { profile_id: "a/b c" }).path).toBe("/api/profiles/a%2Fb%20c");
    expect(build("update_profile", { profile_id: "a/b" }).path).toBe("/api/profiles/a%2Fb");
    expect(() => build("get_profile", { profile_id: ".." })).toThrow(/profile_id must be an id/);
    expect(() => build("get_list", { list_id: "." })).toThrow(ArgumentError);
  });

  it("update_profile: data.id is the (unencoded) path id", () => {
    const request = build("update_profile", {
      profile_id: "01GDDKASAP8TKDDA2GRZDSVP4H",
      first_name: "Sarah",
    });
    expect(request.method).toBe("PATCH");
    expect(request.path).toBe("/api/profiles/01GDDKASAP8TKDDA2GRZDSVP4H");
    expect(request.body?.value).toEqual({
      data: {
        type: "profile",
        id: "01GDDKASAP8TKDDA2GRZDSVP4H",
        attributes: { first_name: "Sarah" },
      },
    });
  });
});

describe("resource bodies", () => {
  it("create_profile: attributes from the arguments", () => {
    const request = build("create_profile", {
      email: "sarah.mason@klaviyo-demo.com",
      first_name: "Sarah",
      location: { city: "Boston" },
      properties: { plan: "gold" },
    });
    expect(request).toMatchObject({ method: "POST", path: "/api/profiles", query: [] });
    expect(request.body).toEqual({
      kind: "json",
      value: {
        data: {
          type: "profile",
          attributes: {
            email: "sarah.mason@klaviyo-demo.com",
            first_name: "Sarah",
            location: { city: "Boston" },
            properties: { plan: "gold" },
          },
        },
      },
    });
  });

  it("create_tag: tag_group_id becomes the tag-group relationship", () => {
    expect(build("create_tag", { name: "Spring", tag_group_id: "g1" }).body?.value).toEqual({
      data: {
        type: "tag",
        attributes: { name: "Spring" },
        relationships: { "tag-group": { data: { type: "tag-group", id: "g1" } } },
      },
    });
  });

  it("create_event: metric and profile become nested JSON:API resources", () => {
    const request = build("create_event", {
      metric: { name: "Viewed Product" },
      profile: { email: "sarah.mason@klaviyo-demo.com" },
      properties: { sku: "A1" },
      value: 9.99,
    });
    expect(request.body?.value).toEqual({
      data: {
        type: "event",
        attributes: {
          properties: { sku: "A1" },
          value: 9.99,
          metric: { data: { type: "metric", attributes: { name: "Viewed Product" } } },
          profile: {
            data: { type: "profile", attributes: { email: "sarah.mason@klaviyo-demo.com" } },
          },
        },
      },
    });
  });

  it("create_event: a profile id goes to data.id of the nested profile", () => {
    const attributes = data(
      build("create_event", {
        metric: { name: "M" },
        profile: { id: "p1", first_name: "Sarah" },
        properties: {},
      }),
    ).attributes as Record<string, unknown>;
    expect(attributes.profile).toEqual({
      data: { type: "profile", id: "p1", attributes: { first_name: "Sarah" } },
    });
  });

  it("merge_profiles: destination is data.id, sources the profiles relationship", () => {
    expect(
      build("merge_profiles", { destination_profile_id: "dest", source_profile_ids: ["s1", "s2"] })
        .body?.value,
    ).toEqual({
      data: {
        type: "profile-merge",
        id: "dest",
        attributes: {},
        relationships: {
          profiles: {
            data: [
              { type: "profile", id: "s1" },
              { type: "profile", id: "s2" },
            ],
          },
        },
      },
    });
  });

  it("subscribe_profiles: nested profiles and the list relationship", () => {
    const subscriptions = { email: { marketing: { consent: "SUBSCRIBED" } } };
    const request = build("subscribe_profiles", {
      list_id: "L1",
      profiles: [{ email: "sarah.mason@klaviyo-demo.com", subscriptions }],
    });
    expect(request.path).toBe("/api/profile-subscription-bulk-create-jobs");
    expect(request.body?.value).toEqual({
      data: {
        type: "profile-subscription-bulk-create-job",
        attributes: {
          profiles: {
            data: [
              {
                type: "profile",
                attributes: { email: "sarah.mason@klaviyo-demo.com", subscriptions },
              },
            ],
          },
        },
        relationships: { list: { data: { type: "list", id: "L1" } } },
      },
    });
  });
});

describe("bulk jobs", () => {
  it("spawn_create_items_job: each item's category_ids become its categories relationship", () => {
    const item = {
      external_id: "SKU-1",
      title: "Shoe",
      description: "A shoe",
      url: "https://example.com/shoe",
    };
    const request = build("spawn_create_items_job", {
      items: [
        { ...item, category_ids: ["c1"] },
        { ...item, external_id: "SKU-2" },
      ],
    });
    expect(request.body?.value).toEqual({
      data: {
        type: "catalog-item-bulk-create-job",
        attributes: {
          items: {
            data: [
              {
                type: "catalog-item",
                attributes: item,
                relationships: { categories: { data: [{ type: "catalog-category", id: "c1" }] } },
              },
              { type: "catalog-item", attributes: { ...item, external_id: "SKU-2" } },
            ],
          },
        },
      },
    });
  });

  it("spawn_delete_items_job: plain ids become catalog-item identifiers", () => {
    expect(build("spawn_delete_items_job", { items: ["a", "b"] }).body?.value).toEqual({
      data: {
        type: "catalog-item-bulk-delete-job",
        attributes: {
          items: {
            data: [
              { type: "catalog-item", id: "a" },
              { type: "catalog-item", id: "b" },
            ],
          },
        },
      },
    });
  });
});

describe("relationship endpoints", () => {
  it("create_tag_relationships_campaigns: campaign ids become the identifier list", () => {
    const request = build("create_tag_relationships_campaigns", {
      tag_id: "t1",
      campaign_ids: ["c1", "c2"],
    });
    expect(request).toMatchObject({ method: "POST", path: "/api/tags/t1/relationships/campaigns" });
    expect(request.body?.value).toEqual({
      data: [
        { type: "campaign", id: "c1" },
        { type: "campaign", id: "c2" },
      ],
    });
  });

  it("remove_profile_from_list: profile ids become the identifier list", () => {
    const request = build("remove_profile_from_list", { list_id: "L1", profile_ids: ["p1"] });
    expect(request).toMatchObject({
      method: "DELETE",
      path: "/api/lists/L1/relationships/profiles",
    });
    expect(request.body?.value).toEqual({ data: [{ type: "profile", id: "p1" }] });
  });
});

describe("the /client/ endpoints", () => {
  const event = { metric: { name: "Viewed" }, profile: { email: "a@example.com" }, properties: {} };

  it("an explicit company_id wins over the configured public key", () => {
    const request = build("create_client_event", { ...event, company_id: "EXPLICIT" });
    expect(request.auth).toBe("public");
    expect(request.query).toEqual([["company_id", "EXPLICIT"]]);
  });

  it("the configured public key is the default", () => {
    expect(build("create_client_event", event).query).toEqual([["company_id", "PUBLIC"]]);
  });

  it("without either, the call fails naming company_id", () => {
    const attempt = () => build("create_client_event", event, {});
    expect(attempt).toThrow(ArgumentError);
    expect(attempt).toThrow(expect.objectContaining({ argument: "company_id" }));
    expect(attempt).toThrow(/company_id/);
  });
});

describe("beta tools", () => {
  it("send their revision, and share the rate limits of a stable twin on the same path", async () => {
    const { betaTools } = await import("../../../tools/beta/index.js");
    const tool = (name: string) => {
      const found = betaTools.find((candidate) => candidate.name === name);
      if (!found) throw new Error(`no beta tool ${name}`);
      return found;
    };
    const twin = tool("get_campaigns_beta");
    const request = buildRequest(twin, minimalArgs(twin), CONTEXT);
    expect(request).toMatchObject({ revision: "2026-07-15.pre", throttleKey: "get_campaigns" });
    const own = tool("get_brand_colors_beta");
    const alone = buildRequest(own, minimalArgs(own), CONTEXT);
    expect(alone.revision).toBe("2026-07-15.pre");
    expect(alone.throttleKey).toBeUndefined();
  });
});
