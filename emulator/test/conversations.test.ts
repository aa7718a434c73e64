import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../emulator.js";
import { api } from "./support.js";

describe("a profile's conversations", () => {
  let emulator: Emulator;
  let call: ReturnType<typeof api>;
  beforeAll(async () => {
    emulator = await startEmulator({ now: () => Date.UTC(2026, 9, 1, 12), rateLimits: false });
    call = api(emulator);
  });
  afterAll(() => emulator.close());

  /** The seeded profile with conversations on `count` channels. */
  const profileWith = (count: number) =>
    emulator.store
      .all("profile")
      .find((p) => emulator.store.related("profile", p.id, "conversations").length === count)?.id ??
    "";

  it("lists every channel's conversation; the conversation is the SMS one", async () => {
    const profile = profileWith(2);
    const all = await call("GET", `/api/profiles/${profile}/conversations`);
    expect(
      all.body.data.map((c: { attributes: { channel: string } }) => c.attributes.channel),
    ).toEqual(["sms", "whatsapp"]);
    expect(all.body.data[0].relationships.profile.data).toEqual({ type: "profile", id: profile });
    const one = await call("GET", `/api/profiles/${profile}/conversation`);
    expect(one.body.data).toMatchObject({
      id: all.body.data[0].id,
      attributes: { channel: "sms" },
    });
    const id = await call("GET", `/api/profiles/${profile}/relationships/conversation`);
    expect(id.body.data).toEqual({ type: "conversation", id: all.body.data[0].id });
    const ids = await call("GET", `/api/profiles/${profile}/relationships/conversations`);
    expect(ids.body.data.map((c: { id: string }) => c.id)).toEqual(
      all.body.data.map((c: { id: string }) => c.id),
    );
  });

  it("answers null for a profile without one, 404 for no profile", async () => {
    const profile = profileWith(0);
    expect((await call("GET", `/api/profiles/${profile}/conversation`)).body.data).toBeNull();
    expect(
      (await call("GET", `/api/profiles/${profile}/relationships/conversation`)).body.data,
    ).toBeNull();
    expect((await call("GET", `/api/profiles/${profile}/conversations`)).body.data).toEqual([]);
    expect((await call("GET", "/api/profiles/01NOPE/conversation")).status).toBe(404);
  });
});
