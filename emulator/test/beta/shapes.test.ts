/**
 * The beta revision: which requests are beta (`YYYY-MM-DD.pre`), routing by revision (the beta
 * table first, then the stable one; a beta-only path under a stable revision is Klaviyo's 404),
 * and the gatekeeping beta operations share with stable ones (scopes, rate limits).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isBetaRevision } from "../../beta/shapes.js";
import { type Emulator, startEmulator } from "../../emulator.js";
import { OPERATIONS as BETA_OPERATIONS } from "../../operations/beta/index.js";
import { api } from "../support.js";

const NOW = Date.UTC(2026, 10, 1, 12);
const BETA = { revision: "2026-07-15.pre" };

describe("isBetaRevision", () => {
  it("is a date with .pre, nothing else", () => {
    expect(isBetaRevision("2026-07-15.pre")).toBe(true);
    expect(isBetaRevision("2025-01-15.pre")).toBe(true);
    expect(isBetaRevision("2026-07-15")).toBe(false);
    expect(isBetaRevision("2026-07-15.pre.1")).toBe(false);
    expect(isBetaRevision(undefined)).toBe(false);
  });
});

describe("routing by revision", () => {
  let emulator: Emulator;
  let call: ReturnType<typeof api>;
  beforeAll(async () => {
    emulator = await startEmulator({ now: () => NOW });
    call = api(emulator);
  });
  afterAll(() => emulator.close());

  it("serves a beta-only path under a beta revision, and 404s it under a stable one", async () => {
    const beta = await call("GET", "/api/brand-colors", undefined, BETA);
    expect(beta.status).toBe(200);
    expect(beta.body.data.length).toBeGreaterThan(0);
    expect(beta.body.data[0].type).toBe("brand-color");
    const stable = await call("GET", "/api/brand-colors");
    expect(stable.status).toBe(404);
    expect(stable.body.errors[0]).toMatchObject({ status: 404, code: "not_found" });
    expect(stable.body.errors[0].detail).toContain("2026-07-15.pre");
  });

  it("serves stable operations under a beta revision too, in their stable shape", async () => {
    const lists = await call("GET", "/api/lists", undefined, BETA);
    expect(lists.status).toBe(200);
    expect(Object.keys(lists.body.data[0].attributes)).toContain("opt_in_process");
  });

  it("answers a shared path in the shape of the request's revision", async () => {
    const id = emulator.demo?.sentCampaignIds[0] ?? "";
    const stable = await call("GET", `/api/campaigns/${id}`);
    const beta = await call("GET", `/api/campaigns/${id}`, undefined, BETA);
    expect(stable.body.data.attributes.status).toBe("Sent");
    expect(stable.body.data.attributes.definition).toBeUndefined();
    expect(Object.keys(beta.body.data.attributes).sort()).toEqual([
      "created_at",
      "definition",
      "updated_at",
    ]);
    expect(beta.body.data.attributes.definition.name).toBe(stable.body.data.attributes.name);
    expect(beta.body.data.relationships).toHaveProperty("campaign-audiences");
  });

  it("checks the beta operation's scopes", async () => {
    const reader = api(emulator, emulator.issueKey(["campaigns:read"]));
    expect((await reader("GET", "/api/brand-colors", undefined, BETA)).status).toBe(403);
    const brands = api(emulator, emulator.issueKey(["brands:read"]));
    expect((await brands("GET", "/api/brand-colors", undefined, BETA)).status).toBe(200);
  });

  it("limits a beta operation by its own tier", async () => {
    const op = BETA_OPERATIONS.find((o) => o.id === "get_brand_colors_beta");
    const response = await call("GET", "/api/brand-colors", undefined, BETA);
    expect(response.headers.get("RateLimit-Limit")).toContain(String(op?.rateLimit.burst));
    const burst = op?.rateLimit.burst ?? 0;
    const key = api(emulator, emulator.issueKey(["brands:read"]));
    const statuses: number[] = [];
    for (let i = 0; i <= burst; i++) {
      statuses.push((await key("GET", "/api/brand-colors", undefined, BETA)).status);
    }
    expect(statuses.slice(0, burst).every((s) => s === 200)).toBe(true);
    expect(statuses[burst]).toBe(429);
  });
});
