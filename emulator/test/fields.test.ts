/** Filter fields read from where this revision keeps them (fields.ts), over the HTTP API. */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../emulator.js";
import { FLOW_ACTION_STATUSES, FLOW_ACTION_TYPES } from "../fields.js";
import { api } from "./support.js";

let clock = Date.UTC(2026, 9, 1, 12);

describe("the flow action enums", () => {
  // The vendored spec the operation table is generated from; read, not imported.
  const spec = JSON.parse(
    readFileSync(new URL("../../spec/openapi-stable-2026-07-15.json", import.meta.url), "utf8"),
  );
  const schemas: Record<string, Schema> = spec.components.schemas;
  type Schema = { $ref?: string; enum?: string[]; properties?: Record<string, Schema> };
  const resolve = (schema: Schema) => schemas[schema.$ref?.split("/").pop() ?? ""] ?? schema;

  it("are the spec's: every definition branch's type, and the *ActionData status", () => {
    const definition = schemas.FlowActionEncodedResponseObjectResource?.properties?.attributes
      ?.properties?.definition as { oneOf: Schema[] };
    const types = definition.oneOf.flatMap((branch) => resolve(branch).properties?.type?.enum);
    expect([...types].sort()).toEqual(FLOW_ACTION_TYPES);
    const statuses = Object.entries(schemas)
      .filter(([name]) => name.endsWith("ActionData"))
      .flatMap(([, schema]) => schema.properties?.status?.enum ?? []);
    expect(statuses.length).toBeGreaterThan(0);
    expect([...new Set(statuses)].sort()).toEqual(FLOW_ACTION_STATUSES);
  });
});

describe("flow action filters", () => {
  let emulator: Emulator;
  let call: ReturnType<typeof api>;
  let abandonedCart: string;
  beforeAll(async () => {
    emulator = await startEmulator({ now: () => clock, rateLimits: false });
    call = api(emulator);
    abandonedCart = emulator.demo?.flows["Abandoned Cart"] as string;
  });
  afterAll(() => emulator.close());

  const actions = async (query: string) => {
    const response = await call("GET", `/api/flows/${abandonedCart}/flow-actions?${query}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.data.map((a: { attributes: { definition: unknown } }) => a.attributes);
  };
  const typeOf = (a: { definition: { type: string } }) => a.definition.type;

  it("filters on action_type, the definition's type", async () => {
    // Abandoned Cart: delay, email, delay, sms.
    expect((await actions("")).map(typeOf)).toEqual([
      "time-delay",
      "send-email",
      "time-delay",
      "send-sms",
    ]);
    expect((await actions('filter=equals(action_type,"time-delay")')).map(typeOf)).toEqual([
      "time-delay",
      "time-delay",
    ]);
    const sends = await actions('filter=any(action_type,["send-sms","send-email"])');
    expect(sends.map(typeOf)).toEqual(["send-email", "send-sms"]);
    expect(await actions('filter=equals(action_type,"send-webhook")')).toEqual([]);
  });

  it("filters on status, the definition's data.status (actions without one never match)", async () => {
    const live = await actions('filter=equals(status,"live")');
    expect(live.map(typeOf)).toEqual(["send-email", "send-sms"]);
    expect(await actions('filter=equals(status,"draft")')).toEqual([]);
    const winback = emulator.demo?.flows.Winback as string;
    const manual = await call(
      "GET",
      `/api/flows/${winback}/relationships/flow-actions?filter=equals(status,"manual")`,
    );
    expect(manual.body.data).toHaveLength(1);
  });

  it("sorts on action_type", async () => {
    expect((await actions("sort=-action_type")).map(typeOf)).toEqual([
      "time-delay",
      "time-delay",
      "send-sms",
      "send-email",
    ]);
  });

  it("refuses values outside the spec's enums with the allowed values, as Klaviyo's 400", async () => {
    for (const [filter, allowed] of [
      ['equals(action_type,"email")', FLOW_ACTION_TYPES],
      ['any(action_type,["send-email","sms"])', FLOW_ACTION_TYPES],
      ['equals(status,"active")', FLOW_ACTION_STATUSES],
    ] as const) {
      for (const path of ["flow-actions", "relationships/flow-actions"]) {
        const response = await call("GET", `/api/flows/${abandonedCart}/${path}?filter=${filter}`);
        expect(response.status, filter).toBe(400);
        const error = response.body.errors[0];
        expect(error.source).toEqual({ parameter: "filter" });
        expect(error.detail).toContain(`Allowed: ${allowed.join(", ")}`);
      }
    }
  });
});

describe("other fields kept elsewhere", () => {
  let emulator: Emulator;
  let call: ReturnType<typeof api>;
  beforeAll(async () => {
    emulator = await startEmulator({ now: () => clock, rateLimits: false });
    call = api(emulator);
  });
  afterAll(() => emulator.close());

  it("filters a flow action's messages on name, the definition's name", async () => {
    const action = emulator.store
      .all("flow-action")
      .find((a) => (a.attributes.definition as { type: string }).type === "send-sms");
    const messages = emulator.store.related("flow-action", action?.id ?? "", "flow-messages");
    const path = `/api/flow-actions/${action?.id}/flow-messages`;
    const sms = await call("GET", `${path}?filter=starts-with(name,"Abandoned Cart SMS")`);
    expect(sms.body.data.map((m: { id: string }) => m.id)).toEqual(messages);
    const other = await call("GET", `${path}?filter=equals(name,"Welcome Email 1: 10% Off")`);
    expect(other.body.data).toEqual([]); // another action's message
  });

  it("filters list members on joined_group_at, when they joined that list", async () => {
    const listId = emulator.demo?.lists.Newsletter as string;
    const profileId = emulator.store
      .all("profile")
      .find((p) => !emulator.store.related("profile", p.id, "lists").includes(listId))?.id;
    clock += 86_400_000;
    emulator.store.link("list", listId, "profiles", [profileId as string]);
    const since = new Date(clock - 3_600_000).toISOString();
    for (const path of ["profiles", "relationships/profiles"]) {
      const recent = await call(
        "GET",
        `/api/lists/${listId}/${path}?filter=greater-than(joined_group_at,${since})`,
      );
      expect(recent.body.data.map((p: { id: string }) => p.id)).toEqual([profileId]);
    }
  });
});

describe("review filters", () => {
  let emulator: Emulator;
  let call: ReturnType<typeof api>;
  beforeAll(async () => {
    emulator = await startEmulator({ now: () => clock, rateLimits: false });
    call = api(emulator);
  });
  afterAll(() => emulator.close());

  const count = async (filter: string) => {
    const { body } = await call("GET", `/api/reviews?filter=${encodeURIComponent(filter)}`);
    return (body as { data: unknown[] }).data.length;
  };

  it("reads status inside its object, and status all matches every review", async () => {
    const all = emulator.store.all("review").length;
    const published = emulator.store
      .all("review")
      .filter((r) => (r.attributes.status as { value: string }).value === "published").length;
    expect(all).toBeGreaterThan(published);
    expect(await count('equals(status,"published")')).toBe(published);
    expect(await count('equals(status,"all")')).toBe(all);
  });
});
