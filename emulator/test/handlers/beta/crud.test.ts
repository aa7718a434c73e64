/** A beta resource stored, read back, listed, updated and deleted; bad requests store nothing. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../../emulator.js";
import { api } from "../../support.js";

const NOW = Date.UTC(2026, 10, 1, 12);
const BETA = { revision: "2026-07-15.pre" };

describe("beta create, read, update, delete", () => {
  let emulator: Emulator;
  let call: ReturnType<typeof api>;
  const beta = (method: string, path: string, body?: unknown) => call(method, path, body, BETA);
  beforeAll(async () => {
    emulator = await startEmulator({ now: () => NOW, rateLimits: false });
    call = api(emulator);
  });
  afterAll(() => emulator.close());

  it("reads back a stored brand color in the beta shape, in its list too", async () => {
    const created = await beta("POST", "/api/brand-colors", {
      data: {
        type: "brand-color",
        attributes: { name: "Lake", colors: [{ hex: "#3A6EA5", name: "Lake blue" }] },
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    const read = await beta("GET", `/api/brand-colors/${id}`);
    expect(read.body.data).toMatchObject({
      type: "brand-color",
      id,
      attributes: { name: "Lake", colors: [{ hex: "#3A6EA5", name: "Lake blue" }] },
    });
    expect(read.body.data.links.self).toBe(`${emulator.url}/api/brand-colors/${id}/`);
    const list = await beta("GET", "/api/brand-colors");
    expect(list.body.data.map((c: { id: string }) => c.id)).toContain(id);
    const patched = await beta("PATCH", `/api/brand-colors/${id}`, {
      data: { type: "brand-color", id, attributes: { name: "Lake (summer)" } },
    });
    expect(patched.body.data.attributes).toMatchObject({ name: "Lake (summer)" });
    expect(patched.body.data.attributes.colors).toHaveLength(1);
    expect((await beta("DELETE", `/api/brand-colors/${id}`)).status).toBe(204);
    expect((await beta("GET", `/api/brand-colors/${id}`)).status).toBe(404);
  });

  it("stores nothing for a request missing a required attribute or off an enum", async () => {
    const before = emulator.store.count("sending-domain");
    const missing = await beta("POST", "/api/sending-domains", {
      data: { type: "sending-domain", attributes: { purpose: "marketing" } },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].source).toEqual({ pointer: "/data/attributes/domain" });
    const offEnum = await beta("POST", "/api/sending-domains", {
      data: { type: "sending-domain", attributes: { domain: "x.example.com", purpose: "spam" } },
    });
    expect(offEnum.status).toBe(400);
    expect(offEnum.body.errors[0].source).toEqual({ pointer: "/data/attributes/purpose" });
    const wrongType = await beta("POST", "/api/sending-domains", {
      data: { type: "brand-color", attributes: { domain: "x.example.com" } },
    });
    expect(wrongType.status).toBe(400);
    expect(emulator.store.count("sending-domain")).toBe(before);
  });

  it("writes relationships both ways and shows them when included", async () => {
    const tool = emulator.store.all("agent-tool")[0]?.id ?? "";
    const skill = await beta("POST", "/api/agent-skills", {
      data: {
        type: "agent-skill",
        attributes: {
          display_name: "Warranty claims",
          description: "Explains the warranty.",
          instructions: "Ask for the order number first.",
          status: "draft",
        },
        relationships: { "agent-tools": { data: [{ type: "agent-tool", id: tool }] } },
      },
    });
    expect(skill.status).toBe(201);
    expect(skill.body.data.attributes).toMatchObject({ name: "warranty_claims", source: "custom" });
    const skills = await beta("GET", `/api/agent-tools/${tool}/relationships/agent-skills`);
    expect(skills.body.data).toContainEqual({
      type: "agent-skill",
      id: skill.body.data.id,
      links: { self: `${emulator.url}/api/agent-skills/${skill.body.data.id}/` },
    });
  });
});
