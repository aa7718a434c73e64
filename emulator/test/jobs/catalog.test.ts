import { describe, expect, it } from "vitest";
import {
  emulator,
  get,
  item,
  itemId,
  job,
  lifecycle,
  post,
  START,
  useJobEmulator,
  variant,
} from "./harness.js";

useJobEmulator();

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
