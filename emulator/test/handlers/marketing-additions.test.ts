/**
 * The small handlers of the added operations: storefront geofences and the egress allowlist,
 * server-side back in stock subscriptions, conversation replies; and list membership through
 * add_profiles_to_list (the generic relationship write: members, no consent change).
 */
import { describe, expect, it } from "vitest";
import { useDemo } from "./demo.js";

const demo = useDemo();

const client = (path: string) =>
  demo.call("GET", `${path}${path.includes("?") ? "&" : "?"}company_id=${demo.emulator.publicKey}`);

describe("storefront settings", () => {
  it("lists the stores' geofences", async () => {
    const listed = await client("/client/geofences");
    expect(listed.status).toBe(200);
    expect(listed.body.data).toHaveLength(3);
    expect(listed.body.data[0].attributes).toEqual({
      latitude: 44.4759,
      longitude: -73.2121,
      radius: 200,
    });
  });

  it("serves the one egress allowlist, at its fixed id only", async () => {
    const allowlist = await client("/client/ip-allowlists/integration-egress");
    expect(allowlist.status).toBe(200);
    expect(allowlist.body.data.id).toBe("integration-egress");
    expect(allowlist.body.data.attributes.prefixes).toContain("34.74.90.64/28");
    expect(allowlist.body.data.links.self).toContain("/client/ip-allowlists/integration-egress/");
    expect((await client("/client/ip-allowlists/other")).status).toBe(404);
  });
});

describe("create_back_in_stock_subscription", () => {
  it("subscribes the profile, recorded as its Subscribed to Back in Stock event", async () => {
    const variant = demo.emulator.demo?.catalogVariantIds[4] as string;
    const subscribed = await demo.call(
      "POST",
      "/api/back-in-stock-subscriptions",
      demo.body(
        "back-in-stock-subscription",
        {
          channels: ["EMAIL", "SMS"],
          profile: { data: { type: "profile", attributes: { email: "waiting@example.com" } } },
        },
        { relationships: { variant: { data: { type: "catalog-variant", id: variant } } } },
      ),
    );
    expect(subscribed.status).toBe(202);
    await demo.call("GET", "/api/accounts");
    const { store } = demo.emulator;
    const profile = store.all("profile").find((p) => p.attributes.email === "waiting@example.com");
    const event = store
      .all("event")
      .find((e) => store.relatedOne("event", e.id, "profile") === profile?.id);
    expect(event?.attributes.event_properties).toEqual({
      "Catalog Variant": variant,
      channels: ["EMAIL", "SMS"],
    });
  });
});

describe("create_conversation_message", () => {
  it("keeps the reply with its conversation, and refuses an unknown one", async () => {
    const { store } = demo.emulator;
    const conversation = store.all("conversation")[0]?.id;
    expect(conversation).toBeDefined();
    const reply = (id: string) =>
      demo.call(
        "POST",
        "/api/conversation-messages",
        demo.body(
          "conversation-message",
          { body: "Your order ships tomorrow." },
          { relationships: { conversation: { data: { type: "conversation", id } } } },
        ),
      );
    expect((await reply(conversation as string)).status).toBe(202);
    const kept = store.related("conversation", conversation as string, "messages");
    expect(store.get("conversation-message", kept.at(-1) ?? "")?.attributes).toMatchObject({
      body: "Your order ships tomorrow.",
      direction: "outbound",
    });
    const unknown = await reply("nope");
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0].source.pointer).toBe("/data/relationships/conversation/data/id");
  });
});

describe("add_profiles_to_list", () => {
  it("makes the profiles members without touching their consent", async () => {
    const { store } = demo.emulator;
    const internal = demo.emulator.demo?.lists["Internal Test List"] as string;
    const outsiders = (demo.emulator.demo?.profileIds ?? [])
      .filter((id) => !store.related("list", internal, "profiles").includes(id))
      .slice(0, 2);
    const consent = outsiders.map((id) =>
      JSON.stringify(store.get("profile", id)?.attributes.subscriptions),
    );
    const added = await demo.call("POST", `/api/lists/${internal}/relationships/profiles`, {
      data: outsiders.map((id) => ({ type: "profile", id })),
    });
    expect(added.status).toBe(204);
    const members = await demo.call(
      "GET",
      `/api/lists/${internal}/relationships/profiles?page[size]=100`,
    );
    const ids = members.body.data.map((m: { id: string }) => m.id);
    for (const id of outsiders) expect(ids).toContain(id);
    expect(
      outsiders.map((id) => JSON.stringify(store.get("profile", id)?.attributes.subscriptions)),
    ).toEqual(consent);
  });
});
