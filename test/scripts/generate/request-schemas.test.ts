/**
 * The request schemas the generator compiles for the request check: `$ref`s resolved into one
 * table per toolset, each component once (recursive ones too), identical nodes merged, only the
 * keywords validation reads; and the errata that let the engine's empty `attributes` through.
 */
import { describe, expect, it } from "vitest";
import type { CatalogEndpoint } from "../../../scripts/generate/catalog.js";
import { applyRequestErrata } from "../../../scripts/generate/request-errata.js";
import {
  buildRequestSchemas,
  requestSchemaFiles,
} from "../../../scripts/generate/request-schemas.js";
import { loadInputs, type Spec } from "../../../scripts/generate/spec.js";
import { specDir } from "../../../scripts/generate.js";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Two toolsets: two operations share a component, one takes a multipart form. */
const SPEC = {
  components: {
    schemas: {
      Node: {
        type: "object",
        description: "A tree node (dropped: not needed to validate).",
        properties: {
          name: { type: "string", example: "x" },
          children: { type: "array", items: ref("Node") },
        },
        required: ["name"],
      },
      Static: {
        type: "object",
        properties: {
          type: { type: "string", enum: ["date"] },
          when: { type: "string", format: "date-time" },
        },
        required: ["type", "when"],
      },
      Relative: {
        type: "object",
        properties: {
          type: { type: "string", enum: ["relative"] },
          days: { type: "integer", minimum: 1 },
        },
        required: ["type", "days"],
      },
      Body: {
        type: "object",
        properties: {
          data: {
            type: "object",
            properties: {
              tree: ref("Node"),
              also: { $ref: "#/components/schemas/Node", nullable: true },
              when: { oneOf: [ref("Static"), ref("Relative")] },
              note: { type: "string" },
              label: { type: "string" },
            },
          },
        },
        required: ["data"],
      },
    },
  },
  paths: {
    "/api/trees/{id}": {
      patch: {
        operationId: "update_tree",
        parameters: [
          { name: "id", in: "path", required: true, schema: { type: "string" } },
          {
            name: "fields[tree]",
            in: "query",
            schema: { type: "array", items: { type: "string", enum: ["name"] } },
          },
        ],
        requestBody: {
          required: true,
          content: { "application/vnd.api+json": { schema: ref("Body") } },
        },
      },
    },
    "/api/trees": {
      post: {
        operationId: "create_tree",
        requestBody: {
          required: true,
          content: { "application/vnd.api+json": { schema: ref("Body") } },
        },
      },
    },
    "/api/images": {
      post: {
        operationId: "upload_image",
        requestBody: {
          required: true,
          content: { "multipart/form-data": { schema: { type: "object" } } },
        },
      },
    },
  },
} as unknown as Spec;

const endpoint = (id: string, method: string, path: string, group: string): CatalogEndpoint => ({
  tool_name: id,
  operation_id: id,
  method,
  path,
  group,
});
const ENDPOINTS = [
  endpoint("update_tree", "PATCH", "/api/trees/{id}", "trees"),
  endpoint("create_tree", "POST", "/api/trees", "trees"),
  endpoint("upload_image", "POST", "/api/images", "images"),
];

describe("buildRequestSchemas", () => {
  const modules = buildRequestSchemas(SPEC, ENDPOINTS);
  const trees = modules.get("trees");

  it("makes one module per toolset, beta ones under beta/", () => {
    expect([...modules.keys()]).toEqual(["images", "trees"]);
    expect([...buildRequestSchemas(SPEC, ENDPOINTS, "beta/").keys()]).toEqual([
      "beta/images",
      "beta/trees",
    ]);
    expect(modules.get("images")?.operations).toEqual({
      upload_image: { path: "/api/images", body: { multipart: true, required: true } },
    });
  });

  it("resolves refs once each into a shared table, recursion included, and keeps what validates", () => {
    if (!trees) throw new Error("no trees module");
    const { nodes, operations } = trees;
    const update = operations.update_tree;
    const create = operations.create_tree;
    expect(update?.path).toBe("/api/trees/{id}");
    expect(update?.pathParameters).toEqual({ id: expect.any(Number) });
    expect(update?.query?.["fields[tree]"]).toEqual({ node: expect.any(Number) });
    // Both operations share the body's node, and identical scalars are one node.
    expect(update?.body?.node).toBe(create?.body?.node);
    expect(update?.pathParameters?.id).toBe(
      nodes.findIndex((n) => JSON.stringify(n) === '{"type":"string"}'),
    );
    const body = nodes[update?.body?.node ?? -1];
    const data = nodes[body?.properties?.data ?? -1];
    const tree = nodes[data?.properties?.tree ?? -1];
    expect(tree).toEqual({
      type: "object",
      properties: { name: expect.any(Number), children: expect.any(Number) },
      required: ["name"],
    });
    // The recursion points back at the node itself.
    expect(nodes[tree?.properties?.children ?? -1]?.items).toBe(data?.properties?.tree);
    // A nullable ref is the same node, nullable.
    expect(nodes[data?.properties?.also ?? -1]).toEqual({ ...tree, nullable: true });
    // note and label: one string node.
    expect(data?.properties?.note).toBe(data?.properties?.label);
    const when = nodes[data?.properties?.when ?? -1];
    expect(when).toEqual({
      oneOf: [expect.any(Number), expect.any(Number)],
      discriminator: "type",
    });
    const [staticBranch, relativeBranch] = (when?.oneOf ?? []).map((i) => nodes[i]);
    expect(nodes[staticBranch?.properties?.when ?? -1]).toEqual({
      type: "string",
      format: "date-time",
    });
    expect(nodes[relativeBranch?.properties?.days ?? -1]).toEqual({ type: "integer", minimum: 1 });
    expect(JSON.stringify(nodes)).not.toMatch(/description|example/);
  });

  it("writes each module and an index that loads it on demand", () => {
    const files = requestSchemaFiles([{ schemas: modules, header: "// header\n" }]);
    expect([...files.keys()]).toEqual([
      "schemas/requests/images.ts",
      "schemas/requests/trees.ts",
      "schemas/requests/index.ts",
    ]);
    const index = files.get("schemas/requests/index.ts") ?? "";
    expect(index).toContain(
      'MODULE_OF_OPERATION: Readonly<Record<string, string>> = {"upload_image":"images","create_tree":"trees","update_tree":"trees"}',
    );
    expect(index).toContain('"trees": () => import("./trees.js")');
    expect(files.get("schemas/requests/trees.ts")).toMatch(
      /^\/\/ header\nimport type \{ RequestTable \} from "\.\.\/\.\.\/src\/engine\/call\/request-schema\.js";/,
    );
  });
});

describe("applyRequestErrata on Klaviyo's spec", () => {
  const { spec } = loadInputs(specDir);

  it("lets send_campaign's document carry an empty attributes, and nothing else changes", () => {
    const fixed = applyRequestErrata(spec, "stable");
    const body = fixed.paths["/api/campaign-send-jobs"]?.post?.requestBody;
    const schema = body?.content["application/vnd.api+json"]?.schema;
    expect(schema?.properties?.data?.properties?.attributes).toEqual({
      type: "object",
      maxProperties: 0,
    });
    expect(fixed.paths["/api/profiles"]?.post).toBe(spec.paths["/api/profiles"]?.post);
  });

  it("refuses an erratum the spec no longer needs, and an operation that needs a missing one", () => {
    expect(() =>
      applyRequestErrata(spec, "stable", [
        { spec: "stable", operations: ["create_profile", "merge_profiles"], reason: "test" },
      ]),
    ).toThrow(
      /create_profile is listed in EMPTY_ATTRIBUTES but its document has attributes.*send_campaign: its document lists no attributes; add it to EMPTY_ATTRIBUTES/,
    );
  });
});
