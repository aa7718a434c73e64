/**
 * The beta's campaigns are the stored ones: a stable campaign read in the beta shape, beta
 * writes seen by stable reads, and a campaign's primary audience and variation following the
 * stable audiences and message content.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../emulator.js";
import { api } from "../support.js";

const NOW = Date.UTC(2026, 10, 1, 12);
const BETA = { revision: "2026-07-15.pre" };

describe("beta campaigns over the stored ones", () => {
  let emulator: Emulator;
  let call: ReturnType<typeof api>;
  const beta = (method: string, path: string, body?: unknown) => call(method, path, body, BETA);
  beforeAll(async () => {
    emulator = await startEmulator({ now: () => NOW, rateLimits: false });
    call = api(emulator);
  });
  afterAll(() => emulator.close());

  it("shows a stable campaign's message in the beta shape, with its status and content", async () => {
    const id = emulator.demo?.sentCampaignIds[0] ?? "";
    const messages = await beta("GET", `/api/campaigns/${id}/campaign-messages`);
    expect(messages.status).toBe(200);
    const message = messages.body.data[0];
    expect(message.attributes.definition.status).toBe("sent");
    const stable = await call("GET", `/api/campaign-messages/${message.id}`);
    expect(message.attributes.definition.name).toBe(stable.body.data.attributes.definition.label);
    const variations = await beta(
      "GET",
      `/api/campaign-messages/${message.id}/campaign-variations`,
    );
    expect(variations.body.data[0].attributes.definition.details).toMatchObject({
      channel: "email",
      subject: stable.body.data.attributes.definition.content.subject,
    });
  });

  it("writes a beta update onto the campaign stable reads see", async () => {
    const id = emulator.demo?.draftCampaignIds[0] ?? "";
    const patched = await beta("PATCH", `/api/campaigns/${id}`, {
      data: {
        type: "campaign",
        id,
        attributes: { definition: { name: "Renamed in beta", color: "ff5733" } },
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.data.attributes.definition).toMatchObject({
      name: "Renamed in beta",
      color: "ff5733",
    });
    const stable = await call("GET", `/api/campaigns/${id}`);
    expect(stable.body.data.attributes.name).toBe("Renamed in beta");
    expect(stable.body.data.attributes).not.toHaveProperty("color");
  });

  it("creates a campaign with its audience, message and variation, seen by stable reads", async () => {
    const listId = emulator.demo?.listIds[0];
    const created = await beta("POST", "/api/campaigns", {
      data: {
        type: "campaign",
        attributes: {
          definition: { name: "Beta-built campaign" },
          audiences: [{ temporary_id: "main", included: [listId] }],
          messages: [
            {
              audience_temporary_id: "main",
              name: "Beta email",
              variations: [
                { definition: { details: { channel: "email", subject: "Built in beta" } } },
              ],
            },
          ],
        },
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    const stable = await call("GET", `/api/campaigns/${id}?include=campaign-messages`);
    expect(stable.body.data.attributes).toMatchObject({
      name: "Beta-built campaign",
      status: "Draft",
      audiences: { included: [listId], excluded: [] },
    });
    expect(stable.body.included[0].attributes.definition).toMatchObject({
      channel: "email",
      label: "Beta email",
      content: { subject: "Built in beta" },
    });
    const audiences = await beta("GET", `/api/campaigns/${id}/campaign-audiences`);
    expect(audiences.body.data).toHaveLength(1);
    expect(audiences.body.data[0].attributes.definition.included).toEqual([listId]);
  });

  it("follows stable audience changes in the primary audience, and writes them back", async () => {
    const id = emulator.demo?.draftCampaignIds[1] ?? "";
    const segment = emulator.demo?.segmentIds[0];
    const [audience] = (await beta("GET", `/api/campaigns/${id}/campaign-audiences`)).body.data;
    const patched = await beta("PATCH", `/api/campaign-audiences/${audience.id}`, {
      data: {
        type: "campaign-audience",
        id: audience.id,
        attributes: { definition: { excluded: [segment] } },
      },
    });
    expect(patched.body.data.attributes.definition.excluded).toEqual([segment]);
    const stable = await call("GET", `/api/campaigns/${id}`);
    expect(stable.body.data.attributes.audiences.excluded).toEqual([segment]);
  });

  it("schedules a draft message and reverts it, the stable campaign following", async () => {
    const id = emulator.demo?.draftCampaignIds[0] ?? "";
    const message = emulator.store.related("campaign", id, "campaign-messages")[0];
    const scheduled = await beta("POST", "/api/campaign-message-schedule", {
      data: {
        type: "campaign-message-schedule",
        attributes: { strategy: "static", send_time: "2026-11-05T15:00:00+00:00" },
        relationships: { "campaign-message": { data: { type: "campaign-message", id: message } } },
      },
    });
    expect(scheduled.status).toBe(201);
    expect((await call("GET", `/api/campaigns/${id}`)).body.data.attributes.status).toBe(
      "Scheduled",
    );
    const reverted = await beta(
      "PATCH",
      `/api/campaign-message-schedule/${scheduled.body.data.id}`,
      {
        data: {
          type: "campaign-message-schedule",
          id: scheduled.body.data.id,
          attributes: { action: "revert" },
        },
      },
    );
    expect(reverted.status).toBe(204);
    expect((await call("GET", `/api/campaigns/${id}`)).body.data.attributes.status).toBe("Draft");
    // The schedule shares the message's id: ending it must not cut the message's beta links.
    const audiences = emulator.store.related("campaign", id, "campaign-audiences");
    for (const audience of audiences) {
      expect(emulator.store.related("campaign-audience", audience, "campaign-messages")).toContain(
        message,
      );
    }
    expect(audiences.length).toBeGreaterThan(0);
  });

  it("clones a campaign with its messages as drafts", async () => {
    const id = emulator.demo?.sentCampaignIds[1] ?? "";
    const clone = await beta("POST", "/api/campaign-clone", {
      data: { type: "campaign", id, attributes: { name: "Encore" } },
    });
    expect(clone.status).toBe(201);
    expect(clone.body.data.attributes.definition.name).toBe("Encore");
    const messages = await beta("GET", `/api/campaigns/${clone.body.data.id}/campaign-messages`);
    expect(messages.body.data).toHaveLength(1);
    expect(messages.body.data[0].attributes.definition.status).toBe("draft");
    expect(
      (await call("GET", `/api/campaigns/${clone.body.data.id}`)).body.data.attributes.status,
    ).toBe("Draft");
  });
});
