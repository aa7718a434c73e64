import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../emulator.js";
import { api } from "./support.js";

describe("push tokens", () => {
  let emulator: Emulator;
  let call: ReturnType<typeof api>;
  let now = Date.UTC(2026, 6, 1, 12);
  beforeAll(async () => {
    emulator = await startEmulator({ demoData: false, rateLimits: false, now: () => now });
    call = api(emulator);
  });
  afterAll(() => emulator.close());

  const register = (attributes: Record<string, unknown>) =>
    call("POST", "/api/push-tokens", {
      data: {
        type: "push-token",
        attributes: {
          token: "abc123",
          platform: "ios",
          vendor: "apns",
          profile: { data: { type: "profile", attributes: { email: "app.user@example.com" } } },
          ...attributes,
        },
      },
    });

  it("records a token, and a registration again updates its state and recorded date", async () => {
    expect((await register({})).status).toBe(202);
    const [token] = (await call("GET", "/api/push-tokens")).body.data;
    expect(token.attributes).toMatchObject({
      created: "2026-07-01T12:00:00+00:00",
      recorded_date: "2026-07-01T12:00:00+00:00",
      enablement_status: "AUTHORIZED",
      background: "AVAILABLE",
    });
    now += 60_000;
    await register({ enablement_status: "DENIED", background: null });
    const [again, ...others] = (await call("GET", "/api/push-tokens")).body.data;
    expect(others).toEqual([]);
    expect(again.attributes).toMatchObject({
      created: "2026-07-01T12:00:00+00:00",
      recorded_date: "2026-07-01T12:01:00+00:00",
      enablement_status: "DENIED",
      background: "AVAILABLE",
    });
    expect((await call("DELETE", `/api/push-tokens/${again.id}`)).status).toBe(204);
    const profile = again.relationships.profile.data.id;
    expect((await call("GET", `/api/profiles/${profile}/push-tokens`)).body.data).toEqual([]);
  });
});
