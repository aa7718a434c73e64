/**
 * Request bodies nested deeply, sent straight to the emulator over HTTP (klaviyo-mcp refuses
 * them before sending): too deep is a 400 in Klaviyo's shape; anything accepted can be stored,
 * merged, filtered, listed and serialized without breaking later calls.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY_DEPTH } from "../body.js";
import { type Emulator, startEmulator } from "../emulator.js";
import { nested, nestedText } from "./deep-json.js";
import { api } from "./support.js";

const NOW = Date.UTC(2026, 10, 1, 12);

/** A create_profile body whose properties.deep nests `levels` deep, as JSON text. */
const profileBody = (email: string, levels: number) =>
  `{"data":{"type":"profile","attributes":{"email":"${email}","properties":{"deep":${nestedText(levels)}}}}}`;

describe("deeply nested request bodies", () => {
  let emulator: Emulator;
  let call: ReturnType<typeof api>;
  beforeAll(async () => {
    emulator = await startEmulator({ now: () => NOW, rateLimits: false });
    call = api(emulator);
  });
  afterAll(() => emulator.close());

  const newestProfiles = () => call("GET", "/api/profiles?sort=-created&page[size]=5");

  it("refuses a body nested too deep with Klaviyo's 400, storing nothing", async () => {
    const profiles = emulator.store.count("profile");
    for (const levels of [3_000, 100_000]) {
      const response = await call("POST", "/api/profiles", profileBody("too@example.com", levels));
      expect(response.status).toBe(400);
      expect(response.body.errors[0]).toMatchObject({
        status: 400,
        code: "invalid",
        detail: expect.stringContaining(`${MAX_BODY_DEPTH} levels`),
        source: { pointer: "/data/attributes/properties/deep" },
      });
    }
    expect(emulator.store.count("profile")).toBe(profiles);
    expect((await newestProfiles()).status).toBe(200);
  });

  it("stores, merges, filters, lists and serializes a profile nested just within the limit", async () => {
    // data > attributes > properties > deep: the body itself is level 1.
    const levels = MAX_BODY_DEPTH - 4;
    const created = await call("POST", "/api/profiles", profileBody("deep@example.com", levels));
    expect(created.status).toBe(201);
    const id = created.body.data.id as string;
    expect(created.body.data.attributes.properties.deep).toStrictEqual(nested(levels));

    const patched = await call(
      "PATCH",
      `/api/profiles/${id}`,
      `{"data":{"type":"profile","id":"${id}","attributes":{"properties":{"deep":${nestedText(levels, "changed")},"other":1}}}}`,
    );
    expect(patched.status).toBe(200);
    expect(patched.body.data.attributes.properties).toStrictEqual({
      deep: nested(levels, "changed"),
      other: 1,
    });

    const filtered = await call(
      "GET",
      `/api/profiles?filter=${encodeURIComponent('equals(email,"deep@example.com")')}`,
    );
    expect(filtered.status).toBe(200);
    expect(filtered.body.data.map((p: { id: string }) => p.id)).toEqual([id]);

    const listed = await newestProfiles();
    expect(listed.status).toBe(200);
    expect(listed.body.data[0].id).toBe(id);
  });
});
