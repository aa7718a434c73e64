/** Reviews: written on the storefront, moderated, shown, and summed up by product. */
import { describe, expect, it } from "vitest";
import { useDemo } from "./demo.js";

const demo = useDemo();

const client = (method: string, path: string, body?: unknown) => {
  const joiner = path.includes("?") ? "&" : "?";
  return demo.call(method, `${path}${joiner}company_id=${demo.emulator.publicKey}`, body);
};

const moderate = (id: string, status: unknown) =>
  demo.call("PATCH", `/api/reviews/${id}`, demo.body("review", { status }, { id }));

describe("a customer's review", () => {
  it("waits as pending, then shows on the storefront once published, without the email", async () => {
    const item = demo.emulator.store.get(
      "catalog-item",
      demo.emulator.demo?.catalogItemIds[3] ?? "",
    );
    const externalId = String(item?.attributes.external_id);
    const written = await client(
      "POST",
      "/client/reviews",
      demo.body("review", {
        review_type: "review",
        email: "reviewer@example.com",
        author: "Sam R.",
        content: "Held up in sideways rain.",
        rating: 2,
        title: "Decent",
        product: { external_id: externalId, integration_key: "shopify" },
      }),
    );
    expect(written.status).toBe(202);
    const filter = encodeURIComponent('equals(status,"pending")');
    const pending = await demo.call("GET", `/api/reviews?filter=${filter}&page[size]=100`);
    const review = pending.body.data.find(
      (r: { attributes: { email: string } }) => r.attributes.email === "reviewer@example.com",
    );
    expect(review.attributes).toMatchObject({
      review_type: "review",
      rating: 2,
      verified: false,
      product: { external_id: externalId, name: item?.attributes.title },
    });
    expect(review.relationships.item.data.id).toBe(item?.id);

    const shown = async () =>
      (await client("GET", "/client/reviews?page[size]=100")).body.data.find(
        (r: { id: string }) => r.id === review.id,
      );
    expect(await shown()).toBeUndefined();
    const published = await moderate(review.id, { value: "published" });
    expect(published.status).toBe(200);
    expect(published.body.data.attributes.status).toEqual({ value: "published" });
    const visible = await shown();
    expect(visible.attributes.content).toBe("Held up in sideways rain.");
    expect(visible.attributes).not.toHaveProperty("email");

    const report = await client(
      "GET",
      `/client/review-values-reports?group_by=product_id&statistics=average_rating,total_reviews&timeframe=all_time&filter=${encodeURIComponent(`equals(product_external_ids,"${externalId}")`)}`,
    );
    const product = demo.emulator.store
      .all("review")
      .filter(
        (r) =>
          (r.attributes.product as { external_id?: string } | null)?.external_id === externalId &&
          ["published", "featured"].includes((r.attributes.status as { value: string }).value),
      );
    const ratings = product.map((r) => r.attributes.rating as number);
    expect(report.body.data[0].attributes.results).toEqual([
      {
        groupings: { product_id: externalId },
        statistics: {
          average_rating:
            Math.round((ratings.reduce((a, b) => a + b) / ratings.length) * 100) / 100,
          total_reviews: product.filter((r) => r.attributes.review_type === "review").length,
        },
      },
    ]);
  });

  it("needs a rating from 1 to 5 and a product in the catalog", async () => {
    const write = (attributes: Record<string, unknown>) =>
      client(
        "POST",
        "/client/reviews",
        demo.body("review", {
          review_type: "review",
          email: "x@example.com",
          author: "X",
          content: "Y",
          ...attributes,
        }),
      );
    const unrated = await write({
      product: { external_id: "JP-1001", integration_key: "shopify" },
    });
    expect(unrated.body.errors[0].source.pointer).toBe("/data/attributes/rating");
    const unknown = await write({
      rating: 4,
      product: { external_id: "NOPE", integration_key: "shopify" },
    });
    expect(unknown.body.errors[0].source.pointer).toBe("/data/attributes/product/external_id");
  });
});

describe("update_review", () => {
  it("rejects only with a reason, and takes nothing but the status", async () => {
    const id = demo.emulator.store.all("review")[0]?.id as string;
    const noReason = await moderate(id, { value: "rejected" });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0].source.pointer).toBe(
      "/data/attributes/status/rejection_reason/reason",
    );
    const rejected = await moderate(id, {
      value: "rejected",
      rejection_reason: { reason: "fake" },
    });
    expect(rejected.body.data.attributes.status).toEqual({
      value: "rejected",
      rejection_reason: { reason: "fake" },
    });
    const other = await demo.call(
      "PATCH",
      `/api/reviews/${id}`,
      demo.body("review", { rating: 5 }, { id }),
    );
    expect(other.status).toBe(400);
  });
});

describe("get_client_review_values_reports", () => {
  it("sums up the whole shop under the company, store reviews apart", async () => {
    const report = await client(
      "GET",
      "/client/review-values-reports?group_by=company_id&statistics=total_reviews,total_store_reviews,average_store_rating&timeframe=last_365_days",
    );
    expect(report.status).toBe(200);
    const [result] = report.body.data[0].attributes.results;
    expect(result.groupings).toEqual({ company_id: demo.emulator.publicKey });
    expect(result.statistics.total_store_reviews).toBe(1);
    expect(result.statistics.average_store_rating).toBe(5);
    expect(result.statistics.total_reviews).toBeGreaterThan(5);
    const bad = await client(
      "GET",
      "/client/review-values-reports?group_by=company_id&statistics=likes&timeframe=all_time",
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].source.parameter).toBe("statistics");
  });
});
