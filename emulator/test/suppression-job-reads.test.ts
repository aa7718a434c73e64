import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../emulator.js";
import { api } from "./support.js";

describe("reading suppress and unsuppress jobs", () => {
  let emulator: Emulator;
  let call: ReturnType<typeof api>;
  beforeAll(async () => {
    emulator = await startEmulator({
      now: () => Date.UTC(2026, 9, 1, 12),
      rateLimits: false,
      jobDurationMs: 0,
    });
    call = api(emulator);
  });
  afterAll(() => emulator.close());

  it("shows the list and segment a job covered, and filters and sorts by them", async () => {
    const list = emulator.demo?.lists["Internal Test List"] ?? "";
    const jobs = await call(
      "GET",
      `/api/profile-suppression-bulk-create-jobs?filter=${encodeURIComponent(`equals(list_id,"${list}")`)}`,
    );
    expect(jobs.body.data).toHaveLength(1);
    const job = jobs.body.data[0];
    expect(job.relationships.lists.data).toEqual([{ type: "list", id: list }]);
    const segment = job.relationships.segments.data[0].id;
    const bySegment = await call(
      "GET",
      `/api/profile-suppression-bulk-delete-jobs?filter=${encodeURIComponent(`equals(segment_id,"${segment}")`)}`,
    );
    expect(bySegment.body.data).toHaveLength(1);
    expect(bySegment.body.data[0].attributes.total_count).toBe(job.attributes.total_count);
    const one = await call("GET", `/api/profile-suppression-bulk-create-jobs/${job.id}`);
    expect(one.body.data.relationships.segments.data).toEqual([{ type: "segment", id: segment }]);

    // A job made now lists first with -created.
    const made = await call("POST", "/api/profile-suppression-bulk-create-jobs", {
      data: {
        type: "profile-suppression-bulk-create-job",
        attributes: {
          profiles: { data: [{ type: "profile", attributes: { email: "new.one@example.com" } }] },
        },
      },
    });
    expect(made.status).toBe(202);
    const newest = await call("GET", "/api/profile-suppression-bulk-create-jobs?sort=-created");
    expect(newest.body.data[0].id).toBe(made.body.data.id);
    expect(newest.body.data[0].relationships.lists.data).toEqual([]);
    const oldest = await call("GET", "/api/profile-suppression-bulk-create-jobs?sort=created");
    expect(oldest.body.data.at(-1).id).toBe(made.body.data.id);
  });
});
