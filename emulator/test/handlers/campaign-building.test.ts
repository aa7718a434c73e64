/** Creating, cloning and templating campaigns, and refreshing their recipient estimates. */
import { describe, expect, it } from "vitest";
import { useDemo } from "./demo.js";

const demo = useDemo();

const email = (name: string, audiences: unknown, extra: Record<string, unknown> = {}) =>
  demo.body("campaign", {
    name,
    audiences,
    "campaign-messages": {
      data: [
        {
          type: "campaign-message",
          attributes: {
            definition: { channel: "email", content: { subject: `${name}: subject` } },
          },
        },
      ],
    },
    ...extra,
  });

async function createCampaign(name: string) {
  const newsletter = demo.emulator.demo?.lists.Newsletter;
  const created = await demo.call(
    "POST",
    "/api/campaigns",
    email(name, { included: [newsletter] }),
  );
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.data;
}

const messageOf = (campaignId: string) =>
  demo.emulator.store.related("campaign", campaignId, "campaign-messages")[0] as string;

describe("create_campaign", () => {
  it("stores a draft with its message, filled in with the account's sender", async () => {
    const campaign = await createCampaign("Autumn Trail Picks");
    expect(campaign.attributes).toMatchObject({
      name: "Autumn Trail Picks",
      status: "Draft",
      archived: false,
      send_strategy: { method: "immediate" },
      send_options: { use_smart_sending: true },
      scheduled_at: null,
      send_time: null,
    });
    const listed = await demo.call(
      "GET",
      `/api/campaigns?filter=${encodeURIComponent('equals(messages.channel,"email")')}&page[size]=50`,
    );
    expect(listed.body.data.map((c: { id: string }) => c.id)).toContain(campaign.id);
    const message = await demo.call("GET", `/api/campaign-messages/${messageOf(campaign.id)}`);
    expect(message.body.data.attributes.definition).toEqual({
      channel: "email",
      label: "Autumn Trail Picks",
      content: {
        subject: "Autumn Trail Picks: subject",
        preview_text: null,
        from_email: "hello@juniperandpine.example.com",
        from_label: "Juniper & Pine",
        reply_to_email: null,
        cc_email: null,
        bcc_email: null,
      },
    });
    expect(message.body.data.relationships.campaign.data.id).toBe(campaign.id);
  });

  it("refuses an audience that is no list or segment, and a missing message", async () => {
    const bad = await demo.call("POST", "/api/campaigns", email("Nope", { included: ["XXXXXX"] }));
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].source.pointer).toBe("/data/attributes/audiences/included/0");
    const noMessage = await demo.call(
      "POST",
      "/api/campaigns",
      demo.body("campaign", {
        name: "No message",
        audiences: { included: [demo.emulator.demo?.listIds[0]] },
        "campaign-messages": { data: [] },
      }),
    );
    expect(noMessage.status).toBe(400);
    expect(noMessage.body.errors[0].source.pointer).toBe("/data/attributes/campaign-messages/data");
  });
});

describe("create_campaign_clone", () => {
  it("copies the campaign and its message under new ids, with a copy of the template", async () => {
    const store = demo.emulator.store;
    const original = demo.emulator.demo?.sentCampaignIds[0] as string;
    const clone = await demo.call(
      "POST",
      "/api/campaign-clone",
      demo.body("campaign", {}, { id: original }),
    );
    expect(clone.status).toBe(201);
    const name = store.get("campaign", original)?.attributes.name;
    expect(clone.body.data.attributes).toMatchObject({
      name: `${name} (Clone)`,
      status: "Draft",
      send_time: null,
    });
    const copy = messageOf(clone.body.data.id);
    // The answer names the new message, as Klaviyo's does: the next call needs its id.
    expect(clone.body.data.relationships["campaign-messages"].data).toEqual([
      { type: "campaign-message", id: copy },
    ]);
    expect(copy).not.toBe(messageOf(original));
    expect(store.get("campaign-message", copy)?.attributes.definition).toEqual(
      store.get("campaign-message", messageOf(original))?.attributes.definition,
    );
    const template = (id: string) => store.relatedOne("campaign-message", id, "template") as string;
    expect(template(copy)).not.toBe(template(messageOf(original)));
    expect(store.get("template", template(copy))?.attributes.html).toBe(
      store.get("template", template(messageOf(original)))?.attributes.html,
    );

    const named = await demo.call(
      "POST",
      "/api/campaign-clone",
      demo.body("campaign", { new_name: "Resend" }, { id: original }),
    );
    expect(named.body.data.attributes.name).toBe("Resend");
    const missing = await demo.call(
      "POST",
      "/api/campaign-clone",
      demo.body("campaign", {}, { id: "nope" }),
    );
    expect(missing.status).toBe(404);
  });
});

describe("assign_template_to_campaign_message", () => {
  it("links a non-reusable copy of the template and answers the message", async () => {
    const campaign = await createCampaign("Templated");
    const message = messageOf(campaign.id);
    const source = demo.emulator.demo?.templateIds.at(-1) as string;
    const assign = (id: string, template: string) =>
      demo.call(
        "POST",
        "/api/campaign-message-assign-template",
        demo.body(
          "campaign-message",
          {},
          { id, relationships: { template: { data: { type: "template", id: template } } } },
        ),
      );
    const assigned = await assign(message, source);
    expect(assigned.status).toBe(200);
    expect(assigned.body.data.attributes).toMatchObject({
      label: "Templated",
      channel: "email",
      content: { subject: "Templated: subject" },
    });
    const linked = assigned.body.data.relationships.template.data.id;
    expect(linked).not.toBe(source);
    const read = await demo.call("GET", `/api/campaign-messages/${message}/template`);
    expect(read.body.data.id).toBe(linked);
    expect(read.body.data.attributes.html).toBe(
      demo.emulator.store.get("template", source)?.attributes.html,
    );

    const sent = messageOf(demo.emulator.demo?.sentCampaignIds[0] as string);
    const refused = await assign(sent, source);
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].detail).toContain("'Sent'");
    expect((await assign(message, "nope")).status).toBe(404);
  });
});

describe("refresh_campaign_recipient_estimation", () => {
  it("queues a job whose result get_campaign_recipient_estimation answers", async () => {
    const campaign = await createCampaign("Estimated");
    const store = demo.emulator.store;
    const newsletter = demo.emulator.demo?.lists.Newsletter as string;
    const reachable = store.related("list", newsletter, "profiles").filter((id) => {
      const subscriptions = store.get("profile", id)?.attributes.subscriptions as {
        email: { marketing: { can_receive_email_marketing: boolean } };
      };
      return subscriptions.email.marketing.can_receive_email_marketing;
    });
    expect(reachable.length).toBeGreaterThan(10);
    const job = await demo.call(
      "POST",
      "/api/campaign-recipient-estimation-jobs",
      demo.body("campaign-recipient-estimation-job", {}, { id: campaign.id }),
    );
    expect(job.status).toBe(202);
    expect(job.body.data).toMatchObject({ id: campaign.id, attributes: { status: "queued" } });
    const estimate = await demo.call("GET", `/api/campaign-recipient-estimations/${campaign.id}`);
    expect(estimate.body.data.attributes.estimated_recipient_count).toBe(reachable.length);
    const done = await demo.call("GET", `/api/campaign-recipient-estimation-jobs/${campaign.id}`);
    expect(done.body.data.attributes.status).toBe("complete");
  });
});

describe("a campaign message's image", () => {
  it("is set through the relationship and read back", async () => {
    const campaign = await createCampaign("With image");
    const message = messageOf(campaign.id);
    expect(
      (await demo.call("GET", `/api/campaign-messages/${message}/image`)).body.data,
    ).toBeNull();
    const image = demo.emulator.demo?.imageIds[2] as string;
    const patched = await demo.call(
      "PATCH",
      `/api/campaign-messages/${message}/relationships/image`,
      { data: { type: "image", id: image } },
    );
    expect(patched.status).toBe(204);
    const read = await demo.call("GET", `/api/campaign-messages/${message}/image`);
    expect(read.body.data).toMatchObject({ type: "image", id: image });
    const ids = await demo.call("GET", `/api/campaign-messages/${message}/relationships/image`);
    expect(ids.body.data).toEqual({ type: "image", id: image });
  });
});
