import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../src/sandbox/emulator.js";

const START = Date.UTC(2026, 6, 20, 9);
const DURATION = 1000;

interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON:API documents
  body: any;
}

let emulator: Emulator;
let t = START;

/** Moves the injected clock on; jobs progress on the next request. */
const advance = (ms: number) => {
  t += ms;
};

async function call(method: string, path: string, body?: unknown): Promise<Reply> {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: {
      Authorization: `Klaviyo-API-Key ${emulator.apiKey}`,
      revision: "2026-07-15",
      Accept: "application/vnd.api+json",
      ...(body === undefined ? {} : { "Content-Type": "application/vnd.api+json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const get = (path: string) => call("GET", path);
const post = (path: string, body: unknown) => call("POST", path, body);

/** Runs a job to completion through its queued and processing states, checking each. */
async function lifecycle(path: string, id: string) {
  expect((await get(`${path}/${id}`)).body.data.attributes.status).toBe("queued");
  advance(DURATION / 2);
  expect((await get(`${path}/${id}`)).body.data.attributes.status).toBe("processing");
  advance(DURATION / 2);
  const done = await get(`${path}/${id}`);
  expect(done.body.data.attributes.status).toBe("complete");
  return done.body.data;
}

/**
 * The same for job types whose GET is not an emulated operation (suppression jobs): any request
 * moves the queue, then the store shows the job.
 */
async function storedLifecycle(type: string, id: string) {
  const status = async () => {
    await get("/api/accounts");
    return emulator.store.get(type, id)?.attributes;
  };
  expect((await status())?.status).toBe("queued");
  advance(DURATION / 2);
  expect((await status())?.status).toBe("processing");
  advance(DURATION / 2);
  const done = await status();
  expect(done?.status).toBe("complete");
  return done as Record<string, unknown>;
}

const item = (externalId: string, extra: Record<string, unknown> = {}) => ({
  type: "catalog-item",
  attributes: {
    external_id: externalId,
    title: `Item ${externalId}`,
    description: "A thing",
    url: `https://shop.example.com/${externalId}`,
    price: 12.5,
    ...extra,
  },
});

const variant = (externalId: string, itemId: string) => ({
  type: "catalog-variant",
  attributes: {
    external_id: externalId,
    title: `Variant ${externalId}`,
    description: "A size",
    sku: `SKU-${externalId}`,
    inventory_quantity: 5,
    price: 13,
    url: `https://shop.example.com/v/${externalId}`,
  },
  relationships: { item: { data: { type: "catalog-item", id: itemId } } },
});

const job = (type: string, attributes: Record<string, unknown>, relationships?: unknown) => ({
  data: { type, attributes, ...(relationships ? { relationships } : {}) },
});

const itemId = (externalId: string) => `$custom:::$default:::${externalId}`;

beforeAll(async () => {
  emulator = await startEmulator({
    demoData: false,
    rateLimits: false,
    jobDurationMs: DURATION,
    now: () => t,
  });
});
afterAll(() => emulator.close());

describe("catalog bulk jobs", () => {
  it("creates items only when the job completes, counting a duplicate as a failure", async () => {
    const seeded = await post("/api/catalog-items", { data: item("existing") });
    expect(seeded.status).toBe(201);
    const category = await post("/api/catalog-categories", {
      data: { type: "catalog-category", attributes: { external_id: "shoes", name: "Shoes" } },
    });
    expect(category.status).toBe(201);

    const created = await post(
      "/api/catalog-item-bulk-create-jobs",
      job("catalog-item-bulk-create-job", {
        items: {
          data: [
            item("a1", {}),
            {
              ...item("a2"),
              relationships: {
                categories: { data: [{ type: "catalog-category", id: itemId("shoes") }] },
              },
            },
            item("existing"),
          ],
        },
      }),
    );
    expect(created.status).toBe(202);
    const data = created.body.data;
    expect(data.type).toBe("catalog-item-bulk-create-job");
    expect(data.attributes).toMatchObject({
      status: "queued",
      total_count: 3,
      completed_count: 0,
      failed_count: 0,
      completed_at: null,
      errors: [],
    });
    expect(data.attributes.created_at).toMatch(/^2026-07-20T09:00:00/);
    expect(Date.parse(data.attributes.expires_at)).toBeGreaterThan(START);
    expect(data.links.self).toBe(`${emulator.url}/api/catalog-item-bulk-create-jobs/${data.id}/`);
    expect(data.relationships.items.links.related).toContain(`/${data.id}/items/`);

    // Nothing visible yet.
    expect((await get(`/api/catalog-items/${encodeURIComponent(itemId("a1"))}`)).status).toBe(404);

    const done = await lifecycle("/api/catalog-item-bulk-create-jobs", data.id);
    expect(done.attributes).toMatchObject({ completed_count: 2, failed_count: 1 });
    expect(done.attributes.completed_at).toMatch(/^2026-07-20T09:00:01/);
    expect(done.attributes.errors).toHaveLength(1);
    expect(done.attributes.errors[0]).toMatchObject({
      code: "duplicate",
      source: { pointer: "/data/attributes/items/data/2/attributes/external_id" },
    });
    expect(Object.keys(done.attributes.errors[0]).sort()).toEqual(
      ["code", "detail", "id", "source", "title"].sort(),
    );

    const items = await get("/api/catalog-items");
    expect(items.body.data.map((i: { id: string }) => i.id)).toEqual(
      expect.arrayContaining([itemId("a1"), itemId("a2"), itemId("existing")]),
    );
    const a1 = await get(`/api/catalog-items/${encodeURIComponent(itemId("a1"))}`);
    expect(a1.body.data.attributes).toMatchObject({
      title: "Item a1",
      price: 12.5,
      published: true,
    });
    expect(a1.body.data.attributes.created).toMatch(/^2026-07-20T09:00:01/);
    const categories = await get(
      `/api/catalog-items/${encodeURIComponent(itemId("a2"))}/categories`,
    );
    expect(categories.body.data.map((c: { id: string }) => c.id)).toEqual([itemId("shoes")]);

    const included = await get(`/api/catalog-item-bulk-create-jobs/${data.id}?include=items`);
    expect(included.body.data.relationships.items.data).toEqual([
      { type: "catalog-item", id: itemId("a1") },
      { type: "catalog-item", id: itemId("a2") },
    ]);
    expect(included.body.included.map((i: { id: string }) => i.id).sort()).toEqual(
      [itemId("a1"), itemId("a2")].sort(),
    );
  });

  it("rejects a malformed request with a precise pointer and queues nothing", async () => {
    const before = (await get("/api/catalog-item-bulk-create-jobs")).body.data.length;
    const entries = [item("b0"), item("b1"), item("b2"), item("b3")];
    const { title: _title, ...noTitle } = item("b3").attributes;
    const missingTitle = await post(
      "/api/catalog-item-bulk-create-jobs",
      job("catalog-item-bulk-create-job", {
        items: { data: [...entries.slice(0, 3), { type: "catalog-item", attributes: noTitle }] },
      }),
    );
    expect(missingTitle.status).toBe(400);
    expect(missingTitle.body.errors[0].source).toEqual({
      pointer: "/data/attributes/items/data/3/attributes/title",
    });

    const badExternal = await post(
      "/api/catalog-item-bulk-create-jobs",
      job("catalog-item-bulk-create-job", {
        items: { data: [item("c0"), item("c1", { external_id: 7 })] },
      }),
    );
    expect(badExternal.body.errors[0].source.pointer).toBe(
      "/data/attributes/items/data/1/attributes/external_id",
    );

    const wrongType = await post(
      "/api/catalog-item-bulk-create-jobs",
      job("catalog-item-bulk-create-job", {
        items: { data: [{ ...item("d0"), type: "product" }] },
      }),
    );
    expect(wrongType.body.errors[0].source.pointer).toBe("/data/attributes/items/data/0/type");

    const unknown = await post(
      "/api/catalog-item-bulk-create-jobs",
      job("catalog-item-bulk-create-job", { items: { data: [item("e0", { colour: "red" })] } }),
    );
    expect(unknown.body.errors[0].source.pointer).toBe(
      "/data/attributes/items/data/0/attributes/colour",
    );

    const tooMany = await post(
      "/api/catalog-item-bulk-create-jobs",
      job("catalog-item-bulk-create-job", {
        items: { data: Array.from({ length: 101 }, (_, i) => item(`f${i}`)) },
      }),
    );
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors[0].source.pointer).toBe("/data/attributes/items/data");

    const noItems = await post(
      "/api/catalog-item-bulk-create-jobs",
      job("catalog-item-bulk-create-job", {}),
    );
    expect(noItems.body.errors[0].source.pointer).toBe("/data/attributes/items");

    expect((await get("/api/catalog-item-bulk-create-jobs")).body.data).toHaveLength(before);
  });

  it("updates and deletes items, failing unknown ids", async () => {
    const update = await post(
      "/api/catalog-item-bulk-update-jobs",
      job("catalog-item-bulk-update-job", {
        items: {
          data: [
            { type: "catalog-item", id: itemId("a1"), attributes: { title: "Renamed", price: 20 } },
            { type: "catalog-item", id: itemId("nope"), attributes: { title: "Ghost" } },
          ],
        },
      }),
    );
    expect(update.status).toBe(202);
    expect(update.body.data.attributes.total_count).toBe(2);
    const noId = await post(
      "/api/catalog-item-bulk-update-jobs",
      job("catalog-item-bulk-update-job", {
        items: { data: [{ type: "catalog-item", attributes: { title: "x" } }] },
      }),
    );
    expect(noId.body.errors[0].source.pointer).toBe("/data/attributes/items/data/0/id");
    const notUpdatable = await post(
      "/api/catalog-item-bulk-update-jobs",
      job("catalog-item-bulk-update-job", {
        items: {
          data: [{ type: "catalog-item", id: itemId("a1"), attributes: { external_id: "z" } }],
        },
      }),
    );
    expect(notUpdatable.body.errors[0].source.pointer).toBe(
      "/data/attributes/items/data/0/attributes/external_id",
    );

    const a1 = `/api/catalog-items/${encodeURIComponent(itemId("a1"))}`;
    expect((await get(a1)).body.data.attributes.title).toBe("Item a1");
    const updated = await lifecycle("/api/catalog-item-bulk-update-jobs", update.body.data.id);
    expect(updated.attributes).toMatchObject({ completed_count: 1, failed_count: 1 });
    expect(updated.attributes.errors[0]).toMatchObject({
      code: "not_found",
      source: { pointer: "/data/attributes/items/data/1/id" },
    });
    expect((await get(a1)).body.data.attributes).toMatchObject({ title: "Renamed", price: 20 });

    const remove = await post(
      "/api/catalog-item-bulk-delete-jobs",
      job("catalog-item-bulk-delete-job", {
        items: {
          data: [
            { type: "catalog-item", id: itemId("a1") },
            { type: "catalog-item", id: itemId("missing") },
          ],
        },
      }),
    );
    expect(remove.status).toBe(202);
    expect((await get(a1)).status).toBe(200);
    const removed = await lifecycle("/api/catalog-item-bulk-delete-jobs", remove.body.data.id);
    expect(removed.attributes).toMatchObject({ completed_count: 1, failed_count: 1 });
    expect((await get(a1)).status).toBe(404);
  });

  it("creates variants under their item; a missing item fails that variant", async () => {
    const a2 = itemId("a2");
    const created = await post(
      "/api/catalog-variant-bulk-create-jobs",
      job("catalog-variant-bulk-create-job", {
        variants: { data: [variant("v1", a2), variant("v2", itemId("ghost"))] },
      }),
    );
    expect(created.status).toBe(202);
    const noItem = await post(
      "/api/catalog-variant-bulk-create-jobs",
      job("catalog-variant-bulk-create-job", {
        variants: { data: [{ ...variant("v3", a2), relationships: {} }] },
      }),
    );
    expect(noItem.body.errors[0].source.pointer).toBe(
      "/data/attributes/variants/data/0/relationships/item",
    );
    const badPolicy = await post(
      "/api/catalog-variant-bulk-create-jobs",
      job("catalog-variant-bulk-create-job", {
        variants: {
          data: [
            {
              ...variant("v3", a2),
              attributes: { ...variant("v3", a2).attributes, inventory_policy: 7 },
            },
          ],
        },
      }),
    );
    expect(badPolicy.body.errors[0].source.pointer).toBe(
      "/data/attributes/variants/data/0/attributes/inventory_policy",
    );

    const done = await lifecycle("/api/catalog-variant-bulk-create-jobs", created.body.data.id);
    expect(done.attributes).toMatchObject({ completed_count: 1, failed_count: 1 });
    expect(done.attributes.errors[0].source.pointer).toBe(
      "/data/attributes/variants/data/1/relationships/item/data/id",
    );
    const variants = await get(`/api/catalog-items/${encodeURIComponent(a2)}/variants`);
    expect(variants.body.data.map((v: { id: string }) => v.id)).toEqual([
      "$custom:::$default:::v1",
    ]);

    const update = await post(
      "/api/catalog-variant-bulk-update-jobs",
      job("catalog-variant-bulk-update-job", {
        variants: {
          data: [
            {
              type: "catalog-variant",
              id: "$custom:::$default:::v1",
              attributes: { inventory_quantity: 0 },
            },
          ],
        },
      }),
    );
    await lifecycle("/api/catalog-variant-bulk-update-jobs", update.body.data.id);
    const v1 = await get(`/api/catalog-variants/${encodeURIComponent("$custom:::$default:::v1")}`);
    expect(v1.body.data.attributes.inventory_quantity).toBe(0);

    const remove = await post(
      "/api/catalog-variant-bulk-delete-jobs",
      job("catalog-variant-bulk-delete-job", {
        variants: { data: [{ type: "catalog-variant", id: "$custom:::$default:::v1" }] },
      }),
    );
    const removed = await lifecycle("/api/catalog-variant-bulk-delete-jobs", remove.body.data.id);
    expect(removed.attributes).toMatchObject({ completed_count: 1, failed_count: 0 });
    expect((await get(`/api/catalog-items/${encodeURIComponent(a2)}/variants`)).body.data).toEqual(
      [],
    );
  });

  it("creates, updates and deletes categories with their items", async () => {
    const created = await post(
      "/api/catalog-category-bulk-create-jobs",
      job("catalog-category-bulk-create-job", {
        categories: {
          data: [
            {
              type: "catalog-category",
              attributes: { external_id: "hats", name: "Hats" },
              relationships: { items: { data: [{ type: "catalog-item", id: itemId("a2") }] } },
            },
            { type: "catalog-category", attributes: { external_id: "shoes", name: "Again" } },
          ],
        },
      }),
    );
    expect(created.status).toBe(202);
    const done = await lifecycle("/api/catalog-category-bulk-create-jobs", created.body.data.id);
    expect(done.attributes).toMatchObject({ completed_count: 1, failed_count: 1 });
    const hats = encodeURIComponent(itemId("hats"));
    const categoryItems = await get(`/api/catalog-categories/${hats}/items`);
    expect(categoryItems.body.data.map((i: { id: string }) => i.id)).toEqual([itemId("a2")]);

    const update = await post(
      "/api/catalog-category-bulk-update-jobs",
      job("catalog-category-bulk-update-job", {
        categories: {
          data: [
            {
              type: "catalog-category",
              id: itemId("hats"),
              attributes: { name: "Caps" },
              relationships: { items: { data: [] } },
            },
          ],
        },
      }),
    );
    await lifecycle("/api/catalog-category-bulk-update-jobs", update.body.data.id);
    const renamed = await get(`/api/catalog-categories/${hats}`);
    expect(renamed.body.data.attributes.name).toBe("Caps");
    expect((await get(`/api/catalog-categories/${hats}/items`)).body.data).toEqual([]);

    const remove = await post(
      "/api/catalog-category-bulk-delete-jobs",
      job("catalog-category-bulk-delete-job", {
        categories: { data: [{ type: "catalog-category", id: itemId("hats") }] },
      }),
    );
    await lifecycle("/api/catalog-category-bulk-delete-jobs", remove.body.data.id);
    expect((await get(`/api/catalog-categories/${hats}`)).status).toBe(404);
  });
});

describe("coupon code bulk create", () => {
  it("creates codes linked to their coupon; a duplicate code or unknown coupon fails", async () => {
    const coupon = await post("/api/coupons", {
      data: { type: "coupon", attributes: { external_id: "SUMMER", description: "10% off" } },
    });
    expect(coupon.status).toBe(201);
    const code = (unique: string, couponId = "SUMMER") => ({
      type: "coupon-code",
      attributes: { unique_code: unique, expires_at: "2026-12-31T00:00:00+00:00" },
      relationships: { coupon: { data: { type: "coupon", id: couponId } } },
    });
    const created = await post(
      "/api/coupon-code-bulk-create-jobs",
      job("coupon-code-bulk-create-job", {
        "coupon-codes": { data: [code("AAA"), code("BBB"), code("AAA"), code("CCC", "NOPE")] },
      }),
    );
    expect(created.status).toBe(202);
    expect(created.body.data.attributes).toMatchObject({ status: "queued", total_count: 4 });
    const noCoupon = await post(
      "/api/coupon-code-bulk-create-jobs",
      job("coupon-code-bulk-create-job", {
        "coupon-codes": { data: [{ type: "coupon-code", attributes: { unique_code: "X" } }] },
      }),
    );
    expect(noCoupon.body.errors[0].source.pointer).toBe(
      "/data/attributes/coupon-codes/data/0/relationships/coupon",
    );
    const badDate = await post(
      "/api/coupon-code-bulk-create-jobs",
      job("coupon-code-bulk-create-job", {
        "coupon-codes": {
          data: [{ ...code("Y"), attributes: { unique_code: "Y", expires_at: "soon" } }],
        },
      }),
    );
    expect(badDate.body.errors[0].source.pointer).toBe(
      "/data/attributes/coupon-codes/data/0/attributes/expires_at",
    );

    expect((await get("/api/coupons/SUMMER/coupon-codes")).body.data).toEqual([]);
    const done = await lifecycle("/api/coupon-code-bulk-create-jobs", created.body.data.id);
    expect(done.attributes).toMatchObject({ completed_count: 2, failed_count: 2 });
    expect(
      done.attributes.errors.map((e: { source: { pointer: string } }) => e.source.pointer),
    ).toEqual([
      "/data/attributes/coupon-codes/data/2/attributes/unique_code",
      "/data/attributes/coupon-codes/data/3/relationships/coupon/data/id",
    ]);
    const codes = await get("/api/coupons/SUMMER/coupon-codes");
    expect(
      codes.body.data.map((c: { attributes: { unique_code: string } }) => c.attributes.unique_code),
    ).toEqual(["AAA", "BBB"]);
    const included = await get(
      `/api/coupon-code-bulk-create-jobs/${created.body.data.id}?include=coupon-codes`,
    );
    expect(included.body.included).toHaveLength(2);
  });
});

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
