import { describe, expect, it } from "vitest";
import { advance, call, DURATION, get, post, useJobEmulator } from "../jobs/harness.js";
import { activate, createPetType, createSource, recordsOf, sendRecords } from "./support.js";

useJobEmulator();

const rex = {
  id: "P-1",
  name: "Rex",
  age: 4,
  weight_kg: 21.5,
  vaccinated: true,
  born: "2022-03-01T00:00:00Z",
  ignored: "not mapped",
};

describe("record ingestion", () => {
  it("creates records by the mapping's JSONPaths once the job is done; a resend replaces them", async () => {
    const source = await createSource("Kennel A");
    const { type, draft } = await createPetType("Dog A", source);
    await activate(draft);
    const sent = await sendRecords(source, [rex, { id: "B-7", name: "Bo" }]);
    expect(sent.status).toBe(204);
    expect(sent.body).toBeUndefined();
    expect(await recordsOf(type)).toEqual([]);
    advance(DURATION);
    const records = await recordsOf(type);
    expect(records.map((r) => r.id)).toEqual([`${type}:::P-1`, `${type}:::B-7`]);
    expect(records[0]?.attributes).toEqual({
      record_properties: {
        pet_id: "P-1",
        name: "Rex",
        age: 4,
        weight: 21.5,
        vaccinated: true,
        birthday: "2022-03-01T00:00:00+00:00",
      },
    });
    const one = await get(`/api/object-records/${encodeURIComponent(`${type}:::B-7`)}`);
    expect(one.body.data.attributes.record_properties).toEqual({ pet_id: "B-7", name: "Bo" });

    const single = await post("/api/data-source-record-create-jobs", {
      data: {
        type: "data-source-record-create-job",
        attributes: {
          "data-source-record": {
            data: {
              type: "data-source-record",
              attributes: { record: { id: "P-1", name: "Rex II" } },
            },
          },
        },
        relationships: { "data-source": { data: { type: "data-source", id: source } } },
      },
    });
    expect(single.status).toBe(204);
    advance(DURATION);
    const replaced = (await recordsOf(type)).find((r) => r.id === `${type}:::P-1`);
    expect(replaced?.attributes).toEqual({ record_properties: { pet_id: "P-1", name: "Rex II" } });
  });

  it("logs records that fail the schema instead of storing them, newest first", async () => {
    const source = await createSource("Kennel B");
    const { type, draft } = await createPetType("Dog B", source);
    await activate(draft);
    await sendRecords(source, [{ id: "P-2", age: "four" }]);
    advance(DURATION);
    await sendRecords(source, [{ name: "No id" }, { id: "P-3", name: "Tess", vaccinated: "yes" }]);
    advance(DURATION);
    expect(await recordsOf(type)).toEqual([]);
    const logs = (
      await get(`/api/object-types/${type}/object-ingestion-logs?include=object-record`)
    ).body;
    expect(logs.data.map((l: { attributes: { summary: string } }) => l.attributes.summary)).toEqual(
      [
        "1 validation error for P-3",
        "1 validation error for a record without an id",
        "2 validation errors for P-2",
      ],
    );
    const p2 = logs.data[2];
    expect(p2.attributes).toMatchObject({ status: "error", event_type: "validation_error" });
    expect(p2.attributes.errors).toEqual([
      { code: "missing", message: "Field required", property: "name", invalid_value: null },
      {
        code: "int_type",
        message: "Input should be a valid integer",
        property: "age",
        invalid_value: '"four"',
      },
    ]);
    expect(p2.relationships["object-record"].data).toEqual({
      type: "object-record",
      id: `${type}:::P-2`,
    });
    expect(p2.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    // The record never resolved, so nothing is included for it.
    expect(logs.included ?? []).toEqual([]);
    const filter = encodeURIComponent(`equals(record_id,"${type}:::P-3")`);
    const byRecord = await get(
      `/api/object-types/${type}/relationships/object-ingestion-logs?filter=${filter}`,
    );
    expect(byRecord.body.data).toEqual([{ type: "object-ingestion-log", id: logs.data[0].id }]);
    advance(15 * 86_400_000);
    expect((await get(`/api/object-types/${type}/object-ingestion-logs`)).body.data).toEqual([]);
  });

  it("ignores records for draft schemas until the schema is activated", async () => {
    const source = await createSource("Kennel C");
    const { type, draft } = await createPetType("Dog C", source);
    await sendRecords(source, [rex]);
    advance(DURATION);
    expect(await recordsOf(type)).toEqual([]);
    await activate(draft);
    expect((await recordsOf(type)).map((r) => r.id)).toEqual([`${type}:::P-1`]);
  });

  it("deletes records in bulk after the job delay", async () => {
    const source = await createSource("Kennel D");
    const { type, draft } = await createPetType("Dog D", source);
    await activate(draft);
    await sendRecords(source, [rex, { id: "P-9", name: "Ada" }]);
    advance(DURATION);
    const deleted = await post("/api/object-record-bulk-delete-jobs", {
      data: {
        type: "object-record-bulk-delete-job",
        relationships: {
          "object-records": { data: [{ type: "object-record", id: `${type}:::P-1` }] },
        },
      },
    });
    expect(deleted.status).toBe(202);
    expect((await recordsOf(type)).length).toBe(2);
    advance(DURATION);
    expect((await recordsOf(type)).map((r) => r.id)).toEqual([`${type}:::P-9`]);
  });

  it("refuses an unknown data source, a missing one, and too many records", async () => {
    const unknown = await sendRecords("01NOPE", [rex]);
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0].source.pointer).toBe("/data/relationships/data-source/data/id");
    const source = await createSource("Kennel E");
    const tooMany = await sendRecords(
      source,
      Array.from({ length: 501 }, (_, i) => ({ id: i })),
    );
    expect(tooMany.status).toBe(400);
    const notObject = await post("/api/data-source-record-bulk-create-jobs", {
      data: {
        type: "data-source-record-bulk-create-job",
        attributes: {
          "data-source-records": {
            data: [{ type: "data-source-record", attributes: { record: [1, 2] } }],
          },
        },
        relationships: { "data-source": { data: { type: "data-source", id: source } } },
      },
    });
    expect(notObject.body.errors[0].source.pointer).toBe(
      "/data/attributes/data-source-records/data/0/attributes/record",
    );
  });
});

describe("later schema versions", () => {
  it("apply to new records and leave deleted ones deleted", async () => {
    const source = await createSource("Kennel F");
    const { type, draft } = await createPetType("Dog F", source);
    await activate(draft);
    await sendRecords(source, [rex]);
    advance(DURATION);
    await post("/api/object-record-bulk-delete-jobs", {
      data: {
        type: "object-record-bulk-delete-job",
        relationships: {
          "object-records": { data: [{ type: "object-record", id: `${type}:::P-1` }] },
        },
      },
    });
    advance(DURATION);
    const v2 = await post("/api/object-schemas", {
      data: {
        type: "object-schema",
        attributes: { title: "Dog F", properties: [{ id: 1, name: "pet_id", type: "string" }] },
        relationships: { "object-type": { data: { type: "object-type", id: type } } },
      },
    });
    // The inherited mapping still maps properties 2-6, which v2 does not have.
    const refused = await activate(v2.body.data.id);
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].detail).toContain("property id 2");
    const mapping = (
      await get(`/api/object-schemas/${v2.body.data.id}/relationships/source-mapping`)
    ).body.data.id;
    await call("PATCH", `/api/source-mappings/${mapping}`, {
      data: {
        type: "source-mapping",
        id: mapping,
        attributes: {
          property_mappings: [
            {
              id: 1,
              type: "simple",
              source: { source_id: source, id_path: "$.id", data_path: "$.id" },
            },
          ],
        },
      },
    });
    expect((await activate(v2.body.data.id)).status).toBe(200);
    expect(await recordsOf(type)).toEqual([]);
    await sendRecords(source, [{ id: "P-5", name: "Ignored now" }]);
    advance(DURATION);
    expect((await recordsOf(type)).map((r) => r.attributes)).toEqual([
      { record_properties: { pet_id: "P-5" } },
    ]);
  });
});
