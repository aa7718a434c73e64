/** The beta's jobs: exports that complete with a download, and template preview sends. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../../emulator.js";
import { api } from "../../support.js";

const BETA = { revision: "2026-07-15.pre" };

describe("beta exports and preview sends", () => {
  let now = Date.UTC(2026, 10, 1, 12);
  let emulator: Emulator;
  let call: ReturnType<typeof api>;
  const beta = (method: string, path: string, body?: unknown) => call(method, path, body, BETA);
  beforeAll(async () => {
    emulator = await startEmulator({ now: () => now, rateLimits: false, jobDurationMs: 1000 });
    call = api(emulator);
  });
  afterAll(() => emulator.close());

  it("exports a list's profiles: processing, then complete with a file to download", async () => {
    const created = await beta("POST", "/api/profile-bulk-export-jobs", {
      data: {
        type: "profile-bulk-export-job",
        attributes: { properties: ["email"] },
        relationships: { list: { data: { type: "list", id: emulator.demo?.listIds[0] } } },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.data.attributes.status).toBe("processing");
    const id = created.body.data.id;
    const pending = await beta("GET", `/api/profile-bulk-export-jobs/${id}/download`);
    expect(pending.body.data).toBeNull();
    now += 2000;
    const job = await beta("GET", `/api/profile-bulk-export-jobs/${id}`);
    expect(job.body.data.attributes.status).toBe("complete");
    expect(Date.parse(job.body.data.attributes.result.expires_at)).toBeGreaterThan(now);
    const download = await beta("GET", `/api/profile-bulk-export-jobs/${id}/download`);
    expect(download.body.data).toMatchObject({ type: "download" });
    expect(download.body.data.links.self).toContain(id);
  });

  it("wants exactly one group for a profile export, and an ordered range for events", async () => {
    const none = await beta("POST", "/api/profile-bulk-export-jobs", {
      data: { type: "profile-bulk-export-job", attributes: {} },
    });
    expect(none.status).toBe(400);
    const backwards = await beta("POST", "/api/event-bulk-export-jobs", {
      data: {
        type: "event-bulk-export-job",
        attributes: { start_date: "2026-10-01T00:00:00Z", end_date: "2026-09-01T00:00:00Z" },
        relationships: {
          metric: { data: { type: "metric", id: emulator.demo?.metricIds["Placed Order"] } },
        },
      },
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors[0].source.pointer).toBe("/data/attributes/end_date");
  });

  it("verifies a sending domain's records before it can be activated", async () => {
    const domain = await beta("POST", "/api/sending-domains", {
      data: { type: "sending-domain", attributes: { domain: "deals.example.com" } },
    });
    expect(domain.body.data.attributes).toMatchObject({ status: "pending", purpose: "marketing" });
    const link = {
      "sending-domain": { data: { type: "sending-domain", id: domain.body.data.id } },
    };
    const early = await beta("POST", "/api/sending-domain-activation-jobs", {
      data: { type: "sending-domain-activation-job", attributes: {}, relationships: link },
    });
    expect(early.status).toBe(400);
    const verified = await beta("POST", "/api/sending-domain-verification-jobs", {
      data: { type: "sending-domain-verification-job", relationships: link },
    });
    expect(verified.status).toBe(202);
    expect(verified.body.data.attributes.verification_state).toBe("verified");
    const active = await beta("POST", "/api/sending-domain-activation-jobs", {
      data: { type: "sending-domain-activation-job", attributes: {}, relationships: link },
    });
    expect(active.status).toBe(202);
    const read = await beta("GET", `/api/sending-domains/${domain.body.data.id}`);
    expect(read.body.data.attributes.status).toBe("active");
  });

  it("queues a template preview send to valid addresses only", async () => {
    const template = {
      template: { data: { type: "template", id: emulator.demo?.templateIds[0] } },
    };
    const bad = await beta("POST", "/api/template-preview-send-jobs", {
      data: {
        type: "template-preview-send-job",
        attributes: { recipients: ["not-an-email"] },
        relationships: template,
      },
    });
    expect(bad.status).toBe(400);
    const sent = await beta("POST", "/api/template-preview-send-jobs", {
      data: {
        type: "template-preview-send-job",
        attributes: { recipients: ["qa@example.com"] },
        relationships: template,
      },
    });
    expect(sent.status).toBe(202);
    expect(sent.body.data.attributes.status).toBe("queued");
  });
});
