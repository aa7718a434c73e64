/**
 * Reviews from the storefront side: a customer's review (create_client_review: pending until
 * moderated), the published and featured reviews a shop shows (get_client_reviews, without the
 * reviewers' emails), and the rating summaries of get_client_review_values_reports. The private
 * reads and moderation (get_reviews, update_review) are the generic handler's, with the rules in
 * marketing-resources.ts.
 */
import { invalidParameter, invalidPointer } from "../api-error.js";
import { isObject, type JsonObject, requireString, resourceData } from "../body.js";
import { FilterError, matchesFilter, parseFilter } from "../filter.js";
import type { EmulatorRequest, Handler } from "../handler-types.js";
import { isoTime } from "../jobs.js";
import { listDocument, readQuery, selfLink } from "../listing.js";
import type { StoredResource } from "../store.js";

const REVIEW_TYPES = ["question", "rating", "review", "store"];
const INCENTIVES = [
  "coupon_or_discount",
  "employee_review",
  "free_product",
  "loyalty_points",
  "other",
  "paid_promotion",
  "sweepstakes_entry",
];
/** What a shop shows its visitors. */
const VISIBLE = ["published", "featured"];

const statusOf = (review: StoredResource) =>
  isObject(review.attributes.status) ? String(review.attributes.status.value) : "pending";

const createClientReview: Handler = (request, state) => {
  readQuery(request, state);
  const { attributes } = resourceData(request);
  const base = "/data/attributes";
  const reviewType = requireString(attributes, "review_type");
  if (!REVIEW_TYPES.includes(reviewType)) {
    throw invalidPointer(
      `${base}/review_type`,
      `'review_type' is one of ${REVIEW_TYPES.join(", ")}.`,
    );
  }
  const email = requireString(attributes, "email");
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
    throw invalidPointer(`${base}/email`, `Invalid email address: ${email}.`);
  }
  requireString(attributes, "author");
  requireString(attributes, "content");
  const rating = attributes.rating;
  const rated = reviewType === "review" || reviewType === "rating" || reviewType === "store";
  if (rated && !(Number.isInteger(rating) && (rating as number) >= 1 && (rating as number) <= 5)) {
    throw invalidPointer(`${base}/rating`, `A ${reviewType} needs a 'rating' from 1 to 5.`);
  }
  const incentive = attributes.incentive_type;
  if (incentive !== undefined && incentive !== null && !INCENTIVES.includes(String(incentive))) {
    throw invalidPointer(
      `${base}/incentive_type`,
      `'incentive_type' is one of ${INCENTIVES.join(", ")}.`,
    );
  }
  let item: StoredResource | undefined;
  if (reviewType !== "store") {
    const product = attributes.product;
    if (!isObject(product) || typeof product.external_id !== "string") {
      throw invalidPointer(
        `${base}/product`,
        "A product review needs 'product': {external_id, integration_key}.",
      );
    }
    item = state.store
      .all("catalog-item")
      .find((i) => i.attributes.external_id === product.external_id);
    if (!item) {
      throw invalidPointer(
        `${base}/product/external_id`,
        `No catalog item has the external id ${product.external_id}.`,
      );
    }
  }
  // Klaviyo publishes after moderation: the review is stored as pending.
  state.jobs.defer(() => {
    const now = isoTime(state.store.now());
    const review = state.store.insert("review", {
      email,
      status: { value: "pending" },
      verified: false,
      review_type: reviewType,
      created: now,
      updated: now,
      images: Array.isArray(attributes.images) ? attributes.images : [],
      product: item ? productOf(item) : null,
      rating: rated ? rating : null,
      author: attributes.author,
      content: attributes.content,
      title: typeof attributes.title === "string" ? attributes.title : null,
      smart_quote: null,
      public_reply: null,
      incentive_type: incentive ?? null,
    });
    if (item) state.store.link("review", review.id, "item", [item.id]);
    return undefined;
  });
  return { status: request.op.status };
};

/** The product a review shows, from its catalog item. */
export function productOf(item: StoredResource): JsonObject {
  const images = item.attributes.images;
  return {
    url: item.attributes.url ?? "",
    name: item.attributes.title ?? "",
    image_url: item.attributes.image_full_url ?? (Array.isArray(images) ? images[0] : null) ?? null,
    external_id: item.attributes.external_id ?? null,
  };
}

const getClientReviews: Handler = (request, state) => {
  const visible = state.store.all("review").filter((r) => VISIBLE.includes(statusOf(r)));
  const document = listDocument(request, state, visible) as { data: JsonObject[] };
  // A shop's visitors never see who wrote a review, nor its events.
  for (const review of document.data) {
    if (isObject(review.attributes)) delete review.attributes.email;
    delete review.relationships;
  }
  return { status: 200, body: document };
};

const STATISTICS = [
  "average_rating",
  "total_reviews",
  "total_questions",
  "total_ratings",
  "total_store_reviews",
  "average_store_rating",
];
const TIMEFRAMES: Record<string, number> = {
  all_time: Number.POSITIVE_INFINITY,
  last_30_days: 30,
  last_90_days: 90,
  last_365_days: 365,
};

function summary(reviews: StoredResource[], statistics: string[]): JsonObject {
  const of = (type: string) => reviews.filter((r) => r.attributes.review_type === type);
  const average = (list: StoredResource[]) => {
    const ratings = list
      .map((r) => r.attributes.rating)
      .filter((v): v is number => typeof v === "number");
    if (ratings.length === 0) return null;
    return Math.round((ratings.reduce((a, b) => a + b, 0) / ratings.length) * 100) / 100;
  };
  const product = reviews.filter((r) => r.attributes.review_type !== "store");
  const values: JsonObject = {
    average_rating: average(product),
    total_reviews: of("review").length,
    total_questions: of("question").length,
    total_ratings: product.filter((r) => typeof r.attributes.rating === "number").length,
    total_store_reviews: of("store").length,
    average_store_rating: average(of("store")),
  };
  return Object.fromEntries(statistics.map((name) => [name, values[name]]));
}

function queryChoice(request: EmulatorRequest, name: string, allowed: string[]): string {
  const value = request.query.get(name);
  if (value === null) throw invalidParameter(name, `The '${name}' query parameter is required.`);
  if (!allowed.includes(value)) {
    throw invalidParameter(
      name,
      `'${value}' is not a valid ${name}. Allowed: ${allowed.join(", ")}.`,
    );
  }
  return value;
}

const getReviewValuesReports: Handler = (request, state) => {
  readQuery(request, state);
  const groupBy = queryChoice(request, "group_by", ["company_id", "product_id"]);
  const timeframe = queryChoice(request, "timeframe", Object.keys(TIMEFRAMES));
  const statistics = (request.query.get("statistics") ?? "").split(",").filter(Boolean);
  const unknown = statistics.find((name) => !STATISTICS.includes(name));
  if (statistics.length === 0 || unknown) {
    throw invalidParameter(
      "statistics",
      `'statistics' is a comma list of ${STATISTICS.join(", ")}.`,
    );
  }
  const filter = request.query.get("filter");
  let conditions: ReturnType<typeof parseFilter> = [];
  try {
    if (filter) conditions = parseFilter(filter, request.op.query.filters ?? {});
  } catch (error) {
    if (error instanceof FilterError) throw invalidParameter("filter", error.detail);
    throw error;
  }
  const since = state.store.now() - (TIMEFRAMES[timeframe] as number) * 86_400_000;
  const externalId = (r: StoredResource) =>
    isObject(r.attributes.product) ? r.attributes.product.external_id : undefined;
  const reviews = state.store
    .all("review")
    .filter(
      (r) => VISIBLE.includes(statusOf(r)) && Date.parse(String(r.attributes.created)) >= since,
    )
    .filter((r) => matchesFilter(conditions, () => externalId(r)));
  const groups = new Map<string, StoredResource[]>();
  for (const review of reviews) {
    const key = groupBy === "company_id" ? state.publicKey : externalId(review);
    if (typeof key !== "string") continue;
    groups.set(key, [...(groups.get(key) ?? []), review]);
  }
  if (groupBy === "company_id" && groups.size === 0) groups.set(state.publicKey, []);
  const results = [...groups]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, list]) => ({
      groupings: { [groupBy]: key },
      statistics: summary(list, statistics),
    }));
  const self = selfLink(state.baseUrl, request);
  // One report per account: its id is the account's public key.
  const report = {
    type: "review-values-report",
    id: state.publicKey,
    attributes: { results },
    links: { self: `${state.baseUrl}/client/review-values-reports/${state.publicKey}/` },
  };
  return { status: 200, body: { data: [report], links: { self } } };
};

export const reviewHandlers: Record<string, Handler> = {
  create_client_review: createClientReview,
  get_client_reviews: getClientReviews,
  get_client_review_values_reports: getReviewValuesReports,
};
