/** The product catalog (categories, items, variants) and the coupons with their codes. */
import { DAY, iso, MINUTE, round2, type SeedContext, slug } from "./context.js";
import type { ProductModel, ProfileModel, VariantModel } from "./model.js";
import { CATEGORIES, COLORS, PRODUCTS, SIZES, STORE } from "./words.js";

const CATALOG_PREFIX = "$custom:::$default:::";

export interface CatalogSeed {
  categoryIds: string[];
  products: ProductModel[];
}

export function seedCatalog(ctx: SeedContext): CatalogSeed {
  const launched = ctx.now - 400 * DAY;
  const categoryIds: string[] = [];
  const itemsByCategory = new Map<string, string[]>();
  for (const category of CATEGORIES) {
    const id = `${CATALOG_PREFIX}${category.key}`;
    ctx.insert(
      "catalog-category",
      {
        external_id: category.key,
        name: category.name,
        updated: iso(launched + ctx.int(0, 30) * DAY),
      },
      id,
    );
    categoryIds.push(id);
    itemsByCategory.set(category.key, []);
  }

  const products: ProductModel[] = [];
  PRODUCTS.forEach((spec, index) => {
    const externalId = `JP-${1001 + index}`;
    const id = `${CATALOG_PREFIX}${externalId}`;
    const handle = slug(spec.title);
    const url = `${STORE.website}/products/${handle}`;
    const image = `${STORE.cdn}/products/${handle}.jpg`;
    const thumbnail = `${STORE.cdn}/products/${handle}_400x400.jpg`;
    const created = launched + ctx.int(0, 200) * DAY;
    const updated = Math.min(ctx.now - DAY, created + ctx.int(10, 300) * DAY);
    const categoryName = CATEGORIES.find((c) => c.key === spec.category)?.name ?? spec.category;
    ctx.insert(
      "catalog-item",
      {
        external_id: externalId,
        title: spec.title,
        description: spec.description,
        price: spec.price,
        url,
        image_full_url: image,
        image_thumbnail_url: thumbnail,
        images: [image, `${STORE.cdn}/products/${handle}-detail.jpg`],
        custom_metadata: {
          brand: STORE.name,
          material: spec.material,
          rating: round2(ctx.float(4, 5)),
          review_count: ctx.int(3, 240),
        },
        published: true,
        created: iso(created),
        updated: iso(updated),
      },
      id,
    );
    itemsByCategory.get(spec.category)?.push(id);

    const options =
      spec.variants === "size"
        ? SIZES.slice(ctx.int(0, 1), ctx.int(3, 4)).slice(0, 3)
        : spec.variants === "color"
          ? ctx.sample(COLORS, ctx.int(2, 3))
          : ["Standard"];
    const variants: VariantModel[] = options.map((option) => {
      const sku = `${externalId}-${option.toUpperCase()}`;
      const variantId = `${CATALOG_PREFIX}${sku}`;
      const price = option === "XL" ? spec.price + 5 : spec.price;
      const title = option === "Standard" ? spec.title : `${spec.title} - ${option}`;
      ctx.insert(
        "catalog-variant",
        {
          external_id: sku,
          title,
          description: spec.description,
          sku,
          inventory_policy: ctx.chance(0.8) ? 0 : 1,
          inventory_quantity: ctx.chance(0.08) ? 0 : ctx.int(3, 140),
          price,
          url: `${url}?variant=${sku}`,
          image_full_url: image,
          image_thumbnail_url: thumbnail,
          images: [image],
          custom_metadata: {
            option: spec.variants === "size" ? "Size" : spec.variants === "color" ? "Color" : null,
            value: option,
          },
          published: true,
          created: iso(created),
          updated: iso(updated + ctx.int(0, 20) * MINUTE),
        },
        variantId,
      );
      return { id: variantId, sku, title, price };
    });
    ctx.link(
      "catalog-item",
      id,
      "variants",
      variants.map((v) => v.id),
    );
    products.push({
      id,
      externalId,
      title: spec.title,
      category: spec.category,
      categoryName,
      price: spec.price,
      url,
      imageUrl: image,
      variants,
    });
  });

  for (const [key, itemIds] of itemsByCategory) {
    ctx.link("catalog-category", `${CATALOG_PREFIX}${key}`, "items", itemIds);
  }
  return { categoryIds, products };
}

const COUPONS = [
  {
    id: "WELCOME10",
    description: "10% off a first order, sent by the Welcome Series.",
    threshold: 10,
    codes: 14,
    days: 30,
  },
  {
    id: "VIP20",
    description: "20% off for VIP Customers during early-access sales.",
    threshold: 5,
    codes: 8,
    days: 21,
  },
  {
    id: "WINBACK15",
    description: "15% off to bring lapsed customers back.",
    threshold: 5,
    codes: 8,
    days: 45,
  },
] as const;

export interface CouponSeed {
  couponIds: string[];
  couponCodeIds: string[];
}

export function seedCoupons(ctx: SeedContext, profiles: ProfileModel[]): CouponSeed {
  const couponIds: string[] = [];
  const couponCodeIds: string[] = [];
  const used = new Set<string>();
  const candidates = profiles.filter((p) => !p.staff && p.emailOptIn !== null);
  for (const coupon of COUPONS) {
    ctx.insert(
      "coupon",
      {
        external_id: coupon.id,
        description: coupon.description,
        monitor_configuration: { low_balance_threshold: coupon.threshold },
      },
      coupon.id,
    );
    couponIds.push(coupon.id);
    const codeIds: string[] = [];
    for (let i = 0; i < coupon.codes; i++) {
      let code = "";
      do code = `${coupon.id}-${randomCode(ctx)}`;
      while (used.has(code));
      used.add(code);
      const status = ctx.weighted([
        ["ASSIGNED_TO_PROFILE", 5],
        ["USED", 3],
        ["UNASSIGNED", 4],
      ] as const);
      // Codes still out with a customer have not expired yet; used ones may have.
      const assignedAt = status === "USED" ? ctx.daysAgo(80, 2) : ctx.daysAgo(coupon.days - 2, 1);
      const id = ctx.insert("coupon-code", {
        unique_code: code,
        expires_at: status === "UNASSIGNED" ? null : iso(assignedAt + coupon.days * DAY),
        status,
      });
      codeIds.push(id);
      if (status !== "UNASSIGNED") {
        ctx.link("coupon-code", id, "profile", [ctx.pick(candidates).id]);
      }
    }
    ctx.link("coupon", coupon.id, "coupon-codes", codeIds);
    couponCodeIds.push(...codeIds);
  }
  return { couponIds, couponCodeIds };
}

function randomCode(ctx: SeedContext): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  let out = "";
  for (let i = 0; i < 6; i++) out += alphabet[ctx.int(0, alphabet.length - 1)];
  return out;
}
