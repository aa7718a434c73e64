import { describe, expect, it } from "vitest";
import { call, get, post, useJobEmulator } from "../jobs/harness.js";
import { activate, createPetType, createSource, PET_PROPERTIES, petMappings } from "./support.js";

useJobEmulator();

const schemaPatch = (id: string, attributes: Record<string, unknown>) =>
  call("PATCH", `/api/object-schemas/${id}`, {
    data: { type: "object-schema", id, attributes },
  });

describe("object types and their schema versions", () => {
  it("creates a type with a draft schema and an empty source mapping", async () => {
    const created = await post("/api/object-types", {
      data: { type: "object-type", attributes: { title: "Reservation" } },
    });
    expect(created.status).toBe(201);
    const type = created.body.data;
    expect(type.attributes).toMatchObject({
      title: "Reservation",
      description: "",
      status: "draft",
      namespace: "custom-objects",
    });
    const draft = (await get(`/api/object-types/${type.id}/draft-schema`)).body.data;
    expect(draft.attributes).toMatchObject({
      title: "Reservation",
      status: "draft",
      properties: [],
      published_at: null,
    });
    expect((await get(`/api/object-types/${type.id}/current-schema`)).body.data).toBeNull();
    const mapping = (await get(`/api/object-schemas/${draft.id}/source-mapping`)).body.data;
    expect(mapping.attributes).toEqual({ property_mappings: [], relationship_mappings: [] });
    const versions = (await get(`/api/object-types/${type.id}/relationships/schema-versions`)).body;
    expect(versions.data).toEqual([{ type: "object-schema", id: draft.id }]);
  });

  it("activates a draft: current schema, type status and title follow", async () => {
    const source = await createSource("Pets A");
    const { type, draft } = await createPetType("Pet A", source);
    const renamed = await schemaPatch(draft, { title: "Pet", description: "Our pets" });
    expect(renamed.status).toBe(200);
    expect((await get(`/api/object-types/${type}`)).body.data.attributes.title).toBe("Pet");
    const activated = await activate(draft);
    expect(activated.status).toBe(200);
    expect(activated.body.data.attributes.status).toBe("active");
    expect(activated.body.data.attributes.published_at).toMatch(/^2026-07-20T09:/);
    const shown = (await get(`/api/object-types/${type}?include=current-schema`)).body;
    expect(shown.data.attributes).toMatchObject({ status: "active", description: "Our pets" });
    expect(shown.data.relationships["current-schema"].data).toEqual({
      type: "object-schema",
      id: draft,
    });
    expect(shown.data.relationships["draft-schema"].data).toBeUndefined();
    expect(shown.included.map((r: { id: string }) => r.id)).toEqual([draft]);
  });

  it("keeps an active schema as it is; a new version starts from it", async () => {
    const source = await createSource("Pets B");
    const { type, draft: v1, mapping } = await createPetType("Pet B", source);
    await activate(v1);
    const frozen = await schemaPatch(v1, { properties: PET_PROPERTIES.slice(0, 2) });
    expect(frozen.status).toBe(400);
    expect(frozen.body.errors[0].detail).toContain("create_object_schema");
    const frozenMapping = await call("PATCH", `/api/source-mappings/${mapping}`, {
      data: { type: "source-mapping", id: mapping, attributes: { property_mappings: [] } },
    });
    expect(frozenMapping.status).toBe(400);

    const newVersion = (title: string) =>
      post("/api/object-schemas", {
        data: {
          type: "object-schema",
          attributes: {
            title,
            properties: [...PET_PROPERTIES, { id: 7, name: "breed", type: "string" }],
          },
          relationships: { "object-type": { data: { type: "object-type", id: type } } },
        },
      });
    const v2 = await newVersion("Pet B v2");
    expect(v2.status).toBe(201);
    expect(v2.body.data.attributes.status).toBe("draft");
    const v2Mapping = (await get(`/api/object-schemas/${v2.body.data.id}/source-mapping`)).body
      .data;
    expect(v2Mapping.id).not.toBe(mapping);
    expect(v2Mapping.attributes.property_mappings).toEqual(petMappings(source));
    // The current schema keeps the type's title until the new version is activated.
    expect((await get(`/api/object-types/${type}`)).body.data.attributes.title).toBe("Pet B");
    const second = await newVersion("Pet B v3");
    expect(second.status).toBe(409);
    expect(second.body.errors[0].detail).toContain(v2.body.data.id);
    await activate(v2.body.data.id);
    const versions = (await get(`/api/object-types/${type}/schema-versions`)).body.data;
    expect(versions.map((s: { id: string }) => s.id)).toEqual([v1, v2.body.data.id]);
    expect((await get(`/api/object-types/${type}`)).body.data.attributes.title).toBe("Pet B v2");
  });

  it("gives a schema created without a type its own type", async () => {
    const created = await post("/api/object-schemas", {
      data: {
        type: "object-schema",
        attributes: { title: "Gift Card", properties: [{ id: 1, name: "code", type: "string" }] },
      },
    });
    expect(created.status).toBe(201);
    const types = (await get("/api/object-types")).body.data;
    const giftCard = types.find(
      (t: { attributes: { title: string } }) => t.attributes.title === "Gift Card",
    );
    expect(giftCard.relationships).toBeDefined();
    const draft = (await get(`/api/object-types/${giftCard.id}/relationships/draft-schema`)).body;
    expect(draft.data.id).toBe(created.body.data.id);
  });

  it("refuses bad schemas and mappings, pointing at the value", async () => {
    const source = await createSource("Pets C");
    const { draft, mapping } = await createPetType("Pet C", source);
    const badId = await schemaPatch(draft, { properties: [{ id: 0, name: "x", type: "string" }] });
    expect(badId.body.errors[0].source.pointer).toBe("/data/attributes/properties/0/id");
    const badRequired = await schemaPatch(draft, { required: ["colour"] });
    expect(badRequired.body.errors[0].source.pointer).toBe("/data/attributes/required/0");
    const badType = await schemaPatch(draft, { properties: [{ id: 1, name: "x", type: "date" }] });
    expect(badType.status).toBe(400);
    const mappingPatch = (attributes: Record<string, unknown>) =>
      call("PATCH", `/api/source-mappings/${mapping}`, {
        data: { type: "source-mapping", id: mapping, attributes },
      });
    const unknownProperty = await mappingPatch({
      property_mappings: [{ id: 99, type: "constant", value: "x" }],
    });
    expect(unknownProperty.body.errors[0].source.pointer).toBe(
      "/data/attributes/property_mappings/0/id",
    );
    const unknownSource = await mappingPatch({
      property_mappings: [
        {
          id: 1,
          type: "simple",
          source: { source_id: "NOPE", id_path: "$.id", data_path: "$.id" },
        },
      ],
    });
    expect(unknownSource.status).toBe(404);
    const badPath = await mappingPatch({
      property_mappings: [
        { id: 1, type: "simple", source: { source_id: source, id_path: "id", data_path: "$.id" } },
      ],
    });
    expect(badPath.body.errors[0].source.pointer).toBe(
      "/data/attributes/property_mappings/0/source/id_path",
    );
    const constant = await mappingPatch({
      property_mappings: [{ id: 2, type: "constant", value: "Rex" }],
    });
    expect(constant.status).toBe(200);
    expect(constant.body.data.attributes.property_mappings).toEqual([
      { id: 2, type: "constant", value: "Rex" },
    ]);
    const duplicate = await post("/api/object-types", {
      data: { type: "object-type", attributes: { title: "Pet C" } },
    });
    expect(duplicate.status).toBe(409);
    const empty = await post("/api/object-types", {
      data: {
        type: "object-type",
        attributes: {
          title: "Nothing",
          "object-schema": { data: { type: "object-schema", attributes: { status: "active" } } },
        },
      },
    });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].detail).toContain("at least one property");
  });

  it("deletes a type with its schemas and records; then its data source can go", async () => {
    const source = await createSource("Pets D");
    const { type, draft, mapping } = await createPetType("Pet D", source);
    const used = await call("DELETE", `/api/data-sources/${source}`);
    expect(used.status).toBe(409);
    expect((await call("DELETE", `/api/object-types/${type}`)).status).toBe(204);
    expect((await get(`/api/object-types/${type}`)).status).toBe(404);
    expect((await get(`/api/object-schemas/${draft}`)).status).toBe(404);
    expect((await get(`/api/source-mappings/${mapping}`)).status).toBe(404);
    expect((await call("DELETE", `/api/data-sources/${source}`)).status).toBe(204);
    expect((await get(`/api/data-sources/${source}`)).status).toBe(404);
  });
});

describe("data sources", () => {
  it("fills Klaviyo's defaults and keeps titles unique per namespace", async () => {
    const created = await post("/api/data-sources", {
      data: { type: "data-source", attributes: { title: "POS exports" } },
    });
    expect(created.body.data.attributes).toEqual({
      title: "POS exports",
      visibility: "private",
      description: "",
      namespace: "custom-objects",
    });
    const again = await post("/api/data-sources", {
      data: { type: "data-source", attributes: { title: "POS exports" } },
    });
    expect(again.status).toBe(409);
    expect(again.body.errors[0].source.pointer).toBe("/data/attributes/title");
    const listed = (await get("/api/data-sources")).body.data.map(
      (s: { attributes: { title: string } }) => s.attributes.title,
    );
    expect(listed).toContain("POS exports");
  });
});
