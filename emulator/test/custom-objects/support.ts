/** Request bodies and steps the custom object tests share (on the job harness's clock). */
import { expect } from "vitest";
import { call, get, post } from "../jobs/harness.js";

export const PET_PROPERTIES = [
  { id: 1, name: "pet_id", type: "string" },
  { id: 2, name: "name", type: "string" },
  { id: 3, name: "age", type: "int" },
  { id: 4, name: "weight", type: "float" },
  { id: 5, name: "vaccinated", type: "boolean" },
  { id: 6, name: "birthday", type: "timestamp" },
];

/** Property mappings reading `$.<field>` of records keyed by `$.id`. */
export function petMappings(sourceId: string) {
  const fields: Record<number, string> = {
    1: "$.id",
    2: "$.name",
    3: "$.age",
    4: "$.weight_kg",
    5: "$.vaccinated",
    6: "$.born",
  };
  return Object.entries(fields).map(([id, path]) => ({
    id: Number(id),
    type: "simple",
    source: { source_id: sourceId, id_path: "$.id", data_path: path },
  }));
}

export async function createSource(title: string): Promise<string> {
  const created = await post("/api/data-sources", {
    data: { type: "data-source", attributes: { title } },
  });
  expect(created.status).toBe(201);
  return created.body.data.id;
}

/** A "Pet"-like object type whose draft schema maps `sourceId`; returns its ids. */
export async function createPetType(
  title: string,
  sourceId: string,
  schema: Record<string, unknown> = {},
): Promise<{ type: string; draft: string; mapping: string }> {
  const created = await post("/api/object-types", {
    data: {
      type: "object-type",
      attributes: {
        title,
        "object-schema": {
          data: {
            type: "object-schema",
            attributes: {
              properties: PET_PROPERTIES,
              required: ["pet_id", "name"],
              "source-mapping": {
                data: {
                  type: "source-mapping",
                  attributes: { property_mappings: petMappings(sourceId) },
                },
              },
              ...schema,
            },
          },
        },
      },
    },
  });
  expect(created.status).toBe(201);
  const type = created.body.data.id as string;
  const draft = (await get(`/api/object-types/${type}/relationships/draft-schema`)).body.data?.id;
  const current = (await get(`/api/object-types/${type}/relationships/current-schema`)).body.data
    ?.id;
  const schemaId = (draft ?? current) as string;
  const mapping = (await get(`/api/object-schemas/${schemaId}/relationships/source-mapping`)).body
    .data.id as string;
  return { type, draft: schemaId, mapping };
}

export const activate = (schemaId: string) =>
  call("PATCH", `/api/object-schemas/${schemaId}`, {
    data: { type: "object-schema", id: schemaId, attributes: { status: "active" } },
  });

export const sendRecords = (sourceId: string, records: Array<Record<string, unknown>>) =>
  post("/api/data-source-record-bulk-create-jobs", {
    data: {
      type: "data-source-record-bulk-create-job",
      attributes: {
        "data-source-records": {
          data: records.map((record) => ({ type: "data-source-record", attributes: { record } })),
        },
      },
      relationships: { "data-source": { data: { type: "data-source", id: sourceId } } },
    },
  });

export async function recordsOf(typeId: string): Promise<Array<Record<string, unknown>>> {
  const page = await get(`/api/object-types/${typeId}/object-records?page[size]=100`);
  expect(page.status).toBe(200);
  return page.body.data;
}
