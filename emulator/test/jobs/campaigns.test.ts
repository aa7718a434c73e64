import { describe, expect, it } from "vitest";
import {
  advance,
  call,
  DURATION,
  emulator,
  get,
  lifecycle,
  post,
  useJobEmulator,
} from "./harness.js";

useJobEmulator();

describe("campaign send jobs", () => {
  const draft = (name: string) =>
    emulator.store.insert("campaign", {
      name,
      status: "Draft",
      archived: false,
      audiences: { included: ["LIST01"], excluded: [] },
      send_time: null,
    }).id;
  const send = (id: string) =>
    post("/api/campaign-send-jobs", { data: { type: "campaign-send-job", id } });
  const campaignStatus = async (id: string) =>
    (await get(`/api/campaigns/${id}`)).body.data.attributes;

  it("sends a draft: Sending at once, Sent when the job completes", async () => {
    const id = draft("Launch");
    const sent = await send(id);
    expect(sent.status).toBe(202);
    expect(sent.body.data).toMatchObject({
      type: "campaign-send-job",
      id,
      attributes: { status: "queued" },
    });
    expect(sent.body.data.links.self).toBe(`${emulator.url}/api/campaign-send-jobs/${id}/`);
    expect((await campaignStatus(id)).status).toBe("Sending");
    await lifecycle("/api/campaign-send-jobs", id);
    const after = await campaignStatus(id);
    expect(after.status).toBe("Sent");
    expect(after.send_time).toMatch(/^2026-/);

    const again = await send(id);
    expect(again.status).toBe(400);
    expect(again.body.errors[0].detail).toContain("'Sent'");
    const cancelSent = await call("PATCH", `/api/campaign-send-jobs/${id}`, {
      data: { type: "campaign-send-job", id, attributes: { action: "cancel" } },
    });
    expect(cancelSent.status).toBe(400);
  });

  it("cancels or reverts a send in flight", async () => {
    const cancelled = draft("Cancel me");
    await send(cancelled);
    const patch = (id: string, action: unknown) =>
      call("PATCH", `/api/campaign-send-jobs/${id}`, {
        data: { type: "campaign-send-job", id, attributes: { action } },
      });
    const bad = await patch(cancelled, "stop");
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].source.pointer).toBe("/data/attributes/action");
    const cancel = await patch(cancelled, "cancel");
    expect(cancel.status).toBe(204);
    expect((await campaignStatus(cancelled)).status).toBe("Cancelled");
    advance(DURATION);
    expect((await get(`/api/campaign-send-jobs/${cancelled}`)).body.data.attributes.status).toBe(
      "cancelled",
    );
    expect((await campaignStatus(cancelled)).status).toBe("Cancelled");

    const reverted = draft("Revert me");
    await send(reverted);
    expect((await patch(reverted, "revert")).status).toBe(204);
    expect((await campaignStatus(reverted)).status).toBe("Draft");
    // A reverted campaign can be sent again; the stale job doesn't complete the new one early.
    advance(DURATION / 4);
    expect((await send(reverted)).status).toBe(202);
    advance((DURATION * 3) / 4);
    expect((await get(`/api/campaign-send-jobs/${reverted}`)).body.data.attributes.status).not.toBe(
      "complete",
    );
    expect((await campaignStatus(reverted)).status).toBe("Sending");
    advance(DURATION / 4);
    expect((await campaignStatus(reverted)).status).toBe("Sent");
  });

  it("404s unknown campaigns and jobs", async () => {
    const unknown = await send("01NOSUCHCAMPAIGN000000000");
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0].source.pointer).toBe("/data/id");
    const patch = await call("PATCH", "/api/campaign-send-jobs/01NOSUCHCAMPAIGN000000000", {
      data: {
        type: "campaign-send-job",
        id: "01NOSUCHCAMPAIGN000000000",
        attributes: { action: "cancel" },
      },
    });
    expect(patch.status).toBe(404);
    const missingId = await post("/api/campaign-send-jobs", {
      data: { type: "campaign-send-job" },
    });
    expect(missingId.status).toBe(400);
    expect(missingId.body.errors[0].source.pointer).toBe("/data/id");
  });
});
