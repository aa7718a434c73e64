import { describe, expect, it } from "vitest";
import {
  advance,
  DURATION,
  emulator,
  get,
  job,
  lifecycle,
  post,
  storedLifecycle,
  useJobEmulator,
} from "./harness.js";

useJobEmulator();

describe("profile bulk import", () => {
  it("upserts profiles, adds them to lists and records import errors", async () => {
    const list = await post("/api/lists", { data: { type: "list", attributes: { name: "VIP" } } });
    const listId = list.body.data.id as string;
    const existing = await post("/api/profiles", {
      data: { type: "profile", attributes: { email: "old@example.com", first_name: "Old" } },
    });
    const existingId = existing.body.data.id as string;

    const created = await post(
      "/api/profile-bulk-import-jobs",
      job(
        "profile-bulk-import-job",
        {
          profiles: {
            data: [
              {
                type: "profile",
                attributes: {
                  email: "OLD@example.com",
                  last_name: "Timer",
                  properties: { tier: "gold" },
                },
              },
              { type: "profile", attributes: { email: "new@example.com", first_name: "New" } },
              { type: "profile", attributes: { first_name: "Nobody" } },
              { type: "profile", attributes: { email: "not-an-email" } },
              {
                type: "profile",
                attributes: { phone_number: "+15005550006" },
                meta: { patch_properties: { append: { tags: "sms" } } },
              },
            ],
          },
        },
        { lists: { data: [{ type: "list", id: listId }] } },
      ),
    );
    expect(created.status).toBe(202);
    const data = created.body.data;
    expect(data.attributes).toMatchObject({
      status: "queued",
      total_count: 5,
      completed_count: 0,
      failed_count: 0,
      completed_at: null,
      started_at: null,
    });
    expect(data.attributes.errors).toBeUndefined();
    const jobPath = `/api/profile-bulk-import-jobs/${data.id}`;
    expect((await get(`${jobPath}/lists`)).body.data.map((l: { id: string }) => l.id)).toEqual([
      listId,
    ]);
    expect((await get(`/api/lists/${listId}/profiles`)).body.data).toEqual([]);

    const done = await lifecycle("/api/profile-bulk-import-jobs", data.id);
    expect(done.attributes).toMatchObject({ completed_count: 3, failed_count: 2 });
    expect(done.attributes.started_at).toMatch(/^2026-/);

    const members = (await get(`/api/lists/${listId}/profiles`)).body.data;
    expect(members).toHaveLength(3);
    const old = members.find((p: { id: string }) => p.id === existingId);
    expect(old.attributes).toMatchObject({
      first_name: "Old",
      last_name: "Timer",
      properties: { tier: "gold" },
    });
    const phone = members.find(
      (p: { attributes: { phone_number: string } }) => p.attributes.phone_number === "+15005550006",
    );
    expect(phone.attributes.properties).toEqual({ tags: ["sms"] });

    const errors = await get(`${jobPath}/import-errors`);
    expect(errors.status).toBe(200);
    expect(
      errors.body.data.map(
        (e: { attributes: { source: { pointer: string } } }) => e.attributes.source.pointer,
      ),
    ).toEqual([
      "/data/attributes/profiles/data/2/attributes",
      "/data/attributes/profiles/data/3/attributes/email",
    ]);
    expect(errors.body.data[1].attributes).toMatchObject({
      code: "invalid",
      original_payload: { type: "profile", attributes: { email: "not-an-email" } },
    });
    const profiles = await get(`${jobPath}/profiles`);
    expect(profiles.body.data).toHaveLength(3);
    const included = await get(`${jobPath}?include=lists`);
    expect(included.body.included.map((l: { id: string }) => l.id)).toEqual([listId]);
  });

  it("404s an unknown list and 400s a malformed profile", async () => {
    const unknownList = await post(
      "/api/profile-bulk-import-jobs",
      job(
        "profile-bulk-import-job",
        { profiles: { data: [{ type: "profile", attributes: { email: "x@example.com" } }] } },
        { lists: { data: [{ type: "list", id: "NOPE00" }] } },
      ),
    );
    expect(unknownList.status).toBe(404);
    expect(unknownList.body.errors[0].source.pointer).toBe("/data/relationships/lists/data/0/id");
    const badType = await post(
      "/api/profile-bulk-import-jobs",
      job("profile-bulk-import-job", {
        profiles: {
          data: [{ type: "profile", attributes: { email: "x@example.com", first_name: 3 } }],
        },
      }),
    );
    expect(badType.status).toBe(400);
    expect(badType.body.errors[0].source.pointer).toBe(
      "/data/attributes/profiles/data/0/attributes/first_name",
    );
  });
});

describe("subscriptions", () => {
  const subscriptionsOf = async (id: string) =>
    (await get(`/api/profiles/${id}?additional-fields[profile]=subscriptions`)).body.data.attributes
      .subscriptions;
  const profileByEmail = async (email: string) =>
    (await get(`/api/profiles?filter=${encodeURIComponent(`equals(email,"${email}")`)}`)).body
      .data[0];

  it("subscribes after the job duration, creating unknown profiles and adding them to the list", async () => {
    const list = await post("/api/lists", { data: { type: "list", attributes: { name: "News" } } });
    const listId = list.body.data.id as string;
    const subscribe = await post(
      "/api/profile-subscription-bulk-create-jobs",
      job(
        "profile-subscription-bulk-create-job",
        {
          custom_source: "Checkout",
          profiles: {
            data: [
              {
                type: "profile",
                attributes: {
                  email: "sub@example.com",
                  phone_number: "+15005550010",
                  subscriptions: {
                    email: { marketing: { consent: "SUBSCRIBED" } },
                    sms: { marketing: { consent: "SUBSCRIBED" } },
                  },
                },
              },
            ],
          },
        },
        { list: { data: { type: "list", id: listId } } },
      ),
    );
    expect(subscribe.status).toBe(202);
    expect(subscribe.body).toBeUndefined();
    expect(await profileByEmail("sub@example.com")).toBeUndefined();

    advance(DURATION);
    const profile = await profileByEmail("sub@example.com");
    expect(profile).toBeDefined();
    const subscriptions = await subscriptionsOf(profile.id);
    expect(subscriptions.email.marketing).toMatchObject({
      consent: "SUBSCRIBED",
      method: "API",
      method_detail: "Checkout",
      can_receive_email_marketing: true,
      suppression: [],
    });
    expect(subscriptions.email.marketing.consent_timestamp).toMatch(/^2026-/);
    expect(subscriptions.sms.marketing).toMatchObject({
      consent: "SUBSCRIBED",
      can_receive_sms_marketing: true,
    });
    const members = (await get(`/api/lists/${listId}/profiles`)).body.data;
    expect(members.map((p: { id: string }) => p.id)).toEqual([profile.id]);

    const unsubscribe = await post(
      "/api/profile-subscription-bulk-delete-jobs",
      job(
        "profile-subscription-bulk-delete-job",
        {
          profiles: {
            data: [
              {
                type: "profile",
                attributes: {
                  email: "sub@example.com",
                  subscriptions: { email: { marketing: { consent: "UNSUBSCRIBED" } } },
                },
              },
            ],
          },
        },
        { list: { data: { type: "list", id: listId } } },
      ),
    );
    expect(unsubscribe.status).toBe(202);
    expect((await subscriptionsOf(profile.id)).email.marketing.consent).toBe("SUBSCRIBED");
    advance(DURATION);
    const after = await subscriptionsOf(profile.id);
    expect(after.email.marketing).toMatchObject({
      consent: "UNSUBSCRIBED",
      can_receive_email_marketing: false,
    });
    expect(after.email.marketing.suppression.map((s: { reason: string }) => s.reason)).toEqual([
      "UNSUBSCRIBE",
    ]);
    expect(after.sms.marketing.consent).toBe("SUBSCRIBED");
    expect((await get(`/api/lists/${listId}/profiles`)).body.data).toEqual([]);
  });

  it("waits for confirmation on a double opt-in list; historical imports skip it", async () => {
    const list = await post("/api/lists", {
      data: { type: "list", attributes: { name: "Double", opt_in_process: "double_opt_in" } },
    });
    const listId = list.body.data.id as string;
    const body = (email: string, extra: Record<string, unknown> = {}, consentedAt?: string) =>
      job(
        "profile-subscription-bulk-create-job",
        {
          ...extra,
          profiles: {
            data: [
              {
                type: "profile",
                attributes: {
                  email,
                  subscriptions: {
                    email: {
                      marketing: {
                        consent: "SUBSCRIBED",
                        ...(consentedAt ? { consented_at: consentedAt } : {}),
                      },
                    },
                  },
                },
              },
            ],
          },
        },
        { list: { data: { type: "list", id: listId } } },
      );
    expect(
      (await post("/api/profile-subscription-bulk-create-jobs", body("pending@example.com")))
        .status,
    ).toBe(202);
    const noDate = await post(
      "/api/profile-subscription-bulk-create-jobs",
      body("old@example.com", { historical_import: true }),
    );
    expect(noDate.status).toBe(400);
    expect(noDate.body.errors[0].source.pointer).toBe(
      "/data/attributes/profiles/data/0/attributes/subscriptions/email/marketing/consented_at",
    );
    const historical = await post(
      "/api/profile-subscription-bulk-create-jobs",
      body("hist@example.com", { historical_import: true }, "2025-01-01T00:00:00+00:00"),
    );
    expect(historical.status).toBe(202);
    advance(DURATION);
    const pending = await profileByEmail("pending@example.com");
    expect((await subscriptionsOf(pending.id)).email.marketing.consent).toBe("NEVER_SUBSCRIBED");
    const hist = await profileByEmail("hist@example.com");
    expect((await subscriptionsOf(hist.id)).email.marketing).toMatchObject({
      consent: "SUBSCRIBED",
      consent_timestamp: "2025-01-01T00:00:00+00:00",
    });
    const members = (await get(`/api/lists/${listId}/profiles`)).body.data;
    expect(members.map((p: { id: string }) => p.id)).toEqual([hist.id]);
  });

  it("validates consent requests with pointers", async () => {
    const entry = (attributes: Record<string, unknown>) =>
      job("profile-subscription-bulk-create-job", {
        profiles: { data: [{ type: "profile", attributes }] },
      });
    const badEmail = await post(
      "/api/profile-subscription-bulk-create-jobs",
      entry({ email: "nope", subscriptions: { email: { marketing: { consent: "SUBSCRIBED" } } } }),
    );
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.errors[0].source.pointer).toBe(
      "/data/attributes/profiles/data/0/attributes/email",
    );
    const wrongConsent = await post(
      "/api/profile-subscription-bulk-create-jobs",
      entry({
        email: "a@example.com",
        subscriptions: { email: { marketing: { consent: "UNSUBSCRIBED" } } },
      }),
    );
    expect(wrongConsent.body.errors[0].source.pointer).toBe(
      "/data/attributes/profiles/data/0/attributes/subscriptions/email/marketing/consent",
    );
    const smsWithoutPhone = await post(
      "/api/profile-subscription-bulk-create-jobs",
      entry({
        email: "a@example.com",
        subscriptions: { sms: { marketing: { consent: "SUBSCRIBED" } } },
      }),
    );
    expect(smsWithoutPhone.body.errors[0].source.pointer).toBe(
      "/data/attributes/profiles/data/0/attributes/phone_number",
    );
    const noSubscriptions = await post(
      "/api/profile-subscription-bulk-create-jobs",
      entry({ email: "a@example.com" }),
    );
    expect(noSubscriptions.body.errors[0].source.pointer).toBe(
      "/data/attributes/profiles/data/0/attributes/subscriptions",
    );
    const unknownList = await post(
      "/api/profile-subscription-bulk-create-jobs",
      job(
        "profile-subscription-bulk-create-job",
        {
          profiles: {
            data: [
              {
                type: "profile",
                attributes: {
                  email: "a@example.com",
                  subscriptions: { email: { marketing: { consent: "SUBSCRIBED" } } },
                },
              },
            ],
          },
        },
        { list: { data: { type: "list", id: "NOPE00" } } },
      ),
    );
    expect(unknownList.status).toBe(404);
    expect(unknownList.body.errors[0].source.pointer).toBe("/data/relationships/list/data/id");
  });
});

describe("suppressions", () => {
  it("suppresses by email and by list, then unsuppresses", async () => {
    const list = await post("/api/lists", { data: { type: "list", attributes: { name: "Supp" } } });
    const listId = list.body.data.id as string;
    const member = await post("/api/profiles", {
      data: { type: "profile", attributes: { email: "member@example.com" } },
    });
    const memberId = member.body.data.id as string;
    emulator.store.link("list", listId, "profiles", [memberId]);
    const byEmail = {
      profiles: {
        data: [
          { type: "profile", attributes: { email: "member@example.com" } },
          { type: "profile", attributes: { email: "stranger@example.com" } },
        ],
      },
    };
    const suppress = await post(
      "/api/profile-suppression-bulk-create-jobs",
      job("profile-suppression-bulk-create-job", byEmail),
    );
    expect(suppress.status).toBe(202);
    expect(suppress.body.data.attributes).toMatchObject({
      status: "queued",
      total_count: 2,
      completed_count: 0,
      skipped_count: 0,
      completed_at: null,
    });
    const marketingBefore = await get(
      `/api/profiles/${memberId}?additional-fields[profile]=subscriptions`,
    );
    expect(JSON.stringify(marketingBefore.body)).not.toContain("USER_SUPPRESSED");
    const done = await storedLifecycle(
      "profile-suppression-bulk-create-job",
      suppress.body.data.id,
    );
    expect(done).toMatchObject({ completed_count: 2, skipped_count: 0 });
    const marketing = async (id: string) =>
      (await get(`/api/profiles/${id}?additional-fields[profile]=subscriptions`)).body.data
        .attributes.subscriptions.email.marketing;
    expect(await marketing(memberId)).toMatchObject({
      can_receive_email_marketing: false,
      suppression: [{ reason: "USER_SUPPRESSED" }],
    });

    const byList = await post(
      "/api/profile-suppression-bulk-create-jobs",
      job(
        "profile-suppression-bulk-create-job",
        {},
        { list: { data: { type: "list", id: listId } } },
      ),
    );
    expect(byList.body.data.attributes.total_count).toBe(1);
    expect(byList.body.data.relationships.lists.links.related).toContain("/lists/");
    const listDone = await storedLifecycle(
      "profile-suppression-bulk-create-job",
      byList.body.data.id,
    );
    expect(listDone).toMatchObject({ completed_count: 0, skipped_count: 1 });

    const unsuppress = await post(
      "/api/profile-suppression-bulk-delete-jobs",
      job("profile-suppression-bulk-delete-job", {
        profiles: {
          data: [
            { type: "profile", attributes: { email: "member@example.com" } },
            { type: "profile", attributes: { email: "unknown@example.com" } },
          ],
        },
      }),
    );
    expect(unsuppress.status).toBe(202);
    const undone = await storedLifecycle(
      "profile-suppression-bulk-delete-job",
      unsuppress.body.data.id,
    );
    expect(undone).toMatchObject({ completed_count: 1, skipped_count: 1 });
    expect((await marketing(memberId)).suppression).toEqual([]);

    const nothing = await post(
      "/api/profile-suppression-bulk-create-jobs",
      job("profile-suppression-bulk-create-job", {}),
    );
    expect(nothing.status).toBe(400);
    const badEmail = await post(
      "/api/profile-suppression-bulk-create-jobs",
      job("profile-suppression-bulk-create-job", {
        profiles: { data: [{ type: "profile", attributes: { email: "x" } }] },
      }),
    );
    expect(badEmail.body.errors[0].source.pointer).toBe(
      "/data/attributes/profiles/data/0/attributes/email",
    );
  });
});

describe("data privacy deletion", () => {
  it("deletes the profile and its events only when the job completes", async () => {
    const profile = await post("/api/profiles", {
      data: { type: "profile", attributes: { email: "forget@example.com" } },
    });
    const id = profile.body.data.id as string;
    const event = emulator.store.insert("event", { timestamp: 1, event_properties: {} });
    emulator.store.link("event", event.id, "profile", [id]);

    const request = (attributes: Record<string, unknown>, profileId?: string) =>
      post("/api/data-privacy-deletion-jobs", {
        data: {
          type: "data-privacy-deletion-job",
          attributes: {
            profile: {
              data: { type: "profile", ...(profileId ? { id: profileId } : {}), attributes },
            },
          },
        },
      });
    const both = await request({ email: "forget@example.com", phone_number: "+15005550006" });
    expect(both.status).toBe(400);
    expect(both.body.errors[0].source.pointer).toBe("/data/attributes/profile/data");
    const none = await request({});
    expect(none.status).toBe(400);

    const accepted = await request({ email: "FORGET@example.com" });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toBeUndefined();
    expect((await get(`/api/profiles/${id}`)).status).toBe(200);
    advance(DURATION);
    expect((await get(`/api/profiles/${id}`)).status).toBe(404);
    expect(emulator.store.get("event", event.id)).toBeUndefined();

    // Nothing matches: accepted all the same, and nothing happens.
    expect((await request({}, "01NOSUCHPROFILE0000000000")).status).toBe(202);
  });
});
