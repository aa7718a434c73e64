/** Per-type rules (resources.ts): the account's default tag group. */
import { afterEach, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../emulator.js";
import { api } from "./support.js";

const NOW = Date.UTC(2026, 9, 1, 12);

describe("the default tag group", () => {
  let emulator: Emulator | undefined;
  afterEach(() => emulator?.close());

  const start = async (demoData: boolean) => {
    emulator = await startEmulator({ now: () => NOW, rateLimits: false, demoData });
    return api(emulator);
  };
  const createTag = (call: ReturnType<typeof api>, name: string, group?: string) =>
    call("POST", "/api/tags", {
      data: {
        type: "tag",
        attributes: { name },
        ...(group
          ? { relationships: { "tag-group": { data: { type: "tag-group", id: group } } } }
          : {}),
      },
    });
  const groupOf = async (call: ReturnType<typeof api>, tag: string) =>
    (await call("GET", `/api/tags/${tag}/tag-group`)).body.data;

  it("holds a tag created without a tag group, as Klaviyo does", async () => {
    const call = await start(true);
    const defaults = await call("GET", "/api/tag-groups?filter=equals(default,true)");
    expect(defaults.body.data).toHaveLength(1);
    const created = await createTag(call, "Clearance");
    expect(created.status).toBe(201);
    const group = await groupOf(call, created.body.data.id);
    expect(group).toMatchObject({ id: defaults.body.data[0].id, attributes: { default: true } });
  });

  it("leaves a tag created in a named group there", async () => {
    const call = await start(true);
    const season = (await call("GET", '/api/tag-groups?filter=equals(name,"Season")')).body.data[0];
    const created = await createTag(call, "Winter", season.id);
    expect((await groupOf(call, created.body.data.id)).id).toBe(season.id);
  });

  it("exists in an empty account too, from the first tag", async () => {
    const call = await start(false);
    const created = await createTag(call, "First");
    const group = await groupOf(call, created.body.data.id);
    expect(group.attributes).toEqual({ name: "Tags", exclusive: false, default: true });
    await createTag(call, "Second");
    expect((await call("GET", "/api/tag-groups")).body.data).toHaveLength(1);
  });

  it("stays the only default: a new group is not, and it cannot be deleted", async () => {
    const call = await start(true);
    const created = await call("POST", "/api/tag-groups", {
      data: { type: "tag-group", attributes: { name: "Ops", default: true } },
    });
    expect(created.body.data.attributes).toEqual({ name: "Ops", exclusive: false, default: false });
    const id = (await call("GET", "/api/tag-groups?filter=equals(default,true)")).body.data[0].id;
    const refused = await call("DELETE", `/api/tag-groups/${id}`);
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].detail).toContain("default tag group");
  });

  it("takes its tags with a deleted group", async () => {
    const call = await start(true);
    const season = (await call("GET", '/api/tag-groups?filter=equals(name,"Season")')).body.data[0];
    const tags = (await call("GET", `/api/tag-groups/${season.id}/tags`)).body.data;
    expect(tags.length).toBeGreaterThan(0);
    expect((await call("DELETE", `/api/tag-groups/${season.id}`)).status).toBe(204);
    for (const tag of tags) expect((await call("GET", `/api/tags/${tag.id}`)).status).toBe(404);
  });
});
