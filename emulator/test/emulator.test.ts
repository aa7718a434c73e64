import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../emulator.js";
import type { FaultOptions } from "../faults.js";
import { api } from "./support.js";

const NOW = Date.UTC(2026, 10, 1, 12);

describe("emulator gatekeeping", () => {
  let emulator: Emulator;
  let call: ReturnType<typeof api>;
  beforeAll(async () => {
    emulator = await startEmulator({ now: () => NOW, rateLimits: false });
    call = api(emulator);
  });
  afterAll(() => emulator.close());

  it("401s without a key and with a wrong one, in Klaviyo's errors[] shape", async () => {
    const missing = await fetch(`${emulator.url}/api/lists`, {
      headers: { revision: "2026-07-15" },
    });
    expect(missing.status).toBe(401);
    const body = (await missing.json()) as { errors: Array<Record<string, unknown>> };
    expect(body.errors[0]).toMatchObject({ status: 401, code: "not_authenticated" });
    const wrong = await api(emulator, "pk_wrong")("GET", "/api/lists");
    expect(wrong.status).toBe(401);
    expect(wrong.body.errors[0].code).toBe("authentication_failed");
    expect(JSON.stringify(wrong.body)).not.toContain("pk_wrong");
  });

  it("403s a key without the operation's scope; write implies read", async () => {
    const listsOnly = api(emulator, emulator.issueKey(["lists:read"]));
    expect((await listsOnly("GET", "/api/lists")).status).toBe(200);
    const denied = await listsOnly("GET", "/api/profiles");
    expect(denied.status).toBe(403);
    expect(denied.body.errors[0].detail).toContain("profiles:read");
    const writer = api(emulator, emulator.issueKey(["profiles:write"]));
    expect((await writer("GET", "/api/profiles")).status).toBe(200);
  });

  it("answers 404 for unknown routes and ids, 405 for a wrong method", async () => {
    expect((await call("GET", "/api/nope")).status).toBe(404);
    expect((await call("GET", "/api/lists/%E0%A4%A")).status).toBe(404);
    const missing = await call("GET", "/api/lists/XXXXXX");
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0].code).toBe("not_found");
    const wrongMethod = await call("PUT", "/api/lists");
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toContain("GET");
  });

  it("415s a wrong content type and 400s malformed JSON and JSON:API", async () => {
    const text = await call("POST", "/api/lists", "name=x", { "Content-Type": "text/plain" });
    expect(text.status).toBe(415);
    const broken = await call("POST", "/api/lists", "{not json");
    expect(broken.status).toBe(400);
    expect(broken.body.errors[0].source).toEqual({ pointer: "/" });
    const wrongType = await call("POST", "/api/lists", {
      data: { type: "profile", attributes: { name: "x" } },
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.errors[0].source).toEqual({ pointer: "/data/type" });
    const noName = await call("POST", "/api/lists", { data: { type: "list", attributes: {} } });
    expect(noName.body.errors[0].source).toEqual({ pointer: "/data/attributes/name" });
  });

  it("requires the revision header", async () => {
    const response = await fetch(`${emulator.url}/api/lists`, {
      headers: { Authorization: `Klaviyo-API-Key ${emulator.apiKey}` },
    });
    expect(response.status).toBe(400);
  });

  it("409s a duplicate profile with meta.duplicate_profile_id", async () => {
    const email = "dupe.check@example.com";
    const first = await call("POST", "/api/profiles", {
      data: { type: "profile", attributes: { email } },
    });
    expect(first.status).toBe(201);
    const second = await call("POST", "/api/profiles", {
      data: { type: "profile", attributes: { email: email.toUpperCase() } },
    });
    expect(second.status).toBe(409);
    expect(second.body.errors[0].meta.duplicate_profile_id).toBe(first.body.data.id);
  });

  it("rejects unknown query parameters, naming them", async () => {
    const response = await call("GET", "/api/lists?colour=blue");
    expect(response.status).toBe(400);
    expect(response.body.errors[0].source).toEqual({ parameter: "colour" });
  });
});

describe("emulator query semantics", () => {
  let emulator: Emulator;
  let call: ReturnType<typeof api>;
  beforeAll(async () => {
    emulator = await startEmulator({ now: () => NOW, rateLimits: false });
    call = api(emulator);
  });
  afterAll(() => emulator.close());

  it("filters with allowed fields and operators, and 400s the rest with source.parameter", async () => {
    const profile = emulator.store.all("profile")[3];
    const email = String(profile?.attributes.email);
    const found = await call(
      "GET",
      `/api/profiles?filter=${encodeURIComponent(`equals(email,"${email}")`)}`,
    );
    expect(found.status).toBe(200);
    expect(found.body.data.map((p: { id: string }) => p.id)).toEqual([profile?.id]);
    const badOperator = await call(
      "GET",
      `/api/profiles?filter=${encodeURIComponent('contains(email,"x")')}`,
    );
    expect(badOperator.status).toBe(400);
    expect(badOperator.body.errors[0].source).toEqual({ parameter: "filter" });
    const badField = await call(
      "GET",
      `/api/profiles?filter=${encodeURIComponent('equals(shoe_size,"9")')}`,
    );
    expect(badField.status).toBe(400);
  });

  it("filters events by metric and datetime range", async () => {
    const metric = emulator.store.all("metric")[0];
    const since = new Date(NOW - 7 * 86_400_000).toISOString().replace(".000", "");
    const filter = `and(equals(metric_id,"${metric?.id}"),greater-or-equal(datetime,${since}))`;
    const response = await call(
      "GET",
      `/api/events?filter=${encodeURIComponent(filter)}&page[size]=200`,
    );
    expect(response.status).toBe(200);
    for (const event of response.body.data) {
      expect(event.relationships.metric.data.id).toBe(metric?.id);
      expect(Date.parse(event.attributes.datetime)).toBeGreaterThanOrEqual(Date.parse(since));
    }
  });

  it("sorts ascending and descending", async () => {
    const up = await call("GET", "/api/profiles?sort=created&page[size]=50");
    const down = await call("GET", "/api/profiles?sort=-created&page[size]=50");
    const created = (r: typeof up) =>
      r.body.data.map((p: { attributes: { created: string } }) => p.attributes.created);
    expect(created(up)).toEqual([...created(up)].sort());
    expect(created(down)).toEqual([...created(down)].sort().reverse());
    expect((await call("GET", "/api/profiles?sort=shoe_size")).status).toBe(400);
  });

  it("pages through a whole collection with opaque cursors, no duplicates or gaps", async () => {
    const seen: string[] = [];
    let next: string | undefined = `/api/profiles?page[size]=37`;
    let pages = 0;
    while (next) {
      const page = await call("GET", next);
      expect(page.status).toBe(200);
      seen.push(...page.body.data.map((p: { id: string }) => p.id));
      next = page.body.links.next
        ? new URL(page.body.links.next).pathname + new URL(page.body.links.next).search
        : undefined;
      pages++;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(emulator.store.all("profile").map((p) => p.id));
    expect(pages).toBe(Math.ceil(seen.length / 37));
    expect((await call("GET", "/api/profiles?page[size]=101")).status).toBe(400);
    // get_metrics pages by cursor at a fixed size (200); it takes no page[size].
    const sized = await call("GET", "/api/metrics?page[size]=5");
    expect(sized.status).toBe(400);
    expect(sized.body.errors[0].source).toEqual({ parameter: "page[size]" });
    expect((await call("GET", "/api/profiles?page[cursor]=garbage")).status).toBe(400);
  });

  it("applies sparse fieldsets, additional fields and include", async () => {
    const list = emulator.store.all("list")[0];
    const sparse = await call("GET", "/api/profiles?fields[profile]=email,first_name&page[size]=3");
    expect(Object.keys(sparse.body.data[0].attributes).sort()).toEqual(["email", "first_name"]);
    const plain = await call("GET", `/api/lists/${list?.id}`);
    expect(plain.body.data.attributes.profile_count).toBeUndefined();
    const counted = await call(
      "GET",
      `/api/lists/${list?.id}?additional-fields[list]=profile_count&include=tags`,
    );
    expect(counted.body.data.attributes.profile_count).toBe(
      emulator.store.related("list", list?.id ?? "", "profiles").length,
    );
    const tagIds = emulator.store.related("list", list?.id ?? "", "tags");
    expect((counted.body.included ?? []).map((t: { id: string }) => t.id).sort()).toEqual(
      [...tagIds].sort(),
    );
    expect((await call("GET", "/api/lists?include=profiles")).status).toBe(400);
  });

  it("keeps both sides of a relationship in step", async () => {
    const list = emulator.store.all("list")[1];
    const profile = emulator.store
      .all("profile")
      .find((p) => !emulator.store.related("profile", p.id, "lists").includes(list?.id ?? ""));
    emulator.store.link("list", list?.id ?? "", "profiles", [profile?.id ?? ""]);
    const lists = await call("GET", `/api/profiles/${profile?.id}/relationships/lists`);
    expect(lists.body.data).toContainEqual({ type: "list", id: list?.id });
    const removed = await call("DELETE", `/api/lists/${list?.id}/relationships/profiles`, {
      data: [{ type: "profile", id: profile?.id }],
    });
    expect(removed.status).toBe(204);
    const after = await call("GET", `/api/profiles/${profile?.id}/lists`);
    expect(after.body.data.map((l: { id: string }) => l.id)).not.toContain(list?.id);
  });
});

describe("emulator rate limits", () => {
  it("sends RateLimit headers, then a 429 with Retry-After and the throttled body", async () => {
    // 0.1: the 1 s burst window lasts 100 ms, ample for two back-to-back requests on a slow machine.
    const emulator = await startEmulator({ demoData: false, timeScale: 0.1 });
    try {
      const call = api(emulator);
      // get_accounts: 1/s burst, 15/m steady.
      const first = await call("GET", "/api/accounts");
      expect(first.status).toBe(200);
      expect(first.headers.get("ratelimit-limit")).toBeTruthy();
      expect(first.headers.get("ratelimit-remaining")).toBe("0");
      const second = await call("GET", "/api/accounts");
      expect(second.status).toBe(429);
      expect(Number(second.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(second.body.errors[0].code).toBe("throttled");
      await new Promise((r) => setTimeout(r, 150)); // past the scaled burst window
      expect((await call("GET", "/api/accounts")).status).toBe(200);
    } finally {
      await emulator.close();
    }
  });
});

describe("emulator time-scaled windows", () => {
  it("enforces the steady (60 s) window, scaled to well under a second", async () => {
    const emulator = await startEmulator({ demoData: false, timeScale: 0.02 });
    try {
      const call = api(emulator);
      // get_accounts allows 1 per second and 15 per minute: 20 ms and 1.2 s at this scale, so
      // 15 requests 25 ms apart fit the steady window even on a slow machine.
      const statuses: number[] = [];
      for (let i = 0; i < 16; i++) {
        statuses.push((await call("GET", "/api/accounts")).status);
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(statuses.slice(0, 15).every((s) => s === 200)).toBe(true);
      expect(statuses[15]).toBe(429);
      await new Promise((r) => setTimeout(r, 1_250));
      expect((await call("GET", "/api/accounts")).status).toBe(200);
    } finally {
      await emulator.close();
    }
  });
});

describe("emulator fault injection", () => {
  async function withFaults(
    faults: FaultOptions,
    run: (call: ReturnType<typeof api>) => Promise<void>,
  ) {
    const emulator = await startEmulator({ demoData: false, rateLimits: false, faults });
    try {
      await run(api(emulator));
    } finally {
      await emulator.close();
    }
  }

  it("is off by default", async () => {
    await withFaults({}, async (call) => {
      for (let i = 0; i < 20; i++) expect((await call("GET", "/api/lists")).status).toBe(200);
    });
  });

  it("injects 5xx errors, connection resets, malformed bodies and latency", async () => {
    await withFaults({ errorRate: 1, seed: 1 }, async (call) => {
      for (let i = 0; i < 6; i++)
        expect([500, 502, 503]).toContain((await call("GET", "/api/lists")).status);
    });
    await withFaults({ resetRate: 1, seed: 1 }, async (call) => {
      await expect(call("GET", "/api/lists")).rejects.toThrow();
    });
    await withFaults({ malformedRate: 1, seed: 1 }, async (call) => {
      await expect(call("GET", "/api/lists")).rejects.toThrow(SyntaxError);
    });
    await withFaults({ latencyMs: 60, seed: 1 }, async (call) => {
      const started = performance.now();
      expect((await call("GET", "/api/lists")).status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    });
  });

  it("limits faults to the named operations", async () => {
    await withFaults({ errorRate: 1, seed: 1, operations: ["get_profiles"] }, async (call) => {
      expect((await call("GET", "/api/lists")).status).toBe(200);
      expect((await call("GET", "/api/profiles")).status).toBeGreaterThanOrEqual(500);
    });
  });
});

describe("emulator updates", () => {
  it("merges nested objects field by field, and replaces a segment's definition whole", async () => {
    const emulator = await startEmulator({ now: () => NOW, rateLimits: false });
    try {
      const call = api(emulator);
      const messageId = emulator.demo?.campaignMessageIds[0] ?? "";
      const before = await call("GET", `/api/campaign-messages/${messageId}`);
      const content = before.body.data.attributes.definition.content;
      const patched = await call("PATCH", `/api/campaign-messages/${messageId}`, {
        data: {
          type: "campaign-message",
          id: messageId,
          attributes: { definition: { channel: "email", content: { subject: "New subject" } } },
        },
      });
      expect(patched.status).toBe(200);
      expect(patched.body.data.attributes.definition.content).toEqual({
        ...content,
        subject: "New subject",
      });

      const segmentId = emulator.demo?.segmentIds[0] ?? "";
      const definition = {
        condition_groups: [{ conditions: [{ type: "profile-property", property: "x" }] }],
      };
      const segment = await call("PATCH", `/api/segments/${segmentId}`, {
        data: { type: "segment", id: segmentId, attributes: { definition } },
      });
      expect(segment.body.data.attributes.definition).toEqual(definition);
    } finally {
      await emulator.close();
    }
  });
});
