import { describe, expect, it } from "vitest";
import { call, get, post, useJobEmulator } from "../jobs/harness.js";
import { activate, createPetType, createSource } from "./support.js";

useJobEmulator();

const link = (
  method: string,
  schema: string,
  kind: "object-schemas" | "profile-object-schemas",
  data: unknown,
) => call(method, `/api/object-schemas/${schema}/relationships/${kind}`, { data });

describe("schema relationships", () => {
  it("relates a draft to another schema and to the profile, shown as compound ids", async () => {
    const source = await createSource("Clinic");
    const vet = await createPetType("Vet", source);
    const pet = await createPetType("Pet", source);
    const created = await link("POST", pet.draft, "object-schemas", [
      { type: "object-schema", id: vet.draft, meta: { name: "vet", description: "Their vet" } },
    ]);
    expect(created.status).toBe(204);
    expect(
      (
        await link("POST", pet.draft, "profile-object-schemas", [
          { type: "profile-object-schema", id: "profile" },
        ])
      ).status,
    ).toBe(204);

    const ids = await get(`/api/object-schemas/${pet.draft}/relationships/object-schemas`);
    expect(ids.body.data).toEqual([{ type: "object-schema", id: `${vet.draft}:::vet` }]);
    const profiles = await get(
      `/api/object-schemas/${pet.draft}/relationships/profile-object-schemas`,
    );
    expect(profiles.body.data).toEqual([{ type: "profile-object-schema", id: "profile" }]);

    const schema = await get(
      `/api/object-schemas/${pet.draft}?include=object-schemas,profile-object-schemas`,
    );
    expect(schema.body.data.relationships["object-schemas"].data).toEqual(ids.body.data);
    const meta = schema.body.included.map((r: { id: string; attributes: { meta: unknown } }) => [
      r.id,
      r.attributes.meta,
    ]);
    expect(meta).toEqual([
      [
        `${vet.draft}:::vet`,
        {
          relationship_id: expect.stringMatching(/^[0-9A-Z]{26}$/),
          name: "vet",
          description: "Their vet",
        },
      ],
      ["profile", { relationship_id: expect.any(String), name: "profile", description: "" }],
    ]);

    // The type shows its (draft) schema's relationships, naming the related type.
    const typeIds = await get(`/api/object-types/${pet.type}/relationships/object-types`);
    expect(typeIds.body.data).toEqual([{ type: "object-type", id: `${vet.type}:::vet` }]);
    const type = await get(`/api/object-types/${pet.type}?include=profile-object-types`);
    expect(type.body.data.relationships["profile-object-types"].data).toEqual([
      { type: "profile-object-type", id: "profile:::profile" },
    ]);
    expect(type.body.included[0].attributes.meta.name).toBe("profile");
  });

  it("renames and deletes relationships by their id, on drafts only", async () => {
    const source = await createSource("Stable");
    const rider = await createPetType("Rider", source);
    const horse = await createPetType("Horse", source);
    await link("POST", horse.draft, "object-schemas", [{ type: "object-schema", id: rider.draft }]);
    await link("POST", horse.draft, "profile-object-schemas", [
      { type: "profile-object-schema", id: "profile" },
    ]);
    const included = (
      await get(`/api/object-schemas/${horse.draft}?include=object-schemas,profile-object-schemas`)
    ).body.included;
    // Without a name, a relationship is named after the related schema.
    expect(included[0].id).toBe(`${rider.draft}:::rider`);
    const objectRelationship = included[0].attributes.meta.relationship_id;
    const profileRelationship = included[1].attributes.meta.relationship_id;

    const renamed = await link("PATCH", horse.draft, "object-schemas", {
      type: "object-schema",
      id: rider.draft,
      meta: { relationship_id: objectRelationship, name: "favourite_rider" },
    });
    expect(renamed.status).toBe(204);
    const wrongTarget = await link("PATCH", horse.draft, "object-schemas", {
      type: "object-schema",
      id: horse.draft,
      meta: { relationship_id: objectRelationship, name: "x" },
    });
    expect(wrongTarget.status).toBe(400);
    const clash = await link("PATCH", horse.draft, "profile-object-schemas", {
      type: "profile-object-schema",
      id: "profile",
      meta: { relationship_id: profileRelationship, name: "favourite_rider" },
    });
    expect(clash.status).toBe(409);
    const missing = await link("PATCH", horse.draft, "object-schemas", {
      type: "object-schema",
      id: rider.draft,
      meta: { relationship_id: "01NOPE" },
    });
    expect(missing.status).toBe(404);
    expect(
      (await get(`/api/object-schemas/${horse.draft}/relationships/object-schemas`)).body.data,
    ).toEqual([{ type: "object-schema", id: `${rider.draft}:::favourite_rider` }]);

    const second = await link("POST", horse.draft, "profile-object-schemas", [
      { type: "profile-object-schema", id: "profile", meta: { name: "groom" } },
    ]);
    expect(second.status).toBe(409);
    const notProfile = await link("POST", rider.draft, "profile-object-schemas", [
      { type: "profile-object-schema", id: rider.draft },
    ]);
    expect(notProfile.status).toBe(400);

    expect(
      (
        await link("DELETE", horse.draft, "object-schemas", [
          { type: "object-schema", id: rider.draft, meta: { relationship_id: objectRelationship } },
        ])
      ).status,
    ).toBe(204);
    expect(
      (await get(`/api/object-schemas/${horse.draft}/relationships/object-schemas`)).body.data,
    ).toEqual([]);

    await activate(horse.draft);
    const frozen = await link("DELETE", horse.draft, "profile-object-schemas", [
      { type: "profile-object-schema", id: "profile" },
    ]);
    expect(frozen.status).toBe(400);
    // A new version inherits the relationship, with the same id.
    const v2 = await post("/api/object-schemas", {
      data: {
        type: "object-schema",
        attributes: { title: "Horse", properties: [{ id: 1, name: "pet_id", type: "string" }] },
        relationships: { "object-type": { data: { type: "object-type", id: horse.type } } },
      },
    });
    const inherited = (
      await get(`/api/object-schemas/${v2.body.data.id}?include=profile-object-schemas`)
    ).body.included;
    expect(inherited[0].attributes.meta.relationship_id).toBe(profileRelationship);
  });

  it("maps only relationships the schema has", async () => {
    const source = await createSource("Farm");
    const cow = await createPetType("Cow", source);
    const patch = (relationshipId: string) =>
      call("PATCH", `/api/source-mappings/${cow.mapping}`, {
        data: {
          type: "source-mapping",
          id: cow.mapping,
          attributes: {
            relationship_mappings: [
              {
                relationship_id: relationshipId,
                type: "simple",
                source: {
                  source_id: source,
                  type: "profile",
                  id_path: "$.id",
                  related_id_paths: [{ identifier_type: "email", path: "$.owner" }],
                },
              },
            ],
          },
        },
      });
    expect((await patch("01NOPE")).status).toBe(400);
    await link("POST", cow.draft, "profile-object-schemas", [
      { type: "profile-object-schema", id: "profile", meta: { name: "farmer" } },
    ]);
    const id = (await get(`/api/object-schemas/${cow.draft}?include=profile-object-schemas`)).body
      .included[0].attributes.meta.relationship_id;
    const mapped = await patch(id);
    expect(mapped.status).toBe(200);
    expect(mapped.body.data.attributes.relationship_mappings[0].relationship_id).toBe(id);
    // Deleting the relationship drops its mapping.
    await link("DELETE", cow.draft, "profile-object-schemas", [
      { type: "profile-object-schema", id: "profile" },
    ]);
    expect(
      (await get(`/api/source-mappings/${cow.mapping}`)).body.data.attributes.relationship_mappings,
    ).toEqual([]);
  });
});
