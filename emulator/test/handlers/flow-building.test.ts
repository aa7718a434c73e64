/** Flows built from definitions, their actions changed and removed, and what triggers them. */
import { describe, expect, it } from "vitest";
import { useDemo } from "./demo.js";

const demo = useDemo();

const definition = (segment: string, template: string) => ({
  triggers: [{ type: "segment", id: segment }],
  entry_action_id: "wait",
  actions: [
    {
      temporary_id: "wait",
      type: "time-delay",
      links: { next: "thanks" },
      data: { unit: "hours", value: 6 },
    },
    {
      temporary_id: "thanks",
      type: "send-email",
      links: { next: "later" },
      data: { message: { name: "Thanks", subject_line: "Thank you", template_id: template } },
    },
    { temporary_id: "later", type: "time-delay", links: { next: null }, data: { value: 2 } },
  ],
});

async function createFlow(name: string) {
  const segment = demo.emulator.demo?.segmentIds[1] as string;
  const template = demo.emulator.demo?.templateIds[0] as string;
  const created = await demo.call(
    "POST",
    "/api/flows?additional-fields[flow]=definition",
    demo.body("flow", { name, definition: definition(segment, template) }),
  );
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { flow: created.body.data, segment, template };
}

const actionsOf = (flowId: string) => demo.emulator.store.related("flow", flowId, "flow-actions");

describe("create_flow", () => {
  it("stores a draft flow whose actions get real ids, linked as the temporary ids were", async () => {
    const { flow, segment, template } = await createFlow("VIP thanks");
    expect(flow.attributes).toMatchObject({
      name: "VIP thanks",
      status: "draft",
      archived: false,
      trigger_type: "Added to List",
    });
    const [wait, thanks, later] = actionsOf(flow.id);
    const { definition: shown } = flow.attributes;
    expect(shown.triggers).toEqual([{ type: "segment", id: segment }]);
    expect(shown.entry_action_id).toBe(wait);
    expect(shown.actions.map((a: { id: string }) => a.id)).toEqual([wait, thanks, later]);
    expect(shown.actions[0]).toMatchObject({
      type: "time-delay",
      links: { next: thanks },
      data: { unit: "hours", value: 6, timezone: "profile" },
    });
    expect(shown.actions[2].data).toMatchObject({ unit: "days", value: 2 });
    expect(shown.actions[1].data.status).toBe("draft");

    const message = demo.emulator.store.related("flow-action", thanks as string, "flow-messages");
    expect(message).toHaveLength(1);
    const read = await demo.call("GET", `/api/flow-messages/${message[0]}?include=template`);
    expect(read.body.data.attributes.definition).toMatchObject({
      id: message[0],
      name: "Thanks",
      subject_line: "Thank you",
      smart_sending_enabled: true,
    });
    expect(read.body.data.relationships.template.data.id).toBe(template);

    const triggered = await demo.call("GET", `/api/segments/${segment}/flow-triggers`);
    expect(triggered.body.data.map((f: { id: string }) => f.id)).toContain(flow.id);
    const ids = await demo.call("GET", `/api/segments/${segment}/relationships/flow-triggers`);
    expect(ids.body.data).toContainEqual({ type: "flow", id: flow.id });
  });

  it("refuses links to unknown actions, real ids and unknown trigger sources", async () => {
    const segment = demo.emulator.demo?.segmentIds[0] as string;
    const create = (def: unknown) =>
      demo.call("POST", "/api/flows", demo.body("flow", { name: "Bad", definition: def }));
    const action = { temporary_id: "a", type: "time-delay", data: { value: 1 } };
    const before = demo.emulator.store.count("flow-action");
    const dangling = await create({
      triggers: [{ type: "segment", id: segment }],
      entry_action_id: "a",
      actions: [{ ...action, links: { next: "ghost" } }],
    });
    expect(dangling.status).toBe(400);
    expect(dangling.body.errors[0].source.pointer).toBe(
      "/data/attributes/definition/actions/0/links",
    );
    const withId = await create({
      triggers: [{ type: "segment", id: segment }],
      entry_action_id: "a",
      actions: [{ ...action, id: "123" }],
    });
    expect(withId.status).toBe(400);
    const noList = await create({
      triggers: [{ type: "list", id: "nope" }],
      entry_action_id: "a",
      actions: [action],
    });
    expect(noList.status).toBe(404);
    expect(demo.emulator.store.count("flow-action")).toBe(before);
  });
});

describe("the demo flows' triggers", () => {
  it("start the Welcome Series from the Newsletter list", async () => {
    const newsletter = demo.emulator.demo?.lists.Newsletter;
    const flows = await demo.call("GET", `/api/lists/${newsletter}/flow-triggers`);
    expect(flows.body.data.map((f: { attributes: { name: string } }) => f.attributes.name)).toEqual(
      ["Welcome Series"],
    );
    const welcome = demo.emulator.demo?.flows["Welcome Series"];
    const read = await demo.call("GET", `/api/flows/${welcome}?additional-fields[flow]=definition`);
    expect(read.body.data.attributes.definition.triggers).toEqual([
      { type: "list", id: newsletter },
    ]);
    expect(read.body.data.attributes.definition.actions).toHaveLength(3);
  });
});

describe("update_flow_action and delete_flow_action", () => {
  it("changes an action within its type, and rewires the flow around a deleted one", async () => {
    const { flow } = await createFlow("Edited");
    const [wait, thanks, later] = actionsOf(flow.id) as [string, string, string];
    const patch = (id: string, def: unknown) =>
      demo.call(
        "PATCH",
        `/api/flow-actions/${id}`,
        demo.body("flow-action", { definition: def }, { id }),
      );
    const changed = await patch(later, {
      type: "time-delay",
      links: { next: null },
      data: { unit: "days", value: 5 },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.data.attributes.definition).toMatchObject({
      id: later,
      data: { unit: "days", value: 5 },
    });
    const retyped = await patch(later, { type: "send-sms", data: {} });
    expect(retyped.status).toBe(400);
    expect(retyped.body.errors[0].detail).toContain("'time-delay'");

    const renamed = await patch(thanks, {
      type: "send-email",
      links: { next: later },
      data: { message: { subject_line: "Thanks again" } },
    });
    expect(renamed.status).toBe(200);
    const message = demo.emulator.store.related("flow-action", thanks, "flow-messages")[0];
    expect(
      demo.emulator.store.get("flow-message", message ?? "")?.attributes.definition,
    ).toMatchObject({ name: "Thanks", subject_line: "Thanks again" });

    expect((await demo.call("DELETE", `/api/flow-actions/${thanks}`)).status).toBe(204);
    expect(demo.emulator.store.get("flow-message", message ?? "")).toBeUndefined();
    const read = await demo.call("GET", `/api/flows/${flow.id}?additional-fields[flow]=definition`);
    const actions = read.body.data.attributes.definition.actions;
    expect(actions.map((a: { id: string }) => a.id)).toEqual([wait, later]);
    expect(actions[0].links).toEqual({ next: later });

    expect((await demo.call("DELETE", `/api/flow-actions/${wait}`)).status).toBe(204);
    const entry = await demo.call(
      "GET",
      `/api/flows/${flow.id}?additional-fields[flow]=definition`,
    );
    expect(entry.body.data.attributes.definition.entry_action_id).toBe(later);
  });
});
